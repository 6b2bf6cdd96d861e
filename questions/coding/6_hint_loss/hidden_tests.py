"""Hidden tests for exercise 6: a FitNets hint loss with a learned 1 × 1 projection."""
import harness
import torch
import torch.nn as nn
import torch.nn.functional as F

from solution import HintLoss

torch.set_num_threads(1)
CS, CT = 3, 8  # student and teacher channels


def maps(student_size=4, teacher_size=4):
    """Random maps; the teacher's 8 channels are a fixed mix of 3 latent ones, so a 3-channel student can match them."""
    g = torch.Generator().manual_seed(4)
    latent = torch.randn(2, CS, teacher_size, teacher_size, generator=g)
    mix = torch.randn(CT, CS, generator=g)
    return torch.randn(2, CS, student_size, student_size, generator=g), torch.einsum("tc,bchw->bthw", mix, latent)


def module():
    torch.manual_seed(0)
    hint = HintLoss(CS, CT)
    assert isinstance(hint, nn.Module), "HintLoss must be an nn.Module (subclass it and call super().__init__())"
    assert isinstance(getattr(hint, "proj", None), nn.Module), "HintLoss needs its projection as the attribute `self.proj`"
    return hint


def test_projection_is_registered_and_maps_student_to_teacher():
    hint = module()
    shapes = sorted(tuple(p.shape) for p in hint.parameters())
    assert shapes, ("HintLoss has no parameters: create the projection once in __init__ as self.proj, so the "
                    "optimiser can train it (a layer built inside forward is new and random on every call)")
    if (CS, CT, 1, 1) in shapes:
        raise AssertionError("the projection maps the teacher's channels to the student's: FitNets project the "
                             "student's features into the teacher's space (Conv2d(student_channels, teacher_channels, 1))")
    assert shapes == [(CT,), (CT, CS, 1, 1)], f"expected a 1 × 1 convolution {CS} → {CT} channels, parameters {shapes}"


def test_value_matches_the_formula_and_is_stable_across_calls():
    hint = module()
    s, t = maps()
    got = harness.scalar(hint(s, t), "HintLoss.forward")
    again = harness.scalar(hint(s, t), "HintLoss.forward")
    assert got == again, "two calls on the same inputs gave different losses: is the projection re-created in forward?"
    with torch.no_grad():
        projected = hint.proj(s)
    want = F.mse_loss(projected, t)
    if abs(got - float(((projected - t) ** 2).sum())) < 1e-4:
        raise AssertionError("average the squared error over every element (F.mse_loss), do not sum it")
    if abs(got - float((projected - t).abs().mean())) < 1e-5:
        raise AssertionError("FitNets use the squared error (MSE), not the absolute error")
    assert abs(got - float(want)) < 1e-5, f"hint loss {got:.5f}, expected MSE(proj(student), teacher) = {float(want):.5f}"


def test_different_sizes_are_resized_bilinearly():
    hint = module()
    s, t = maps(student_size=8, teacher_size=4)
    got = harness.scalar(hint(s, t), "HintLoss.forward with an 8 × 8 student map and a 4 × 4 teacher map")
    with torch.no_grad():
        resized = F.interpolate(hint.proj(s), size=(4, 4), mode="bilinear", align_corners=False)
    assert abs(got - float(F.mse_loss(resized, t))) < 1e-5, \
        "resize the projected student map to the teacher's height and width (bilinear, align_corners=False)"


def test_gradients_reach_the_student_and_the_projection_not_the_teacher():
    hint = module()
    s, t = maps()
    s, t = s.requires_grad_(), t.requires_grad_()
    hint(s, t).backward()
    assert s.grad is not None and s.grad.abs().sum() > 0, "no gradient reached the student's features"
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in hint.proj.parameters()), \
        "the projection's weights received no gradient: it must be trained with the student"
    assert t.grad is None or t.grad.abs().sum() == 0, "gradient flowed into the teacher's features: detach them"


def test_training_student_and_projection_drives_the_loss_down():
    hint = module()
    s, t = maps()
    student = s.clone().requires_grad_()
    optimizer = torch.optim.Adam([student, *hint.parameters()], lr=0.05)
    first = None
    for _ in range(200):
        optimizer.zero_grad()
        loss = hint(student, t)
        first = float(loss.detach()) if first is None else first
        loss.backward()
        optimizer.step()
    last = float(hint(student, t).detach())
    assert last < 0.1 * first, (f"200 Adam steps on the student's features and the projection took the hint loss only "
                                f"from {first:.3f} to {last:.3f} (want below a tenth)")
