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
        raise ConfigError(f"The text has {len(text):,} characters; at least {MIN_CHARACTERS:,} are needed "
                          "so that training and validation windows fit. Use a longer text.")
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
        raise ConfigError("The uploaded file is empty. Choose a .txt file with some text in it.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ConfigError(f"The file has {len(data):,} bytes; the limit is {MAX_UPLOAD_BYTES:,}. "
                          "Upload a shorter excerpt.")
    if b"\x00" in data:
        raise ConfigError("The file looks binary (it contains NUL bytes). Upload plain UTF-8 text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ConfigError(f"The file is not valid UTF-8 (byte {err.start}). Save it as UTF-8 text and retry.") from None


def shakespeare_text() -> str:
    path = data_dir() / "tinyshakespeare.txt"
    if not path.exists():
        if os.environ.get("KDLAB_OFFLINE") == "1":
            raise DataUnavailable(f"Tiny Shakespeare is not in {path} and downloads are off (KDLAB_OFFLINE=1). "
                                  "Copy input.txt from karpathy/char-rnn there, or use the built-in corpus.")
        try:
            with urllib.request.urlopen(SHAKESPEARE_URL, timeout=20) as response:
                data = response.read()
        except OSError as err:
            raise DataUnavailable(f"Could not download Tiny Shakespeare ({err}). Check the network, copy the "
                                  f"file to {path} by hand, or use the built-in corpus.") from None
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
            raise ConfigError("Choose a .txt file to upload first.")
        text = decode_upload(upload)
    else:
        raise ConfigError(f"Unknown corpus {source!r}; choose one of {', '.join(SOURCES)}.")
    return from_text(source, text[:max_characters] if max_characters else text)
