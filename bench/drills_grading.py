"""Time the sandboxed grading of each coding exercise's reference solution, and report which
sandbox protections this machine provides. Run: python bench/drills_grading.py"""
import json
import os
import time

from kdcore.drills import grader


def main() -> None:
    print(f"cpus: {os.cpu_count()}  load average: {os.getloadavg()[0]:.1f}")
    for exercise in grader.load_exercises():
        started = time.perf_counter()
        grade = grader.grade(exercise, exercise.reference)
        wall = time.perf_counter() - started
        in_tests = sum(t.seconds for t in grade.tests)
        print(f"{exercise.id:24s} {grade.status:7s} {grade.passed_count}/{len(grade.tests)} tests  "
              f"wall {wall:5.1f} s  (inside tests {in_tests:4.1f} s, start-up and imports {wall - in_tests:4.1f} s)")
    print("protections:", json.dumps(grade.protections))


if __name__ == "__main__":
    main()
