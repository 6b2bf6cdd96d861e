import torch
import torch.nn.functional as F


class GradReverse(torch.autograd.Function):
    """Identity forward; the gradient multiplied by -lambd backward."""

    @staticmethod
    def forward(ctx, x, lambd):
        ctx.lambd = lambd
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad_output):
        return -ctx.lambd * grad_output, None  # no gradient for lambd


def grad_reverse(x, lambd=1.0):
    return GradReverse.apply(x, lambd)


def dann_loss(features, domains, discriminator, lambd=1.0):
    """BCE-with-logits of discriminator(grad_reverse(features, lambd)) (one logit per row) against domains (0/1)."""
    logits = discriminator(grad_reverse(features, lambd)).squeeze(-1)
    return F.binary_cross_entropy_with_logits(logits, domains.float())
