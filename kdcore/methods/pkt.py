"""Passalis & Tefas (2018), "Learning Deep Representations with Probabilistic Knowledge Transfer", ECCV."""
import torch
import torch.nn.functional as F

from .base import check_range
from .features import FeatureDistiller


def conditional_probabilities(features: torch.Tensor) -> torch.Tensor:
    """(B, B) P[i, j] = K(i, j) / Σ_j K(i, j) with the cosine kernel K = (cos + 1) / 2."""
    unit = F.normalize(features.flatten(1), dim=1)
    kernel = (unit @ unit.T + 1) / 2
    return kernel / kernel.sum(1, keepdim=True)


class ProbabilisticKT(FeatureDistiller):
    """Match the probability that image j is a neighbour of image i, in teacher and student space.

    L = CE(y, z_s) + β · (1/B) Σ_i Σ_j P_t[i, j] · log( P_t[i, j] / P_s[i, j] )

    P: conditional probabilities from the cosine kernel on penultimate embeddings (any widths).
    """

    label = "Probabilistic knowledge transfer"

    def __init__(self, *, beta: float = 100.0):
        super().__init__()
        self.beta = check_range("β", beta, 0.0, 1e6)

    def terms(self, student_features, teacher_features):
        eps = 1e-7
        p_student = conditional_probabilities(student_features[-1])
        p_teacher = conditional_probabilities(teacher_features[-1])
        kl = (p_teacher * torch.log((p_teacher + eps) / (p_student + eps))).sum(1).mean()
        return {"pkt": self.beta * kl}
