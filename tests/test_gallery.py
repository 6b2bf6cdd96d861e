"""Paper gallery: every card's figure is cited data, its verdict rule on hand-made results, the
JSON cache refuses malformed files, a stop keeps finished seeds, the CLI, the page in both
languages with a fast fake card, and one real card run."""
import dataclasses
import json
import math
import re
import struct
import time

import pytest
import torch
from conftest import ROOT, finish

from kdcore import cache, cli, gallery
from kdcore.events import Epoch, Partial, result
from kdcore.gallery import store
from kdcore.gallery.card import Card, Measurement
from kdcore.gallery.verdict import Effect

torch.set_num_threads(1)
CJK = re.compile(r"[\u4e00-\u9fff]")


def fake_measure(calls: list):
    def measure(config, seed, data):
        calls.append(seed)
        yield Epoch(progress=0.5, phase="kd", seed=seed, epoch=1, metrics={"accuracy": 0.5})
        return Measurement({"hard": 0.80 + 0.001 * seed, "kd": 0.90 + 0.002 * seed}, 1000)
    return measure



def figures(at) -> list[str]:
    """The outcome's figures (the paper's, then ours), shown as headings above the verdict."""
    return [m.value for m in at.markdown if m.value.startswith("#### ")]

def fake_card(calls: list, name: str = "fake-card") -> Card:
    real = gallery.CARDS["hinton-soft-targets"]
    return dataclasses.replace(real, name=name, measure=fake_measure(calls))


@pytest.mark.parametrize("card", list(gallery.CARDS.values()), ids=list(gallery.CARDS))
def test_every_card_declares_a_cited_figure_a_rule_over_its_arms_and_both_languages(card):
    assert re.search(r"\((19|20)\d\d\)", card.paper) and card.figure.text and card.figure.source
    assert card.figure.value is None or math.isfinite(card.figure.value)
    for text in (card.claim, card.setup, card.differs):
        assert text["en"].strip() and CJK.search(text["zh"])
    assert {card.rule.better, card.rule.worse} <= set(card.arms) and card.rule.better != card.rule.worse
    assert card.headline is None or card.headline in card.arms
    assert (ROOT / "pages" / f"{card.link[0]}.py").exists()
    card.config.validate()


@pytest.mark.parametrize("card", list(gallery.CARDS.values()), ids=list(gallery.CARDS))
def test_each_cards_verdict_rule_on_hand_made_results(card):
    better, worse = card.rule.better, card.rule.worse

    def seeds(b: list[float], w: list[float]) -> list[dict]:
        return [{arm: 0.5 for arm in card.arms} | {better: x, worse: y} for x, y in zip(b, w)]

    # 3 seeds × 1,000 test predictions near p = 0.92: sampling noise sqrt(2·0.92·0.08/3000) = 0.70 points
    clear = card.rule.judge(seeds([0.92, 0.92, 0.92], [0.90, 0.90, 0.90]), 1000)
    assert clear["verdict"] == "reproduced"
    assert clear["effect_points"] == pytest.approx(2.0) and clear["noise_points"] == pytest.approx(0.7005, abs=1e-4)
    within_noise = card.rule.judge(seeds([0.92, 0.92, 0.92], [0.915, 0.915, 0.915]), 1000)
    assert within_noise["verdict"] == "within_noise"
    # a 5-point effect but seeds 2 points apart (sd 0.02): noise 2 points, twice that is 4 < 5: reproduced;
    # a 3-point effect with the same spread is within noise
    assert card.rule.judge(seeds([0.90, 0.92, 0.94], [0.87, 0.87, 0.87]), 1000)["verdict"] == "reproduced"
    assert card.rule.judge(seeds([0.88, 0.90, 0.92], [0.87, 0.87, 0.87]), 1000)["verdict"] == "within_noise"
    assert card.rule.judge(seeds([0.90, 0.90, 0.90], [0.92, 0.92, 0.92]), 1000)["verdict"] == "not_reproduced"
    # no difference, or a wrong-signed one inside the noise, cannot refute the paper either
    assert card.rule.judge(seeds([0.90] * 3, [0.90] * 3), 1000)["verdict"] == "within_noise"
    assert card.rule.judge(seeds([0.90, 0.92, 0.94], [0.93, 0.93, 0.93]), 1000)["verdict"] == "within_noise"


def test_one_seed_counts_only_the_sampling_error():
    judged = Effect("kd", "hard").judge([{"kd": 0.95, "hard": 0.90}], 100)  # sqrt(2·0.95·0.05/100) = 3.08 points
    assert judged["noise_points"] == pytest.approx(100 * math.sqrt(2 * 0.95 * 0.05 / 100))
    assert judged["verdict"] == "within_noise"  # 5 points < 2 × 3.08


