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
from ..errors import ConfigError
from ..events import Done, Epoch, Stages, Step
from . import budget, domains, strategies
from .strategies import LABEL_FREE, TransferConfig


@dataclass(eq=False)
class TransferResult:
    config: TransferConfig
    rows: list  # [{strategy, k, mean, sd, per_seed, seconds}], accuracies in [0, 1]
    source_accuracy: float  # the source model on the source's own test set (seed of the first run)
    source_description: str
    target_description: str
    adversarial_curve: list = field(default_factory=list)  # [{step, domain_accuracy, eval_accuracy, lambd}] first seed
    models: dict = field(default_factory=dict)  # "source-only" and each strategy at its largest k, first seed
    source: object = None  # the two Datasets, for the feature views
    target: object = None

    def to_dict(self) -> dict:
        return {"source": self.config.source, "target": self.config.target, "source_test": self.source_description,
                "target_test": self.target_description, "source_accuracy": self.source_accuracy,
                "config": strategies.config_dict(self.config), "results": self.rows,
                "adversarial_curve": self.adversarial_curve}

    def row(self, strategy: str, k) -> dict | None:
        return next((r for r in self.rows if r["strategy"] == strategy and r["k"] == k), None)


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
    """Re-yield DANN's events, appending {step, domain_accuracy, eval_accuracy, lambd} to `rows` at
    each evaluation; return the run's (model, accuracy)."""
    step = 0
    while True:
        try:
            event = next(events)
        except StopIteration as stop:
            return stop.value
        step = event.step if isinstance(event, Step) else step
        if isinstance(event, Epoch):
            rows.append({"step": step, "domain_accuracy": event.metrics["domain_accuracy"],
                         "eval_accuracy": event.metrics["accuracy"], "lambd": event.metrics["lambd"]})
        yield event


def compare(config: TransferConfig, names, ks, seeds, pair=None):
    """Run every (strategy, k) for every seed; `pair` = (source, target) Datasets if already loaded."""
    config.validate()
    runs = plan(names, ks)
    seeds = list(seeds)
    if not seeds:
        raise ConfigError("no_seeds")
    device = devices.resolve(config.device)
    needs_source = any(n != "adversarial" for n, _ in runs)
    per_seed = [("source", None)] * needs_source + runs
    stages = Stages([1] * (len(seeds) * len(per_seed)))
    yield stages.phase(0, "data")
    source, target = pair or domains.load_pair(config.source, config.target, size=config.size, align=config.align,
                                               data_dir=config.data_dir)
    for name, k in runs:  # fail fast on a too-large k, before any training
        if name not in LABEL_FREE:
            budget.sample(target.y_train, k, 0)
    scores, seconds, models, curve, source_accuracy = {}, {}, {}, [], float("nan")
    for i, (seed, (name, k)) in enumerate((seed, run) for seed in seeds for run in per_seed):
        first = seed == seeds[0]
        yield stages.phase(i, name, seed=seed, x=k)
        if name == "source":
            events = strategies.pretrain_source(config, source, seed, device)
            source_model, accuracy = yield from stages.run(i, events, phase=name, seed=seed)
            source_accuracy = accuracy if first else source_accuracy
            continue
        start = time.perf_counter()
        events = strategies.get(name)(config, source, target, k=k, seed=seed, source_model=source_model, device=device)
        if name == "adversarial" and first:
            events = domain_curve(events, curve)
        model, accuracy = yield from stages.run(i, events, phase=name, seed=seed, x=k)
        scores.setdefault((name, k), []).append(accuracy)
        seconds.setdefault((name, k), []).append(time.perf_counter() - start)
        if first:
            models[name] = model  # runs go in increasing k: this keeps the largest
    rows = [{"strategy": n, "k": k, "mean": statistics.fmean(scores[n, k]),
             "sd": statistics.stdev(scores[n, k]) if len(seeds) > 1 else 0.0, "per_seed": scores[n, k],
             "seconds": statistics.fmean(seconds[n, k])} for n, k in runs]
    yield Done(result=TransferResult(config, rows, source_accuracy, source.test_description, target.test_description,
                                     curve, models, source, target))
