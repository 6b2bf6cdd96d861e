"""The network of Ganin & Lempitsky (2015) for MNIST → MNIST-M, the transfer page's colour model.

A feature extractor of two 5×5 convolutions (w and 2w channels; the paper uses 32 and 48), each →
batch norm → ReLU → 2×2 max-pool; a label head of two 100-unit layers (batch norm, ReLU) and the
class layer. It keeps kdcore.models' contract: `model(x, features=True)` returns
([conv map, embedding], logits), and the flattened conv map is what the domain head reads
(kdcore.transfer.adversarial). `build` adds it to kdcore.models' families.
"""
from torch import nn

from .. import models
from ..errors import ConfigError

FAMILY = "domain-cnn"
FAMILIES = (*models.FAMILIES, FAMILY)


def _after_conv(pixels: int) -> int:
    """Side of the conv map: two (5×5 valid conv, 2×2 pool) stages; 32 → 5."""
    return ((pixels - 4) // 2 - 4) // 2


class DomainCNN(nn.Module):
    def __init__(self, in_shape, num_classes=10, width=32, hidden=100):
        super().__init__()
        channels, height, width_px = in_shape
        self.conv = nn.Sequential(
            nn.Conv2d(channels, width, 5), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 5), nn.BatchNorm2d(2 * width), nn.ReLU(), nn.MaxPool2d(2))
        flat = 2 * width * _after_conv(height) * _after_conv(width_px)
        self.hidden = nn.Sequential(nn.Flatten(), nn.Linear(flat, hidden), nn.BatchNorm1d(hidden), nn.ReLU(),
                                    nn.Linear(hidden, hidden), nn.BatchNorm1d(hidden), nn.ReLU())
        self.head = nn.Linear(hidden, num_classes)

    def forward(self, x, features=False):
        fmap = self.conv(x)  # (B, 2w, 5, 5) at 32 × 32
        embedding = self.hidden(fmap)  # (B, hidden)
        logits = self.head(embedding)
        return ([fmap, embedding], logits) if features else logits


def build(family: str, in_shape, num_classes: int, width: int) -> nn.Module:
    if family != FAMILY:
        return models.build(family, in_shape, num_classes, width)
    if min(in_shape[1:]) < 16:
        raise ConfigError("images_too_small", shape="×".join(map(str, in_shape)))
    return DomainCNN(tuple(in_shape), num_classes, models.WIDTH.check("width", width))
