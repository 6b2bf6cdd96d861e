"""`kdlab questions`: statistics of the interview question bank and the coding exercises."""
from ._common import add_json, emit


def run(args) -> int:
    from ..drills.bank import default_bank, statistics
    from ..drills.grader import load_exercises

    stats = statistics(default_bank(), load_exercises())
    lines = [f"{stats['total']} questions ({stats['from_source']} from the source article, {stats['original']} original; "
             f"{stats['multiple_choice']} with multiple choice), {stats['coding_exercises']} coding exercises",
             "by language: " + ", ".join(f"{k} {v}" for k, v in stats["by_language"].items()),
             "by topic:    " + ", ".join(f"{k} {v}" for k, v in stats["by_topic"].items()),
             "by difficulty: " + ", ".join(f"{k}: {v}" for k, v in stats["by_difficulty"].items())]
    emit(stats, args.json, "\n".join(lines))
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("questions", help="statistics of the interview question bank")
    add_json(parser)
    parser.set_defaults(run=run)
