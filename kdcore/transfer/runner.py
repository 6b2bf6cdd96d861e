"""A comparison: strategies × label budgets k × seeds on one domain pair, as one event generator.

Events carry the phase ("data", "source", or a strategy's name), the seed, and x = the label budget
k of a strategy's run; progress is composed by `kdcore.events.Stages`, one equal stage per source
pretraining and per run. The last event is Done(result=TransferResult). The source model is
pretrained once per seed (and cached on disk), then shared by source-only, feature and model transfer.
"""
import statistics
import time
from dataclasses import dataclass, field

from .. import device as devices
from ..data import TestSet, test_set_of
from ..errors import ConfigError
from ..events import Done, Epoch, Partial, Stages
from ..schema import check_seeds
from . import budget, domains, strategies
from .strategies import LABEL_FREE, TransferConfig

SELECTION = "source validation"  # how label-free runs choose their stopping point (oracle_* rows: by target labels)


@dataclass(eq=False)
class TransferResult:
    config: TransferConfig
    rows: list  # [{strategy, k, mean, sd, per_seed, seconds[, oracle_mean, oracle_per_seed]}], accuracies in [0, 1]
    source_accuracy: float  # the source model on the source's own test set (seed of the first run)
    source_test: TestSet  # what the source and target accuracies are measured on
    target_test: TestSet
    adversarial_curve: list = field(default_factory=list)  # [{step, domain_accuracy, eval_accuracy, source_val_accuracy, lambd}] first seed
    models: dict = field(default_factory=dict)  # "source-only" and each strategy at its largest k, first seed
    source: object = None  # the two Datasets, for the feature views
    target: object = None

    def to_dict(self) -> dict:
        return {"source": self.config.source, "target": self.config.target, "source_test": self.source_test.to_dict(),
                "target_test": self.target_test.to_dict(), "source_accuracy": self.source_accuracy,
                "config": strategies.config_dict(self.config), "results": self.rows,
                "adversarial_curve": self.adversarial_curve, "selection": SELECTION}

    def row(self, strategy: str, k) -> dict | None:
        return next((r for r in self.rows if r["strategy"] == strategy and r["k"] == k), None)


def to_state(result: TransferResult) -> dict:
    """Plain data (kdcore.saved) from which `from_state` rebuilds everything the page shows: the numbers,
    DANN's curve and the kept models' weights. The domains are not stored (they can be tens of MB) but
    loaded again; their fingerprints make sure they are the same data."""
    return {"config": strategies.config_dict(result.config), "rows": result.rows,
            "source_accuracy": result.source_accuracy, "source_test": result.source_test.to_dict(),
            "target_test": result.target_test.to_dict(), "adversarial_curve": result.adversarial_curve,
            "models": {name: {k: v.cpu() for k, v in model.state_dict().items()} for name, model in result.models.items()},
            "fingerprints": [result.source.fingerprint, result.target.fingerprint]}


def from_state(state: dict) -> TransferResult:
    """The TransferResult `to_state` saved, its domains loaded again; raises KeyError, TypeError or
    ValueError for malformed data or domains that changed (DataUnavailable when one is gone)."""
    config = TransferConfig(**state["config"]).validate()
    source, target = domains.load_pair(config.source, config.target, size=config.size, align=config.align,
                                       data_dir=config.data_dir)
    if [source.fingerprint, target.fingerprint] != list(state["fingerprints"]):
        raise ValueError("the domains are not the data this run was trained on")
    models = {}
    for name, weights in state["models"].items():
        models[name] = strategies.build(config, source)
        models[name].load_state_dict(weights)
        models[name].eval()
    return TransferResult(config, list(state["rows"]), float(state["source_accuracy"]), test_set_of(state["source_test"]),
                          test_set_of(state["target_test"]), list(state["adversarial_curve"]), models, source, target)


def plan(names, ks) -> list[tuple[str, object]]:
    """(strategy, k) pairs to run: label-free strategies once at k = 0, the others at every k ≥ 1."""
    for name in names:
        strategies.get(name)
    ks = [budget.parse_k(k) for k in ks]
    labelled_ks = [k for k in ks if k != 0]
    if any(n not in LABEL_FREE for n in names) and not labelled_ks:
        raise ConfigError("needs_budget")
    return [(n, 0) for n in names if n in LABEL_FREE] + [(n, k) for n in names if n not in LABEL_FREE for k in labelled_ks]


