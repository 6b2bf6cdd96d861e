import torch
import torch.nn.functional as F


def token_kd_loss(student_logits, teacher_logits, T=2.0, mask=None):
    """T^2 * KL(softmax(teacher/T) || softmax(student/T)), summed over the vocabulary and averaged over
    positions where mask is True. logits: (B, L, V); mask: (B, L) bool or None (= every position)."""
    teacher_probs = F.softmax(teacher_logits.detach() / T, dim=-1)
    log_student = F.log_softmax(student_logits / T, dim=-1)
    # KL per position (B, L); xlogy makes 0 * log 0 = 0 where the teacher gives a character no mass
    per_position = (torch.xlogy(teacher_probs, teacher_probs) - teacher_probs * log_student).sum(-1)
    if mask is None:
        mask = torch.ones(per_position.shape, dtype=torch.bool)
    return T * T * per_position[mask].mean()


def distill_language_model(teacher, student, contexts, T=2.0, steps=300, lr=0.01):
    """Train `student` to match the frozen `teacher` on `contexts` (N, 3) long with token_kd_loss."""
    teacher.eval()
    with torch.no_grad():
        teacher_logits = teacher(contexts)  # (N, V): computed once, the teacher never changes
    optimizer = torch.optim.Adam(student.parameters(), lr=lr)
    student.train()
    for _ in range(steps):
        optimizer.zero_grad()
        # a batch of N one-token "sequences": (N, 1, V)
        token_kd_loss(student(contexts).unsqueeze(1), teacher_logits.unsqueeze(1), T).backward()
        optimizer.step()
    return student.eval()
