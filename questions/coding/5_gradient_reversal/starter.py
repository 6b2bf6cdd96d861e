import torch
import torch.nn.functional as F


class GradReverse(torch.autograd.Function):
    """Identity forward; the gradient multiplied by -lambd backward."""

    @staticmethod
    def forward(ctx, x, lambd):
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad_output):
        raise NotImplementedError


def grad_reverse(x, lambd=1.0):
    raise NotImplementedError


def dann_loss(features, domains, discriminator, lambd=1.0):
    """BCE-with-logits of discriminator(grad_reverse(features, lambd)) (one logit per row) against domains (0/1)."""
    raise NotImplementedError
