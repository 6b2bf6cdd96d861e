"""What a comparison's numbers mean, as (message key, values) pairs that a page translates.

Every statement is derived from the measured rows: gains over the baseline that uses the same target
labels, and for adversarial transfer whether it helped, and if not, which of the usual reasons the
measurements point to.
"""
from .runner import TransferResult

NOISE_POINTS = 1.0  # differences below this many points are reported as "no real difference"
CLOSE_DOMAINS = 0.9  # source-only at or above this: little domain gap left for adaptation to close
SEPARABLE = 0.7  # final domain-classifier accuracy above this: the features still tell domains apart


def _points(a: dict, b: dict) -> float:
    return 100 * (a["mean"] - b["mean"])


def readout(result: TransferResult) -> list[tuple[str, dict]]:
    lines = []
    source_only = result.row("source-only", 0)
    if source_only:
        lines.append(("read_gap", {"source": 100 * result.source_accuracy, "target": 100 * source_only["mean"]}))
    for strategy in ("feature", "model"):
        for row in (r for r in result.rows if r["strategy"] == strategy):
            baseline = result.row("target-only", row["k"])
            if baseline:
                gain = _points(row, baseline)
                key = "read_gain" if gain >= NOISE_POINTS else "read_no_gain"
                lines.append((key, {"strategy": strategy, "k": row["k"], "points": gain,
                                    "ours": 100 * row["mean"], "base": 100 * baseline["mean"]}))
    adversarial = result.row("adversarial", 0)
    if adversarial and source_only:
        gain = _points(adversarial, source_only)
        values = {"points": gain, "ours": 100 * adversarial["mean"], "base": 100 * source_only["mean"],
                  "sd": 100 * adversarial["sd"]}
        if gain >= NOISE_POINTS:
            lines.append(("read_dann_helps", values))
        else:
            final_domain = result.adversarial_curve[-1]["domain_accuracy"] if result.adversarial_curve else None
            lines.append(("read_dann_no_help", values))
            if source_only["mean"] >= CLOSE_DOMAINS:
                lines.append(("why_close", {"base": 100 * source_only["mean"]}))
            elif final_domain is not None and final_domain > SEPARABLE:
                lines.append(("why_separable", {"domain": 100 * final_domain}))
            else:
                lines.append(("why_misaligned", {"domain": 100 * (final_domain or 0.5)}))
    if result.config.align:
        lines.append(("read_align_on", {}))
    else:
        lines.append(("read_align_off", {}))
    return lines
