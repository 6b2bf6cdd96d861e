"""Objectives of language-model distillation, written out.

With student logits z_s and teacher logits z_t over V characters, softened by temperature T:
    p_t = softmax(z_t / T),  p_s = softmax(z_s / T)
    forward KL  KL(p_t ‖ p_s) = Σ_v p_t(v) [log p_t(v) − log p_s(v)]   (mean-seeking: cover all the
                                teacher's options; Hinton et al. 2015, DistilBERT)
    reverse KL  KL(p_s ‖ p_t) = Σ_v p_s(v) [log p_s(v) − log p_t(v)]   (mode-seeking: put mass where
                                the teacher is confident; MiniLLM, Gu et al. 2024)
Both are multiplied by T² so their gradients keep the same scale as T changes (Hinton et al.), and
averaged over every position of every window. Loss = (1 − α)·CE(labels) + α·T²·KL.
"""
import math

import torch.nn.functional as F


def forward_kl(student_logits, teacher_log_probs, temperature: float = 1.0):
    """KL(p_t ‖ p_s)·T². student_logits (..., V); teacher_log_probs (..., V) are log-softmax of the
    teacher's logits at T = 1 (what the soft-target table stores), re-softened here."""
    teacher = F.log_softmax(teacher_log_probs / temperature, dim=-1)
    student = F.log_softmax(student_logits / temperature, dim=-1)
    kl = (teacher.exp() * (teacher - student)).sum(-1)
    return kl.mean() * temperature**2


def reverse_kl(student_logits, teacher_log_probs, temperature: float = 1.0):
    """KL(p_s ‖ p_t)·T², same shapes as forward_kl."""
    teacher = F.log_softmax(teacher_log_probs / temperature, dim=-1)
    student = F.log_softmax(student_logits / temperature, dim=-1)
    kl = (student.exp() * (student - teacher)).sum(-1)
    return kl.mean() * temperature**2


def cross_entropy(logits, targets):
    """Mean next-character cross-entropy in nats. logits (B, L, V), targets (B, L)."""
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def bits_per_character(nats: float) -> float:
    return nats / math.log(2)
