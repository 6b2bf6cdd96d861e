"""`kdlab methods`: the registered distillation methods (`--schemes` adds the training schemes),
each with its paper, what it consumes and its hyper-parameters (default and range), all read
from the classes; `--json` gives the same as one object."""
from .. import methods, registry, schemes
from ._common import add_json, emit


def describe(cls) -> dict:
    """What a method or scheme class declares about itself (schemes consume no loop outputs)."""
    entry = {"paper": cls.paper, "formula_tex": cls.formula_tex}
    if cls.name in methods.METHODS:
        entry["consumes"] = sorted(cls.consumes)
    entry["hyper"] = {key: {"default": rule.default, "low": rule.low, "high": rule.high, "low_open": rule.low_open,
                            "integer": rule.integer, "doc": rule.doc} for key, rule in cls.hyper.items()}
    return entry


def text(name: str, cls) -> str:
    lines = [f"{name}  {cls.paper}"]
    if cls.name in methods.METHODS:
        lines.append(f"    consumes: {', '.join(sorted(cls.consumes))}")
    lines += [f"    {key} = {rule.default:g}  {rule.interval}  {rule.doc}" for key, rule in cls.hyper.items()]
    return "\n".join(lines)


def run(args) -> int:
    names = list(methods.METHODS) + (list(schemes.SCHEMES) if args.schemes else [])
    table = {"methods": {name: describe(registry.get(name)) for name in methods.METHODS}}
    if args.schemes:
        table["schemes"] = {name: describe(registry.get(name)) for name in schemes.SCHEMES}
    emit(table, args.json, "\n".join(text(name, registry.get(name)) for name in names))
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("methods", help="list the distillation methods: paper, inputs, hyper-parameters")
    p.add_argument("--schemes", action="store_true", help="also list the training schemes (born-again, ensemble, ...)")
    add_json(p)
    p.set_defaults(run=run)
