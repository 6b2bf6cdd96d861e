"""Huang, You, Wang, Qian & Xu (2022), "Knowledge Distillation from A Stronger Teacher", NeurIPS (DIST)."""
import torch
import torch.nn.functional as F

from .base import Distiller, check_range, labelled_cross_entropy


def pearson_distance(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Mean over rows of 1 − Pearson correlation between rows of a and b, both (R, K)."""
    a = a - a.mean(1, keepdim=True)
    b = b - b.mean(1, keepdim=True)
    return (1 - F.cosine_similarity(a, b, dim=1, eps=1e-8)).mean()


class DIST(Distiller):
    """Match relations, not exact probabilities: correlation instead of KL.

    L = CE(y, z_s) + T² · [ β · mean_i (1 − ρ(p_s[i, :], p_t[i, :]))  +  γ · mean_c (1 − ρ(p_s[:, c], p_t[:, c])) ]

    p = softmax(z / T) (B, C); ρ: Pearson correlation. The inter-class term ranks the classes of one
    image alike; the intra-class term ranks the images of one class alike. Correlation ignores
    scale and shift, which helps when the teacher is much stronger than the student.
    """

    consumes = frozenset({"logits", "teacher"})

    def __init__(self, *, temperature: float = 4.0, beta: float = 1.0, gamma: float = 1.0):
        super().__init__()
        self.temperature = check_range("Temperature T", temperature, 0.0, 100.0, low_open=True)
        self.beta = check_range("β", beta, 0.0, 100.0)
        self.gamma = check_range("γ", gamma, 0.0, 100.0)

    def forward(self, student, teacher, target, labelled, progress=0.0):
        T = self.temperature
        p_student = F.softmax(student["logits"] / T, dim=1)
        p_teacher = F.softmax(teacher["logits"] / T, dim=1)
        return {"hard": labelled_cross_entropy(student["logits"], target, labelled),
                "inter": self.beta * T * T * pearson_distance(p_student, p_teacher),
                "intra": self.gamma * T * T * pearson_distance(p_student.T, p_teacher.T)}
