"""What a model is trained on: one callable per method, all with the signature
`objective(model, generator) -> {"loss": tensor, <named terms>}` so `train.fit` has no branches;
the named terms are the weighted shares of the loss (they sum to it), for display.

Teacher outputs are computed once: `teacher_table` runs the teacher over the students' fixed
training windows and keeps its next-character log-probabilities, so a KD step costs a table
lookup instead of a forward pass of a model 10–20× the student's size.
"""
import torch

from .losses import cross_entropy, forward_kl, reverse_kl
from .train import GridWindows

KL_DIRECTIONS = {"forward-kl": forward_kl, "reverse-kl": reverse_kl}


class LabelsOnly:
    """Plain next-character cross-entropy on real text: the teacher's and the scratch student's.
    `windows(batch, generator)` returns (B, context + 1) token ids."""

    def __init__(self, windows, batch: int, device):
        self.windows, self.batch, self.device = windows, batch, device

    def __call__(self, model, generator):
        windows = self.windows(self.batch, generator).to(self.device)
        ce = cross_entropy(model(windows[:, :-1]), windows[:, 1:])
        return {"loss": ce, "ce": ce}


class TokenKD:
    """Token-level KD: (1 − α)·CE(labels) + α·T²·KL at every position, forward or reverse."""

    def __init__(self, windows: GridWindows, batch: int, device, table: torch.Tensor, direction: str,
                 temperature: float, alpha: float):
        self.windows, self.batch, self.device = windows, batch, device
        self.table, self.kl, self.temperature, self.alpha = table, KL_DIRECTIONS[direction], temperature, alpha

    def __call__(self, model, generator):
        rows = self.windows.rows(self.batch, generator)  # the same draws as the scratch student's
        windows = self.windows.windows[rows].to(self.device)
        teacher = self.table[rows].to(self.device).float()  # (B, L, V) log-probabilities
        logits = model(windows[:, :-1])  # (B, L, V)
        ce = cross_entropy(logits, windows[:, 1:])
        terms = {"ce": (1 - self.alpha) * ce, "kl": self.alpha * self.kl(logits, teacher, self.temperature)}
        return {"loss": terms["ce"] + terms["kl"], **terms}


class SequenceKD:
    """Sequence-level KD (Kim & Rush 2016): plain CE on windows the teacher wrote itself. A share α
    of each batch comes from the teacher's text, the rest from the real text."""

    def __init__(self, windows, batch: int, device, generated: torch.Tensor, alpha: float):
        self.windows, self.batch, self.device = windows, batch, device
        self.generated = generated  # (G, context + 1) token ids written by the teacher
        self.teacher_rows = round(alpha * batch)

    def __call__(self, model, generator):
        real = self.windows(self.batch - self.teacher_rows, generator)
        chosen = torch.randint(0, len(self.generated), (self.teacher_rows,), generator=generator)
        windows = torch.cat([real, self.generated[chosen]]).to(self.device)  # (B, L + 1)
        logits = model(windows[:, :-1])
        split = len(real)
        terms = {"loss": cross_entropy(logits, windows[:, 1:])}
        if split:
            terms["ce"] = cross_entropy(logits[:split], windows[:split, 1:]) * split / len(windows)
        if self.teacher_rows:
            terms["ce_teacher_text"] = cross_entropy(logits[split:], windows[split:, 1:]) * self.teacher_rows / len(windows)
        return terms


@torch.inference_mode()
def teacher_table(teacher, windows: GridWindows, batch: int = 256) -> torch.Tensor:
    """(W, L, V) float16 log-probabilities of the teacher on every student window: entry [w, j] is
    its prediction of character j + 1 of window w from characters 0..j, exactly the student's view."""
    device = next(teacher.parameters()).device
    teacher.eval()
    inputs = windows.windows[:, :-1]  # (W, L)
    parts = [torch.log_softmax(teacher(inputs[i:i + batch].to(device)).float(), dim=-1).half().cpu()
             for i in range(0, len(inputs), batch)]
    return torch.cat(parts)
