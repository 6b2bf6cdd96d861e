"""2-D views of the feature space: where source and target images land in a model's embedding.

Before adaptation the two domains usually form separate clouds; a method that adapts well pulls
them together class by class. PCA is linear and fast; t-SNE (scikit-learn) keeps neighbourhoods.
"""
import numpy as np
import torch

from ..schema import Choice

METHODS = ("pca", "tsne")


@torch.inference_mode()
def embed(model: torch.nn.Module, x: torch.Tensor) -> np.ndarray:
    """Penultimate embeddings (N, D) of images (N, C, H, W), on the CPU."""
    model.eval().cpu()
    return model(x, features=True)[0][-1].flatten(1).numpy()


def project(features: np.ndarray, method: str = "pca", seed: int = 0) -> np.ndarray:
    """(N, D) → (N, 2)."""
    Choice(METHODS).check("projection", method)
    if method == "pca":
        from sklearn.decomposition import PCA

        return PCA(n_components=2, random_state=seed).fit_transform(features)
    from sklearn.manifold import TSNE

    perplexity = min(30.0, (len(features) - 1) / 3)
    return TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed).fit_transform(features)


def view(model, source, target, *, per_domain: int = 300, method: str = "pca", seed: int = 0) -> dict:
    """Project `per_domain` test images of each domain together: {"xy": (2n, 2), "domain": (2n,) 0 = source,
    "label": (2n,)}; the same images every call (seeded), so before/after views are comparable."""
    g = torch.Generator().manual_seed(seed)
    picks = [torch.randperm(len(d.y_test), generator=g)[:per_domain] for d in (source, target)]
    x = torch.cat([source.x_test[picks[0]], target.x_test[picks[1]]])
    labels = torch.cat([source.y_test[picks[0]], target.y_test[picks[1]]]).numpy()
    domain = np.repeat([0, 1], [len(picks[0]), len(picks[1])])
    return {"xy": project(embed(model, x), method, seed), "domain": domain, "label": labels}
