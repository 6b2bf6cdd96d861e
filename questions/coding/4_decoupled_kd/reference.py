import torch
import torch.nn.functional as F


def dkd_terms(student_logits, teacher_logits, labels, T=4.0):
    """(TCKD, NCKD) at temperature T, each averaged over the batch, without T².
    TCKD = KL(b_t || b_s) with b = [p_target, 1 - p_target]; NCKD = KL over the non-target classes only."""
    s, t = student_logits / T, teacher_logits.detach() / T
    target = F.one_hot(labels, s.shape[-1]).bool()
    # binary distributions in log space: log p_target and log(1 - p_target) = logsumexp over the others
    def binary_log(z):
        others = z.masked_fill(target, float("-inf"))
        return torch.stack([z[target], others.logsumexp(-1)], -1) - z.logsumexp(-1, keepdim=True)
    bs, bt = binary_log(s), binary_log(t)
    tckd = (bt.exp() * (bt - bs)).sum(-1).mean()
    # non-target distributions: the target logit removed by a large negative number, not by zeroing a probability
    ls = F.log_softmax(s.masked_fill(target, -1e9), -1)
    lt = F.log_softmax(t.masked_fill(target, -1e9), -1)
    nckd = (lt.exp() * (lt - ls)).masked_fill(target, 0.0).sum(-1).mean()
    return tckd, nckd


def dkd_loss(student_logits, teacher_logits, labels, alpha=1.0, beta=8.0, T=4.0):
    """T^2 * (alpha * TCKD + beta * NCKD). No gradient may reach the teacher."""
    tckd, nckd = dkd_terms(student_logits, teacher_logits, labels, T)
    return T * T * (alpha * tckd + beta * nckd)