MALFORMED = {  # signed entries of the wrong shape: the store checks more than the signature
    "a list": lambda e: [e],
    "extra key": lambda e: {**e, "pickle": "x"},
    "missing key": lambda e: {k: v for k, v in e.items() if k != "n"},
    "other format": lambda e: {**e, "format": "x"},
    "other card": lambda e: {**e, "card": "born-again"},
    "other seed": lambda e: {**e, "seed": 1},
    "seed as bool": lambda e: {**e, "seed": False},
    "old version": lambda e: {**e, "version": 0},
    "accuracy above 1": lambda e: {**e, "values": {"hard": 0.8, "kd": 1.5}},
    "NaN accuracy": lambda e: {**e, "values": {"hard": 0.8, "kd": float("nan")}},
    "string accuracy": lambda e: {**e, "values": {"hard": 0.8, "kd": "0.9"}},
    "other arms": lambda e: {**e, "values": {"hard": 0.8, "dkd": 0.9}},
    "n zero": lambda e: {**e, "n": 0},
    "n as float": lambda e: {**e, "n": 1000.0},
    "negative seconds": lambda e: {**e, "seconds": -1.0},
}
UNSIGNED = {  # bytes written over an entry by someone other than the app
    "not an entry": lambda raw: b"{not json",
    # pickle stores floats big-endian: 0.8 → 0.95 in place
    "an edited accuracy": lambda raw: raw.replace(struct.pack(">d", 0.8), struct.pack(">d", 0.95)),
}


@pytest.mark.parametrize("damage", list(MALFORMED) + list(UNSIGNED))
def test_the_cache_refuses_malformed_or_edited_entries_and_the_seed_runs_again(damage):
    calls = []
    card = fake_card(calls, name=f"fake-{re.sub(r'[^a-z]', '-', damage)}")
    config = card.config
    path = store.save(card, config, 0, Measurement({"hard": 0.8, "kd": 0.9}, 1000), 1.5)
    assert store.load(card, config, 0) == (Measurement({"hard": 0.8, "kd": 0.9}, 1000), 1.5)
    if damage in MALFORMED:
        cache.save(store.key(card, config, 0), MALFORMED[damage](cache.load(store.key(card, config, 0))[0]))
    else:
        raw = path.read_bytes()
        path.write_bytes(UNSIGNED[damage](raw))
        assert path.read_bytes() != raw
    assert store.load(card, config, 0) is None
    assert result(gallery.run_card(card, (0,), device="cpu")).runs[0].cached is False and calls == [0]
    assert store.load(card, config, 0) is not None  # rewritten whole


def test_a_stop_keeps_finished_seeds_and_the_second_visit_is_cached():
    calls = []
    card = fake_card(calls, name="fake-stop")
    events = gallery.run_card(card, (0, 1, 2), device="cpu")
    for event in events:
        if isinstance(event, Partial):
            break  # the learner pressed Stop after the first seed
    events.close()
    assert calls == [0] and [r.seed for r in gallery.cached(card, (0, 1, 2)).runs] == [0]
    assert result(gallery.run_card(card, (0, 1, 2), device="cpu")).runs[0].cached and calls == [0, 1, 2]
    start = time.perf_counter()
    again = result(gallery.run_card(card, (0, 1, 2), device="cpu"))
    assert time.perf_counter() - start < 1.0 and calls == [0, 1, 2]
    out = again.to_dict()
    assert out["per_seed"] == pytest.approx([10.0, 10.1, 10.2]) and out["ours_mean"] == pytest.approx(10.1)
    assert out["paper_value"] == card.figure.value and out["verdict"] == "reproduced" and out["cached"]


def test_cli_lists_runs_and_refuses_an_unknown_card(capsys, monkeypatch):
    assert cli.main(["gallery", "list"]) == 0
    assert capsys.readouterr().out.split() == list(gallery.CARDS)
    calls = []
    monkeypatch.setattr(gallery, "CARDS", {"fake-cli": fake_card(calls, name="fake-cli")})
    assert cli.main(["gallery", "run", "all", "--seeds", "0", "1", "--device", "cpu", "--json"]) == 0
    cards = json.loads(capsys.readouterr().out)["cards"]
    assert [c["name"] for c in cards] == ["fake-cli"] and calls == [0, 1]
    assert {"name", "paper_value", "ours_mean", "ours_sd", "per_seed", "verdict", "seconds"} <= set(cards[0])
    assert cli.main(["gallery", "run", "nope"]) == 2
    assert "Unknown card 'nope'" in capsys.readouterr().err


