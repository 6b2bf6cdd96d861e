"""Running a card: each seed's measurement comes from the cache or from the card's runner (then
cached); a Partial(CardResult) follows each seed, so a Stop keeps the finished ones, and
Done(CardResult) carries the paper's figure, ours (mean ± sd, per seed) and the verdict."""
import time
from dataclasses import dataclass

from ..events import Done, Partial, Stages
from . import store
from .card import Card, Measurement
from .verdict import mean_sd


@dataclass(frozen=True)
class SeedRun:
    seed: int
    measurement: Measurement
    seconds: float  # what the seed cost when it ran (also when read from the cache)
    cached: bool


@dataclass(frozen=True)
class CardResult:
    card: Card
    runs: tuple[SeedRun, ...]  # the finished seeds, in order
    seconds: float  # wall time of this call (cached seeds cost nothing)

    @property
    def per_seed_values(self) -> list[dict]:
        return [run.measurement.values for run in self.runs]

    def arm(self, name: str) -> tuple[float, float]:
        return mean_sd([values[name] for values in self.per_seed_values])

    def ours(self) -> list[float]:
        """The headline per seed, in points: the effect (better − worse), or the headline arm's accuracy."""
        if self.card.headline is not None:
            return [100 * v[self.card.headline] for v in self.per_seed_values]
        rule = self.card.rule
        return [100 * (v[rule.better] - v[rule.worse]) for v in self.per_seed_values]

    def share(self) -> float | None:
        """The effect as a share of the gain of the card's `share_of` arm over `worse` (from the means),
        e.g. how much of an ensemble's gain a distilled student keeps; None without a positive gain."""
        if self.card.share_of is None:
            return None
        worse = self.arm(self.card.rule.worse)[0]
        gain = self.arm(self.card.share_of)[0] - worse
        return (self.arm(self.card.rule.better)[0] - worse) / gain if gain > 0 else None

    def judged(self) -> dict:
        return self.card.rule.judge(self.per_seed_values, self.runs[0].measurement.n)

    def to_dict(self) -> dict:
        """One card of `kdlab gallery run --json`."""
        ours = self.ours()
        mean, sd = mean_sd(ours)
        return {"name": self.card.name, "paper_value": self.card.figure.value, "paper_text": self.card.figure.text,
                "paper_source": self.card.figure.source, "ours_mean": mean, "ours_sd": sd, "per_seed": ours,
                "seeds": [run.seed for run in self.runs], **self.judged(), "share": self.share(),
                "arms": {arm: dict(zip(("mean", "sd"), self.arm(arm))) for arm in self.card.arms},
                "n_test": self.runs[0].measurement.n, "seconds": self.seconds,
                "run_seconds": sum(run.seconds for run in self.runs), "cached": all(run.cached for run in self.runs)}


    def to_state(self) -> dict:
        """Plain data for a saved view (kdcore.saved): the card and each finished seed's entry."""
        return {"card": self.card.name, "runs": [store.entry(self.card, run.seed, run.measurement, run.seconds)
                                                 for run in self.runs]}


def from_state(state: dict, card: Card) -> CardResult:
    """The CardResult of a saved view of `card`; raises ValueError when a seed's entry is not what `to_state` wrote."""
    runs = []
    for data in state["runs"]:
        seed = data["seed"] if isinstance(data, dict) else None
        parsed = store.parse(data, card, seed)
        if parsed is None:
            raise ValueError(f"not a result of the card {card.name!r}")
        runs.append(SeedRun(seed, *parsed, True))
    if not runs:
        raise ValueError("no finished seed")
    return CardResult(card, tuple(runs), 0.0)


def config_for(card: Card, device: str = "auto"):
    return card.config.replace(device=device)


def cached(card: Card, seeds, device: str = "auto") -> CardResult | None:
    """What the cache already holds for these seeds (None when no seed is cached): the gallery grid."""
    config = config_for(card, device)
    runs = []
    for seed in seeds:
        entry = store.load(card, config, seed)
        if entry is not None:
            runs.append(SeedRun(seed, entry[0], entry[1], True))
    return CardResult(card, tuple(runs), 0.0) if runs else None


def run_card(card: Card, seeds=(0, 1, 2), device: str = "auto", data=None):
    """Generator of events: the uncached seeds run one after another (phase and seed tagged by the
    card's runner), a Partial after each seed, then Done(CardResult)."""
    config = config_for(card, device).replace(seeds=tuple(seeds)).validate()
    start = time.perf_counter()
    found = {seed: store.load(card, config, seed) for seed in seeds}
    todo = [seed for seed in seeds if found[seed] is None]
    stages = Stages([1.0] * len(todo))
    if todo and data is None:
        data = card.load(config) if card.load else config.load_data()
    runs = []
    for seed in seeds:
        if found[seed] is None:
            index, seed_start = todo.index(seed), time.perf_counter()
            measurement = yield from stages.run(index, card.measure(config.replace(seeds=(seed,)), seed, data))
            seconds = time.perf_counter() - seed_start
            store.save(card, config, seed, measurement, seconds)
            runs.append(SeedRun(seed, measurement, seconds, False))
        else:
            runs.append(SeedRun(seed, *found[seed], True))
        result = CardResult(card, tuple(runs), time.perf_counter() - start)
        ran = sum(not run.cached for run in runs)
        yield Partial(progress=stages.at(ran - 1, 1.0) if ran else 0.0, result=result)
    yield Done(result=result)
