"""Golden values: every loss against a hand computation or an independent (loop / numpy) formula on
fixed small tensors, and zero loss where the method says student == teacher means nothing to learn."""
import math

import numpy as np
import pytest
import torch
from torch import nn

from kdcore import methods
from kdcore.errors import ConfigError

torch.set_num_threads(1)


class Fixed(nn.Module):
    """A stand-in 'model' whose features have fixed shapes (used only by bind's shape probe)."""

    def __init__(self, *shapes):
        super().__init__()
        self.shapes = shapes
        self.weight = nn.Parameter(torch.zeros(1))

    def forward(self, x, features=False):
        feats = [torch.zeros(len(x), *s) for s in self.shapes]
        return (feats, torch.zeros(len(x), 3)) if features else torch.zeros(len(x), 3)


def bound(name, student_shapes, teacher_shapes, **hyper):
    return methods.build(name, Fixed(*student_shapes), Fixed(*teacher_shapes), (1, 4, 4), **hyper)


def term(method, s_feats, t_feats, key, logits=None):
    logits = torch.zeros(len(s_feats[-1]), 3) if logits is None else logits
    labelled = torch.zeros(len(logits), dtype=torch.bool)  # no labels: the hard term is 0
    out = method({"logits": logits, "features": s_feats}, {"logits": logits, "features": t_feats},
                 torch.zeros(len(logits), dtype=torch.long), labelled)
    assert out["hard"].item() == 0.0
    return out[key].item()


EMB_S = torch.tensor([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])  # (B=3, D=2)
EMB_T = torch.tensor([[0.5, 1.0, 0.0], [2.0, 0.0, 1.0], [0.0, 1.0, 1.0]])  # (B=3, D=3)


def test_fitnet_regressor_mse_by_hand():
    method = bound("fitnet", [(2,)], [(3,)], beta=2.0)
    with torch.no_grad():
        method.regressor.weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))
        method.regressor.bias.zero_()
    projected = EMB_S.numpy() @ np.array([[1, 0, 1], [0, 1, 1]], dtype=np.float32)
    expected = 2.0 * ((projected - EMB_T.numpy()) ** 2).mean()
    assert term(method, [EMB_S], [EMB_T], "hint") == pytest.approx(expected, rel=1e-6)


