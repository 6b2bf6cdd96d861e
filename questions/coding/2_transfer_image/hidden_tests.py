"""Hidden tests for exercise 2: source = clean UCI digits, target = dim, noisy digits on grey
(another "scanner") with only a few labels per class."""
import copy
from functools import lru_cache

import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

from solution import build_transfer_model, fine_tune

torch.set_num_threads(1)
LABELS_PER_CLASS = 10


class SourceNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU())
        self.head = nn.Linear(32, 10)

    def forward(self, x):
        return self.head(self.features(x))


def to_target_domain(X, generator):
    """Images (N, 64) → the target domain: a dimmer, noisier scanner with a grey background."""
    return (0.5 * X + 0.15 + 0.15 * torch.randn(X.shape, generator=generator)).clamp(0, 1)


@lru_cache(maxsize=1)
def domains():
    X, y = load_digits(return_X_y=True)
    X, y = torch.tensor(X / 16.0, dtype=torch.float32), torch.tensor(y)
    g = torch.Generator().manual_seed(0)
    order = torch.randperm(len(y), generator=g)
    source, target = order[:900], order[900:]  # different images in each domain
    target_X, target_y = to_target_domain(X[target], g), y[target]
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


def test_features_are_frozen_and_head_is_new():
    source = source_model()
    model = build_transfer_model(source, 10)
    assert hasattr(model, "features") and hasattr(model, "head"), "the model needs attributes `features` and `head`"
    trainable = [name for name, p in model.features.named_parameters() if p.requires_grad]
    assert not trainable, f"feature transfer freezes the source features, but these still train: {trainable}"
    assert model.head is not source.head, "use a new head for the target classes, not the source head"
    head_params = list(model.head.parameters())
    assert head_params and all(p.requires_grad for p in head_params), "the new head must be trainable"
    out = model(torch.zeros(3, 64))
    assert tuple(out.shape) == (3, 10), f"logits should have shape (3, 10), got {tuple(out.shape)}"


def test_fine_tune_keeps_features_fixed():
    _, _, X, y, _, _ = domains()
    torch.manual_seed(1)
    model = build_transfer_model(source_model(), 10)
    before = copy.deepcopy(model.features.state_dict())
    fine_tune(model, X, y, epochs=50)
    changed = [k for k, v in model.features.state_dict().items() if not torch.equal(v, before[k])]
    assert not changed, f"fine_tune changed frozen feature weights: {changed} (optimise only trainable parameters)"


def test_transfer_beats_chance_by_far():
    _, _, X, y, Xt, yt = domains()
    torch.manual_seed(2)
    model = fine_tune(build_transfer_model(source_model(), 10), X, y, epochs=100)
    with torch.no_grad():
        acc = (model(Xt).argmax(1) == yt).float().mean().item()
    assert acc >= 0.60, (f"target accuracy {acc:.3f} with {LABELS_PER_CLASS} labels per class is below 0.60 "
                         "(chance is 0.10): does the head train, and do you return the trained model?")
