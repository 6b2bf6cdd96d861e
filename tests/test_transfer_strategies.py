"""Every strategy on every offline domain pair (a few steps each), frozen layers, the comparison
runner with its disk cache, and the `kdlab transfer` command."""
import dataclasses
import json
import math

import pytest
import torch

from conftest import USPS
from kdcore.cli import main
from kdcore.events import Done, Epoch, Phase, collect
from kdcore.transfer import TransferConfig, compare, load_pair, strategies
from kdcore.transfer.adversarial import split_parameters
from kdcore.transfer.readout import readout

torch.set_num_threads(1)
TINY = TransferConfig(source_steps=3, target_steps=2, batch_size=16, evals=1).with_recipe(colour=False)
PAIRS = [("mnist5k", "digits"), ("mnist5k", "mnist-m-like"), ("mnist5k", "inverted"), ("mnist5k", "rotated"),
         ("digits", "mnist5k"), ("mnist5k", "usps-file")]


def tiny(source, target) -> TransferConfig:
    """TINY with the recipe of the pair: the colour one at 32 × 32 × 3."""
    colour = "mnist-m-like" in (source, target)
    return dataclasses.replace(TINY, **{k: None for k in strategies.RECIPES["grey"]}).with_recipe(colour)


@pytest.fixture(scope="module")
def pairs():
    loaded = {}

    def get(source, target):
        if target == "usps-file":
            if not USPS.exists():
                pytest.skip(f"USPS domain file not found at {USPS} (evaluation data beside the repo)")
            target = str(USPS)
        if (source, target) not in loaded:
            config = tiny(source, target)
            loaded[source, target] = load_pair(source, target, size=config.size, align=config.align)
        return loaded[source, target]
    return get


@pytest.mark.parametrize("source,target", PAIRS)
def test_every_strategy_runs_on_every_pair(pairs, source, target):
    src, tgt = pairs(source, target)
    config = dataclasses.replace(tiny(source, target), source_steps=3)
    assert src.in_shape == tgt.in_shape and src.num_classes == tgt.num_classes == 10
    source_model, _, scores = collect(strategies.pretrain_source(config, src, tgt, seed=0))[1]
    for name in strategies.STRATEGIES:
        model, accuracy, oracle = collect(strategies.get(name)(config, src, tgt, k=1, seed=0, source_model=source_model,
                                                               scores=scores))[1]
        assert 0.0 <= accuracy <= 1.0 and not model.training
        assert (oracle is None) == (name not in strategies.LABEL_FREE) and (oracle is None or oracle >= accuracy)
        assert model(tgt.x_test[:4]).shape == (4, 10)


def test_feature_transfer_keeps_the_body_frozen_and_trains_a_new_head(pairs):
    src, tgt = pairs("mnist5k", "digits")
    source_model = collect(strategies.pretrain_source(TINY, src, tgt, seed=0))[1][0]
    before = {k: v.clone() for k, v in source_model.state_dict().items()}
    model = collect(strategies.feature_transfer(TINY, src, tgt, k=2, seed=0, source_model=source_model))[1][0]
    for key, value in model.state_dict().items():
        if key.startswith("head."):
            assert not torch.equal(value, before[key])  # new head, trained
        else:
            assert torch.equal(value, before[key]), key  # body untouched
    assert all(torch.equal(v, before[k]) for k, v in source_model.state_dict().items())  # the cached source model too


def test_model_transfer_body_learning_rate_scale(pairs):
    src, tgt = pairs("mnist5k", "digits")
    source_model = collect(strategies.pretrain_source(TINY, src, tgt, seed=0))[1][0]
    frozen_body = dataclasses.replace(TINY, body_lr_scale=0.0)
    model = collect(strategies.model_transfer(frozen_body, src, tgt, k=1, seed=0, source_model=source_model))[1][0]
    body, head = split_parameters(model)
    source_body, source_head = split_parameters(source_model)
    assert all(torch.equal(a, b) for a, b in zip(body, source_body))  # LR 0: the body stays exactly put
    assert any(not torch.equal(a, b) for a, b in zip(head, source_head))
    moved = collect(strategies.model_transfer(TINY, src, tgt, k=1, seed=0, source_model=source_model))[1][0]
    assert any(not torch.equal(a, b) for a, b in zip(split_parameters(moved)[0], source_body))


def test_adversarial_records_domain_accuracy_and_lambda(pairs):
    src, tgt = pairs("mnist5k", "inverted")
    events, _ = collect(strategies.adversarial(dataclasses.replace(TINY, source_steps=10, evals=5), src, tgt, seed=0))
    evals = [e.metrics for e in events if isinstance(e, Epoch)]
    assert len(evals) == 5 and all(0 <= m["domain_accuracy"] <= 1 for m in evals)
    assert [m["lambd"] for m in evals] == sorted(m["lambd"] for m in evals) and evals[-1]["lambd"] > 0.99


