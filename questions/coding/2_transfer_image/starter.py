import torch
import torch.nn as nn
import torch.nn.functional as F


def build_transfer_model(source_model, num_classes):
    """Frozen source_model.features + a new trainable nn.Linear(32, num_classes) head.
    Return an nn.Module with attributes `features` and `head`; forward(x) returns logits (B, num_classes)."""
    raise NotImplementedError


def fine_tune(model, X, y, epochs=300, lr=0.01):
    """Train only the parameters that require gradients with cross-entropy (full batch, Adam)."""
    raise NotImplementedError
