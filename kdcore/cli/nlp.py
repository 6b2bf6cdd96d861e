"""`kdlab nlp`: train a character-level teacher (cached), a scratch student and distilled students."""
import dataclasses
from pathlib import Path

from ..errors import DataUnavailable
from ._common import add_device, add_json, emit, progress

CLI_METHODS = ("forward-kl", "reverse-kl", "sequence", "all")


def run(args) -> int:
    import torch

    from ..nlp import METHODS, NLPConfig, NLPExperiment, load

    if args.threads:
        torch.set_num_threads(args.threads)
    upload = None
    if args.corpus not in ("builtin", "shakespeare"):  # a path to the learner's own .txt
        try:
            upload = Path(args.corpus).read_bytes()
        except OSError as err:
            raise DataUnavailable(f"Cannot read {args.corpus} ({err.strerror}); give builtin, shakespeare "
                                  "or the path of a UTF-8 .txt file.") from None
    corpus = load("upload" if upload is not None else args.corpus, upload)
    defaults = NLPConfig()
    config = NLPConfig(
        teacher_training=defaults.teacher_training.with_steps(args.teacher_steps or defaults.teacher_training.steps),
        student_training=dataclasses.replace(
            defaults.student_training.with_steps(args.student_steps or defaults.student_training.steps), seed=args.seed),
        methods=METHODS if args.method == "all" else (args.method,),
        temperature=args.temperature, alpha=args.alpha, device=args.device)
    experiment = NLPExperiment(corpus, config)
    for record in experiment.run():
        if "val_bpc" in record:
            step = f"step {record['step']}/{record['steps']}" if "step" in record else "loaded from cache"
            progress(f"{record['phase']:>10}  {step}  val bpc {record['val_bpc']:.3f}", args.json)
    summary = experiment.summary()
    lines = [f"{phase:>10}: {m['params']:>8,} params  {m['val_bpc']:.3f} bpc  {m['inference_tokens_per_second']:,.0f} chars/s"
             for phase, m in summary["models"].items()]
    emit(summary, args.json, "\n".join(lines + [f"total {summary['seconds']:.1f} s"]))
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("nlp", help="distil a character-level language model into a small student")
    parser.add_argument("--corpus", default="builtin", help="builtin (Python's own docs), shakespeare, or a path to a UTF-8 .txt")
    parser.add_argument("--method", default="forward-kl", choices=CLI_METHODS, help="distillation variant ('all' runs every one)")
    parser.add_argument("--temperature", type=float, default=1.0, help="T of the token-level KL (default 1)")
    parser.add_argument("--alpha", type=float, default=0.5, help="weight of the distillation term (default 0.5)")
    parser.add_argument("--seed", type=int, default=0, help="student initialisation and batch order")
    parser.add_argument("--teacher-steps", type=int, default=0, help="override the teacher's training steps")
    parser.add_argument("--student-steps", type=int, default=0, help="override every student's training steps")
    parser.add_argument("--threads", type=int, default=0, help="torch CPU threads (0 = torch's default)")
    add_device(parser)
    add_json(parser)
    parser.set_defaults(run=run)
