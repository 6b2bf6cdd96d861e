"""The verdict rule every gallery card fixes before it runs: does our scaled run show the paper's
effect? The effect is the difference of two measured accuracies, `better` − `worse`, in the
direction the paper reports; its noise is kdcore.readout's (the larger of the two seed spreads and
the test set's sampling error).

- reproduced: the effect has the paper's sign and exceeds twice the noise;
- not reproduced: the opposite sign, beyond twice the noise;
- within noise: a difference of either sign within twice the noise — a run this small cannot tell,
  and a small difference of the wrong sign refutes the paper no more than one of the right sign
  confirms it.
"""
import statistics
from dataclasses import dataclass

from .. import readout

VERDICTS = ("reproduced", "within_noise", "not_reproduced")


def mean_sd(values: list[float]) -> tuple[float, float]:
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


@dataclass(frozen=True)
class Effect:
    better: str  # the arm the paper finds better (e.g. "kd")
    worse: str  # the arm it beats (e.g. "hard")

    def judge(self, per_seed: list[dict], n: int) -> dict:
        """per_seed: one {arm: accuracy} per seed; n: test predictions behind each accuracy.
        Returns effect_points (mean difference), noise_points and the verdict."""
        better, better_sd = mean_sd([row[self.better] for row in per_seed])
        worse, worse_sd = mean_sd([row[self.worse] for row in per_seed])
        level = readout.noise(better, n * len(per_seed), better_sd, worse_sd)
        difference = better - worse
        verdict = {"gain": "reproduced", "noise": "within_noise", "loss": "not_reproduced"}[
            readout.verdict(difference, level)]
        return {"effect_points": 100 * difference, "noise_points": 100 * level, "verdict": verdict}
