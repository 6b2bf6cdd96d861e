"""The question bank: bilingual interview questions stored as JSON files in `questions/`.

Each file holds a list of questions. A question is
    {"id", "topic", "difficulty": 1-3, "tags": [...], "demo": "<page>[?key=value&...]",
     "source": true only for questions taken from the source article,
     "en": {"q", "a", "points": [...]}, "zh": {"q", "a", "points": [...]},
     optional "original": {"zh", "en"}   the source article's own answer, kept verbatim,
     optional "choice": {"answer": i, "en": {"question", "options", "explanation"}, "zh": {...}}}
A choice block carries its own stem ("question"): it is shown instead of the open question, whose
model answer would otherwise not fit four short options.
`load_bank` validates every field and names the file and question of any mistake, so a typo in
the data fails the tests instead of showing a broken card to a learner.
"""
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import DataUnavailable, KDLabError

QUESTIONS_DIR = Path(__file__).resolve().parents[2] / "questions"
LANGS = ("en", "zh")
TOPICS = ("kd_basics", "temperature", "loss", "features", "transfer", "domain_adaptation", "nlp",
          "compression", "pitfalls", "advanced", "recommender")
DIFFICULTIES = (1, 2, 3)  # 1 = junior screen, 2 = mid-level interview, 3 = research-lab deep dive
DEMO_PAGES = ("lab", "soft_labels", "curves", "methods", "transfer", "nlp", "recommender", "gallery")


class BankError(KDLabError):
    """A question file is malformed; the message names the file, the question and the field."""


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    difficulty: int
    tags: tuple[str, ...]
    demo: str                  # page url path plus optional query, e.g. "soft_labels?T=8"; "" for none
    source: bool               # taken from the source article
    text: dict                 # lang -> {"q", "a", "points"}
    original: dict | None      # lang -> the source article's own (shorter) answer
    choice: dict | None        # {"answer": i, lang -> {"question", "options", "explanation"}}

    def q(self, lang: str) -> str:
        return self.text[lang]["q"]

    def answer(self, lang: str) -> str:
        return self.text[lang]["a"]

    def points(self, lang: str) -> list[str]:
        return self.text[lang]["points"]

    def choice_question(self, lang: str) -> str:
        return self.choice[lang]["question"]

    @property
    def demo_page(self) -> str:
        return self.demo.split("?", 1)[0]

    @property
    def demo_query(self) -> dict[str, str]:
        query = self.demo.partition("?")[2]
        return dict(pair.split("=", 1) for pair in query.split("&")) if query else {}


def _require(condition: bool, code: str, where: str, **params) -> None:
    if not condition:
        raise BankError(code, where=where, **params)