@pytest.mark.parametrize("lang, verdict", [("en", "reproduced"), ("zh", "已复现")])
def test_page_runs_a_card_live_in_both_languages(app_page, monkeypatch, lang, verdict):
    calls = []
    card = fake_card(calls, name=f"fake-page-{lang}")
    monkeypatch.setattr(gallery, "CARDS", {card.name: card})
    at = app_page("gallery.py", lang=lang)
    assert at.title[0].value == ("Paper gallery: classic results, reproduced on a laptop" if lang == "en"
                                 else "论文结果展：在笔记本上复现经典结论")
    at.button(key=f"gallery_open_{card.name}").click().run()
    at.button(key="gallery_run").click().run()
    finish(at, "gallery")
    assert not at.exception and not at.error and calls == [0, 1, 2]
    shown = " ".join(m.value for m in at.markdown)
    assert verdict in shown and card.claim[lang] in shown
    paper, ours = figures(at)  # the paper's figure beside ours
    assert "+0.72" in paper and "+10.10" in ours and "± 0.10" in ours  # mean, sd of 10.0, 10.1, 10.2
    table = at.dataframe[0].value
    assert list(table.iloc[:, 1].round(2)) == [80.1, 90.2]


@pytest.mark.slow
def test_the_cheapest_card_runs_for_real():
    card = gallery.CARDS["teacher-assistant"]
    out = result(gallery.run_card(card, (0,), device="cpu")).to_dict()
    assert out["verdict"] in ("reproduced", "within_noise", "not_reproduced") and out["n_test"] == 1000
    assert 0.5 < out["arms"]["kd"]["mean"] <= 1.0 and 0.5 < out["arms"]["assistant"]["mean"] <= 1.0
    assert out["ours_mean"] == pytest.approx(100 * (out["arms"]["assistant"]["mean"] - out["arms"]["kd"]["mean"]))


def test_a_link_opens_its_card_with_its_seeds_and_hostile_values_are_ignored():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"card": "omitted-digit", "seeds": "0,2"})
    at.run()
    at.switch_page("pages/gallery.py").run()
    assert not at.exception and at.multiselect(key="gallery_seeds").value == [0, 2]
    assert at.subheader[0].value == gallery.CARDS["omitted-digit"].paper
    assert at.button(key="gallery_run")  # the card is open, ready to run

    hostile = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    hostile.query_params.update({"card": "<script>alert(1)</script>", "seeds": "0,99"})
    hostile.run()
    hostile.switch_page("pages/gallery.py").run()
    assert not hostile.exception and not hostile.subheader  # no card opened
    assert "out of range" in " ".join(w.value for w in hostile.warning)


def test_a_stopped_page_run_keeps_its_finished_seeds(app_page, monkeypatch):
    calls = []
    card = fake_card(calls, name="fake-page-stop")
    quick = card.measure

    def slow(config, seed, data):
        if seed > 0:
            time.sleep(2.0)  # time to press Stop after the first seed
        return (yield from quick(config, seed, data))

    card = dataclasses.replace(card, measure=slow)
    monkeypatch.setattr(gallery, "CARDS", {card.name: card})
    at = app_page("gallery.py")
    at.button(key=f"gallery_open_{card.name}").click().run()
    at.button(key="gallery_run").click().run()
    job = at.session_state["live_gallery"]
    deadline = time.time() + 30
    while job.partial is None and time.time() < deadline:
        time.sleep(0.05)
    job.stop()
    finish(at, "gallery")
    assert "Seeds finished before the stop: 1" in " ".join(w.value for w in at.warning)
    assert [r.seed for r in gallery.cached(card, (0, 1, 2)).runs] == [0]


def fabricated(card: Card, rows: list[dict], n: int = 1000):
    from kdcore.gallery.run import SeedRun

    return gallery.CardResult(card, tuple(SeedRun(i, Measurement(row, n), 1.0, False) for i, row in enumerate(rows)), 0.0)


def test_the_ensemble_card_reports_the_share_of_the_ensembles_gain_its_student_keeps():
    card = gallery.CARDS["ensemble-distillation"]
    kept = fabricated(card, [{"single": 0.90, "ensemble": 0.92, "distilled": 0.915},
                             {"single": 0.91, "ensemble": 0.93, "distilled": 0.925}])
    out = kept.to_dict()
    assert out["share"] == pytest.approx(0.75) and out["effect_points"] == pytest.approx(1.5)
    # the paper's own Table 1: 58.9 → 61.1 (ensemble), 60.8 (distilled): 86 % of the gain
    paper = fabricated(card, [{"single": 0.589, "ensemble": 0.611, "distilled": 0.608}])
    assert paper.share() == pytest.approx(0.8636, abs=1e-4) and card.figure.value == pytest.approx(100 * (0.608 - 0.589))
    no_gain = fabricated(card, [{"single": 0.92, "ensemble": 0.91, "distilled": 0.93}])
    assert no_gain.share() is None and no_gain.to_dict()["share"] is None
    assert gallery.CARDS["fidelity"].share_of is None and fabricated(gallery.CARDS["fidelity"], [
        {"teacher": 0.9, "student": 0.9, "agreement": 0.9, "ceiling": 1.0}]).share() is None


