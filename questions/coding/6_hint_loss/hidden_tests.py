"""Hidden tests for exercise 6: a FitNets hint loss with a learned 1 × 1 projection. The producers
build the learner's HintLoss and hand over its parameter shapes, values, projections and
gradients; the checks run in a process without the learner's code."""
import harness
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
CS, CT = 3, 8  # student and teacher channels


def maps(student_size=4, teacher_size=4):
    """Random maps; the teacher's 8 channels are a fixed mix of 3 latent ones, so a 3-channel student can match them."""
    g = torch.Generator().manual_seed(4)
    latent = torch.randn(2, CS, teacher_size, teacher_size, generator=g)
    mix = torch.randn(CT, CS, generator=g)
    return torch.randn(2, CS, student_size, student_size, generator=g), torch.einsum("tc,bchw->bthw", mix, latent)


def module(solution):
    torch.manual_seed(0)
    hint = solution.HintLoss(CS, CT)
    harness.check(isinstance(hint, nn.Module), "hint_not_module")
    harness.check(isinstance(getattr(hint, "proj", None), nn.Module), "hint_no_projection")
    return hint


# ---- producers: run beside the learner's code -------------------------------------------------

def produce_parameter_shapes(solution):
    return sorted(list(p.shape) for p in module(solution).parameters())


def produce_value(solution):
    hint, (s, t) = module(solution), maps()
    first, again = hint(s, t), hint(s, t)
    with torch.no_grad():
        return {"first": first, "again": again, "projected": hint.proj(s)}


def produce_resized(solution):
    hint, (s, t) = module(solution), maps(student_size=8, teacher_size=4)
    loss = hint(s, t)
    with torch.no_grad():
        return {"loss": loss, "projected": hint.proj(s)}


def produce_gradients(solution):
    hint, (s, t) = module(solution), maps()
    s, t = s.requires_grad_(), t.requires_grad_()
    hint(s, t).backward()
    return {"student": s.grad, "teacher": t.grad, "projection": [p.grad for p in hint.proj.parameters()]}


def produce_training(solution):
    """200 Adam steps on the student's features and the hint's parameters: the losses before and after."""
    hint, (s, t) = module(solution), maps()
    student = s.clone().requires_grad_()
    optimizer = torch.optim.Adam([student, *hint.parameters()], lr=0.05)
    first = None
    for _ in range(200):
        optimizer.zero_grad()
        loss = hint(student, t)
        first = loss.detach() if first is None else first
        loss.backward()
        optimizer.step()
    return {"first": first, "last": hint(student, t).detach()}


# ---- checks: run in a process without the learner's code ------------------------------------

def test_projection_is_registered_and_maps_student_to_teacher(produced):
    shapes = produced["parameter_shapes"]
    harness.check(shapes, "hint_no_parameters")
    harness.check([CS, CT, 1, 1] not in shapes, "projection_reversed")
    harness.check(shapes == [[CT], [CT, CS, 1, 1]], "projection_shape", student=CS, teacher=CT,
                  got=", ".join(str(tuple(shape)) for shape in shapes))


def test_value_matches_the_formula_and_is_stable_across_calls(produced):
    got = produced["value"]
    _, t = maps()
    loss, again = harness.scalar(got["first"], "HintLoss.forward"), harness.scalar(got["again"], "HintLoss.forward")
    harness.check(loss == again, "hint_unstable", got=loss, again=again)
    projected = harness.tensor(got["projected"], "HintLoss.proj", shape=t.shape)
    want = F.mse_loss(projected, t)
    harness.check(abs(loss - float(((projected - t) ** 2).sum())) >= 1e-4, "hint_summed")
    harness.check(abs(loss - float((projected - t).abs().mean())) >= 1e-5, "hint_absolute_error")
    harness.check(abs(loss - float(want)) < 1e-5, "loss_value", function="HintLoss", got=loss, want=float(want))


def test_different_sizes_are_resized_bilinearly(produced):
    got = produced["resized"]
    _, t = maps(student_size=8, teacher_size=4)
    loss = harness.scalar(got["loss"], "HintLoss.forward")
    projected = harness.tensor(got["projected"], "HintLoss.proj", shape=(2, CT, 8, 8))
    want = float(F.mse_loss(F.interpolate(projected, size=(4, 4), mode="bilinear", align_corners=False), t))
    harness.check(abs(loss - want) < 1e-5, "hint_not_resized", got=loss, want=want)


def test_gradients_reach_the_student_and_the_projection_not_the_teacher(produced):
    got = produced["gradients"]
    harness.check(got["student"] is not None and got["student"].abs().sum() > 0, "no_gradient_to_student_features")
    harness.check(all(g is not None and g.abs().sum() > 0 for g in got["projection"]), "projection_no_gradient")
    harness.check(got["teacher"] is None or got["teacher"].abs().sum() == 0, "gradient_into_teacher_features")


def test_training_student_and_projection_drives_the_loss_down(produced):
    got = produced["training"]
    first, last = harness.scalar(got["first"], "HintLoss.forward"), harness.scalar(got["last"], "HintLoss.forward")
    harness.check(last < 0.1 * first, "hint_not_decreasing", first=first, last=last)
