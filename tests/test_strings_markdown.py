"""Bold text in the string catalogue renders in both languages: CommonMark only closes `**` after
punctuation when a space or punctuation follows, so Chinese like "相同**。默认设置：**学生" shows
raw asterisks. Every `**` pair must open and close where Markdown sees it."""
import re
import unicodedata

from kdapp.i18n import catalogue

COURSE = __import__("pathlib").Path(__file__).resolve().parents[1] / "course"


def punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def broken_bold(text: str) -> list[str]:
    """`**` runs that Markdown would not read as the opener or closer they are meant to be (templates
    are checked with each {placeholder} filled by a letter)."""
    problems = []
    for i, match in enumerate(re.finditer(r"(?<!\*)\*\*(?!\*)", text)):
        before = text[match.start() - 1] if match.start() > 0 else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if i % 2 == 0:  # opener: left-flanking
            bad = after.isspace() or (punct(after) and not (before.isspace() or punct(before)))
        else:  # closer: right-flanking
            bad = before.isspace() or (punct(before) and not (after.isspace() or punct(after)))
        if bad:
            problems.append(text[max(0, match.start() - 12):match.end() + 12])
    return problems


def test_the_rule_catches_the_known_case_and_passes_good_text():
    assert broken_bold("两者训练步数相同**。默认设置：**学生只能")
    assert not broken_bold("两者训练步数相同。**默认设置**：学生只能看到 **10 %** 的标签")
    assert not broken_bold("**Default setting:** the students")


def test_no_string_has_bold_markdown_cannot_read():
    problems = {f"{key}.{lang}": broken_bold(re.sub(r"\{[^}]*\}", "x", text)) for key, texts in catalogue().items()
                for lang, text in texts.items() if "**" in text}
    assert {k: v for k, v in problems.items() if v} == {}


def test_no_lesson_has_bold_markdown_cannot_read():
    problems = {str(path.relative_to(COURSE)): broken_bold(path.read_text(encoding="utf-8"))
                for path in COURSE.glob("*/*.md")}
    assert {k: v for k, v in problems.items() if v} == {}
