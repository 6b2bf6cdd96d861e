"""Character-level tokenizer: one token per Unicode character, vocabulary built from a corpus.

Characters beyond the `max_vocab - 1` most frequent ones are folded into one "unknown" token, so a
learner's text in any script gives a vocabulary small enough for a CPU model (and for the teacher's
(N, V) soft-target table). Prompts are encoded strictly: an unseen character is a clear error.
"""
from collections import Counter

import torch

from ..errors import ConfigError

UNKNOWN = "\ufffd"  # stands for every character folded out of the vocabulary


class CharTokenizer:
    def __init__(self, chars: str):
        self.chars = chars
        self.index = {ch: i for i, ch in enumerate(chars)}

    @classmethod
    def from_text(cls, text: str, max_vocab: int = 160) -> "CharTokenizer":
        counts = Counter(text)
        if len(counts) <= max_vocab:
            return cls("".join(sorted(counts)))
        kept = [ch for ch, _ in counts.most_common(max_vocab - 1) if ch != UNKNOWN]
        return cls("".join(sorted(kept[: max_vocab - 1])) + UNKNOWN)

    @property
    def vocab_size(self) -> int:
        return len(self.chars)

    def encode_corpus(self, text: str) -> torch.Tensor:
        """(N,) int64 ids; characters outside the vocabulary map to the unknown token."""
        unknown = self.index.get(UNKNOWN)
        return torch.tensor([self.index.get(ch, unknown) for ch in text], dtype=torch.long)

    def encode_prompt(self, prompt: str) -> torch.Tensor:
        """(N,) int64 ids; raises ConfigError naming the characters the model never saw."""
        if not prompt:
            raise ConfigError("prompt_empty")
        missing = sorted({ch for ch in prompt if ch not in self.index or ch == UNKNOWN})
        if missing:
            shown = " ".join(repr(ch) for ch in missing[:10])
            raise ConfigError("prompt_unseen", chars=shown)
        return torch.tensor([self.index[ch] for ch in prompt], dtype=torch.long)

    def decode(self, ids) -> str:
        return "".join(self.chars[i] for i in ids)