def domain_curve(events, rows: list):
    """Re-yield DANN's events, appending {step, domain_accuracy, eval_accuracy, source_val_accuracy,
    lambd} to `rows` at each evaluation; return the run's value."""
    while True:
        try:
            event = next(events)
        except StopIteration as stop:
            return stop.value
        if isinstance(event, Epoch):
            m = event.metrics
            rows.append({"step": event.step, "domain_accuracy": m["domain_accuracy"], "eval_accuracy": m["accuracy"],
                         "source_val_accuracy": m["source_val_accuracy"], "lambd": m["lambd"]})
        yield event


def _rows(runs, scores: dict, seconds: dict, oracles: dict) -> list[dict]:
    """One row per (strategy, k) that has finished for at least one seed."""
    rows = []
    for n, k in runs:
        if (n, k) not in scores:
            continue
        per_seed, oracle = scores[n, k], oracles.get((n, k))
        rows.append({"strategy": n, "k": k, "mean": statistics.fmean(per_seed),
                     "sd": statistics.stdev(per_seed) if len(per_seed) > 1 else 0.0, "per_seed": per_seed,
                     "seconds": statistics.fmean(seconds[n, k])}
                    | ({"oracle_mean": statistics.fmean(oracle), "oracle_per_seed": oracle} if oracle else {}))
    return rows


def compare(config: TransferConfig, names, ks, seeds, pair=None):
    """Run every (strategy, k) for every seed; `pair` = (source, target) Datasets if already loaded.
    Fields of `config` left at None take the grey or colour recipe (strategies.RECIPES). After each
    run a Partial(result) holds every row finished so far."""
    config.validate()
    runs = plan(names, ks)
    seeds = list(seeds)
    check_seeds(seeds)
    device = devices.resolve(config.device)
    needs_source = any(n != "adversarial" for n, _ in runs)
    per_seed = [("source", None)] * needs_source + runs
    stages = Stages([1] * (len(seeds) * len(per_seed)))
    yield stages.phase(0, "data")
    if pair is None:
        config = config.with_recipe(domains.colour_pair(config.source, config.target, config.data_dir))
        pair = domains.load_pair(config.source, config.target, size=config.size, align=config.align,
                                 data_dir=config.data_dir)
    else:
        config = config.with_recipe(pair[0].in_shape[0] == 3)
    source, target = pair
    for name, k in runs:  # fail fast on a too-large k, before any training
        if name not in LABEL_FREE:
            budget.sample(target.y_train, k, 0)
    scores, seconds, oracles, models, curve, source_accuracy = {}, {}, {}, {}, [], float("nan")
    source_model = source_scores = None  # DANN alone trains no source model

    def result():
        return TransferResult(config, _rows(runs, scores, seconds, oracles), source_accuracy,
                              source.test_set, target.test_set, curve, models, source, target)
    for i, (seed, (name, k)) in enumerate((seed, run) for seed in seeds for run in per_seed):
        first = seed == seeds[0]
        yield stages.phase(i, name, seed=seed, x=k)
        if name == "source":
            events = strategies.pretrain_source(config, source, target, seed, device)
            source_model, accuracy, source_scores = yield from stages.run(i, events, phase=name, seed=seed)
            source_accuracy = accuracy if first else source_accuracy
            continue
        start = time.perf_counter()
        events = strategies.get(name)(config, source, target, k=k, seed=seed, source_model=source_model,
                                      device=device, scores=source_scores if needs_source else None)
        if name == "adversarial" and first:
            events = domain_curve(events, curve)
        model, accuracy, oracle = yield from stages.run(i, events, phase=name, seed=seed, x=k)
        scores.setdefault((name, k), []).append(accuracy)
        seconds.setdefault((name, k), []).append(time.perf_counter() - start)
        if oracle is not None:
            oracles.setdefault((name, k), []).append(oracle)
        if first:
            models[name] = model  # runs go in increasing k: this keeps the largest
        yield Partial(progress=stages.at(i, 1.0), result=result())
    yield Done(result=result())
