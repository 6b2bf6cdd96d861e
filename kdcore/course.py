"""The course: the source article walked in order as short lessons, stored as data in `course/`.

`course/lessons.json` lists the lessons in order, each
    {"id", "section": 1-4 (the article's section), "widget": one of WIDGETS,
     "questions": [2-3 ids of multiple-choice questions in the bank], "page": the full page to open}
and `course/<lang>/<id>.md` holds its text: a first line "# Title", then Markdown.
`load_course` validates all of it and names the lesson and field of any mistake.

A learner's progress through the course lives in the progress store's `scores` table, one row of
kind "course" per finished lesson (every check question answered): score = right answers,
total = questions, detail = {"lesson": id}. `progress` and `resume` read those rows.
"""
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .drills.bank import LANGS, Question, default_bank
from .errors import KDLabError

COURSE_DIR = Path(__file__).resolve().parents[1] / "course"
SECTIONS = (1, 2, 3, 4)  # distillation, knowledge transfer, the two compared, applications
WIDGETS = ("temperature", "objective", "reversal", "reuse", "devices", "kl")
PAGES = ("lab", "soft_labels", "curves", "methods", "transfer", "nlp", "drills")
SCORE_KIND = "course"
MAX_TEXT = 20_000  # characters per lesson text


class CourseError(KDLabError):
    """A lesson file is malformed; the message names the lesson and the field."""


@dataclass(frozen=True)
class Lesson:
    id: str
    section: int
    widget: str
    questions: tuple[Question, ...]
    page: str
    title: dict  # lang -> title
    body: dict  # lang -> Markdown


def _require(condition: bool, where: str, field: str) -> None:
    if not condition:
        raise CourseError("course_invalid", where=where, field=field)


def _text(directory: Path, lang: str, lesson_id: str) -> tuple[str, str]:
    path = directory / lang / f"{lesson_id}.md"
    where = f"{lang}/{lesson_id}.md"
    _require(path.is_file(), where, "file")
    content = path.read_text(encoding="utf-8")
    _require(len(content) <= MAX_TEXT, where, "length")
    first, _, body = content.partition("\n")
    _require(first.startswith("# ") and first[2:].strip() != "" and body.strip() != "", where, "title")
    return first[2:].strip(), body.strip()


def load_course(directory: Path = COURSE_DIR, bank=None) -> tuple[Lesson, ...]:
    """Every lesson in order, validated against the question bank."""
    by_id = {q.id: q for q in (default_bank() if bank is None else bank)}
    try:
        raw_list = json.loads((Path(directory) / "lessons.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise CourseError("course_invalid", where="lessons.json", field=type(err).__name__) from err
    _require(isinstance(raw_list, list) and raw_list, "lessons.json", "list")
    lessons, seen = [], set()
    for index, raw in enumerate(raw_list):
        where = f"lessons.json[{index}]"
        _require(isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"].isidentifier(), where, "id")
        _require(raw["id"] not in seen, where, "id")
        seen.add(raw["id"])
        _require(raw.get("section") in SECTIONS, where, "section")
        _require(raw.get("widget") in WIDGETS, where, "widget")
        _require(raw.get("page") in PAGES, where, "page")
        ids = raw.get("questions")
        _require(isinstance(ids, list) and 2 <= len(ids) <= 3 and len(set(ids)) == len(ids), where, "questions")
        _require(all(qid in by_id and by_id[qid].choice for qid in ids), where, "questions")
        texts = {lang: _text(Path(directory), lang, raw["id"]) for lang in LANGS}
        lessons.append(Lesson(raw["id"], raw["section"], raw["widget"], tuple(by_id[qid] for qid in ids), raw["page"],
                              {lang: texts[lang][0] for lang in LANGS}, {lang: texts[lang][1] for lang in LANGS}))
    _require([lesson.section for lesson in lessons] == sorted(lesson.section for lesson in lessons), "lessons.json",
             "section order")
    return tuple(lessons)


@lru_cache(maxsize=1)
def default_course() -> tuple[Lesson, ...]:
    return load_course()


def finished_row(lesson: Lesson, right: int) -> dict:
    """The score row that marks `lesson` finished with `right` correct answers (ProgressStore.add_score)."""
    return {"kind": SCORE_KIND, "score": right, "total": len(lesson.questions), "detail": {"lesson": lesson.id}}


def _lesson_of(row, known) -> str | None:
    """The lesson id a score row marks finished, or None for rows of another kind or shape."""
    detail = row.get("detail") if isinstance(row, dict) else None
    lesson_id = detail.get("lesson") if isinstance(detail, dict) else None
    return lesson_id if row.get("kind") == SCORE_KIND and isinstance(lesson_id, str) and lesson_id in known else None


def progress(lessons, rows) -> dict[str, dict]:
    """{lesson id: {"right", "total"}} of the best attempt at each finished lesson, from score rows
    (ProgressStore.scores(SCORE_KIND)); rows of unknown lessons or of another shape are ignored."""
    known, best = {lesson.id for lesson in lessons}, {}
    for row in rows:
        lesson_id = _lesson_of(row, known)
        if lesson_id is not None and (lesson_id not in best or row["score"] > best[lesson_id]["right"]):
            best[lesson_id] = {"right": int(row["score"]), "total": int(row["total"])}
    return best


def resume(lessons, rows) -> tuple[Lesson, str]:
    """Where the learner goes next: ("start", the first lesson) before anything is finished;
    ("continue", the first unfinished lesson after the most recently finished one, wrapping round);
    ("done", the first lesson) once all are finished."""
    done = progress(lessons, rows)
    if not done:
        return lessons[0], "start"
    if len(done) == len(lessons):
        return lessons[0], "done"
    order = [lesson.id for lesson in lessons]
    last = order.index([_lesson_of(row, set(order)) for row in rows if _lesson_of(row, set(order))][-1])
    after = lessons[last + 1:] + lessons[:last]
    return next(lesson for lesson in after if lesson.id not in done), "continue"
