"""The question bank: schema, coverage of the source article, topic coverage, and the CLI statistics."""
import ast
import json
import re

import pytest
from conftest import SHARED

from kdcore.drills import bank
from kdcore.drills.grader import load_exercises

PAGES = bank.QUESTIONS_DIR.parent / "pages"

SEED_DIR = SHARED / "seed"
SOURCE_QUESTIONS_ZH = ["什么是模型蒸馏？", "模型蒸馏的主要步骤是什么？", "模型蒸馏的优势是什么？", "什么是知识转移？",
                       "知识转移的主要类型有哪些？", "知识转移的优势是什么？", "模型蒸馏与知识转移的异同是什么？",
                       "模型蒸馏和知识转移在图像识别中的应用有哪些？", "模型蒸馏和知识转移在自然语言处理中的应用有哪些？"]


@pytest.fixture(scope="module")
def questions():
    return bank.load_bank()


def seed_text() -> str:
    files = sorted(SEED_DIR.glob("*.txt"))
    if not files:
        pytest.skip(f"the source article is not beside the repo ({SEED_DIR})")
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def test_every_file_validates_and_ids_are_unique(questions):
    assert len({q.id for q in questions}) == len(questions)
    for q in questions:
        assert q.topic in bank.TOPICS and q.difficulty in bank.DIFFICULTIES and q.tags
        assert q.demo == "" or q.demo_page in bank.DEMO_PAGES  # "": no page shows this idea
        for lang in bank.LANGS:
            assert q.q(lang).strip() and q.answer(lang).strip() and len(q.points(lang)) >= 2


def test_at_least_100_original_questions_in_both_languages_across_topics(questions):
    original = [q for q in questions if not q.source]
    assert len(original) >= 100
    per_topic = {topic: sum(q.topic == topic for q in original) for topic in bank.TOPICS}
    assert min(per_topic.values()) >= 8, per_topic
    # Chinese text is really Chinese, English really English (no copy of the other language)
    for q in questions:
        assert re.search(r"[\u4e00-\u9fff]", q.q("zh")), q.id
        assert not re.search(r"[\u4e00-\u9fff]", q.q("en") + q.answer("en")), q.id


def test_multiple_choice_items_are_well_formed(questions):
    choice = [q for q in questions if q.choice]
    assert len(choice) >= 80
    for q in choice:
        for lang in bank.LANGS:
            options = q.choice[lang]["options"]
            assert len(options) >= 3 and q.choice["answer"] < len(options)
            assert q.choice[lang]["explanation"].strip() and q.choice_question(lang).strip()
        assert q.choice_question("en").endswith("?"), q.id
    answers = [q.choice["answer"] for q in choice]  # the keyed option is not always in the same place
    assert max(answers.count(i) for i in set(answers)) < 0.5 * len(answers)


def test_bank_size_depth_and_coverage(questions):
    assert len(questions) >= 250
    assert sum(q.difficulty == 3 for q in questions) >= 60
    assert all(sum(q.difficulty == 3 for q in questions if q.topic == topic) >= 3 for topic in bank.TOPICS)
    tags = " ".join(tag.lower() for q in questions for tag in q.tags)
    for subject in ("ranking distillation", "cross-domain", "distillspec", "quantization-aware", "multi-teacher",
                    "cross-modal", "privileged", "progressive distillation", "consistency", "dino", "seed",
                    "segmentation", "defensive distillation", "model extraction", "moe", "minitron",
                    "chain-of-thought", "calibration", "source-free", "partial da", "open-set", "domain generalisation",
                    "dist", "pkt", "nst", "reviewkd"):
        assert subject in tags, subject


def page_schema(page: str) -> dict | None:
    """The URL settings a page reads: its module-level SCHEMA, built by running the page's statements
    up to that assignment (imports and constants only), or None for a page without one."""
    tree = ast.parse((PAGES / f"{page}.py").read_text(encoding="utf-8"))
    for end, node in enumerate(tree.body, 1):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "SCHEMA" for t in node.targets):
            namespace = {}
            exec(compile(ast.Module(body=tree.body[:end], type_ignores=[]), f"{page}.py", "exec"), namespace)
            return namespace["SCHEMA"]
    return None


def test_demo_links_open_a_page_with_settings_it_reads(questions):
    from kdapp import share

    schemas = {page: page_schema(page) for page in bank.DEMO_PAGES}
    linked = [q for q in questions if q.demo]
    assert len(linked) >= 0.75 * len(questions)
    for q in linked:
        assert (PAGES / f"{q.demo_page}.py").is_file(), q.id
        if q.demo_query:
            schema = schemas[q.demo_page]
            assert schema is not None, f"{q.id}: {q.demo_page} reads no settings from the URL"
            values, problems = share.parse(schema, q.demo_query)
            assert not problems and set(values) == set(q.demo_query), f"{q.id}: {q.demo} → {problems}"


def test_stems_and_open_questions_do_not_repeat(questions):
    for lang in bank.LANGS:
        stems = [bank._stem_key(q.q(lang)) for q in questions]
        assert len(set(stems)) == len(stems)


