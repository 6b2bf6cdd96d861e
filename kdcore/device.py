"""Choose the compute device: CPU by default, a GPU automatically when one is present."""
import torch

CHOICES = ("auto", "cpu", "cuda")


def resolve(name: str = "auto") -> torch.device:
    """'auto' → cuda if available else cpu; 'cuda' without a GPU raises a clear error."""
    if name not in CHOICES:
        raise ValueError(f"Unknown device {name!r}; choose one of {', '.join(CHOICES)}.")
    if name == "cuda" and not torch.cuda.is_available():
        raise ValueError("Device 'cuda' was requested but no CUDA GPU is available; use 'auto' or 'cpu'.")
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)
