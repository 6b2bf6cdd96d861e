"""`kdlab gallery`: the paper gallery's cards from the command line.

    kdlab gallery list                                  # one card name a line
    kdlab gallery run hinton-soft-targets --seeds 0 1 2 --json
    kdlab gallery run all --json                        # {"cards": [{name, paper_value, ours_mean, ours_sd, per_seed, verdict, seconds}, ...]}
Results are cached per card, settings and seed: the second run of a card is instant."""
from .. import gallery
from ._common import add_device, add_json, emit, follow


def summary(card: dict) -> str:
    paper = "—" if card["paper_value"] is None else f"{card['paper_value']:.2f}"
    return (f"{card['name']}: paper {paper}, ours {card['ours_mean']:.2f} ± {card['ours_sd']:.2f} "
            f"({card['verdict'].replace('_', ' ')}; effect {card['effect_points']:+.2f} points, noise "
            f"{card['noise_points']:.2f}; {card['seconds']:.1f} s)")


def run(args) -> int:
    if args.action == "list":
        print("\n".join(gallery.CARDS))
        return 0
    names = list(gallery.CARDS) if args.name == "all" else [gallery.get(args.name).name]
    cards = [follow(gallery.run_card(gallery.CARDS[name], tuple(args.seeds), args.device), args.json).to_dict()
             for name in names]
    emit({"cards": cards}, args.json, "\n".join(summary(card) for card in cards))
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("gallery", help="classic distillation results at laptop scale: the paper's figure beside ours")
    p.add_argument("action", choices=["list", "run"])
    p.add_argument("name", nargs="?", default="all", help="a card name (see `kdlab gallery list`) or all")
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    add_device(p)
    add_json(p)
    p.set_defaults(run=run)
