"""Park, Kim, Lu & Cho (2019), "Relational Knowledge Distillation", CVPR."""
import torch
import torch.nn.functional as F

from .base import check_range
from .features import FeatureDistiller


def distances(embedding: torch.Tensor) -> torch.Tensor:
    """(B, B) Euclidean distances divided by their mean over distinct pairs (scale-free)."""
    d = torch.cdist(embedding, embedding)
    off_diagonal = ~torch.eye(len(d), dtype=torch.bool, device=d.device)
    return d / d[off_diagonal].mean().clamp_min(1e-8)


def angles(embedding: torch.Tensor) -> torch.Tensor:
    """(B, B, B) cosines of the angle at j between i and k: ⟨e_ij, e_kj⟩, e_ij = (x_i − x_j)/‖x_i − x_j‖."""
    unit = F.normalize(embedding.unsqueeze(0) - embedding.unsqueeze(1), dim=2)  # (B, B, D): [j, i] = x_i − x_j
    return unit @ unit.transpose(1, 2)


class RelationalKD(FeatureDistiller):
    """Transfer the shape of the embedding cloud: pairwise distances and triplet angles.

    L = CE(y, z_s) + w_d · Σ huber(ψ_D^s − ψ_D^t) / B² + w_a · Σ huber(ψ_A^s − ψ_A^t) / B³

    ψ_D(i, j) = ‖x_i − x_j‖ / μ (μ: mean distance in the batch), ψ_A(i, j, k) = ⟨e_ij, e_kj⟩; huber is
    the smooth L1 loss. x: penultimate embeddings; relations do not depend on D, so widths may differ.
    """

    label = "Relational KD"

    def __init__(self, *, distance_weight: float = 25.0, angle_weight: float = 50.0):
        super().__init__()
        self.distance_weight = check_range("Distance weight", distance_weight, 0.0, 1e4)
        self.angle_weight = check_range("Angle weight", angle_weight, 0.0, 1e4)

    def terms(self, student_features, teacher_features):
        student, teacher = student_features[-1].flatten(1), teacher_features[-1].flatten(1)
        return {"rkd_distance": self.distance_weight * F.smooth_l1_loss(distances(student), distances(teacher)),
                "rkd_angle": self.angle_weight * F.smooth_l1_loss(angles(student), angles(teacher))}
