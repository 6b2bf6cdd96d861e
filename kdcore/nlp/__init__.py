"""Character-level language-model distillation: a teacher GPT, a 10–20× smaller student, and
token-level (forward / reverse KL) and sequence-level knowledge distillation, all CPU-sized."""
from .corpus import Corpus, load
from .experiment import METHODS, NLPConfig, NLPExperiment, gap_closed
from .model import CharGPT, GPTConfig
from .train import TrainConfig

__all__ = ["Corpus", "load", "METHODS", "NLPConfig", "NLPExperiment", "gap_closed", "CharGPT", "GPTConfig",
           "TrainConfig"]
