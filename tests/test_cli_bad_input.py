"""Every bad command-line input exits with status 2 and one line on stderr, never a traceback."""
import numpy as np
import pytest
import torch

from kdcore import cli


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad-input")
    np.savez(folder / "zero.npz", train_images=np.zeros((0, 8, 8), np.uint8), train_labels=np.zeros(0, int),
             test_images=np.zeros((0, 8, 8), np.uint8), test_labels=np.zeros(0, int))
    np.savez(folder / "good.npz", train_images=np.zeros((20, 8, 8), np.uint8), train_labels=np.arange(20) % 2,
             test_images=np.zeros((4, 8, 8), np.uint8), test_labels=np.arange(4) % 2)
    good = (folder / "good.npz").read_bytes()
    (folder / "trunc.npz").write_bytes(good[: len(good) // 2])
    (folder / "empty.npz").write_bytes(b"")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "empty.csv").write_bytes(b"")
    return folder


CASES = [
    "distill --seeds -1", "distill --epochs 100000000", "distill --epochs -1", "distill --width 0",
    "distill --subset -5", "distill --teacher-epochs -3", "distill --labelled-fraction 2", "distill -T 0",
    "distill --dataset /nonexistent", "distill --dataset /dev/zero", "distill --test-idx /nonexistent",
    "app --port 70000", "app --port -1", "app --port http", "app --max-jobs 0", "app --max-jobs 1000",
    "nlp --teacher-steps -5", "nlp --student-steps -5", "nlp --threads -1", "nlp --corpus /dev/zero",
    "nlp --corpus {files}/empty.txt", "nlp --corpus /nonexistent", "nlp --temperature 0",
    "nlp --teacher-steps 100000000000", "nlp --seed -3",
    "transfer --target {files}/zero.npz", "transfer --target {files}/empty.npz", "transfer --target {files}/trunc.npz",
    "transfer --k -1", "transfer --seeds -1", "transfer --size 1000", "transfer --source-steps -1",
    "transfer --target-steps 100000000000", "transfer --lr -1",
    "sweep --seeds -1", "sweep --values nan", "omit-class --digit 42", "omit-class --digit -1",
    "compare --set x", "compare --methods nope", "distill --seeds " + " ".join(map(str, range(21))),
    "sweep --param alpha --values " + " ".join(str(v / 100) for v in range(1, 22)),
    "transfer --seeds " + " ".join(map(str, range(21))), "gallery run born-again --seeds " + " ".join(map(str, range(21))),
    "class add-learners {files}/empty.csv", "class add-learners /nonexistent", "class add-learners /dev/zero",
]


def exit_code(argv) -> int:
    try:
        return cli.main(argv)
    except SystemExit as stop:  # argparse's usage errors
        return stop.code


@pytest.mark.parametrize("case", CASES + ([] if torch.cuda.is_available() else ["distill --device cuda"]))
def test_bad_input_exits_2_with_one_line(case, files, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("KDLAB_USER_DIR", str(tmp_path))
    assert exit_code(case.format(files=files).split()) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("kdlab") and "Traceback" not in err, err
