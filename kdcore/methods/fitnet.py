"""FitNets: hint learning through a learned regressor from student to teacher features."""
import torch.nn.functional as F
from torch import nn

from ..schema import Range
from .features import FeatureDistiller


class FitNet(FeatureDistiller):
    """Hint learning: a learned regressor maps the student's features onto the teacher's.

    h_s (B, D_s), h_t (B, D_t): penultimate embeddings (every model has one; the paper used a middle
    conv layer). r: a linear regressor D_s → D_t trained with the student, so widths may differ.
    """

    name = "fitnet"
    paper = ('Romero, Ballas, Kahou, Chassang, Gatta & Bengio (2015), "FitNets: Hints for Thin Deep Nets", '
             "ICLR")
    formula_tex = (r"\begin{gathered}\mathcal{L} = \mathrm{CE}(y, p_s) \\ +\ \beta\,\tfrac{1}{BD_t}"
                   r"\sum_{b,d}\big(r(h_s)_{b,d} - h_{t,b,d}\big)^2\end{gathered}")
    hyper = {"beta": Range(0, 1e4, 1.0, "β: weight of the hint term")}

    def build(self, student_shapes, teacher_shapes, in_shape):
        self.regressor = nn.Linear(student_shapes[-1][0], teacher_shapes[-1][0])

    def terms(self, student_features, teacher_features):
        return {"hint": self.beta * F.mse_loss(self.regressor(student_features[-1]), teacher_features[-1])}
