import torch
import torch.nn.functional as F


def train_teacher(model, X, y, epochs=200, lr=0.01):
    """Train `model` on (X, y) with cross-entropy (full batch, Adam). X: (N, 64) float, y: (N,) long."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(epochs):
        optimizer.zero_grad()
        F.cross_entropy(model(X), y).backward()
        optimizer.step()
    return model.eval()


def soft_targets(logits, T):
    """Probabilities softened by temperature T. logits: (B, C) -> (B, C), each row sums to 1."""
    return F.softmax(logits / T, dim=-1)


def distillation_loss(student_logits, teacher_logits, labels, T=4.0, alpha=0.9):
    """alpha * T^2 * KL(softmax(teacher/T) || softmax(student/T)) + (1 - alpha) * CE(student, labels).
    KL summed over classes, averaged over the batch. No gradient may flow into the teacher."""
    teacher_probs = soft_targets(teacher_logits.detach(), T)
    # T^2 keeps the soft term's gradients on the same scale as the hard term's when T changes
    soft = F.kl_div(F.log_softmax(student_logits / T, dim=-1), teacher_probs, reduction="batchmean") * T * T
    hard = F.cross_entropy(student_logits, labels)
    return alpha * soft + (1 - alpha) * hard


def train_student(student, teacher_logits, X, y, T=4.0, alpha=0.9, epochs=300, lr=0.01):
    """Train `student` on (X, y) with distillation_loss against the fixed `teacher_logits` (N, C)."""
    optimizer = torch.optim.Adam(student.parameters(), lr=lr)
    student.train()
    for _ in range(epochs):
        optimizer.zero_grad()
        distillation_loss(student(X), teacher_logits, y, T, alpha).backward()
        optimizer.step()
    return student.eval()
