"""Every UI string exists in English and Chinese, with the same placeholders, and every key used exists."""
import re
import string
from pathlib import Path

import pytest

from kdapp.i18n import LANGUAGES, catalogue, describe_test_set, text
from kdcore.data import TestSet

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


@pytest.mark.parametrize("test_set, english, chinese", [
    (TestSet("held-out", "mnist5k digits", 1000), "held-out mnist5k digits (1,000)", "留出的 mnist5k 数字（1,000 张）"),
    (TestSet("held-out", "UCI digits", 797), "held-out UCI digits (797)", "留出的 UCI 手写数字（797 张）"),
    (TestSet("official", "CIFAR-10", 10000), "official CIFAR-10 test set (10,000)", "官方 CIFAR-10 测试集（10,000 张）"),
])
def test_test_sets_read_in_both_languages(test_set, english, chinese):
    assert describe_test_set(test_set, "en") == test_set.describe() == english
    assert describe_test_set(test_set, "zh") == chinese