def test_compare_caches_the_source_model_and_reports_every_run(pairs):
    pair = pairs("mnist5k", "digits")
    names = ["source-only", "target-only", "model", "adversarial"]
    events = list(compare(TINY, names, [1, 2], [0, 1], pair=pair))
    result = events[-1].result
    assert isinstance(events[-1], Done)
    assert [(r["strategy"], r["k"]) for r in result.rows] == [
        ("source-only", 0), ("adversarial", 0), ("target-only", 1), ("target-only", 2), ("model", 1), ("model", 2)]
    assert all(len(r["per_seed"]) == 2 and r["sd"] >= 0 for r in result.rows)
    progress = [e.progress for e in events]
    assert len(result.adversarial_curve) >= 1 and progress == sorted(progress) and progress[-1] == 1.0
    again = [e for e in compare(TINY, ["source-only"], [0], [0], pair=pair) if e.phase == "source"]
    assert any(isinstance(e, Phase) and e.cached for e in again) and not any(isinstance(e, Epoch) for e in again)  # keyed by config + source domain: no retraining
    keys = [key for key, _ in readout(result)]
    assert keys[0] == "read_gap" and "read_align_on" in keys
    assert any(k in keys for k in ("read_dann_helps", "read_dann_no_help"))


def test_compare_refuses_a_labelled_strategy_without_labels(pairs):
    from kdcore.errors import ConfigError

    with pytest.raises(ConfigError, match="k ≥ 1"):
        list(compare(TINY, ["model"], [0], [0], pair=pairs("mnist5k", "digits")))
    with pytest.raises(ConfigError, match="Unknown strategy"):
        list(compare(TINY, ["magic"], [1], [0], pair=pairs("mnist5k", "digits")))


def test_cli_prints_one_json_object(capsys):
    code = main(["transfer", "--source", "mnist5k", "--target", "digits", "--strategies", "target-only", "feature",
                 "adversarial", "--k", "1", "2", "--seeds", "0", "--source-steps", "2", "--target-steps", "2", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert {(r["strategy"], r["k"]) for r in out["results"]} == {
        ("adversarial", 0), ("target-only", 1), ("target-only", 2), ("feature", 1), ("feature", 2)}
    assert set(out["results"][-1]) == {"strategy", "k", "mean", "sd", "per_seed", "seconds"}
    assert out["selection"] == "source validation" and "oracle_mean" in out["results"][0]


def test_dann_alone_needs_no_source_model(capsys):
    code = main(["transfer", "--source", "mnist5k", "--target", "digits", "--strategies", "adversarial", "--seeds", "0",
                 "--source-steps", "2", "--json"])
    assert code == 0 and [r["strategy"] for r in json.loads(capsys.readouterr().out)["results"]] == ["adversarial"]


def test_cli_bad_input_is_one_line_and_exit_2(capsys):
    assert main(["transfer", "--target", "missing-domain.npz", "--seeds", "0"]) == 2
    assert main(["transfer", "--k", "500", "--seeds", "0", "--source-steps", "2"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert "not found" in err[0] and "Choose k ≤" in err[-1]


def test_label_free_choice_never_reads_target_labels(pairs):
    """Target labels all wrong: the stopping point DANN picks (and its model) stay the same."""
    src, tgt = pairs("mnist5k", "inverted")
    wrong = dataclasses.replace(tgt, y_train=(tgt.y_train + 1) % 10, y_test=(tgt.y_test + 1) % 10)
    config = dataclasses.replace(TINY, source_steps=12, evals=4)
    picked = []
    for target in (tgt, wrong):
        checkpoints = []
        torch.manual_seed(0)
        (x, y), validation = strategies.hold_out(src)
        model = collect(strategies.train_two_speed(
            strategies.build(config, src), x, y, steps=12, lr=config.lr, batch_size=16, unlabelled=target.x_train,
            schedule=config.schedule, evals=4, x_eval=target.x_test, y_eval=target.y_test, validation=validation,
            checkpoints=checkpoints))[1]
        picked.append((strategies.pick(checkpoints).step, [c.source_val_accuracy for c in checkpoints],
                       torch.cat([p.flatten() for p in model.parameters()])))
    assert picked[0][0] == picked[1][0] and picked[0][1] == picked[1][1]
    assert torch.equal(picked[0][2], picked[1][2])


def test_the_entropy_stabiliser_is_the_mean_entropy_of_the_target_predictions():
    """A head of zeros predicts every class alike: the first step's entropy term is exactly ln 10; with
    weight 0 the term is neither reported nor added (the paper's loss)."""
    x, y = torch.randn(32, 1, 16, 16), torch.arange(32) % 10
    target = torch.randn(32, 1, 16, 16)
    for weight in (0.0, 0.5):
        torch.manual_seed(0)
        model = strategies.network.build("teacher-cnn", (1, 16, 16), 10, 4)
        for parameter in model.head.parameters():
            torch.nn.init.zeros_(parameter)
        events = collect(strategies.train_two_speed(model, x, y, steps=1, lr=0.01, batch_size=16, unlabelled=target,
                                                    entropy=weight))[0]
        terms = next(e for e in events if hasattr(e, "loss_terms")).loss_terms
        if weight:
            assert terms["entropy"] == pytest.approx(math.log(10), abs=1e-5)
        else:
            assert "entropy" not in terms and set(terms) == {"hard", "domain"}
