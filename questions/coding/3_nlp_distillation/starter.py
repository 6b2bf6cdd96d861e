import torch
import torch.nn.functional as F


def token_kd_loss(student_logits, teacher_logits, T=2.0, mask=None):
    """T^2 * KL(softmax(teacher/T) || softmax(student/T)), summed over the vocabulary and averaged over
    positions where mask is True. logits: (B, L, V); mask: (B, L) bool or None (= every position)."""
    raise NotImplementedError


def distill_language_model(teacher, student, contexts, T=2.0, steps=300, lr=0.01):
    """Train `student` to match the frozen `teacher` on `contexts` (N, 3) long with token_kd_loss."""
    raise NotImplementedError
