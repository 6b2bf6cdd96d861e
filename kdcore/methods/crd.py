"""Contrastive representation distillation: the teacher's embedding of the same image is the positive."""
import torch
import torch.nn.functional as F
from torch import nn

from ..schema import Range
from .features import FeatureDistiller


class ContrastiveRD(FeatureDistiller):
    """Pull each image's student embedding towards the teacher's embedding of the same image and
    away from the teacher's embeddings of other images.

    S = normalise(g_s(h_s)), T = normalise(g_t(h_t)) (B, dim): learned linear heads, so widths may
    differ; I: the matching image is the positive class. Simplification for small CPU runs: the
    other images of the batch are the negatives (the paper keeps a memory bank of 16,384).
    """

    name = "crd"
    paper = 'Tian, Krishnan & Isola (2020), "Contrastive Representation Distillation", ICLR'
    formula_tex = (r"\begin{gathered}\mathcal{L} = \mathrm{CE}(y, p_s) \\ +\ \tfrac{\beta}{2}\big[\mathrm{CE}"
                   r"(S T^\top/\tau, I) + \mathrm{CE}(T S^\top/\tau, I)\big]\end{gathered}")
    hyper = {"beta": Range(0, 100, 0.8, "β: weight of the contrastive term"),
             "tau": Range(0, 10, 0.07, "τ: temperature of the contrast", low_open=True),
             "dim": Range(1, 4096, 128, "dimension of the shared embedding", integer=True)}

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

