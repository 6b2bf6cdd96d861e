"""Every UI string exists in English and Chinese, with the same placeholders, and every key used exists."""
import re
import string
from pathlib import Path

import pytest

from kdapp.i18n import LANGUAGES, catalogue, text

ROOT = Path(__file__).resolve().parents[1]
KEY_USE = re.compile(r"""\bt\(\s*["']([a-z_]+\.[A-Za-z0-9_]+)["']""")


def placeholders(value: str) -> set[str] | None:
    """Format fields of a string; None for literal text that is no format string (e.g. LaTeX braces)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(value) if name}
    except ValueError:
        return None


def test_every_string_in_both_languages_with_matching_placeholders():
    for key, texts in catalogue().items():
        assert set(texts) == set(LANGUAGES), f"{key} lacks a language"
        assert all(texts[lang].strip() for lang in LANGUAGES), f"{key} has an empty text"
        assert placeholders(texts["en"]) == placeholders(texts["zh"]), f"{key}: placeholders differ"


def test_every_literal_key_used_in_the_app_exists():
    table = catalogue()
    files = [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("kdapp/*.py")]
    missing = [(f.name, key) for f in files for key in KEY_USE.findall(f.read_text(encoding="utf-8")) if key not in table]
    assert not missing, missing


def test_missing_key_raises_instead_of_showing_a_raw_key():
    with pytest.raises(KeyError):
        text("nav.no_such_key")
    assert text("nav.lab", "zh") == "蒸馏实验室"
