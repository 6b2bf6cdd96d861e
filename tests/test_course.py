"""The course as data (lessons, their questions and texts), progress through it, and the oracle tests
of the computations behind its widgets (kdcore.toys)."""
import json
import math
import shutil
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from kdapp.i18n import language_of
from kdcore import course, models, profile, toys
from kdcore.course import CourseError, default_course, load_course
from kdcore.drills.store import ProgressStore

COURSE = Path(course.COURSE_DIR)


def test_the_shipped_course_walks_the_article_in_order():
    lessons = default_course()
    assert [lesson.section for lesson in lessons] == sorted(lesson.section for lesson in lessons)
    assert {lesson.section for lesson in lessons} == set(course.SECTIONS)
    assert {lesson.widget for lesson in lessons} == set(course.WIDGETS)  # every widget is used once
    for lesson in lessons:
        assert 2 <= len(lesson.questions) <= 3 and all(q.choice for q in lesson.questions)
        for lang, papers in (("en", "**Papers.**"), ("zh", "**参考文献。**")):
            assert lesson.title[lang] and papers in lesson.body[lang], (lesson.id, lang)
            assert "<" not in lesson.body[lang], "Streamlit escapes HTML: write formulas in $…$"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in lesson.body["zh"])


def copy_course(tmp_path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(COURSE, target)
    return target


def edit_first(directory: Path, **changes) -> None:
    path = directory / "lessons.json"
    lessons = json.loads(path.read_text(encoding="utf-8"))
    lessons[0].update(changes)
    path.write_text(json.dumps(lessons), encoding="utf-8")


@pytest.mark.parametrize("changes, field", [
    ({"widget": "no-such-widget"}, "widget"),
    ({"questions": ["kd-01", "no-such-question"]}, "questions"),
    ({"questions": ["kd-01"]}, "questions"),
    ({"questions": ["kd-01", "kd-02"]}, "questions"),  # kd-02 has no multiple-choice form
    ({"page": "nowhere"}, "page"),
    ({"section": 9}, "section"),
    ({"id": "objective"}, "id"),  # a duplicate
    ({"id": "../../etc/passwd"}, "id"),
])
def test_a_malformed_lesson_is_named(tmp_path, changes, field):
    directory = copy_course(tmp_path)
    edit_first(directory, **changes)
    with pytest.raises(CourseError) as caught:
        load_course(directory)
    assert caught.value.code == "course_invalid" and caught.value.params["field"] == field


def test_a_lesson_without_its_chinese_text_or_title_is_refused(tmp_path):
    directory = copy_course(tmp_path)
    (directory / "zh" / "transfer.md").unlink()
    with pytest.raises(CourseError, match="zh/transfer.md"):
        load_course(directory)
    directory = copy_course(tmp_path / "again")
    (directory / "en" / "compare.md").write_text("no title line\n\nbody", encoding="utf-8")
    with pytest.raises(CourseError, match="title"):
        load_course(directory)


def rows(*lesson_ids, right=3):
    return [{"kind": "course", "score": right, "total": 3, "detail": {"lesson": i}} for i in lesson_ids]


def test_resume_starts_continues_and_finishes():
    lessons = default_course()
    ids = [lesson.id for lesson in lessons]
    assert course.resume(lessons, []) == (lessons[0], "start")
    assert course.resume(lessons, rows(ids[0], ids[1])) == (lessons[2], "continue")
    # finished 4 then 1: continue after the most recent one, skipping what is done
    assert course.resume(lessons, rows(ids[3], ids[0])) == (lessons[1], "continue")
    assert course.resume(lessons, rows(ids[-1])) == (lessons[0], "continue")  # wraps round
    assert course.resume(lessons, rows(*ids)) == (lessons[0], "done")


def test_progress_keeps_the_best_attempt_and_ignores_foreign_rows():
    lessons = default_course()
    hostile = [{"kind": "course", "score": 1, "total": 3, "detail": {"lesson": ["x"]}},
               {"kind": "course", "score": 1, "total": 3, "detail": "transfer"},
               {"kind": "course", "score": 1, "total": 3, "detail": {"lesson": "no-such-lesson"}},
               {"kind": "mock", "score": 5, "total": 5, "detail": {"lesson": "transfer"}}]
    found = course.progress(lessons, rows("transfer", right=1) + rows("transfer", right=2) + hostile)
    assert found == {"transfer": {"right": 2, "total": 3}}
    assert course.resume(lessons, hostile) == (lessons[0], "start")


def test_a_finished_lesson_round_trips_through_the_progress_store(tmp_path):
    store = ProgressStore(tmp_path / "progress.db")
    lesson = default_course()[2]
    store.add_score(**course.finished_row(lesson, 2))
    assert course.progress(default_course(), store.scores(course.SCORE_KIND)) == {lesson.id: {"right": 2, "total": 3}}
    assert store.export_dict()["scores"][0]["kind"] == "course"  # exported and imported with the rest


@pytest.mark.parametrize("value, expected", [("zh", "zh"), ("en", "en"), ("ZH", None), ("fr", None), ("", None),
                                             (None, None), ("zh<script>", None), (["zh"], None)])
def test_the_url_sets_only_a_known_language(value, expected):
    assert language_of(value) == expected


# ----- oracle tests of the widget computations --------------------------------------------------
TEACHER = torch.tensor([1.0, 2.5, 0.5, 6.0, -1.0, 3.5, -0.5, 1.5, 4.5, 0.0])


def test_gradient_norms_match_the_closed_form():
    student = torch.tensor([0.3, -0.2, 0.0, 1.0, 0.5, -1.0, 0.2, 0.0, 0.1, -0.4])
    temperatures = [1.0, 2.0, 4.0, 16.0]
    norms = toys.gradient_norms(TEACHER, student, temperatures)
    for T, plain, scaled in zip(temperatures, norms["plain"], norms["scaled"]):
        q, p = torch.softmax(student / T, 0), torch.softmax(TEACHER / T, 0)
        assert plain == pytest.approx(((q - p) / T).norm().item(), rel=1e-5)  # Hinton et al. 2015, eq. 2
        assert scaled == pytest.approx(plain * T * T, rel=1e-9)
    # large T: the plain gradient falls like 1/T², the scaled one levels off
    assert norms["plain"][2] / norms["plain"][3] == pytest.approx(16, rel=0.1)
    assert norms["scaled"][2] / norms["scaled"][3] == pytest.approx(1, rel=0.1)


def test_objective_is_the_weighted_sum_of_cross_entropy_and_softened_kl():
    student, T, alpha = torch.zeros(10), 4.0, 0.7
    terms = toys.objective(TEACHER, student, 3, T, alpha)
    p, log_q = torch.softmax(TEACHER / T, 0), torch.log_softmax(student / T, 0)
    kl = (p * (p.log() - log_q)).sum().item()
    assert terms["kd"] == pytest.approx(alpha * T * T * kl, rel=1e-5)
    assert terms["hard"] == pytest.approx((1 - alpha) * math.log(10), rel=1e-5)  # uniform student: CE = ln 10
    assert terms["total"] == pytest.approx(terms["kd"] + terms["hard"])


@pytest.mark.parametrize("separation", [2.0, 4.0, 6.0])
def test_forward_kl_fit_is_moment_matching(separation):
    fit = toys.kl_fit(separation)["forward"]
    assert fit["mean"] == pytest.approx(0.0, abs=0.051)
    assert fit["sd"] == pytest.approx(math.sqrt(1 + (separation / 2) ** 2), abs=0.051)  # variance of the mixture


def test_reverse_kl_picks_one_mode_only_when_the_modes_are_apart():
    far, near = toys.kl_fit(8.0)["reverse"], toys.kl_fit(2.0)["reverse"]
    assert abs(far["mean"]) == pytest.approx(4.0, abs=0.051) and far["sd"] == pytest.approx(1.0, abs=0.051)
    assert far["kl"] == pytest.approx(math.log(2), abs=0.01)  # one of two equal modes: KL = ln 2
    assert near["mean"] == pytest.approx(0.0, abs=0.051)


def test_gradient_reversal_aligns_the_domains_and_helps_the_target():
    plain, adapted = toys.reversal(0.0), toys.reversal(1.0)
    assert plain["source_accuracy"] > 0.95  # the task is easy on the source
    assert adapted["target_accuracy"] - plain["target_accuracy"] > 0.05
    assert adapted["domain_accuracy"] < plain["domain_accuracy"] - 0.1  # the feature hides the domain
    assert adapted["angle"] < plain["angle"]  # less weight on the coordinate that only tells domains apart
    toy = plain["points"]
    assert (toy["target"] - toy["source"]).mean(0)[1] == pytest.approx(2.0, abs=0.15)  # the shift, measured


def test_reuse_copies_only_matching_tensors():
    teacher = models.build("teacher-cnn", (1, 28, 28))
    same = toys.reuse(teacher, models.build("teacher-cnn", (1, 28, 28)))
    assert same["copied"] == same["total"] == profile.parameters(teacher) and same["same_classes"]
    smaller = toys.reuse(teacher, models.build("teacher-cnn", (1, 16, 16)))
    by_name = {row["name"]: row for row in smaller["rows"]}
    assert by_name["conv.0.weight"]["copy"] and not by_name["hidden.2.weight"]["copy"]  # 16×16 changes the flat size
    assert smaller["copied"] == smaller["total"] - by_name["hidden.2.weight"]["count"]
    mlp = toys.reuse(teacher, models.build("mlp", (1, 28, 28)))
    assert mlp["copied"] == 0 and mlp["same_classes"]  # nothing to copy, yet distillable
    other = toys.reuse(teacher, models.build("mlp", (1, 28, 28), num_classes=5))
    assert not other["same_classes"]


def test_costs_are_measured_from_the_models():
    teacher, student = toys.costs((1, 28, 28), [("teacher-cnn", 16), ("mlp", 32)], repeats=3)
    assert student["params"] == 784 * 32 + 32 + 32 * 10 + 10
    assert student["flops"] == 2 * (784 * 32 + 32 * 10)  # two matrix products, a multiply-add counts 2
    assert teacher["params"] == profile.parameters(models.build("teacher-cnn", (1, 28, 28), 10, 16))
    assert teacher["latency_ms"] > 0 and student["latency_ms"] > 0


def test_kl_divergences_in_the_fit_agree_with_torch():
    fit = toys.kl_fit(6.0)
    x, p = torch.tensor(fit["x"]), torch.tensor(fit["teacher"])
    q = torch.tensor(fit["forward"]["density"])
    dx = (x[1] - x[0]).item()
    forward = F.kl_div(q.clamp_min(1e-30).log(), p, reduction="sum").item() * dx
    assert forward == pytest.approx(fit["forward"]["kl"], rel=1e-3, abs=1e-5)
