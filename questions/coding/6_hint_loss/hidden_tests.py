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
    harness.check(isinstance(hint, nn.Module), "hint_not_module")
    harness.check(isinstance(getattr(hint, "proj", None), nn.Module), "hint_no_projection")
    return hint


def test_projection_is_registered_and_maps_student_to_teacher():
    hint = module()
    shapes = sorted(tuple(p.shape) for p in hint.parameters())
    harness.check(shapes, "hint_no_parameters")
    harness.check((CS, CT, 1, 1) not in shapes, "projection_reversed")
    harness.check(shapes == [(CT,), (CT, CS, 1, 1)], "projection_shape", student=CS, teacher=CT,
                  got=", ".join(map(str, shapes)))


def test_value_matches_the_formula_and_is_stable_across_calls():
    hint = module()
    s, t = maps()
    got = harness.scalar(hint(s, t), "HintLoss.forward")
    again = harness.scalar(hint(s, t), "HintLoss.forward")
    harness.check(got == again, "hint_unstable", got=got, again=again)
    with torch.no_grad():
        projected = hint.proj(s)
    want = F.mse_loss(projected, t)
    harness.check(abs(got - float(((projected - t) ** 2).sum())) >= 1e-4, "hint_summed")
    harness.check(abs(got - float((projected - t).abs().mean())) >= 1e-5, "hint_absolute_error")
    harness.check(abs(got - float(want)) < 1e-5, "loss_value", function="HintLoss", got=got, want=float(want))


def test_different_sizes_are_resized_bilinearly():
    hint = module()
    s, t = maps(student_size=8, teacher_size=4)
    got = harness.scalar(hint(s, t), "HintLoss.forward")
    with torch.no_grad():
        resized = F.interpolate(hint.proj(s), size=(4, 4), mode="bilinear", align_corners=False)
    harness.check(abs(got - float(F.mse_loss(resized, t))) < 1e-5, "hint_not_resized", got=got,
                  want=float(F.mse_loss(resized, t)))


def test_gradients_reach_the_student_and_the_projection_not_the_teacher():
    hint = module()
    s, t = maps()
    s, t = s.requires_grad_(), t.requires_grad_()
    hint(s, t).backward()
    harness.check(s.grad is not None and s.grad.abs().sum() > 0, "no_gradient_to_student_features")
    harness.check(all(p.grad is not None and p.grad.abs().sum() > 0 for p in hint.proj.parameters()),
                  "projection_no_gradient")
    harness.check(t.grad is None or t.grad.abs().sum() == 0, "gradient_into_teacher_features")


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
    harness.check(last < 0.1 * first, "hint_not_decreasing", first=first, last=last)
