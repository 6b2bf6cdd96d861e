"""Tung & Mori (2019), "Similarity-Preserving Knowledge Distillation", ICCV."""
import torch
import torch.nn.functional as F

from .base import check_range
from .features import FeatureDistiller


def similarity(features: torch.Tensor) -> torch.Tensor:
    """(B, B) batch similarity G = F Fᵀ of the flattened features, each row L2-normalised."""
    flat = features.flatten(1)
    return F.normalize(flat @ flat.T, dim=1)


class SimilarityPreserving(FeatureDistiller):
    """Images the teacher finds alike should look alike to the student.

    L = CE(y, z_s) + β / B² · ‖ G_s − G_t ‖²_F,   G = row-normalised (F Fᵀ)

    F: penultimate embeddings (B, D). G is B × B whatever D is, so no projection is needed.
    """

    label = "Similarity-preserving KD"

    def __init__(self, *, beta: float = 3000.0):
        super().__init__()
        self.beta = check_range("β", beta, 0.0, 1e6)

    def terms(self, student_features, teacher_features):
        batch = student_features[-1].shape[0]
        gap = similarity(student_features[-1]) - similarity(teacher_features[-1])
        return {"similarity": self.beta * gap.pow(2).sum() / batch**2}
