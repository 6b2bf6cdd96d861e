"""The paper gallery: classic distillation results, reproduced at laptop scale, each with the
paper's own figure beside ours and a verdict fixed before running. One module per card; a card
whose data is not embedded yet is listed in PENDING with what it needs.

    for event in run_card(CARDS["hinton-soft-targets"], seeds=(0, 1, 2)): ...
"""
from ..errors import ConfigError
from . import (
    assistant,
    born_again,
    dann,
    early_stopped,
    ensemble,
    fidelity,
    hinton,
    mutual,
    omitted,
    small_data,
    smoothing,
)
from .card import Card
from .run import CardResult, cached, from_state, run_card

CARDS: dict[str, Card] = {m.CARD.name: m.CARD for m in (hinton, omitted, small_data, born_again, smoothing,
                                                         early_stopped, assistant, mutual, ensemble, fidelity)}
CARDS |= {card.name: card for card in (dann.CARD, dann.LIKE)}

# Cards that wait for data other than the embedded digits: name → (paper, the paper's figure, what it needs)
PENDING = {
    "dkd-vs-kd": ("Zhao, Cui, Song, Qiu & Liang (2022), \"Decoupled Knowledge Distillation\", CVPR",
                  "DKD above KD for every CIFAR-100 teacher–student pair of its tables",
                  "CIFAR-10 (cifar-10-python.tar.gz in the data folder, or the image-folder zip)"),
}


def restore(state: dict) -> CardResult:
    """A saved view's result (CardResult.to_state); raises KeyError for a card no longer listed,
    ValueError for an entry that is not exactly what the app writes."""
    return from_state(state, CARDS[state["card"]])


def get(name: str) -> Card:
    if name not in CARDS:
        raise ConfigError("not_a_choice", name="card", value=name, choices=", ".join(CARDS))
    return CARDS[name]


__all__ = ["CARDS", "PENDING", "Card", "CardResult", "cached", "get", "restore", "run_card"]
