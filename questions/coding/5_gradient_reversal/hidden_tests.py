"""Hidden tests for exercise 5: the gradient-reversal layer's forward and backward, who gets which
gradient in dann_loss, and a toy two-domain problem where it must remove the domain signal. The
producers hand over the learner's outputs, gradients and trained weights; the checks run in a
process without the learner's code."""
import harness
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
LAMBDAS = (1.0, 0.5, 2.0, 0.0)


def inputs():
    g = torch.Generator().manual_seed(2)
    return torch.randn(5, 4, generator=g), torch.randn(5, 4, generator=g)


def discriminator():
    torch.manual_seed(0)
    return nn.Linear(4, 1)


def toy_domains():
    """Toy data: x0 carries the class, x1 the domain."""
    g = torch.Generator().manual_seed(0)
    n = 400
    label = torch.randint(0, 2, (n,), generator=g)
    domain = torch.randint(0, 2, (n,), generator=g)
    x = torch.stack([label * 2.0 - 1, domain * 2.0 - 1], 1) + 0.3 * torch.randn(n, 2, generator=g)
    return x, label, domain


def gradient(loss, leaf):
    """Backward through `loss` where it can carry a gradient; the leaf's gradient (None if none arrived)."""
    if isinstance(loss, torch.Tensor) and loss.requires_grad:
        loss.backward()
    return leaf.grad


# ---- producers: run beside the learner's code -------------------------------------------------

def produce_forward(solution):
    x, _ = inputs()
    return solution.grad_reverse(x.clone().requires_grad_(), 0.7)


def produce_backward(solution):
    x, upstream = inputs()
    runs = []
    for lambd in LAMBDAS:
        leaf = x.clone().requires_grad_()
        out = solution.grad_reverse(leaf, lambd)
        attached = isinstance(out, torch.Tensor) and out.requires_grad
        if attached:
            out.backward(upstream)
        runs.append({"attached": attached, "gradient": leaf.grad})
    return runs


def produce_apply(solution):
    x, upstream = inputs()
    leaf = x.clone().requires_grad_()
    solution.GradReverse.apply(leaf, 1.5).backward(upstream)
    return leaf.grad


def produce_dann_loss(solution):
    head, (features, _) = discriminator(), inputs()
    ours = features.clone().requires_grad_()
    loss = solution.dann_loss(ours, torch.tensor([0, 0, 1, 1, 1]), head, lambd=0.3)
    return {"loss": loss, "features": gradient(loss, ours), "discriminator": [p.grad for p in head.parameters()]}


def produce_adversarial_training(solution):
    """A linear feature (2 → 1) trained for the task and, through dann_loss, against a discriminator."""
    x, label, domain = toy_domains()
    torch.manual_seed(0)
    feature, classifier, critic = nn.Linear(2, 1), nn.Linear(1, 1), nn.Sequential(nn.Linear(1, 8), nn.ReLU(), nn.Linear(8, 1))
    with torch.no_grad():
        feature.weight.copy_(torch.tensor([[0.5, 1.0]]))  # it starts out mostly a domain detector
    params = [*feature.parameters(), *classifier.parameters(), *critic.parameters()]
    optimizer = torch.optim.Adam(params, lr=0.02)
    for _ in range(400):
        optimizer.zero_grad()
        f = feature(x)
        task = F.binary_cross_entropy_with_logits(classifier(f).squeeze(-1), label.float())
        (task + solution.dann_loss(f, domain, critic, lambd=1.0)).backward()
        optimizer.step()
    with torch.no_grad():
        return {"feature": feature.weight.clone(), "task_logits": classifier(feature(x)).squeeze(-1)}


# ---- checks: run in a process without the learner's code ------------------------------------

def test_forward_is_the_identity(produced):
    x, _ = inputs()
    out = harness.tensor(produced["forward"], "grad_reverse", shape=(5, 4))
    harness.check(not (torch.allclose(out, -x) or torch.allclose(out, -0.7 * x)), "reversal_in_forward")
    harness.check(torch.equal(out, x), "forward_not_identity")


def test_backward_multiplies_the_gradient_by_minus_lambda(produced):
    _, upstream = inputs()
    for lambd, run in zip(LAMBDAS, produced["backward"]):
        harness.check(run["attached"], "input_detached")
        grad = harness.tensor(run["gradient"], "grad_reverse", shape=(5, 4))
        harness.check(not (lambd and torch.allclose(grad, upstream)), "gradient_unchanged")
        harness.check(not (lambd != 1.0 and torch.allclose(grad, -upstream)), "lambda_ignored", lambd=lambd)
        harness.check(torch.allclose(grad, -lambd * upstream), "gradient_not_minus_lambda", lambd=lambd)


def test_grad_reverse_uses_the_autograd_function(produced):
    _, upstream = inputs()
    grad = produced["apply"]
    harness.check(isinstance(grad, torch.Tensor) and torch.allclose(grad, -1.5 * upstream), "apply_not_reversing")


def test_discriminator_gets_its_ordinary_gradient_and_features_the_reversed_one(produced):
    got = produced["dann_loss"]
    loss = harness.scalar(got["loss"], "dann_loss")
    head, (features, _) = discriminator(), inputs()
    plain = features.clone().requires_grad_()
    want = F.binary_cross_entropy_with_logits(head(plain).squeeze(-1), torch.tensor([0.0, 0, 1, 1, 1]))
    want.backward()
    want = float(want.detach())
    harness.check(abs(loss - want) < 1e-6, "loss_value", function="dann_loss", got=loss, want=want)
    for ours, ref in zip(got["discriminator"], [p.grad for p in head.parameters()]):
        harness.check(isinstance(ours, torch.Tensor) and torch.allclose(ours, ref, atol=1e-6), "discriminator_gradient_wrong")
    ours = got["features"]
    harness.check(isinstance(ours, torch.Tensor) and torch.allclose(ours, -0.3 * plain.grad, atol=1e-6),
                  "features_not_reversed")


def test_training_with_reversal_removes_the_domain_signal(produced):
    """The feature must keep the class (x0) and end up ignoring the domain (x1)."""
    got = produced["adversarial_training"]
    w_class, w_domain = got["feature"][0].abs().tolist()
    harness.check(w_domain < 0.25 * w_class, "domain_signal_kept", w_domain=w_domain, w_class=w_class)
    _, label, _ = toy_domains()
    task_accuracy = ((got["task_logits"] > 0).long() == label).float().mean().item()
    harness.check(task_accuracy >= 0.9, "task_lost", acc=task_accuracy, want=0.9)
