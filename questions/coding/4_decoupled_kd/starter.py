import torch
import torch.nn.functional as F


def dkd_terms(student_logits, teacher_logits, labels, T=4.0):
    """(TCKD, NCKD) at temperature T, each averaged over the batch, without T².
    TCKD = KL(b_t || b_s) with b = [p_target, 1 - p_target]; NCKD = KL over the non-target classes only."""
    raise NotImplementedError


def dkd_loss(student_logits, teacher_logits, labels, alpha=1.0, beta=8.0, T=4.0):
    """T^2 * (alpha * TCKD + beta * NCKD). No gradient may reach the teacher."""
    raise NotImplementedError
