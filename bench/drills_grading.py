"""Time the sandboxed grading of each coding exercise's reference solution (median of --repeat runs),
and report which sandbox protections this machine provides. Run: python bench/drills_grading.py --repeat 3"""
import argparse
import json
import os
import statistics
import time

from kdcore.drills import grader


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="gradings per exercise; the median is printed")
    args = parser.parse_args()
    print(f"cpus: {os.cpu_count()}  load average: {os.getloadavg()[0]:.1f}  repeats: {args.repeat}")
    for exercise in grader.load_exercises():
        walls, inside = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            grade = grader.grade(exercise, exercise.reference)
            walls.append(time.perf_counter() - started)
            inside.append(sum(t.seconds for t in grade.tests))
        wall, in_tests = statistics.median(walls), statistics.median(inside)
        print(f"{exercise.id:24s} {grade.status:7s} {grade.passed_count}/{len(grade.tests)} tests  "
              f"wall median {wall:5.1f} s (range {min(walls):.1f}–{max(walls):.1f})  checks after the code ended {in_tests:4.1f} s, "
              f"the code's run (the checks load alongside) {wall - in_tests:4.1f} s")
    print("protections:", json.dumps(grade.protections))


if __name__ == "__main__":
    main()
