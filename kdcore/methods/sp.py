"""Similarity-preserving KD: images the teacher finds alike should look alike to the student."""
import torch
import torch.nn.functional as F

from ..schema import Range
from .features import FeatureDistiller


def similarity(features: torch.Tensor) -> torch.Tensor:
    """(B, B) batch similarity G = F Fᵀ of the flattened features, each row L2-normalised."""
    flat = features.flatten(1)
    return F.normalize(flat @ flat.T, dim=1)


class SimilarityPreserving(FeatureDistiller):
    """Images the teacher finds alike should look alike to the student.

    F: penultimate embeddings (B, D). G is B × B whatever D is, so no projection is needed.
    """

    name = "sp"
    paper = 'Tung & Mori (2019), "Similarity-Preserving Knowledge Distillation", ICCV'
    formula_tex = (r"\begin{gathered}\mathcal{L} = \mathrm{CE}(y, p_s) + \tfrac{\beta}{B^2}\,\|G_s - G_t\|_F^2"
                   r" \\ G = \mathrm{rownorm}(F F^\top)\end{gathered}")
    hyper = {"beta": Range(0, 1e6, 3000.0, "β: weight of the similarity term")}

    def terms(self, student_features, teacher_features):
        batch = student_features[-1].shape[0]
        gap = similarity(student_features[-1]) - similarity(teacher_features[-1])
        return {"similarity": self.beta * gap.pow(2).sum() / batch**2}
