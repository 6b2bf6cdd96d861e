"""Choose the compute device: CPU by default, a GPU automatically when one is present."""
import torch

from .errors import ConfigError
from .schema import Choice

CHOICES = ("auto", "cpu", "cuda")


def resolve(name: str = "auto") -> torch.device:
    """'auto' → cuda if available else cpu; 'cuda' without a GPU raises a clear error."""
    Choice(CHOICES).check("device", name)
    if name == "cuda" and not torch.cuda.is_available():
        raise ConfigError("no_cuda")
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)
