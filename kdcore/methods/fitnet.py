"""Romero, Ballas, Kahou, Chassang, Gatta & Bengio (2015), "FitNets: Hints for Thin Deep Nets", ICLR."""
import torch.nn.functional as F
from torch import nn

from .base import check_range
from .features import FeatureDistiller


class FitNet(FeatureDistiller):
    """Hint learning: a learned regressor maps the student's features onto the teacher's.

    L = CE(y, z_s) + β · mean_{b,d} ( r(h_s)_{b,d} − h_t_{b,d} )²

    h_s (B, D_s), h_t (B, D_t): penultimate embeddings (every model has one; the paper used a middle
    conv layer). r: a linear regressor D_s → D_t trained with the student, so widths may differ.
    """

    label = "FitNets"

    def __init__(self, *, beta: float = 1.0):
        super().__init__()
        self.beta = check_range("β", beta, 0.0, 1e4)

    def build(self, student_shapes, teacher_shapes, in_shape):
        self.regressor = nn.Linear(student_shapes[-1][0], teacher_shapes[-1][0])

    def terms(self, student_features, teacher_features):
        return {"hint": self.beta * F.mse_loss(self.regressor(student_features[-1]), teacher_features[-1])}
