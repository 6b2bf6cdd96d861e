"""Decoupled KD: the KD loss split into a target-class and a non-target-class part."""
import torch
import torch.nn.functional as F

from ..schema import Range
from .base import Distiller, labelled_cross_entropy
from .kd import TEMPERATURE


def decoupled_kl(student_logits, teacher_logits, target, temperature) -> tuple[torch.Tensor, torch.Tensor]:
    """(TCKD, NCKD) for logits (B, C) and target classes (B,), each batch-averaged and without T².

    TCKD = KL(b_t ‖ b_s) with b = [p_target, 1 − p_target] (binary: target vs the rest);
    NCKD = KL(p̂_t ‖ p̂_s) with p̂ the softmax over the non-target classes only.
    """
    target_mask = F.one_hot(target, student_logits.shape[1]).bool()  # (B, C)

    def binary(logits):
        p = F.softmax(logits / temperature, dim=1)
        p_target = p[target_mask]  # (B,)
        return torch.stack([p_target, 1 - p_target], dim=1).clamp_min(1e-8)  # (B, 2)

    def non_target_log_softmax(logits):
        return F.log_softmax(logits / temperature - 1000.0 * target_mask, dim=1)

    b_s, b_t = binary(student_logits), binary(teacher_logits)
    tckd = (b_t * (b_t.log() - b_s.log())).sum(1).mean()
    log_s, log_t = non_target_log_softmax(student_logits), non_target_log_softmax(teacher_logits)
    nckd = (log_t.exp() * (log_t - log_s)).masked_fill(target_mask, 0.0).sum(1).mean()
    return tckd, nckd


class DKD(Distiller):
    """Classic KD split in two parts that can be weighted separately.

    KD = TCKD + (1 − p_t,target) · NCKD, so a confident teacher silences the "dark knowledge" in
    NCKD; DKD gives NCKD its own weight β. The target class is the label where the student may see
    it, and the teacher's prediction on the other images of the transfer set. With warmup > 0 both
    KD terms ramp up linearly over that share of training (mdistiller: min(epoch / warmup, 1)).
    """

    name = "dkd"
    paper = 'Zhao, Cui, Song, Qiu & Liang (2022), "Decoupled Knowledge Distillation", CVPR'
    formula_tex = (r"\begin{gathered}\mathcal{L} = \mathrm{CE}(y, p_s) \\ +\ \alpha\,T^2\,\mathrm{KL}(b_t\|b_s)"
                   r" + \beta\,T^2\,\mathrm{KL}(\hat p_t\|\hat p_s)\end{gathered}")
    consumes = frozenset({"logits", "teacher"})
    hyper = {"temperature": TEMPERATURE,
             "alpha": Range(0, 100, 1.0, "α: weight of the target-class term TCKD"),
             "beta": Range(0, 100, 8.0, "β: weight of the non-target term NCKD"),
             "warmup": Range(0, 1, 0.0, "share of training over which the KD terms ramp up linearly (0 = off)")}

    def ramp(self, progress: float) -> float:
        """The KD terms' factor at `progress`: min(progress / warmup, 1), always 1 when warmup is 0."""
        return min(progress / self.warmup, 1.0) if self.warmup else 1.0

    def forward(self, student, teacher, target, labelled, progress=0.0):
        target = torch.where(labelled, target, teacher["logits"].argmax(1))
        tckd, nckd = decoupled_kl(student["logits"], teacher["logits"], target, self.temperature)
        scale = self.temperature**2 * self.ramp(progress)
        return {"hard": labelled_cross_entropy(student["logits"], target, labelled),
                "tckd": self.alpha * scale * tckd, "nckd": self.beta * scale * nckd}
