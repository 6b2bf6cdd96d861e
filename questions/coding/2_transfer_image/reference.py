import torch
import torch.nn as nn
import torch.nn.functional as F


class TransferModel(nn.Module):
    def __init__(self, features, num_classes):
        super().__init__()
        self.features = features
        for parameter in self.features.parameters():
            parameter.requires_grad_(False)  # feature transfer: the source representation stays fixed
        self.head = nn.Linear(32, num_classes)

    def forward(self, x):
        return self.head(self.features(x))


def build_transfer_model(source_model, num_classes):
    """Frozen source_model.features + a new trainable nn.Linear(32, num_classes) head.
    Return an nn.Module with attributes `features` and `head`; forward(x) returns logits (B, num_classes)."""
    return TransferModel(source_model.features, num_classes)


def fine_tune(model, X, y, epochs=300, lr=0.01):
    """Train only the parameters that require gradients with cross-entropy (full batch, Adam)."""
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)
    model.train()
    for _ in range(epochs):
        optimizer.zero_grad()
        F.cross_entropy(model(X), y).backward()
        optimizer.step()
    return model.eval()
