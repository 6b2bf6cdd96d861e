"""Probabilistic knowledge transfer: match the teacher's neighbourhood probabilities."""
import torch
import torch.nn.functional as F

from ..schema import Range
from .features import FeatureDistiller


def conditional_probabilities(features: torch.Tensor) -> torch.Tensor:
    """(B, B) P[i, j] = K(i, j) / Σ_j K(i, j) with the cosine kernel K = (cos + 1) / 2."""
    unit = F.normalize(features.flatten(1), dim=1)
    kernel = (unit @ unit.T + 1) / 2
    return kernel / kernel.sum(1, keepdim=True)


class ProbabilisticKT(FeatureDistiller):
    """Match the probability that image j is a neighbour of image i, in teacher and student space.

    P: conditional probabilities from the cosine kernel on penultimate embeddings (any widths).
    """

    name = "pkt"
    paper = ('Passalis & Tefas (2018), "Learning Deep Representations with Probabilistic Knowledge Transfer", '
             "ECCV")
    formula_tex = (r"\begin{gathered}\mathcal{L} = \mathrm{CE}(y, p_s) + \tfrac{\beta}{B}\sum_{i,j} P^t_{ij}"
                   r" \log\tfrac{P^t_{ij}}{P^s_{ij}} \\ P_{ij} = \tfrac{K(i,j)}{\sum_j K(i,j)},\quad"
                   r" K = \tfrac{\cos + 1}{2}\end{gathered}")
    hyper = {"beta": Range(0, 1e6, 100.0, "β: weight of the PKT term")}

    def terms(self, student_features, teacher_features):
        eps = 1e-7
        p_student = conditional_probabilities(student_features[-1])
        p_teacher = conditional_probabilities(teacher_features[-1])
        kl = (p_teacher * torch.log((p_teacher + eps) / (p_student + eps))).sum(1).mean()
        return {"pkt": self.beta * kl}
