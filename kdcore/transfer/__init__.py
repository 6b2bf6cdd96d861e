"""Knowledge transfer across digit domains: feature transfer, model transfer, adversarial transfer
(DANN) and their baselines, on built-in or file domains (see domains.py, strategies.py, runner.py)."""
from .budget import ALL, parse_k
from .domains import BUILTIN, load_pair
from .runner import TransferResult, compare
from .strategies import LABEL_FREE, STRATEGIES, TransferConfig

__all__ = ["ALL", "BUILTIN", "LABEL_FREE", "STRATEGIES", "TransferConfig", "TransferResult", "compare", "load_pair",
           "parse_k"]
