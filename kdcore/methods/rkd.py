"""Relational KD: transfer the shape of the embedding cloud (distances and angles)."""
import torch
import torch.nn.functional as F

from ..schema import Range
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

    ψ_D(i, j) = ‖x_i − x_j‖ / μ (μ: mean distance in the batch), ψ_A(i, j, k) = ⟨e_ij, e_kj⟩; ℓ_δ is
    the smooth L1 (Huber) loss, averaged over B² pairs and B³ triplets. x: penultimate embeddings;
    relations do not depend on D, so widths may differ.
    """

    name = "rkd"
    paper = 'Park, Kim, Lu & Cho (2019), "Relational Knowledge Distillation", CVPR'
    formula_tex = (r"\begin{gathered}\mathcal{L} = \mathrm{CE}(y, p_s) + w_d\,\ell_\delta(\psi_D^s, \psi_D^t)"
                   r" + w_a\,\ell_\delta(\psi_A^s, \psi_A^t) \\ \psi_D = \tfrac{\|x_i - x_j\|}{\mu},\quad"
                   r" \psi_A = \langle e_{ij}, e_{kj}\rangle\end{gathered}")
    hyper = {"distance_weight": Range(0, 1e4, 25.0, "w_d: weight of the distance relation"),
             "angle_weight": Range(0, 1e4, 50.0, "w_a: weight of the angle relation")}

    def terms(self, student_features, teacher_features):
        student, teacher = student_features[-1].flatten(1), teacher_features[-1].flatten(1)
        return {"rkd_distance": self.distance_weight * F.smooth_l1_loss(distances(student), distances(teacher)),
                "rkd_angle": self.angle_weight * F.smooth_l1_loss(angles(student), angles(teacher))}
