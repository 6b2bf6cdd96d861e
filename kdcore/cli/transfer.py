"""`kdlab transfer`: compare transfer strategies from a source to a target domain.

    kdlab transfer --source mnist5k --target digits --strategies target-only feature model adversarial \
        --k 1 5 10 --seeds 0 1 2 --json
    kdlab transfer --target ../shared/data/usps/usps16.npz --k 1 10
    kdlab transfer --target mnist-m --strategies source-only adversarial --seeds 0 1 2

Settings left out take the grey recipe (16 px) or, when either domain is colour, the colour recipe
(32 × 32 × 3, the DANN paper's network and schedule): kdcore.transfer.strategies.RECIPES.
"""

from ..events import Phase
from ..transfer import STRATEGIES, TransferConfig, compare
from ..transfer.adversarial import SCHEDULE
from ..transfer.domains import BUILTIN
from ..transfer.strategies import RECIPES
from ._common import SEED, add_device, add_json, emit, follow

DEFAULTS = TransferConfig()


def _text(result) -> str:
    c = result.config
    lines = [(f"{c.source} → {c.target} (target test: {result.target_test.describe()}; "
              f"source model on its own test set: {100 * result.source_accuracy:.1f}%)"),
             (f"{c.size} px, {c.family} width {c.width}, {c.source_steps} source steps, {c.schedule} lr {c.lr:g}; "
              f"label-free runs stop at their best source-validation checkpoint"),
             f"{'strategy':<13}{'k':>5}{'accuracy %':>14}{'seconds':>10}{'oracle % (cheating)':>22}"]
    for r in result.rows:
        oracle = f"{100 * r['oracle_mean']:>14.1f}" if "oracle_mean" in r else ""
        lines.append(f"{r['strategy']:<13}{r['k']!s:>5}{100 * r['mean']:>8.1f} ± {100 * r['sd']:<4.1f}"
                     f"{r['seconds']:>9.1f}{oracle}")
    return "\n".join(lines)


def describe(event) -> str | None:
    """A line as each run starts: source pretraining, or a strategy at a label budget k."""
    if isinstance(event, Phase) and event.phase != "data":
        loaded = ": loaded from cache" if event.cached else ""
        return f"[{100 * event.progress:5.1f}%] {event.phase} k={event.x} seed={event.seed}{loaded}"
    return None


def run(args) -> int:
    config = TransferConfig(source=args.source, target=args.target, size=args.size, align=not args.no_align,
                            width=args.width, source_steps=args.source_steps, target_steps=args.target_steps,
                            lr=args.lr, schedule=args.schedule, body_lr_scale=args.body_lr_scale,
                            entropy=args.entropy, data_dir=args.data_dir, device=args.device)
    result = follow(compare(config, args.strategies, args.k, args.seeds), args.json, describe)
    emit(result.to_dict(), args.json, _text(result))
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("transfer", help="feature / model / adversarial transfer between digit domains")
    domains = f"built-in: {', '.join(BUILTIN)}; or a .npz file with train_images, train_labels, test_images, test_labels"
    parser.add_argument("--source", default=DEFAULTS.source, help=f"source domain ({domains})")
    parser.add_argument("--target", default=DEFAULTS.target, help="target domain (same choices)")
    parser.add_argument("--strategies", nargs="+", default=list(STRATEGIES), metavar="NAME",
                        help=f"any of {', '.join(STRATEGIES)} (default: all)")
    parser.add_argument("--k", nargs="+", default=["1", "5", "10"], metavar="K",
                        help="labelled target images per class, or 'all' (source-only and adversarial use k = 0)")
    parser.add_argument("--seeds", nargs="+", type=SEED, default=[0, 1, 2])
    grey, colour = RECIPES["grey"], RECIPES["colour"]

    def recipe(name):
        return f"default: {grey[name]} grey, {colour[name]} colour"
    parser.add_argument("--size", type=int, default=None, help=f"common image size in pixels ({recipe('size')})")
    parser.add_argument("--no-align", action="store_true", help="grey pairs: do not crop empty borders (plain resize)")
    parser.add_argument("--width", type=int, default=None, help=f"first conv layer's channels ({recipe('width')})")
    parser.add_argument("--source-steps", type=int, default=None,
                        help=f"source pretraining steps = DANN steps ({recipe('source_steps')})")
    parser.add_argument("--target-steps", type=int, default=DEFAULTS.target_steps, help="steps on the k-shot target set")
    parser.add_argument("--lr", type=float, default=None, help=f"μ₀ or peak learning rate ({recipe('lr')})")
    parser.add_argument("--schedule", choices=SCHEDULE.options, default=None,
                        help=f"anneal: SGD, μ₀/(1+10p)^0.75; one-cycle: Adam ({recipe('schedule')})")
    parser.add_argument("--body-lr-scale", type=float, default=DEFAULTS.body_lr_scale,
                        help="model transfer: body LR = lr × this")
    parser.add_argument("--entropy", type=float, default=DEFAULTS.entropy,
                        help="DANN: weight of the entropy of its target predictions (0: the paper's loss)")
    parser.add_argument("--data-dir", default=None, help="where torchvision domains (mnist, usps, svhn) live")
    add_device(parser)
    add_json(parser)
    parser.set_defaults(run=run)
