"""What feature-based methods share: probing the models' feature shapes, choosing which feature
pair to compare, and the objective  L = CE(y, z_s) on labelled images + the method's weighted terms.

Models return `(features, logits)` with `features` = [spatial map (B, C, H, W) where the model has
one, ..., embedding (B, D)]; a method never needs model-specific code, only these shapes.
"""
import torch
import torch.nn.functional as F
from torch import nn

from .. import models
from ..errors import ConfigError
from .base import Distiller, labelled_cross_entropy


def feature_shapes(model: nn.Module, in_shape) -> list[tuple]:
    """Shapes (without the batch dimension) of `model(x, features=True)[0]` for images of `in_shape`."""
    was_training = model.training
    device = next(model.parameters()).device
    model.eval()
    with torch.no_grad():
        features, _ = model(torch.zeros(2, *in_shape, device=device), features=True)
    model.train(was_training)
    return [tuple(f.shape[1:]) for f in features]


def spatial_index(shapes: list[tuple]) -> int | None:
    """Index of the first spatial map (C, H, W) among feature shapes, or None (e.g. an MLP)."""
    return next((i for i, shape in enumerate(shapes) if len(shape) == 3), None)


def spatial_families(in_shape) -> list[str]:
    """Model families that give a spatial feature map for this image shape (measured by probing)."""
    return [family for family in models.FAMILIES
            if spatial_index(feature_shapes(models.build(family, in_shape), in_shape)) is not None]


def match_spatial(student_map: torch.Tensor, teacher_map: torch.Tensor) -> torch.Tensor:
    """Average-pool the student map (B, C, H, W) to the teacher map's H × W when they differ."""
    if student_map.shape[2:] != teacher_map.shape[2:]:
        student_map = F.adaptive_avg_pool2d(student_map, teacher_map.shape[2:])
    return student_map


class FeatureDistiller(Distiller):
    """Base for methods that compare intermediate features. Subclasses implement
    `build(student_shapes, teacher_shapes, in_shape)` (check the pair, create projections) and
    `terms(student_features, teacher_features)` → {name: weighted scalar}.

    Objective: L = CE(y, softmax(z_s)) over labelled images + Σ terms over every image of the
    transfer set (RepDistiller's convention: the feature term replaces the KD term).
    """

    consumes = frozenset({"logits", "features", "teacher"})
    bound = False  # set by `bind`

    def bind(self, student, teacher, in_shape):
        if teacher is None:
            raise ConfigError("needs_teacher", method=self.name)
        self.build(feature_shapes(student, in_shape), feature_shapes(teacher, in_shape), in_shape)
        self.bound = True
        return self

    def build(self, student_shapes: list[tuple], teacher_shapes: list[tuple], in_shape) -> None:
        """Default: nothing to build, any pair works."""

    def require_spatial(self, student_shapes, teacher_shapes, in_shape) -> tuple[int, int]:
        """Indices of the spatial maps, or a ConfigError naming the families that have one."""
        pair = spatial_index(student_shapes), spatial_index(teacher_shapes)
        if None in pair:
            raise ConfigError("needs_spatial", method=self.name, families=", ".join(spatial_families(in_shape)))
        return pair

    def terms(self, student_features: list, teacher_features: list) -> dict:
        raise NotImplementedError

    def forward(self, student, teacher, target, labelled, progress=0.0):
        if not self.bound:
            raise ConfigError("not_bound", method=self.name)
        teacher_features = [f.detach() for f in teacher["features"]]  # the teacher only teaches
        return {"hard": labelled_cross_entropy(student["logits"], target, labelled),
                **self.terms(student["features"], teacher_features)}
