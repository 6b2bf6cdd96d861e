"""`kdlab compare`: distillation methods side by side with the same teacher, student and seeds.

    kdlab compare --methods kd fitnet sp --seeds 0 1 2 --json
"""
from .. import registry
from ..compare import CompareConfig, run_compare
from ..errors import ConfigError
from ._common import add_run_options, emit, follow, run_config

DEFAULTS = CompareConfig()


def parse_overrides(items: list[str]) -> tuple:
    """["at.beta=500", ...] → (("at", "beta", 500.0), ...)."""
    overrides = []
    for item in items:
        name, _, rest = item.partition(".")
        key, _, value = rest.partition("=")
        try:
            overrides.append((name, key, float(value)))
        except ValueError:
            raise ConfigError("set_syntax", item=item) from None
    return tuple(overrides)


def set_help() -> str:
    """Every METHOD.PARAM the registry declares, with its default and range: the --set flag's help."""
    names = [f"{name}.{key}={rule.default:g} {rule.interval}" for name, cls in registry.ENTRIES.items()
             for key, rule in cls.hyper.items()]
    return "override a hyper-parameter, e.g. --set at.beta=500 (repeatable); defaults: " + ", ".join(names)


def table(result: dict) -> str:
    baseline = result["baseline"]["mean"]
    lines = [f"teacher {100 * result['teacher_accuracy']:.2f}%  ({result['test_set']['text']})",
             f"{'method':12s} {'mean %':>7s} {'sd':>6s} {'vs hard':>8s} {'s/run':>7s}"]
    for row in result["results"]:
        lines.append(f"{row['method']:12s} {100 * row['mean']:7.2f} {100 * row['sd']:6.2f} "
                     f"{100 * (row['mean'] - baseline):+8.2f} {row['seconds']:7.1f}")
    lines.append(f"total {result['seconds']:.1f} s")
    return "\n".join(lines)


def started(event) -> str | None:
    if event.phase == "teacher" and getattr(event, "cached", False):
        return "teacher: loaded from cache"
    if getattr(event, "step", None) == 1 and event.phase != "teacher":
        return f"[{100 * event.progress:3.0f}%] {event.phase} (seed {event.seed})"
    return None


def run(args) -> int:
    config = CompareConfig(run_config(args, DEFAULTS.run), tuple(args.methods), parse_overrides(args.set))
    result = follow(run_compare(config), args.json, started).to_dict()
    emit(result, args.json, table(result))
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("compare", help="compare distillation methods (mean ± sd over seeds, time per method)")
    p.add_argument("--methods", nargs="+", default=list(DEFAULTS.methods),
                   help="methods and schemes to compare (`kdlab methods --schemes` lists them); hard labels always run")
    p.add_argument("--set", action="append", default=[], metavar="METHOD.PARAM=VALUE", help=set_help())
    add_run_options(p, DEFAULTS.run, method=False)
    p.set_defaults(run=run)