def test_the_ensembles_prediction_is_its_members_mean_probability():
    from kdcore.gallery.ensemble import averaged

    x = torch.randn(5, 3)
    members = [torch.nn.Linear(3, 4) for _ in range(3)]
    mean = torch.stack([m(x).softmax(1) for m in members]).mean(0)
    assert torch.allclose(averaged(members, x).softmax(1), mean, atol=1e-6)
    assert not torch.allclose(averaged(members, x).softmax(1), torch.stack([m(x) for m in members]).mean(0).softmax(1))


def test_the_fidelity_rule_asks_for_agreement_below_what_the_accuracies_allow():
    card = gallery.CARDS["fidelity"]
    copy = [{"teacher": 0.95, "student": 0.96, "agreement": 0.99, "ceiling": 0.99}] * 3  # a faithful copy
    assert card.rule.judge(copy, 1000)["verdict"] == "within_noise"
    loose = [{"teacher": 0.95, "student": 0.96, "agreement": 0.95, "ceiling": 0.99}] * 3  # 4 points short of the ceiling
    judged = card.rule.judge(loose, 1000)
    assert judged["verdict"] == "reproduced" and judged["effect_points"] == pytest.approx(4.0)


@pytest.mark.parametrize("name", ["ensemble-distillation", "fidelity"])
def test_the_new_cards_run_for_real_on_tiny_settings(name):
    card = gallery.CARDS[name]
    tiny = dataclasses.replace(card, name=f"tiny-{name}", config=card.config.replace(
        **{"teacher.epochs": 1, "student.epochs": 2, "data.subset": 600}))
    run = result(gallery.run_card(tiny, (0,), device="cpu"))
    values = run.runs[0].measurement.values
    assert set(values) == set(card.arms) and all(0.0 <= v <= 1.0 for v in values.values())
    assert run.runs[0].measurement.n == 1000 and run.judged()["verdict"] in ("reproduced", "within_noise", "not_reproduced")
    if name == "fidelity":
        assert run.judged()["verdict"] != "not_reproduced"  # agreement never exceeds its ceiling
        assert values["ceiling"] == pytest.approx(1 - abs(values["teacher"] - values["student"]))
        assert values["agreement"] <= values["ceiling"] + 1e-6  # disagreeing at least where exactly one is right
    else:
        assert values["single"] > 0.5 and values["distilled"] > 0.5 and values["ensemble"] > 0.5


def test_the_dann_card_runs_for_real_on_tiny_settings():
    from kdcore.gallery import dann
    tiny = dataclasses.replace(dann.LIKE, name="tiny-dann", **dann.dann_measure("mnist-m-like", source_steps=30, evals=2))
    events = list(gallery.run_card(tiny, (0,), device="cpu"))
    run = result(events)
    values = run.runs[0].measurement.values
    assert set(values) == {"source_only", "dann"} and all(0.0 <= v <= 1.0 for v in values.values())
    assert run.runs[0].measurement.n == 1000  # the stand-in's held-out test digits
    phases = {e.phase for e in events if isinstance(e, Epoch)}
    assert phases == {"source_only", "dann"}  # live curves of both runs, tagged by arm
    progress = [e.progress for e in events]
    assert progress == sorted(progress) and progress[-1] == 1.0


def test_the_real_mnist_m_card_without_its_file_says_where_to_put_it_and_offers_the_embedded_pair(tmp_path, monkeypatch):
    from kdcore.errors import DataUnavailable
    from kdcore.transfer import mnist_m
    monkeypatch.setattr(mnist_m, "BESIDE_REPO", tmp_path / "absent.npz")
    monkeypatch.setenv("KDLAB_DATA_DIR", str(tmp_path))
    with pytest.raises(DataUnavailable, match="mnist-m-like") as refused:
        list(gallery.run_card(gallery.CARDS["dann-mnist-m"], (0,), device="cpu"))
    assert str(tmp_path / mnist_m.MNIST_M_FILES[0]) in str(refused.value)  # where to put the file
    assert "dann-mnist-m-like" in gallery.CARDS and "dann-mnist-m" not in gallery.PENDING
