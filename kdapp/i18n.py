"""UI string catalogue. One JSON file per page or area in `strings/`, each mapping
key → {"en": ..., "zh": ...}; keys are addressed as "<file stem>.<key>" (e.g. "lab.train").
Pure Python so tests can check coverage without Streamlit."""
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kdcore.errors import KDLabError

if TYPE_CHECKING:  # kdcore.data needs torch; the catalogue does not
    from kdcore.data import TestSet

LANGUAGES = {"en": "English", "zh": "中文"}
STRINGS_DIR = Path(__file__).parent / "strings"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    table = {}
    for path in sorted(STRINGS_DIR.glob("*.json")):
        for key, texts in json.loads(path.read_text(encoding="utf-8")).items():
            table[f"{path.stem}.{key}"] = texts
    return table


def text(key: str, lang: str = "en", **fmt) -> str:
    """The string for `key` in `lang`, formatted with `fmt`. A missing key raises KeyError, so a
    typo fails the tests instead of showing a raw key to a learner."""
    entry = catalogue()[key]
    value = entry.get(lang) or entry["en"]
    return value.format(**fmt) if fmt else value


def error_text(err: Exception, lang: str = "en") -> str:
    """A KDLabError in `lang`: its code's text in `strings/errors.json` filled with its parameters;
    anything else (a bug, a library's own error) as its English message."""
    key = f"errors.{getattr(err, 'code', '')}"
    if isinstance(err, KDLabError) and key in catalogue():
        return text(key, lang, **err.params)
    return str(err)


def describe_test_set(test_set: "TestSet", lang: str = "en") -> str:
    """A TestSet in `lang`, e.g. "held-out mnist5k digits (1,000)" / "留出的 mnist5k 数字（1,000 张）";
    the data's name is translated where `common.set_<name>` exists."""
    name_key = "common.set_" + re.sub(r"\W+", "_", test_set.name.lower())
    name = text(name_key, lang) if name_key in catalogue() else test_set.name
    kind = "common.test_heldout" if test_set.kind == "held-out" else "common.test_official"
    return text(kind, lang, what=name, n=f"{test_set.n:,}")


def language_of(value) -> str | None:
    """The language a URL's `lang` value names ("en", "zh"), or None for anything else (missing,
    misspelt, hostile): the URL never sets a language the catalogue lacks."""
    return value if isinstance(value, str) and value in LANGUAGES else None
