"""DIST: match how the teacher ranks classes and images (correlation instead of KL)."""
import torch
import torch.nn.functional as F

from ..schema import Range
from .base import Distiller, labelled_cross_entropy
from .kd import TEMPERATURE


def pearson_distance(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Mean over rows of 1 − Pearson correlation between rows of a and b, both (R, K)."""
    a = a - a.mean(1, keepdim=True)
    b = b - b.mean(1, keepdim=True)
    return (1 - F.cosine_similarity(a, b, dim=1, eps=1e-8)).mean()


class DIST(Distiller):
    """Match relations, not exact probabilities: correlation instead of KL.

    p = softmax(z / T) (B, C); ρ: Pearson correlation. The inter-class term ranks the classes of one
    image alike; the intra-class term ranks the images of one class alike. Correlation ignores
    scale and shift, which helps when the teacher is much stronger than the student.
    """

    name = "dist"
    paper = 'Huang, You, Wang, Qian & Xu (2022), "Knowledge Distillation from A Stronger Teacher", NeurIPS'
    formula_tex = (r"\begin{gathered}\mathcal{L} = \mathrm{CE}(y, p_s) + T^2\big[\beta\,\overline{1-\rho"
                   r"(p_s^{i,:}, p_t^{i,:})} \\ +\ \gamma\,\overline{1-\rho(p_s^{:,c}, p_t^{:,c})}\big]\end{gathered}")
    consumes = frozenset({"logits", "teacher"})
    hyper = {"temperature": TEMPERATURE,
             "beta": Range(0, 100, 1.0, "β: weight of the inter-class (per image) term"),
             "gamma": Range(0, 100, 1.0, "γ: weight of the intra-class (per class) term")}

    def forward(self, student, teacher, target, labelled, progress=0.0):
        T = self.temperature
        p_student = F.softmax(student["logits"] / T, dim=1)
        p_teacher = F.softmax(teacher["logits"] / T, dim=1)
        return {"hard": labelled_cross_entropy(student["logits"], target, labelled),
                "inter": self.beta * T * T * pearson_distance(p_student, p_teacher),
                "intra": self.gamma * T * T * pearson_distance(p_student.T, p_teacher.T)}
