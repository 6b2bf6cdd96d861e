"""Hidden tests for exercise 5: the gradient-reversal layer's forward and backward, who gets which
gradient in dann_loss, and a toy two-domain problem where it must remove the domain signal."""
import harness
import torch
import torch.nn as nn
import torch.nn.functional as F

from solution import GradReverse, dann_loss, grad_reverse

torch.set_num_threads(1)


def inputs():
    g = torch.Generator().manual_seed(2)
    return torch.randn(5, 4, generator=g), torch.randn(5, 4, generator=g)


def test_forward_is_the_identity():
    x, _ = inputs()
    out = harness.tensor(grad_reverse(x.clone().requires_grad_(), 0.7), "grad_reverse", shape=(5, 4))
    harness.check(not (torch.allclose(out, -x) or torch.allclose(out, -0.7 * x)), "reversal_in_forward")
    harness.check(torch.equal(out, x), "forward_not_identity")


def test_backward_multiplies_the_gradient_by_minus_lambda():
    x, upstream = inputs()
    for lambd in (1.0, 0.5, 2.0, 0.0):
        leaf = x.clone().requires_grad_()
        out = grad_reverse(leaf, lambd)
        harness.check(out.requires_grad, "input_detached")
        out.backward(upstream)
        harness.check(not (lambd and torch.allclose(leaf.grad, upstream)), "gradient_unchanged")
        harness.check(not (lambd != 1.0 and torch.allclose(leaf.grad, -upstream)), "lambda_ignored", lambd=lambd)
        harness.check(torch.allclose(leaf.grad, -lambd * upstream), "gradient_not_minus_lambda", lambd=lambd)


def test_grad_reverse_uses_the_autograd_function():
    x, upstream = inputs()
    leaf = x.clone().requires_grad_()
    GradReverse.apply(leaf, 1.5).backward(upstream)
    harness.check(torch.allclose(leaf.grad, -1.5 * upstream), "apply_not_reversing")


def test_discriminator_gets_its_ordinary_gradient_and_features_the_reversed_one():
    torch.manual_seed(0)
    discriminator = nn.Linear(4, 1)
    features, _ = inputs()
    domains = torch.tensor([0, 0, 1, 1, 1])
    ours = features.clone().requires_grad_()
    loss = harness.scalar(dann_loss(ours, domains, discriminator, lambd=0.3), "dann_loss")
    dann_loss(ours, domains, discriminator, lambd=0.3).backward()
    ours_disc = [p.grad.clone() for p in discriminator.parameters()]
    discriminator.zero_grad()
    plain = features.clone().requires_grad_()
    want = F.binary_cross_entropy_with_logits(discriminator(plain).squeeze(-1), domains.float())
    want.backward()
    want = float(want.detach())
    harness.check(abs(loss - want) < 1e-6, "loss_value", function="dann_loss", got=loss, want=want)
    for got, ref in zip(ours_disc, [p.grad for p in discriminator.parameters()]):
        harness.check(torch.allclose(got, ref, atol=1e-6), "discriminator_gradient_wrong")
    harness.check(torch.allclose(ours.grad, -0.3 * plain.grad, atol=1e-6), "features_not_reversed")


def test_training_with_reversal_removes_the_domain_signal():
    """Toy data: x0 carries the class, x1 the domain. A linear feature (2 → 1) trained for the task and
    against a discriminator must keep the class and end up ignoring x1."""
    g = torch.Generator().manual_seed(0)
    n = 400
    label = torch.randint(0, 2, (n,), generator=g)
    domain = torch.randint(0, 2, (n,), generator=g)
    x = torch.stack([label * 2.0 - 1, domain * 2.0 - 1], 1) + 0.3 * torch.randn(n, 2, generator=g)
    torch.manual_seed(0)
    feature, classifier, discriminator = nn.Linear(2, 1), nn.Linear(1, 1), nn.Sequential(nn.Linear(1, 8), nn.ReLU(), nn.Linear(8, 1))
    with torch.no_grad():
        feature.weight.copy_(torch.tensor([[0.5, 1.0]]))  # it starts out mostly a domain detector
    params = [*feature.parameters(), *classifier.parameters(), *discriminator.parameters()]
    optimizer = torch.optim.Adam(params, lr=0.02)
    for _ in range(400):
        optimizer.zero_grad()
        f = feature(x)
        task = F.binary_cross_entropy_with_logits(classifier(f).squeeze(-1), label.float())
        (task + dann_loss(f, domain, discriminator, lambd=1.0)).backward()
        optimizer.step()
    w_class, w_domain = feature.weight.detach()[0].abs().tolist()
    harness.check(w_domain < 0.25 * w_class, "domain_signal_kept", w_domain=w_domain, w_class=w_class)
    with torch.no_grad():
        task_accuracy = ((classifier(feature(x)).squeeze(-1) > 0).long() == label).float().mean().item()
    harness.check(task_accuracy >= 0.9, "task_lost", acc=task_accuracy, want=0.9)
