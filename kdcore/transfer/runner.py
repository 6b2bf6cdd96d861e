"""A comparison: strategies × label budgets k × seeds on one domain pair, as one metric generator.

Records carry "phase" (source / a strategy), "strategy", "k", "seed" and "overall" progress (0–1);
the last one has "result": a TransferResult. The source model is pretrained once per seed (and cached
on disk), then shared by source-only, feature and model transfer.
"""
import statistics
from dataclasses import dataclass, field


from .. import device as devices
from ..errors import ConfigError
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
        raise ConfigError("Target-only, feature and model transfer need a label budget k ≥ 1; add one (e.g. k = 5).")
    return [(n, 0) for n in names if n in LABEL_FREE] + [(n, k) for n in names if n not in LABEL_FREE for k in labelled_ks]


def compare(config: TransferConfig, names, ks, seeds, pair=None):
    """Run every (strategy, k) for every seed; `pair` = (source, target) Datasets if already loaded."""
    config.validate()
    runs = plan(names, ks)
    seeds = list(seeds)
    if not seeds:
        raise ConfigError("Give at least one seed.")
    device = devices.resolve(config.device)
    yield {"phase": "data", "overall": 0.0}
    source, target = pair or domains.load_pair(config.source, config.target, size=config.size, align=config.align,
                                               data_dir=config.data_dir)
    for name, k in runs:  # fail fast on a too-large k, before any training
        if name not in LABEL_FREE:
            budget.sample(target.y_train, k, 0)
    needs_source = any(n != "adversarial" for n, _ in runs)
    total = len(seeds) * (len(runs) + needs_source)
    done, scores, seconds, models, curve, source_accuracy = 0, {}, {}, {}, [], float("nan")
    for seed in seeds:
        source_model = None
        if needs_source:
            for record in strategies.pretrain_source(config, source, seed, device):
                yield {**record, "seed": seed, "overall": (done + record.get("progress", 0)) / total, "final": False}
            source_model, done = record["model"], done + 1
            if seed == seeds[0]:
                source_accuracy = record["source_accuracy"]
        for name, k in runs:
            for record in strategies.get(name)(config, source, target, k=k, seed=seed, source_model=source_model,
                                               device=device):
                if name == "adversarial" and seed == seeds[0] and "eval_accuracy" in record:
                    curve.append({key: record[key] for key in ("step", "domain_accuracy", "eval_accuracy", "lambd")})
                yield {**record, "strategy": name, "k": k, "seed": seed, "final": False,
                       "overall": (done + record.get("progress", 0)) / total}
            scores.setdefault((name, k), []).append(record["accuracy"])
            seconds.setdefault((name, k), []).append(record["seconds"])
            if seed == seeds[0]:
                models[name] = record["model"]  # runs go in increasing k: this keeps the largest
            done += 1
    rows = [{"strategy": n, "k": k, "mean": statistics.fmean(scores[n, k]),
             "sd": statistics.stdev(scores[n, k]) if len(seeds) > 1 else 0.0, "per_seed": scores[n, k],
             "seconds": statistics.fmean(seconds[n, k])} for n, k in runs]
    result = TransferResult(config, rows, source_accuracy, source.test_description, target.test_description, curve,
                            models, source, target)
    yield {"phase": "done", "overall": 1.0, "final": True, "result": result}
