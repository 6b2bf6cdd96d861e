"""UI string catalogue. One JSON file per page or area in `strings/`, each mapping
key → {"en": ..., "zh": ...}; keys are addressed as "<file stem>.<key>" (e.g. "lab.train").
Pure Python so tests can check coverage without Streamlit."""
import json
from functools import lru_cache
from pathlib import Path

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