def _nonempty_str(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _texts(value, count: int) -> bool:
    """A list of at least `count` non-empty strings."""
    return isinstance(value, list) and len(value) >= count and all(map(_nonempty_str, value))


def parse_question(raw: dict, where: str) -> Question:
    """Validate one raw question dict and build a Question; `where` prefixes error messages."""
    _require(isinstance(raw, dict), "bank_not_object", where)
    where = f"{where} ({raw.get('id', '?')})"
    _require(_nonempty_str(raw.get("id")), "bank_missing", where, field="id")
    _require(raw.get("topic") in TOPICS, "bank_one_of", where, field="topic", choices=", ".join(TOPICS))
    _require(raw.get("difficulty") in DIFFICULTIES, "bank_one_of", where, field="difficulty",
             choices=", ".join(map(str, DIFFICULTIES)))
    tags = raw.get("tags")
    _require(_texts(tags, 1), "bank_too_few", where, field="tags", count=1)
    demo = raw.get("demo", "")  # empty: no page of the app shows this idea
    _require(isinstance(demo, str) and (demo == "" or demo.split("?", 1)[0] in DEMO_PAGES), "bank_demo", where,
             choices=", ".join(DEMO_PAGES))
    for lang in LANGS:
        block = raw.get(lang)
        _require(isinstance(block, dict), "bank_missing", where, field=lang)
        for key in ("q", "a"):
            _require(_nonempty_str(block.get(key)), "bank_missing", where, field=f"{lang}.{key}")
        _require(_texts(block.get("points"), 2), "bank_too_few", where, field=f"{lang}.points", count=2)
    _require(len(raw["en"]["points"]) == len(raw["zh"]["points"]), "bank_differ", where, field="points")
    source = raw.get("source", False)
    _require(isinstance(source, bool), "bank_one_of", where, field="source", choices="true, false")
    original = raw.get("original")
    _require((original is not None) == source, "bank_original", where)
    if original is not None:
        for lang in LANGS:
            _require(_nonempty_str(original.get(lang)), "bank_missing", where, field=f"original.{lang}")
    choice = raw.get("choice")
    if choice is not None:
        counts = set()
        for lang in LANGS:
            block = choice.get(lang, {})
            _require(_nonempty_str(block.get("question")), "bank_missing", where, field=f"choice.{lang}.question")
            options = block.get("options")
            _require(_texts(options, 3), "bank_too_few", where, field=f"choice.{lang}.options", count=3)
            _require(len(set(options)) == len(options), "bank_repeats", where, field=f"choice.{lang}.options")
            _require(_nonempty_str(block.get("explanation")), "bank_missing", where, field=f"choice.{lang}.explanation")
            counts.add(len(options))
        _require(len(counts) == 1, "bank_differ", where, field="choice.options")
        _require(choice.get("answer") in range(counts.pop()), "bank_not_index", where)
    text = {lang: {"q": raw[lang]["q"], "a": raw[lang]["a"], "points": list(raw[lang]["points"])} for lang in LANGS}
    return Question(raw["id"], raw["topic"], raw["difficulty"], tuple(tags), demo, source, text, original, choice)


def _stem_key(text: str) -> str:
    """A question's text without case, spaces and punctuation: two stems equal here ask the same thing."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def load_bank(directory: Path = QUESTIONS_DIR) -> tuple[Question, ...]:
    """Every question in `directory/*.json`, validated; ids must be unique across files, and no open
    question or multiple-choice stem may repeat another one in either language."""
    files = sorted(Path(directory).glob("*.json"))
    if not files:
        raise DataUnavailable("bank_empty", directory=str(directory))
    questions, seen, stems = [], set(), {}
    for path in files:
        try:
            raw_list = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise BankError("bank_unreadable", where=path.name, reason=str(err)) from err
        _require(isinstance(raw_list, list), "bank_not_list", path.name)
        for index, raw in enumerate(raw_list):
            question = parse_question(raw, f"{path.name}[{index}]")
            _require(question.id not in seen, "bank_duplicate", path.name, id=question.id)
            seen.add(question.id)
            for lang in LANGS:
                texts = [question.q(lang)] + ([question.choice_question(lang)] if question.choice else [])
                for text in texts:
                    other = stems.setdefault((lang, _stem_key(text)), question.id)
                    _require(other == question.id, "bank_duplicate_question", f"{path.name} ({question.id})",
                             lang=lang, other=other, text=text)
            questions.append(question)
    return tuple(questions)


@lru_cache(maxsize=1)
def default_bank() -> tuple[Question, ...]:
    """The shipped bank, source questions first, then by difficulty (the order new cards are met)."""
    return tuple(sorted(load_bank(), key=lambda q: (not q.source, q.difficulty)))


def select(questions, topics=(), difficulties=(), source_only=False, kind="any") -> list[Question]:
    """Questions matching every filter; empty `topics`/`difficulties` mean "all".
    kind: "any", "choice" (has a multiple-choice form) or "open"."""
    return [q for q in questions
            if (not topics or q.topic in topics) and (not difficulties or q.difficulty in difficulties)
            and (q.source or not source_only) and (kind != "choice" or q.choice) and (kind != "open" or not q.choice)]


def statistics(questions, exercises=()) -> dict:
    """Counts for `kdlab questions --json` and the drill page header."""
    by_topic = {topic: sum(q.topic == topic for q in questions) for topic in TOPICS}
    return {
        "total": len(questions),
        "by_language": {lang: sum(bool(q.text[lang]["q"]) for q in questions) for lang in LANGS},
        "by_topic": by_topic,
        "by_difficulty": {str(d): sum(q.difficulty == d for q in questions) for d in DIFFICULTIES},
        "from_source": sum(q.source for q in questions),
        "original": sum(not q.source for q in questions),
        "multiple_choice": sum(q.choice is not None for q in questions),
        "choice_without_stem": sum(q.choice is not None and not all(q.choice_question(lang).strip() for lang in LANGS)
                                   for q in questions),
        "coding_exercises": len(exercises),
    }