def test_attention_transfer_by_hand():
    # one image, 2 channels, 2×2 map (student) and 3 channels (teacher)
    s = torch.tensor([[[[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]]])
    t = torch.tensor([[[[2.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]]])
    method = bound("at", [(2, 2, 2), (4,)], [(3, 2, 2), (4,)], beta=1.0)
    # Q_s = [1, 0, 0, 1] → normalised [1/√2, 0, 0, 1/√2]; Q_t = [4/3, 0, 0, 0] → [1, 0, 0, 0]
    expected = ((1 / math.sqrt(2) - 1) ** 2 + 0 + 0 + (1 / math.sqrt(2)) ** 2) / 4
    assert term(method, [s, torch.zeros(1, 4)], [t, torch.zeros(1, 4)], "attention") == pytest.approx(expected)


def test_similarity_preserving_against_loops():
    method = bound("sp", [(2,)], [(3,)], beta=1.0)

    def g(f):
        f = f.numpy().astype(np.float64)
        gram = np.array([[f[i] @ f[j] for j in range(3)] for i in range(3)])
        return gram / np.linalg.norm(gram, axis=1, keepdims=True)
    expected = ((g(EMB_S) - g(EMB_T)) ** 2).sum() / 9
    assert term(method, [EMB_S], [EMB_T], "similarity") == pytest.approx(expected, rel=1e-5)


def test_rkd_distance_and_angle_against_loops():
    method = bound("rkd", [(2,)], [(3,)], distance_weight=1.0, angle_weight=1.0)

    def huber(a, b):
        d = np.abs(a - b)
        return np.where(d < 1, 0.5 * d**2, d - 0.5).mean()

    def dist(f):
        f = f.numpy().astype(np.float64)
        d = np.array([[np.linalg.norm(f[i] - f[j]) for j in range(3)] for i in range(3)])
        return d / d[~np.eye(3, dtype=bool)].mean()

    def angle(f):
        f = f.numpy().astype(np.float64)
        out = np.zeros((3, 3, 3))
        for i in range(3):
            for j in range(3):
                for k in range(3):
                    eij, ekj = f[i] - f[j], f[k] - f[j]
                    nij, nkj = np.linalg.norm(eij), np.linalg.norm(ekj)
                    out[j, i, k] = 0.0 if nij == 0 or nkj == 0 else eij @ ekj / (nij * nkj)
        return out
    assert term(method, [EMB_S], [EMB_T], "rkd_distance") == pytest.approx(huber(dist(EMB_S), dist(EMB_T)), rel=1e-5)
    assert term(method, [EMB_S], [EMB_T], "rkd_angle") == pytest.approx(huber(angle(EMB_S), angle(EMB_T)), rel=1e-5)


def test_pkt_against_loops():
    method = bound("pkt", [(2,)], [(3,)], beta=1.0)

    def probabilities(f):
        f = f.numpy().astype(np.float64)
        k = np.array([[(f[i] @ f[j] / (np.linalg.norm(f[i]) * np.linalg.norm(f[j])) + 1) / 2 for j in range(3)]
                      for i in range(3)])
        return k / k.sum(1, keepdims=True)
    ps, pt = probabilities(EMB_S), probabilities(EMB_T)
    expected = (pt * np.log(pt / ps)).sum() / 3
    assert term(method, [EMB_S], [EMB_T], "pkt") == pytest.approx(expected, rel=1e-4)


def test_nst_on_embeddings_against_loops():
    """Embedding fallback: neurons are samples, their activation over the batch is the vector."""
    method = bound("nst", [(2,)], [(3,)], beta=1.0)
    s = EMB_S.numpy().T.astype(np.float64)  # (2 neurons, 3 images)
    t = EMB_T.numpy().T.astype(np.float64)
    s /= np.linalg.norm(s, axis=1, keepdims=True)
    t /= np.linalg.norm(t, axis=1, keepdims=True)

    def k(a, b):
        return np.mean([(x @ y) ** 2 for x in a for y in b])
    expected = k(s, s) + k(t, t) - 2 * k(s, t)
    assert term(method, [EMB_S], [EMB_T], "nst") == pytest.approx(expected, rel=1e-5)


def test_dkd_by_hand_and_kd_identity():
    """TCKD and NCKD from their definitions, and KD = TCKD + (1 − p_t,target) · NCKD (DKD paper, Eq. 7)."""
    zs = torch.tensor([[1.0, 0.0, -1.0]])
    zt = torch.tensor([[2.0, 1.0, 0.0]])
    target = torch.tensor([0])
    ps, pt = torch.softmax(zs, 1)[0].double(), torch.softmax(zt, 1)[0].double()
    bs, bt = torch.stack([ps[0], 1 - ps[0]]), torch.stack([pt[0], 1 - pt[0]])
    tckd = (bt * (bt / bs).log()).sum().item()
    hs, ht = ps[1:] / ps[1:].sum(), pt[1:] / pt[1:].sum()
    nckd = (ht * (ht / hs).log()).sum().item()
    method = methods.get("dkd", temperature=1.0, alpha=1.0, beta=1.0)
    out = method({"logits": zs}, {"logits": zt}, target, torch.tensor([True]))
    assert out["tckd"].item() == pytest.approx(tckd, rel=1e-5)
    assert out["nckd"].item() == pytest.approx(nckd, rel=1e-5)
    kd = (pt * (pt / ps).log()).sum().item()
    assert kd == pytest.approx(tckd + (1 - pt[0].item()) * nckd, rel=1e-6)


def test_dkd_uses_teacher_prediction_where_label_hidden():
    zs, zt = torch.tensor([[1.0, 0.0, -1.0]]), torch.tensor([[0.0, 3.0, 0.0]])
    method = methods.get("dkd", temperature=1.0)
    hidden = method({"logits": zs}, {"logits": zt}, torch.tensor([0]), torch.tensor([False]))
    shown = method({"logits": zs}, {"logits": zt}, torch.tensor([1]), torch.tensor([True]))
    assert hidden["hard"].item() == 0.0
    assert hidden["tckd"].item() == pytest.approx(shown["tckd"].item())


def test_dist_by_numpy_pearson():
    zs = torch.tensor([[1.0, 0.0, -1.0], [0.5, 0.2, 0.1], [0.0, 2.0, 0.4]])
    zt = torch.tensor([[2.0, 1.0, 0.0], [0.0, 1.0, 0.3], [1.0, 0.0, 1.5]])
    ps, pt = torch.softmax(zs / 2, 1).numpy(), torch.softmax(zt / 2, 1).numpy()
    inter = np.mean([1 - np.corrcoef(ps[i], pt[i])[0, 1] for i in range(3)])
    intra = np.mean([1 - np.corrcoef(ps[:, c], pt[:, c])[0, 1] for c in range(3)])
    out = methods.get("dist", temperature=2.0, beta=1.0, gamma=0.5)(
        {"logits": zs}, {"logits": zt}, torch.zeros(3, dtype=torch.long), torch.zeros(3, dtype=torch.bool))
    assert out["inter"].item() == pytest.approx(4 * inter, rel=1e-4)
    assert out["intra"].item() == pytest.approx(4 * 0.5 * intra, rel=1e-4)


def test_crd_with_identity_heads_by_hand():
    method = bound("crd", [(2,)], [(2,)], beta=1.0, tau=1.0, dim=2)
    with torch.no_grad():
        for head in (method.student_head, method.teacher_head):
            head.weight.copy_(torch.eye(2))
            head.bias.zero_()
    s = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    # cosine logits [[1, 0], [0, 1]]: each row's CE = log(1 + e^{-1}) − 0 … = −log(e / (e + 1))
    expected = -math.log(math.e / (math.e + 1))
    assert term(method, [s], [s.clone()], "contrast") == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("name, key", [("at", "attention"), ("sp", "similarity"), ("rkd", "rkd_distance"),
                                       ("rkd", "rkd_angle"), ("pkt", "pkt"), ("nst", "nst")])
def test_zero_loss_when_student_equals_teacher(name, key):
    torch.manual_seed(0)
    fmap, emb = torch.rand(4, 3, 2, 2), torch.rand(4, 5)
    method = bound(name, [(3, 2, 2), (5,)], [(3, 2, 2), (5,)])
    assert term(method, [fmap, emb], [fmap.clone(), emb.clone()], key) == pytest.approx(0.0, abs=1e-5)


def test_zero_logit_losses_when_student_equals_teacher():
    z = torch.randn(5, 4, generator=torch.Generator().manual_seed(1))
    no_labels = torch.zeros(5, dtype=torch.bool)
    target = torch.zeros(5, dtype=torch.long)
    dkd = methods.get("dkd")({"logits": z}, {"logits": z.clone()}, target, no_labels)
    dist = methods.get("dist")({"logits": z}, {"logits": z.clone()}, target, no_labels)
    for value in (dkd["tckd"], dkd["nckd"], dist["inter"], dist["intra"]):
        assert value.item() == pytest.approx(0.0, abs=1e-5)


def test_dkd_warmup_ramps_the_kd_terms_linearly():
    """warmup = 0.5: the KD terms are 0, ½ and 1 × the unscheduled ones at progress 0, 0.25 and ≥ 0.5."""
    zs, zt = torch.tensor([[1.0, 0.0, -1.0], [0.3, 0.9, 0.0]]), torch.tensor([[2.0, 1.0, 0.0], [0.0, 0.5, 1.0]])
    target, labelled = torch.tensor([0, 2]), torch.tensor([True, False])

    def terms(progress, **hyper):
        return methods.get("dkd", **hyper)({"logits": zs}, {"logits": zt}, target, labelled, progress=progress)
    plain = terms(0.3)
    for progress, factor in [(0.0, 0.0), (0.25, 0.5), (0.5, 1.0), (0.9, 1.0)]:
        scheduled = terms(progress, warmup=0.5)
        assert scheduled["hard"].item() == plain["hard"].item()
        for key in ("tckd", "nckd"):
            assert scheduled[key].item() == pytest.approx(factor * plain[key].item(), rel=1e-6, abs=1e-12)
    assert all(terms(p)[key].item() == plain[key].item() for p in (0.0, 1.0) for key in plain)  # off by default


@pytest.mark.parametrize("name, hyper, fragment", [
    ("at", {"beta": -1.0}, "beta must be in [0, 1e+06], got -1.0"), ("dkd", {"alpha": -0.5}, "alpha must be in"),
    ("crd", {"tau": 0.0}, r"tau must be in (0, 10]"), ("crd", {"dim": 2.5}, "must be a whole number"),
    ("dkd", {"warmup": 1.5}, "warmup must be in [0, 1]"),
    ("fitnet", {"gamma": 1.0}, "'fitnet' has no hyper-parameter 'gamma'; it has: beta."),
])
def test_bad_hyper_parameters_are_clear(name, hyper, fragment):
    with pytest.raises(ConfigError) as err:
        methods.get(name, **hyper)
    assert fragment in str(err.value)


def test_unknown_method_lists_valid_names():
    with pytest.raises(ConfigError) as err:
        methods.get("nope")
    assert err.value.code == "not_a_choice"
    for name in ("kd", "fitnet", "at", "sp", "rkd", "pkt", "nst", "dkd", "dist", "crd"):
        assert name in str(err.value)


@pytest.mark.parametrize("name", list(methods.METHODS))
def test_every_method_describes_itself(name):
    cls = methods.METHODS[name]
    assert cls.name == name and cls.paper and cls.formula_tex and cls.consumes <= {"logits", "features", "teacher"}
    instance = cls()
    for key, rule in cls.hyper.items():
        assert rule.doc and rule.low <= rule.default <= rule.high
        assert getattr(instance, key) == rule.default


def test_defaults_read_from_hyper():
    assert methods.METHODS["dkd"].defaults() == {"temperature": 4.0, "alpha": 1.0, "beta": 8.0, "warmup": 0.0}
    assert methods.METHODS["hard"].defaults() == {}
