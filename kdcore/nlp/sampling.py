"""Reading a language model: its next-character distribution under temperature, and sampling.

Generation is reproducible: every draw comes from a torch.Generator seeded by the caller.
"""
import torch

from ..errors import ConfigError
from ..schema import Range

TEMPERATURE = Range(0, 100, 1.0, "sampling temperature: T → 0 approaches greedy decoding", low_open=True)


@torch.inference_mode()
def next_char_probabilities(model, prompt_ids: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """(V,) softmax(z / T) of the model's next-character logits after the prompt (its last
    `context` characters)."""
    TEMPERATURE.check("temperature", temperature)
    model.eval()
    device = next(model.parameters()).device
    context = prompt_ids[-model.config.context:].to(device)[None]  # (1, L)
    logits = model(context)[0, -1].float().cpu()  # (V,)
    return torch.softmax(logits / temperature, dim=-1)


@torch.inference_mode()
def generate(model, prompt_ids: torch.Tensor, length: int, temperature: float = 1.0, seed: int = 0) -> torch.Tensor:
    """(length,) new token ids sampled one at a time after the prompt (a sliding window of the last
    `context` characters, so any length works)."""
    TEMPERATURE.check("temperature", temperature)
    model.eval()
    device = next(model.parameters()).device
    generator = torch.Generator().manual_seed(seed)
    ids = prompt_ids.tolist()
    for _ in range(length):
        window = torch.tensor(ids[-model.config.context:], device=device)[None]
        probabilities = torch.softmax(model(window)[0, -1].float().cpu() / temperature, dim=-1)
        ids.append(int(torch.multinomial(probabilities, 1, generator=generator)))
    return torch.tensor(ids[len(prompt_ids):])


@torch.inference_mode()
def generate_windows(teacher, tokens: torch.Tensor, count: int, prompt_length: int, seed: int = 0,
                     batch: int = 512) -> torch.Tensor:
    """(count, context + 1) training windows for sequence-level KD: each starts with `prompt_length`
    characters of real text and the teacher writes the rest at T = 1 (sampling, not beam search:
    a character model's beam output collapses into repeats). A key/value cache makes each new
    character one cheap step instead of a pass over the whole window."""
    context, device = teacher.config.context, next(teacher.parameters()).device
    if not 0 < prompt_length <= context:
        raise ConfigError("prompt_length", context=context)
    generator = torch.Generator().manual_seed(seed)
    teacher.eval()
    windows = []
    for start in range(0, count, batch):
        rows = min(batch, count - start)
        offsets = torch.randint(0, len(tokens) - prompt_length, (rows,), generator=generator)
        ids = tokens[offsets[:, None] + torch.arange(prompt_length)].to(device)  # (rows, P)
        caches = [[None, None] for _ in teacher.blocks]
        logits = teacher(ids, caches)[:, -1]  # (rows, V)
        for position in range(prompt_length, context + 1):
            probabilities = torch.softmax(logits.float(), dim=-1).cpu()
            new = torch.multinomial(probabilities, 1, generator=generator).to(device)  # (rows, 1)
            ids = torch.cat([ids, new], dim=1)
            if position < context:  # the window's last character is a target only, never an input
                logits = teacher(new, caches, start=position)[:, -1]
        windows.append(ids.cpu())
    return torch.cat(windows)
