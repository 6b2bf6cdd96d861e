"""Plain-words readouts as numbers: is a difference of two measurements beyond noise?

The noise of a difference is the larger of the seed-to-seed spreads and the sampling error of a
difference of two means, each of n measurements with spread sd: sd·sqrt(2 / n). For accuracies near p
the measurements are right/wrong predictions, sd = sqrt(p (1 − p)); for a language model's bits per
character they are the validation windows' bpc. A difference counts as a gain or a loss only beyond
twice that noise. Pages and the gallery turn the verdicts into sentences; with one seed the spread
is unknown and the readout says so.
"""
import math


def sampling(sd: float, n: int) -> float:
    """Sampling error of a difference of two means, each of `n` measurements with spread `sd`."""
    return sd * math.sqrt(2 / max(n, 1))


def noise(p: float, n: int, *sds: float) -> float:
    """Noise of a difference of two accuracies near `p`, each measured on `n` test predictions."""
    return max(*sds, sampling(math.sqrt(p * (1 - p)), n), 0.0)


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


def lower_bpc(better: dict, worse: dict) -> dict:
    """Two language models' validation bits per character (lower is better; each a summary entry with
    val_bpc, val_window_sd, val_windows): how much lower `better`'s is, its noise and the verdict."""
    level = max(sampling(m["val_window_sd"], m["val_windows"]) for m in (better, worse))
    lower = worse["val_bpc"] - better["val_bpc"]
    return {"lower_bpc": lower, "noise_bpc": level, "verdict": verdict(lower, level)}


def students(models: dict) -> dict:
    """An NLP run's students (summary["models"]): each distilled one against the student from scratch
    (method, lower_bpc, noise_bpc, verdict), and the best student against the runner-up."""
    ranked = sorted((p for p in models if p != "teacher"), key=lambda p: models[p]["val_bpc"])
    return {"against_scratch": [{"method": p, **lower_bpc(m, models["scratch"])} for p, m in models.items()
                                if p not in ("teacher", "scratch")],
            "best": ranked[0], "runner_up": ranked[1], "lead": lower_bpc(models[ranked[0]], models[ranked[1]])}