def test_every_source_question_is_present_in_both_languages(questions):
    source = {q.q("zh"): q for q in questions if q.source}
    assert sorted(source) == sorted(SOURCE_QUESTIONS_ZH)
    for q in source.values():
        assert q.q("en").endswith("?") and q.original["en"] and q.original["zh"]
        assert len(q.answer("en")) > 2 * len(q.original["en"]), f"{q.id}: the deeper answer should go well beyond the source"


def test_source_questions_and_original_answers_come_from_the_article():
    text = seed_text()
    asked = set(re.findall(r"^- \*\*(.+？)\*\*", text, re.M)) | set(re.findall(r"^\*\*面试题 \d+：(.+？)\*\*", text, re.M))
    assert asked == set(SOURCE_QUESTIONS_ZH), "the article's questions changed; update the bank"
    flat = re.sub(r"\s+", "", text)
    for q in bank.load_bank():
        if q.source:
            for clause in re.split(r"[；。]", q.original["zh"]):
                clause = re.sub(r"^\d+\.\s*", "", clause.strip())
                assert not clause or re.sub(r"\s+", "", clause) in flat, f"{q.id}: {clause!r} is not in the article"


def test_the_three_programming_problems_are_exercises_and_more_follow():
    exercises = load_exercises()
    assert len(exercises) >= 6
    assert [ex.title["zh"] for ex in exercises[:3]] == ["1 · 实现一个简单的模型蒸馏过程", "2 · 基于知识转移的图像识别",
                                                   "3 · 基于模型蒸馏的自然语言处理模型"]
    for ex in exercises:
        assert "NotImplementedError" in ex.starter and "NotImplementedError" not in ex.reference
        assert "def test_" in ex.tests


@pytest.mark.parametrize("change, message", [
    (lambda r: r.pop("topic"), "'topic' must be one of"),
    (lambda r: r.update(difficulty=5), "'difficulty' must be one of 1, 2, 3"),
    (lambda r: r["zh"].update(points=["只有一个"]), "'zh.points' must be a list of at least 2"),
    (lambda r: r.update(demo="nowhere"), "'demo' must start with"),
    (lambda r: r.update(choice={"answer": 7, "en": {"question": "Which?", "options": ["a", "b", "c"], "explanation": "x"},
                                 "zh": {"question": "哪个？", "options": ["甲", "乙", "丙"], "explanation": "x"}}),
     "not an option index"),
    (lambda r: r.update(source=True), "keep the 'original' answer"),
    (lambda r: r.update(choice={"answer": 0, "en": {"options": ["a", "b", "c"], "explanation": "x"},
                                 "zh": {"question": "哪个？", "options": ["甲", "乙", "丙"], "explanation": "x"}}),
     "missing 'choice.en.question'"),
    (lambda r: r.pop("zh"), "missing 'zh'"),
    (lambda r: r["en"].update(q=""), "missing 'en.q'"),
])
def test_malformed_questions_are_rejected_with_the_reason(change, message):
    raw = {"id": "x-1", "topic": "loss", "difficulty": 2, "tags": ["t"], "demo": "lab",
           "en": {"q": "Q?", "a": "A.", "points": ["p1", "p2"]}, "zh": {"q": "问？", "a": "答。", "points": ["一", "二"]}}
    bank.parse_question(raw, "ok.json[0]")
    change(raw)
    with pytest.raises(bank.BankError, match=re.escape(message)) as err:
        bank.parse_question(raw, "bad.json[0]")
    assert "bad.json[0] (x-1)" in str(err.value)


def test_a_repeated_question_is_rejected_naming_both(tmp_path):
    item = {"id": "a-1", "topic": "loss", "difficulty": 2, "tags": ["t"], "demo": "lab",
            "en": {"q": "Why T²?", "a": "A.", "points": ["p1", "p2"]}, "zh": {"q": "为什么？", "a": "答。", "points": ["一", "二"]}}
    twin = {**item, "id": "a-2", "zh": {**item["zh"], "q": "另一个问题？"}, "en": {**item["en"], "q": "why  t² ?"}}
    (tmp_path / "a.json").write_text(json.dumps([item, twin]), encoding="utf-8")
    with pytest.raises(bank.BankError, match=r"a\.json \(a-2\): the en question repeats a-1"):
        bank.load_bank(tmp_path)


def test_select_filters(questions):
    assert all(q.source for q in bank.select(questions, source_only=True))
    hard_nlp = bank.select(questions, topics=["nlp"], difficulties=[3])
    assert hard_nlp and all(q.topic == "nlp" and q.difficulty == 3 for q in hard_nlp)
    assert all(q.choice for q in bank.select(questions, kind="choice"))


def test_cli_prints_bank_statistics_as_one_json_object(capsys, questions):
    from kdcore.cli import main

    assert main(["questions", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["total"] == len(questions) >= 250
    assert stats["multiple_choice"] >= 80 and stats["choice_without_stem"] == 0
    assert stats["by_language"] == {"en": len(questions), "zh": len(questions)}
    assert sum(stats["by_topic"].values()) == stats["total"] and set(stats["by_topic"]) == set(bank.TOPICS)
    assert stats["from_source"] == 9 and stats["coding_exercises"] == len(load_exercises()) >= 6
