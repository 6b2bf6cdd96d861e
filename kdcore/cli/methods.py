"""`kdlab methods`: the registered distillation methods, one name per line (`--schemes` adds the
training schemes; `--json` gives what each consumes and its hyper-parameter defaults)."""
from .. import methods, schemes
from ._common import add_json, emit


def describe(cls_or_function) -> str:
    return (cls_or_function.__doc__ or "").strip().splitlines()[0]


def run(args) -> int:
    names = list(methods.METHODS) + (list(schemes.SCHEMES) if args.schemes else [])
    table = {"methods": {name: {"consumes": sorted(cls.consumes), "hyper": methods.hyper_parameters(name),
                                "summary": describe(cls)} for name, cls in methods.METHODS.items()},
             "schemes": {name: {"hyper": schemes.hyper_parameters(name), "summary": describe(function)}
                         for name, function in schemes.SCHEMES.items()}}
    emit(table, args.json, "\n".join(names))
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("methods", help="list the registered distillation methods")
    p.add_argument("--schemes", action="store_true", help="also list the training schemes (born-again, ensemble, ...)")
    add_json(p)
    p.set_defaults(run=run)
