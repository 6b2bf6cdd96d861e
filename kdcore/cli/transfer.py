"""`kdlab transfer`: compare transfer strategies from a source to a target domain.

    kdlab transfer --source mnist5k --target digits --strategies target-only feature model adversarial \
        --k 1 5 10 --seeds 0 1 2 --json
    kdlab transfer --target ../shared/data/usps/usps16.npz --k 1 10
"""

from ..events import Phase
from ..transfer import STRATEGIES, TransferConfig, compare
from ..transfer.domains import BUILTIN
from ._common import SEED, add_device, add_json, emit, follow

DEFAULTS = TransferConfig()


def _text(result) -> str:
    lines = [f"{result.config.source} → {result.config.target} (target test: {result.target_description}; "
             f"source model on its own test set: {100 * result.source_accuracy:.1f}%)",
             f"{'strategy':<13}{'k':>5}{'accuracy %':>14}{'seconds':>10}"]
    for r in result.rows:
        lines.append(f"{r['strategy']:<13}{r['k']!s:>5}{100 * r['mean']:>8.1f} ± {100 * r['sd']:<4.1f}{r['seconds']:>9.1f}")
    return "\n".join(lines)


def describe(event) -> str | None:
    """A line as each run starts: source pretraining, or a strategy at a label budget k."""
    if isinstance(event, Phase) and event.phase != "data":
        loaded = ": loaded from cache" if event.cached else ""
        return f"[{100 * event.progress:5.1f}%] {event.phase} k={event.x} seed={event.seed}{loaded}"
    return None


def run(args) -> int:
    config = TransferConfig(source=args.source, target=args.target, size=args.size, align=not args.no_align,
                            source_steps=args.source_steps, target_steps=args.target_steps, lr=args.lr,
                            body_lr_scale=args.body_lr_scale, data_dir=args.data_dir, device=args.device)
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
    parser.add_argument("--size", type=int, default=DEFAULTS.size, help="common image size in pixels")
    parser.add_argument("--no-align", action="store_true", help="do not crop empty borders (plain resize)")
    parser.add_argument("--source-steps", type=int, default=DEFAULTS.source_steps,
                        help="source pretraining steps = DANN steps")
    parser.add_argument("--target-steps", type=int, default=DEFAULTS.target_steps, help="steps on the k-shot target set")
    parser.add_argument("--lr", type=float, default=DEFAULTS.lr)
    parser.add_argument("--body-lr-scale", type=float, default=DEFAULTS.body_lr_scale,
                        help="model transfer: body LR = lr × this")
    parser.add_argument("--data-dir", default=None, help="where torchvision domains (mnist, usps, svhn) live")
    add_device(parser)
    add_json(parser)
    parser.set_defaults(run=run)
