"""Zhao, Cui, Song, Qiu & Liang (2022), "Decoupled Knowledge Distillation", CVPR."""
import torch
import torch.nn.functional as F

from .base import Distiller, check_range, labelled_cross_entropy


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

    L = CE(y, z_s) + α · T² · TCKD + β · T² · NCKD

    KD = TCKD + (1 − p_t,target) · NCKD, so a confident teacher silences the "dark knowledge" in
    NCKD; DKD gives NCKD its own weight β. The target class is the label where the student may see
    it, and the teacher's prediction on the other images of the transfer set.
    """

    consumes = frozenset({"logits", "teacher"})

    def __init__(self, *, temperature: float = 4.0, alpha: float = 1.0, beta: float = 8.0):
        super().__init__()
        self.temperature = check_range("Temperature T", temperature, 0.0, 100.0, low_open=True)
        self.alpha = check_range("α", alpha, 0.0, 100.0)
        self.beta = check_range("β", beta, 0.0, 100.0)

    def forward(self, student, teacher, target, labelled, progress=0.0):
        target = torch.where(labelled, target, teacher["logits"].argmax(1))
        tckd, nckd = decoupled_kl(student["logits"], teacher["logits"], target, self.temperature)
        scale = self.temperature**2
        return {"hard": labelled_cross_entropy(student["logits"], target, labelled),
                "tckd": self.alpha * scale * tckd, "nckd": self.beta * scale * nckd}
