"""Time the live class quiz (kdcore.drills.quiz) under a class answering at once: --learners threads answer
the same question together while the instructor's side polls the tally without pause; prints, as the
median of --repeat runs, the time from the last answer's return to the first tally that includes it, and
the answer and tally call times. The page polls once a second (kdapp.quiz_view), which adds up to 1 s.
Run: python bench/bench_quiz.py --repeat 5"""
import argparse
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from kdcore.drills.bank import default_bank
from kdcore.drills.quiz import ClassQuiz


def one_run(folder: Path, question, learners: int) -> dict:
    board = ClassQuiz(folder / "class_quiz.db")
    quiz = board.open_question(question)
    options = quiz.options
    start, answered, calls, tallies, seen = threading.Barrier(learners + 1), [], [], [], []

    def learner(index: int) -> None:
        start.wait()
        began = time.perf_counter()
        board.answer(f"learner{index:02d}", index % options, quiz.id)
        answered.append(time.perf_counter())
        calls.append(answered[-1] - began)

    def instructor() -> None:
        start.wait()
        while True:
            began = time.perf_counter()
            total = sum(board.tally(quiz.id))
            tallies.append(time.perf_counter() - began)
            if total == learners:
                seen.append(time.perf_counter())
                return

    threads = [threading.Thread(target=learner, args=(i,)) for i in range(learners)]
    threads.append(threading.Thread(target=instructor))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert board.tally(quiz.id) == [len(range(o, learners, options)) for o in range(options)]
    return {"last_to_tally": seen[0] - max(answered), "answer": statistics.median(calls),
            "tally": statistics.median(tallies), "polls": len(tallies)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=30, help="learners answering at once")
    parser.add_argument("--repeat", type=int, default=5, help="runs; the median is printed")
    args = parser.parse_args()
    question = next(q for q in default_bank() if q.choice)
    print(f"cpus: {os.cpu_count()}  load average: {os.getloadavg()[0]:.1f}  learners: {args.learners}  "
          f"runs: {args.repeat}")
    runs = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            runs.append(one_run(Path(folder), question, args.learners))
    for name, label in (("last_to_tally", "last answer → tally including it"), ("answer", "answer() call"),
                        ("tally", "tally() call")):
        values = [r[name] * 1000 for r in runs]
        print(f"{label:34s} median {statistics.median(values):7.2f} ms  (range {min(values):.2f} to {max(values):.2f})")
    print(f"{'tally polls per run':34s} median {statistics.median(r['polls'] for r in runs):7.0f}")


if __name__ == "__main__":
    main()
