"""Teacher and student networks for image inputs of any (C, H, W), e.g. 1×28×28, 1×8×8, 3×32×32.

Contract: `model(x)` returns logits (B, classes); `model(x, features=True)` returns
`(features, logits)` where `features` is a list of intermediate activations, earliest first:
a spatial map (B, C', H', W') where the model has one, and always the penultimate embedding
(B, D) last. Feature-based distillation methods need no model-specific code.
"""
from torch import nn

from .errors import ConfigError
from .rng import Dropout
from .schema import Choice, Range

WIDTH = Range(1, 4096, integer=True)  # hidden units (mlp) or first-layer channels (cnn, teacher-cnn)


class ConvNet(nn.Module):
    """conv (the spatial map) → embed (the penultimate embedding) → head (logits); subclasses build the
    three stages. `EMBED` names the embedding stage's attribute, which the saved weights' keys carry."""
    EMBED = "pool"

    def forward(self, x, features=False):
        fmap = self.conv(x)
        embedding = getattr(self, self.EMBED)(fmap)
        logits = self.head(embedding)
        return ([fmap, embedding], logits) if features else logits


class TeacherCNN(ConvNet):
    """Two conv blocks (map: B, 2w, H/4, W/4) and a wide hidden layer: ≈207 k parameters on 28×28 digits (width 16)."""
    EMBED = "hidden"

    def __init__(self, in_shape, num_classes=10, width=16, hidden=128):
        super().__init__()
        channels, height, width_px = in_shape
        self.conv = nn.Sequential(
            nn.Conv2d(channels, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        flat = 2 * width * (height // 4) * (width_px // 4)
        self.hidden = nn.Sequential(nn.Flatten(), Dropout(0.25), nn.Linear(flat, hidden), nn.ReLU())
        self.head = nn.Sequential(Dropout(0.25), nn.Linear(hidden, num_classes))



class TeacherVGG(ConvNet):
    """A small VGG-style network for colour images: four stages of 3×3 convolution → batch norm →
    GELU → 2×2 max-pool with widths w, 2w, 4w, 4w (16/32/64/64: ≈ 71 k parameters), then the 2×2
    average of the last map and a linear head. Trains in minutes on a CPU (see kdcore.teacher's recipes)."""

    def __init__(self, in_shape, num_classes=10, width=16):
        super().__init__()
        widths, layers, channels = (width, 2 * width, 4 * width, 4 * width), [], in_shape[0]
        for out in widths:
            layers += [nn.Conv2d(channels, out, 3, padding=1, bias=False), nn.BatchNorm2d(out), nn.GELU(),
                       nn.MaxPool2d(2, ceil_mode=True)]
            channels = out
        self.conv = nn.Sequential(*layers)
        self.pool = nn.Sequential(nn.AdaptiveAvgPool2d(2), nn.Flatten())
        self.head = nn.Linear(4 * channels, num_classes)



class StudentMLP(nn.Module):
    """One hidden layer of `width` units: the classic tiny student (784-32-10 ≈ 25 k parameters)."""

    def __init__(self, in_shape, num_classes=10, width=32):
        super().__init__()
        dim = in_shape[0] * in_shape[1] * in_shape[2]
        self.hidden = nn.Sequential(nn.Flatten(), nn.Linear(dim, width), nn.ReLU())
        self.head = nn.Linear(width, num_classes)

    def forward(self, x, features=False):
        embedding = self.hidden(x)  # (B, width)
        logits = self.head(embedding)
        return ([embedding], logits) if features else logits


class StudentCNN(ConvNet):
    """Two narrow conv blocks and global average pooling: few parameters, spatial features."""

    def __init__(self, in_shape, num_classes=10, width=8):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(in_shape[0], width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(2 * width, num_classes)



FAMILIES = {"teacher-cnn": TeacherCNN, "teacher-vgg": TeacherVGG, "mlp": StudentMLP, "cnn": StudentCNN}
STUDENTS = ("mlp", "cnn")


def build(family: str, in_shape, num_classes: int = 10, width: int | None = None) -> nn.Module:
    """A fresh model; `width` is hidden units (mlp) or first-layer channels (cnn, teacher-cnn)."""
    Choice(tuple(FAMILIES)).check("model family", family)
    if min(in_shape[1:]) < 4:
        raise ConfigError("images_too_small", shape="×".join(map(str, in_shape)))
    kwargs = {} if width is None else {"width": WIDTH.check("width", width)}
    return FAMILIES[family](tuple(in_shape), num_classes, **kwargs)
