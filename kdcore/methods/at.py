"""Attention transfer: the student copies where the teacher looks."""
import torch
import torch.nn.functional as F

from ..schema import Range
from .features import FeatureDistiller, match_spatial


def attention_map(feature_map: torch.Tensor, p: float = 2.0) -> torch.Tensor:
    """Spatial attention (B, H·W): mean over channels of |A|^p, flattened and L2-normalised."""
    return F.normalize(feature_map.abs().pow(p).mean(1).flatten(1), dim=1)


class AttentionTransfer(FeatureDistiller):
    """Where the teacher looks, the student should look.

    A: the first spatial feature map (B, C, H, W) of each model. Channel counts may differ (Q sums
    them away); a student map of another size is average-pooled to the teacher's H × W. Students
    without a spatial map (the MLP) are refused with the list of compatible models.
    """

    name = "at"
    paper = ('Zagoruyko & Komodakis (2017), "Paying More Attention to Attention: Improving the Performance of '
             'Convolutional Neural Networks via Attention Transfer", ICLR')
    formula_tex = (r"\begin{gathered}\mathcal{L} = \mathrm{CE}(y, p_s) + \beta\,\mathrm{mean}\Big(\tfrac{Q_s}"
                   r"{\|Q_s\|_2} - \tfrac{Q_t}{\|Q_t\|_2}\Big)^2 \\ Q = \tfrac{1}{C}\sum_c |A_c|^p\end{gathered}")
    hyper = {"beta": Range(0, 1e6, 1000.0, "β: weight of the attention term"),
             "p": Range(0, 8, 2.0, "p: power applied to activations", low_open=True)}

    def build(self, student_shapes, teacher_shapes, in_shape):
        self.student_index, self.teacher_index = self.require_spatial(student_shapes, teacher_shapes, in_shape)

    def terms(self, student_features, teacher_features):
        teacher_map = teacher_features[self.teacher_index]
        student_map = match_spatial(student_features[self.student_index], teacher_map)
        difference = attention_map(student_map, self.p) - attention_map(teacher_map, self.p)
        return {"attention": self.beta * difference.pow(2).mean()}
