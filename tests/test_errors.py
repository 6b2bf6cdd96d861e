"""Errors as data: every code has its English and Chinese text, and each validation rule's message
is produced once by kdcore.schema and shown in the learner's language (one test per rule)."""
import ast
import json

import pytest
from test_i18n import placeholders

from kdapp.i18n import STRINGS_DIR, error_text
from conftest import ROOT

from kdcore import data, models
from kdcore.config import RunConfig
from kdcore.errors import MESSAGES, ConfigError, KDLabError

CATALOGUE = json.loads((STRINGS_DIR / "errors.json").read_text(encoding="utf-8"))


def test_every_code_has_the_same_english_and_a_chinese_text_with_its_placeholders():
    assert set(CATALOGUE) == set(MESSAGES)
    for code, template in MESSAGES.items():
        assert CATALOGUE[code]["en"] == template, code
        assert placeholders(CATALOGUE[code]["zh"]) == placeholders(template), code


def raised(call) -> KDLabError:
    with pytest.raises(ConfigError) as err:
        call()
    return err.value


@pytest.mark.parametrize("call, code, english, chinese", [
    (lambda: data.load("mnist5k", subset=5), "out_of_range_int",  # Range: below its low end
     "subset must be a whole number in [10, 1e+07], got 5.", "subset 必须是 [10, 1e+07] 之内的整数，实际为 5。"),
    (lambda: models.build("mlp", (1, 28, 28), 10, width=2.5), "out_of_range_int",  # Range(integer=True)
     "width must be a whole number in [1, 4096], got 2.5.", "width 必须是 [1, 4096] 之内的整数，实际为 2.5。"),
    (lambda: RunConfig().replace(**{"student.lr": 0}).validate(), "out_of_range",  # Range(low_open=True)
     "lr must be in (0, 1], got 0.", "lr 必须在 (0, 1] 之内，实际为 0。"),
    (lambda: data.load("imagenet"), "not_a_choice",  # Choice
     "Unknown dataset 'imagenet'; choose one of mnist5k, digits, mnist, fashion-mnist, cifar10.",
     "未知的 dataset 'imagenet'；请从以下选项中选择：mnist5k, digits, mnist, fashion-mnist, cifar10。"),
])
def test_each_rule_gives_one_message_in_both_languages(call, code, english, chinese):
    err = raised(call)
    assert err.code == code
    assert str(err) == error_text(err, "en") == english
    assert error_text(err, "zh") == chinese


def test_an_error_needs_a_catalogued_code_and_a_bug_shows_its_own_message():
    with pytest.raises(KeyError):
        KDLabError("A sentence not catalogued yet.")
    assert error_text(RuntimeError("bug"), "zh") == "bug"


def test_every_error_kdcore_raises_names_a_catalogued_code():
    """Read from the source: each KDLabError (or subclass) raised with a literal first argument uses a code
    that has its English and Chinese text, so no learner sees an untranslated sentence."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in (ROOT / "kdcore").rglob("*.py")}
    error_types, grown = {"KDLabError"}, True
    while grown:  # every class that derives from KDLabError, wherever it is declared
        subclasses = {node.name for tree in trees.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
                      and any(getattr(base, "id", getattr(base, "attr", None)) in error_types for base in node.bases)}
        grown = not subclasses <= error_types
        error_types |= subclasses
    found = 0
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in error_types \
                    and node.args and isinstance(node.args[0], ast.Constant):
                found += 1
                assert node.args[0].value in MESSAGES, f"{path.name}:{node.lineno} raises {node.args[0].value!r}"
    assert {"CourseError", "BankError", "ImportRejected"} <= error_types and found > 50
