"""Classic knowledge distillation: the student matches the teacher's softened probabilities."""
import torch
import torch.nn.functional as F

from ..schema import Range
from .base import Distiller, labelled_cross_entropy

TEMPERATURE = Range(0, 100, 4.0, "temperature T: softens both distributions", low_open=True)


def softened_kl(student_logits: torch.Tensor, teacher_logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """KL(p_T^teacher ‖ p_T^student), averaged over the batch, for logits (B, C)."""
    log_p_student = F.log_softmax(student_logits / temperature, dim=1)
    log_p_teacher = F.log_softmax(teacher_logits / temperature, dim=1)
    return F.kl_div(log_p_student, log_p_teacher, log_target=True, reduction="batchmean")


class KD(Distiller):
    """Classic knowledge distillation with temperature T and weight α.

    The T² factor keeps the soft term's gradients the same size as T changes: the gradient of the
    softened KL with respect to the student logits scales as 1/T² (Hinton et al. 2015, §2.1).
    α weights the distillation term (α = 0: hard labels only; α = 1: soft labels only). The hard
    term uses only labelled images; the soft term uses every image of the transfer set.
    """

    name = "kd"
    paper = 'Hinton, Vinyals & Dean (2015), "Distilling the Knowledge in a Neural Network", arXiv:1503.02531'
    formula_tex = (r"\begin{gathered}\mathcal{L} = (1-\alpha)\,\mathrm{CE}(y, p_s) \\ +\ \alpha\,T^2\,"
                   r"\mathrm{KL}\big(\mathrm{softmax}(z_t/T)\,\|\,\mathrm{softmax}(z_s/T)\big)\end{gathered}")
    consumes = frozenset({"logits", "teacher"})
    hyper = {"temperature": TEMPERATURE,
             "alpha": Range(0, 1, 0.9, "α: weight of the distillation term (1 − α weights the labels)")}

    def forward(self, student, teacher, target, labelled, progress=0.0):
        T, alpha = self.temperature, self.alpha
        return {"hard": (1 - alpha) * labelled_cross_entropy(student["logits"], target, labelled),
                "kd": alpha * T * T * softened_kl(student["logits"], teacher["logits"], T)}
