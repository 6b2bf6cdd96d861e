"""Tian, Krishnan & Isola (2020), "Contrastive Representation Distillation", ICLR."""
import torch
import torch.nn.functional as F
from torch import nn

from .base import check_range
from .features import FeatureDistiller


class ContrastiveRD(FeatureDistiller):
    """Pull each image's student embedding towards the teacher's embedding of the same image and
    away from the teacher's embeddings of other images.

    L = CE(y, z_s) + β · ½ [ CE(S Tᵀ / τ, I) + CE(T Sᵀ / τ, I) ]

    S = normalise(g_s(h_s)), T = normalise(g_t(h_t)) (B, 128): learned linear heads, so widths may
    differ; I: the matching image is the positive class. Simplification for small CPU runs: the
    other images of the batch are the negatives (the paper keeps a memory bank of 16,384).
    """

    label = "Contrastive representation distillation"

    def __init__(self, *, beta: float = 0.8, tau: float = 0.07, dim: int = 128):
        super().__init__()
        self.beta = check_range("β", beta, 0.0, 100.0)
        self.tau = check_range("τ", tau, 0.0, 10.0, low_open=True)
        self.dim = int(check_range("Embedding dimension", dim, 1, 4096))

    def build(self, student_shapes, teacher_shapes, in_shape):
        self.student_head = nn.Linear(student_shapes[-1][0], self.dim)
        self.teacher_head = nn.Linear(teacher_shapes[-1][0], self.dim)

    def terms(self, student_features, teacher_features):
        s = F.normalize(self.student_head(student_features[-1]), dim=1)  # (B, dim)
        t = F.normalize(self.teacher_head(teacher_features[-1]), dim=1)
        logits = s @ t.T / self.tau  # (B, B): row i scores teacher embeddings against student image i
        positives = torch.arange(len(logits), device=logits.device)
        contrast = (F.cross_entropy(logits, positives) + F.cross_entropy(logits.T, positives)) / 2
        return {"contrast": self.beta * contrast}
