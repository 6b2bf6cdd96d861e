import torch
import torch.nn.functional as F


def train_teacher(model, X, y, epochs=200, lr=0.01):
    """Train `model` on (X, y) with cross-entropy (full batch, Adam). X: (N, 64) float, y: (N,) long."""
    raise NotImplementedError


def soft_targets(logits, T):
    """Probabilities softened by temperature T. logits: (B, C) -> (B, C), each row sums to 1."""
    raise NotImplementedError


def distillation_loss(student_logits, teacher_logits, labels, T=4.0, alpha=0.9):
    """alpha * T^2 * KL(softmax(teacher/T) || softmax(student/T)) + (1 - alpha) * CE(student, labels).
    KL summed over classes, averaged over the batch. No gradient may flow into the teacher."""
    raise NotImplementedError


def train_student(student, teacher_logits, X, y, T=4.0, alpha=0.9, epochs=300, lr=0.01):
    """Train `student` on (X, y) with distillation_loss against the fixed `teacher_logits` (N, C)."""
    raise NotImplementedError
