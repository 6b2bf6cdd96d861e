"""Hidden tests for exercise 2: source = clean UCI digits; target = another "scanner" (dimmer, on a
grey background, slightly noisy) whose software numbers the classes the other way round (class
9 − d), with 2 labelled images per class. The unadapted source model scores about 0 % on these
labels, so a copied source head cannot pass; a network trained from scratch on the 20 labels, and
a linear head on the raw pixels, are measurably worse than a new head on the frozen source features."""
import copy
from functools import lru_cache

import harness
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

from solution import build_transfer_model, fine_tune

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


def built(source):
    model = harness.model(build_transfer_model(source, 10), "build_transfer_model")
    harness.check(hasattr(model, "features") and hasattr(model, "head"), "missing_features_or_head")
    return model


def test_features_are_frozen_and_head_is_new():
    source = source_model()
    model = built(source)
    trainable = [name for name, p in model.features.named_parameters() if p.requires_grad]
    harness.check(not trainable, "features_still_train", names=", ".join(trainable))
    harness.check(model.head is not source.head, "head_reused")
    head_params = list(model.head.parameters())
    harness.check(head_params and all(p.requires_grad for p in head_params), "head_not_trainable")
    harness.tensor(model(torch.zeros(3, 64)), "model(x)", shape=(3, 10))


def test_model_reuses_the_source_features():
    source = source_model()
    model = built(source)
    x = domains()[2]
    with torch.no_grad():
        ours, theirs = model.features(x), source.features(x)
        same = ours.shape == theirs.shape and torch.allclose(ours, theirs, atol=1e-6)
        through = torch.allclose(model(x), model.head(model.features(x)), atol=1e-6)
    harness.check(same, "features_not_source")
    harness.check(through, "forward_skips_features")


def test_fine_tune_trains_the_head_and_keeps_features_fixed():
    _, _, X, y, _, _ = domains()
    torch.manual_seed(1)
    model = built(source_model())
    features, head = copy.deepcopy(model.features.state_dict()), copy.deepcopy(model.head.state_dict())
    model = harness.model(fine_tune(model, X, y, epochs=50), "fine_tune")
    changed = [k for k, v in model.features.state_dict().items() if not torch.equal(v, features[k])]
    harness.check(not changed, "frozen_weights_changed", names=", ".join(changed))
    harness.check(any(not torch.equal(v, head[k]) for k, v in model.head.state_dict().items()), "head_not_trained")


def test_source_network_is_not_modified():
    _, _, X, y, _, _ = domains()
    source = source_model()
    before = copy.deepcopy(source.state_dict())
    torch.manual_seed(1)
    fine_tune(built(source), X, y, epochs=50)
    changed = [k for k, v in source.state_dict().items() if not torch.equal(v, before[k])]
    harness.check(not changed, "source_modified", names=", ".join(changed))


def test_transfer_beats_learning_without_it():
    torch.manual_seed(2)
    _, _, X, y, _, _ = domains()
    model = fine_tune(built(source_model()), X, y, epochs=100)
    acc = target_accuracy(harness.model(model, "fine_tune"))
    scratch, pixels = baselines()
    harness.check(acc >= max(scratch, pixels) + MARGIN and acc >= 0.75, "transfer_not_better", acc=acc,
                  labels=LABELS_PER_CLASS, scratch=scratch, pixels=pixels, margin=MARGIN, want=0.75)
