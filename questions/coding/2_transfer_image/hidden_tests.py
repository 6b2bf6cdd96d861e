"""Hidden tests for exercise 2: source = clean UCI digits; target = another "scanner" (dimmer, on a
grey background, slightly noisy) whose software numbers the classes the other way round (class
9 − d), with 2 labelled images per class. The unadapted source model scores about 0 % on these
labels, so a copied source head cannot pass; a network trained from scratch on the 20 labels, and
a linear head on the raw pixels, are measurably worse than a new head on the frozen source features.

The producers build and fine-tune with the learner's functions and hand over weights, flags and
logits; the checks compare them with the source network and the baselines, computed in a process
without the learner's code. A producer may stop early with a failure (no model, no head), never
with a pass."""
from functools import lru_cache

import harness
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
LABELS_PER_CLASS = 2
MARGIN = 0.05  # transfer must beat scratch and raw pixels by at least 5 points


class SourceNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU())
        self.head = nn.Linear(32, 10)

    def forward(self, x):
        return self.head(self.features(x))


def to_target_domain(X, generator):
    """Images (N, 64) → the target scanner: dimmer, grey background, a little noise."""
    return (0.5 * X + 0.15 + 0.05 * torch.randn(X.shape, generator=generator)).clamp(0, 1)


@lru_cache(maxsize=1)
def domains():
    X, y = load_digits(return_X_y=True)
    X, y = torch.tensor(X / 16.0, dtype=torch.float32), torch.tensor(y)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(0))
    source, target = order[:900], order[900:]  # different images in each domain
    target_X, target_y = to_target_domain(X[target], torch.Generator().manual_seed(1)), 9 - y[target]
    labelled = torch.cat([torch.nonzero(target_y == c)[:LABELS_PER_CLASS, 0] for c in range(10)])
    test = torch.ones(len(target_y), dtype=torch.bool)
    test[labelled] = False
    return X[source], y[source], target_X[labelled], target_y[labelled], target_X[test], target_y[test]


@lru_cache(maxsize=1)
def source_model_state():
    torch.manual_seed(0)
    Xs, ys = domains()[:2]
    model = SourceNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(150):
        optimizer.zero_grad()
        F.cross_entropy(model(Xs), ys).backward()
        optimizer.step()
    return model.state_dict()


def source_model():
    model = SourceNet()
    model.load_state_dict(source_model_state())
    return model.eval()


def target_accuracy(model):
    *_, Xt, yt = domains()
    with torch.no_grad():
        return (model(Xt).argmax(1) == yt).float().mean().item()


def train_oracle(model, params):
    _, _, X, y, _, _ = domains()
    optimizer = torch.optim.Adam(params, lr=0.01)
    for _ in range(100):
        optimizer.zero_grad()
        F.cross_entropy(model(X), y).backward()
        optimizer.step()
    return model


@lru_cache(maxsize=1)
def baselines():
    """What no transfer reaches on the same 20 labels: a network from scratch and a linear head on pixels."""
    torch.manual_seed(2)
    scratch = SourceNet()
    train_oracle(scratch, scratch.parameters())
    torch.manual_seed(2)
    pixels = nn.Linear(64, 10)
    train_oracle(pixels, pixels.parameters())
    return target_accuracy(scratch), target_accuracy(pixels)


def built(solution, source):
    model = harness.model(solution.build_transfer_model(source, 10), "build_transfer_model")
    harness.check(hasattr(model, "features") and hasattr(model, "head"), "missing_features_or_head")
    return model


def prepare():
    """Run by the checks' process while the learner's code runs: the source network and the baselines."""
    source_model_state()
    baselines()


# ---- producers: run beside the learner's code -------------------------------------------------

def produce_built(solution):
    source = source_model()
    model = built(solution, source)
    x = domains()[2]
    with torch.no_grad():
        return {"trainable_features": [name for name, p in model.features.named_parameters() if p.requires_grad],
                "head": harness.state(model.head), "head_trainable": [p.requires_grad for p in model.head.parameters()],
                "zeros": model(torch.zeros(3, 64)), "features": model.features(x), "logits": model(x),
                "head_of_features": model.head(model.features(x))}


def produce_fine_tuned(solution):
    _, _, X, y, _, _ = domains()
    torch.manual_seed(1)
    model = built(solution, source_model())
    features, head = harness.state(model.features), harness.state(model.head)
    model = harness.model(solution.fine_tune(model, X, y, epochs=50), "fine_tune")
    return {"features_before": features, "features_after": harness.state(model.features),
            "head_before": head, "head_after": harness.state(model.head)}


def produce_source_after_fine_tuning(solution):
    _, _, X, y, _, _ = domains()
    source = source_model()
    torch.manual_seed(1)
    solution.fine_tune(built(solution, source), X, y, epochs=50)
    return harness.state(source)


def produce_transfer(solution):
    torch.manual_seed(2)
    _, _, X, y, Xt, _ = domains()
    model = harness.model(solution.fine_tune(built(solution, source_model()), X, y, epochs=100), "fine_tune")
    with torch.no_grad():
        return model(Xt)


# ---- checks: run in a process without the learner's code ------------------------------------

def changed(after: dict, before: dict) -> list[str]:
    return [k for k in sorted(set(after) | set(before))
            if k not in after or k not in before or after[k].shape != before[k].shape or not torch.equal(after[k], before[k])]


def test_features_are_frozen_and_head_is_new(produced):
    got = produced["built"]
    harness.check(not got["trainable_features"], "features_still_train", names=", ".join(got["trainable_features"]))
    harness.check(changed(got["head"], dict(source_model().head.state_dict())), "head_reused")  # a copy is not new
    harness.check(got["head_trainable"] and all(got["head_trainable"]), "head_not_trainable")
    harness.tensor(got["zeros"], "model(x)", shape=(3, 10))


def test_model_reuses_the_source_features(produced):
    got = produced["built"]
    with torch.no_grad():
        theirs = source_model().features(domains()[2])
    ours = got["features"]
    same = isinstance(ours, torch.Tensor) and ours.shape == theirs.shape and torch.allclose(ours, theirs, atol=1e-6)
    harness.check(same, "features_not_source")
    logits, through = got["logits"], got["head_of_features"]
    harness.check(isinstance(logits, torch.Tensor) and isinstance(through, torch.Tensor) and logits.shape == through.shape
                  and torch.allclose(logits, through, atol=1e-6), "forward_skips_features")


def test_fine_tune_trains_the_head_and_keeps_features_fixed(produced):
    got = produced["fine_tuned"]
    moved = changed(got["features_after"], got["features_before"])
    harness.check(not moved, "frozen_weights_changed", names=", ".join(moved))
    harness.check(changed(got["head_after"], got["head_before"]), "head_not_trained")


def test_source_network_is_not_modified(produced):
    moved = changed(produced["source_after_fine_tuning"], dict(source_model().state_dict()))
    harness.check(not moved, "source_modified", names=", ".join(moved))


def test_transfer_beats_learning_without_it(produced):
    *_, yt = domains()
    logits = harness.tensor(produced["transfer"], "model(x)", shape=(len(yt), 10))
    acc = (logits.argmax(1) == yt).float().mean().item()
    scratch, pixels = baselines()
    harness.check(acc >= max(scratch, pixels) + MARGIN and acc >= 0.75, "transfer_not_better", acc=acc,
                  labels=LABELS_PER_CLASS, scratch=scratch, pixels=pixels, margin=MARGIN, want=0.75)
