"""Neuron selectivity transfer: match the distribution of neuron activation patterns."""
import torch
import torch.nn.functional as F

from ..schema import Range
from .features import FeatureDistiller, match_spatial, spatial_index


def neuron_samples(features: torch.Tensor) -> torch.Tensor:
    """Each neuron's activation pattern as one L2-normalised sample: a map (B, C, H, W) gives B sets
    of C samples in R^{H·W}; an embedding (B, D) gives one set of D samples in R^B (over the batch)."""
    samples = features.flatten(2) if features.dim() == 4 else features.T.unsqueeze(0)
    return F.normalize(samples, dim=2)


def polynomial_mmd(student: torch.Tensor, teacher: torch.Tensor) -> torch.Tensor:
    """Squared MMD with the kernel k(a, b) = (aᵀb)², per set, averaged; sets (S, N, L), (S, M, L)."""
    def mean_kernel(a, b):
        return (a @ b.transpose(1, 2)).pow(2).mean()
    return mean_kernel(student, student) + mean_kernel(teacher, teacher) - 2 * mean_kernel(student, teacher)


class NeuronSelectivityTransfer(FeatureDistiller):
    """Match the distribution of neuron activation patterns (which neurons fire where).

    Samples are the neurons of a layer, so student and teacher may have different widths. Uses the
    spatial maps when both models have one (patterns over positions); otherwise the embeddings
    (patterns over the images of the batch) — so it also works for the MLP student.
    """

    name = "nst"
    paper = ('Huang & Wang (2017), "Like What You Like: Knowledge Distill via Neuron Selectivity Transfer", '
             "arXiv:1707.01219")
    formula_tex = (r"\begin{gathered}\mathcal{L} = \mathrm{CE}(y, p_s) \\ +\ \beta\big[\overline{k(s,s')}"
                   r" + \overline{k(t,t')} - 2\,\overline{k(s,t)}\big] \\ k(a,b) = (a^\top b)^2\end{gathered}")
    hyper = {"beta": Range(0, 1e6, 50.0, "β: weight of the MMD term")}

    def build(self, student_shapes, teacher_shapes, in_shape):
        pair = spatial_index(student_shapes), spatial_index(teacher_shapes)
        self.student_index, self.teacher_index = (-1, -1) if None in pair else pair

    def terms(self, student_features, teacher_features):
        teacher = teacher_features[self.teacher_index]
        student = student_features[self.student_index]
        if student.dim() == 4:
            student = match_spatial(student, teacher)
        return {"nst": self.beta * polynomial_mmd(neuron_samples(student), neuron_samples(teacher))}
