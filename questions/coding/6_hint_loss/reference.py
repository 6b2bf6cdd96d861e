import torch
import torch.nn as nn
import torch.nn.functional as F


class HintLoss(nn.Module):
    """MSE between a learned 1x1-conv projection of the student's feature map and the teacher's."""

    def __init__(self, student_channels, teacher_channels):
        super().__init__()
        # created once and registered as a submodule, so the optimiser trains it with the student
        self.proj = nn.Conv2d(student_channels, teacher_channels, kernel_size=1)

    def forward(self, student_features, teacher_features):
        projected = self.proj(student_features)
        if projected.shape[-2:] != teacher_features.shape[-2:]:
            projected = F.interpolate(projected, size=teacher_features.shape[-2:], mode="bilinear", align_corners=False)
        return F.mse_loss(projected, teacher_features.detach())
