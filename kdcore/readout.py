"""Plain-words readouts as numbers: is a difference of two test accuracies beyond noise?

The noise of a difference is the larger of the seed-to-seed spreads and the sampling error of a
difference of two accuracies near p measured on n test predictions, sqrt(2 p (1 − p) / n); a
difference counts as a gain or a loss only beyond twice that noise. Pages and the gallery turn the
verdicts into sentences; with one seed the spread is unknown and the readout says so.
"""
import math


def noise(p: float, n: int, *sds: float) -> float:
    """Noise of a difference of two accuracies near `p`, each measured on `n` test predictions."""
    return max(*sds, math.sqrt(2 * p * (1 - p) / max(n, 1)), 0.0)


def verdict(difference: float, noise_level: float) -> str:
    """"gain" or "loss" beyond twice the noise, else "noise"."""
    return "gain" if difference > 2 * noise_level else "loss" if difference < -2 * noise_level else "noise"


def against_baseline(rows: list[dict], n_test: int) -> list[dict]:
    """Each row (method, mean, sd, per_seed) after the first against the first (the baseline):
    method, gain_points, noise_points, verdict."""
    base = rows[0]
    out = []
    for row in rows[1:]:
        level = noise(row["mean"], n_test * len(row["per_seed"]), row["sd"], base["sd"])
        out.append({"method": row["method"], "gain_points": 100 * (row["mean"] - base["mean"]),
                    "noise_points": 100 * level, "verdict": verdict(row["mean"] - base["mean"], level)})
    return out


def sweep(points: list[dict], baseline: list[dict], n_test: int) -> dict:
    """A sweep's shape: does KD's accuracy move with the swept value beyond noise ("varies") or not
    ("flat"), its best value, and the verdict of KD against hard labels there."""
    best = max(range(len(points)), key=lambda i: points[i]["mean"])
    worst = min(range(len(points)), key=lambda i: points[i]["mean"])
    top, low = points[best], points[worst]
    spread = noise(top["mean"], n_test * len(top["per_seed"]), top["sd"], low["sd"])
    versus = against_baseline([baseline[best], {**top, "method": "kd"}], n_test)[0]
    return {"shape": "varies" if top["mean"] - low["mean"] > 2 * spread else "flat", "best_x": top["x"],
            "worst_x": low["x"], "range_points": 100 * (top["mean"] - low["mean"]), "noise_points": 100 * spread,
            "best_gain_points": versus["gain_points"], "best_verdict": versus["verdict"],
            "seeds": len(top["per_seed"])}
