"""`kdlab nlp`: one JSON object with the promised keys; bad input exits 2 with one line."""
import json

from test_nlp_core import one_thread  # noqa: F401 (autouse fixture)

from kdcore.cli import main


def test_json_run_on_a_small_uploaded_text(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("".join(f"Note {i}: distillation moves knowledge from a teacher to a student.\n" for i in range(60)))
    code = main(["nlp", "--corpus", str(text), "--method", "reverse-kl", "--teacher-steps", "8", "--student-steps", "4",
                 "--device", "cpu", "--json"])
    out = capsys.readouterr()
    assert code == 0
    result = json.loads(out.out)  # exactly one JSON object on stdout; progress went to stderr
    for key in ("teacher_bpc", "scratch_bpc", "kd_bpc", "teacher_params", "student_params", "seconds"):
        assert key in result
    assert result["kd_bpc"] == result["models"]["reverse-kl"]["val_bpc"]
    assert result["teacher_params"] > 10 * result["student_params"]
    assert "teacher" in out.err and "val bpc" in out.err


def test_bad_corpus_exits_2_with_one_line(tmp_path, capsys):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\x00\x00" * 100)
    assert main(["nlp", "--corpus", str(binary), "--json"]) == 2
    assert main(["nlp", "--corpus", str(tmp_path / "missing.txt")]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 2 and "binary" in errors[0] and "Cannot read" in errors[1]
