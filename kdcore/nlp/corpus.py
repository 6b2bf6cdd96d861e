"""Text corpora for the character-level models, each split contiguously into train/validation.

- "builtin": the English reference text that ships with every Python (`pydoc_data.topics`, the
  help() pages of the language reference, ~465 k characters): offline and always installed.
- "upload": a learner's own UTF-8 text, checked for size, binary content and length.
- "shakespeare": Tiny Shakespeare (~1.1 M characters), downloaded once into the data folder when a
  network is there; set KDLAB_OFFLINE=1 to never try.
"""
import os
import urllib.request
from dataclasses import dataclass

import torch

from ..errors import ConfigError, DataUnavailable
from ..paths import data_dir
from ..schema import Choice
from .tokenizer import CharTokenizer

SOURCES = ("builtin", "upload", "shakespeare")
MAX_UPLOAD_BYTES = 2_000_000  # keeps the teacher's (N, V) soft-target table well under 1 GB
MIN_CHARACTERS = 2_000  # below this a validation split of 10 % is shorter than a useful context
SHAKESPEARE_URL = "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"


@dataclass
class Corpus:
    name: str
    text: str
    tokenizer: CharTokenizer
    train: torch.Tensor  # (N_train,) int64 token ids: the first 90 % of the text
    valid: torch.Tensor  # (N_valid,) int64 token ids: the last 10 %, never trained on

    @property
    def vocab_size(self) -> int:
        return self.tokenizer.vocab_size


def from_text(name: str, text: str, valid_fraction: float = 0.1) -> Corpus:
    if len(text) < MIN_CHARACTERS:
        raise ConfigError("text_too_short", length=len(text), minimum=MIN_CHARACTERS)
    tokenizer = CharTokenizer.from_text(text)
    ids = tokenizer.encode_corpus(text)
    cut = int(len(ids) * (1 - valid_fraction))
    return Corpus(name, text, tokenizer, ids[:cut], ids[cut:])


def builtin_text() -> str:
    from pydoc_data.topics import topics

    return "\n\n".join(topics[key] for key in sorted(topics))


def decode_upload(data: bytes) -> str:
    """The text of an uploaded file, or a ConfigError that says what is wrong with it."""
    if not data:
        raise ConfigError("upload_empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ConfigError("upload_too_big", size=len(data), limit=MAX_UPLOAD_BYTES)
    if b"\x00" in data:
        raise ConfigError("upload_binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ConfigError("upload_not_utf8", byte=err.start) from None


def shakespeare_text() -> str:
    path = data_dir() / "tinyshakespeare.txt"
    if not path.exists():
        if os.environ.get("KDLAB_OFFLINE") == "1":
            raise DataUnavailable("shakespeare_offline", path=path)
        try:
            with urllib.request.urlopen(SHAKESPEARE_URL, timeout=20) as response:
                data = response.read()
        except OSError as err:
            raise DataUnavailable("shakespeare_download", reason=err, path=path) from None
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return path.read_text(encoding="utf-8")


def load(source: str = "builtin", upload: bytes | None = None, max_characters: int | None = None) -> Corpus:
    """The corpus, optionally cut to its first `max_characters` (a quicker, smaller experiment)."""
    if source == "builtin":
        text = builtin_text()
    elif source == "shakespeare":
        text = shakespeare_text()
    elif source == "upload":
        if upload is None:
            raise ConfigError("upload_missing")
        text = decode_upload(upload)
    else:
        Choice(SOURCES).check("corpus", source)
    return from_text(source, text[:max_characters] if max_characters else text)
