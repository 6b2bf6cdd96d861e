"""`kdlab nlp`: train a character-level teacher (cached), a scratch student and distilled students."""
import dataclasses

from ..bounded import read_capped
from ..errors import DataUnavailable
from ..events import Epoch, Phase
from ._common import SEED, add_device, add_json, emit, follow, int_in

CLI_METHODS = ("forward-kl", "reverse-kl", "sequence", "all")


def run(args) -> int:
    import torch

    from ..nlp import METHODS, NLPConfig, NLPExperiment, load
    from ..nlp.corpus import MAX_UPLOAD_BYTES

    if args.threads:
        torch.set_num_threads(args.threads)
    upload = None
    if args.corpus not in ("builtin", "shakespeare"):  # a path to the learner's own .txt
        try:
            upload = read_capped(args.corpus, MAX_UPLOAD_BYTES)
        except OSError as err:
            raise DataUnavailable("corpus_unreadable", path=args.corpus, reason=err.strerror) from None
    corpus = load("upload" if upload is not None else args.corpus, upload)
    defaults = NLPConfig()
    config = NLPConfig(
        teacher_training=defaults.teacher_training.with_steps(args.teacher_steps or defaults.teacher_training.steps),
        student_training=dataclasses.replace(
            defaults.student_training.with_steps(args.student_steps or defaults.student_training.steps), seed=args.seed),
        methods=METHODS if args.method == "all" else (args.method,),
        temperature=args.temperature, alpha=args.alpha, device=args.device)
    summary = follow(NLPExperiment(corpus, config).run(), args.json, describe).summary()
    lines = [f"{phase:>10}: {m['params']:>8,} params  {m['val_bpc']:.3f} bpc  {m['inference_tokens_per_second']:,.0f} chars/s"
             for phase, m in summary["models"].items()]
    emit(summary, args.json, "\n".join(lines + [f"total {summary['seconds']:.1f} s"]))
    return 0


def describe(event) -> str | None:
    """A progress line per validation measurement, and for a teacher loaded from the cache."""
    if isinstance(event, Phase) and event.cached:
        return f"{event.phase:>10}  loaded from cache  val bpc {event.info['bpc']:.3f}"
    if isinstance(event, Epoch):
        return f"[{100 * event.progress:3.0f}%] {event.phase:>10}  val bpc {event.metrics['bpc']:.3f}  ({event.elapsed:.1f} s)"
    return None


def register(subparsers) -> None:
    parser = subparsers.add_parser("nlp", help="distil a character-level language model into a small student")
    parser.add_argument("--corpus", default="builtin", help="builtin (Python's own docs), shakespeare, or a path to a UTF-8 .txt")
    parser.add_argument("--method", default="forward-kl", choices=CLI_METHODS, help="distillation variant ('all' runs every one)")
    parser.add_argument("--temperature", type=float, default=1.0, help="T of the token-level KL (default 1)")
    parser.add_argument("--alpha", type=float, default=0.5, help="weight of the distillation term (default 0.5)")
    parser.add_argument("--seed", type=SEED, default=0, help="student initialisation and batch order")
    parser.add_argument("--teacher-steps", type=int, default=0, help="override the teacher's training steps")
    parser.add_argument("--student-steps", type=int, default=0, help="override every student's training steps")
    parser.add_argument("--threads", type=int_in(0, 1024), default=0, help="torch CPU threads (0 = torch's default)")
    add_device(parser)
    add_json(parser)
    parser.set_defaults(run=run)
