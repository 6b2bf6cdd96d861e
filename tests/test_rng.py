"""Per-run randomness (kdcore.rng): the same seed gives the same weights whatever else the process
is drawing at the same time, and dropout masks come from the run's own generator."""
import threading

import torch

from kdcore import models
from kdcore.rng import Dropout, seeded, use_generator
from kdcore.train import fit


def _train(seed: int = 3) -> dict:
    """A dropout teacher trained for 2 epochs on 8×8 noise images: its final weights."""
    g = torch.Generator().manual_seed(0)
    x, y = torch.rand(192, 1, 8, 8, generator=g), torch.randint(0, 10, (192,), generator=g)
    with seeded(seed):
        model = models.build("teacher-cnn", (1, 8, 8), 10, 4)
    for _ in fit(model, x, y, epochs=2, batch_size=32, seed=seed, shift=1):
        pass
    return {k: v.clone() for k, v in model.state_dict().items()}


def _same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_a_seed_gives_the_same_run_while_other_threads_draw_from_the_global_generator():
    alone = _train()
    stop, results = threading.Event(), [None, None]

    def noise():  # another learner's work: global draws and other seeds' model builds
        while not stop.is_set():
            torch.rand(1000)
            with seeded(99):
                models.build("teacher-cnn", (1, 8, 8), 10, 4)

    def run(i):
        results[i] = _train()

    noisy = threading.Thread(target=noise)
    runs = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    noisy.start()
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()
    stop.set()
    noisy.join()
    assert all(_same(alone, r) for r in results)
    assert not _same(alone, _train(seed=4))  # the seed matters


def test_seeded_restores_the_global_state_and_nested_blocks_continue_the_stream():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    with seeded(7):
        first = torch.rand(2)
        with seeded(7):
            inner = torch.rand(2)
        after = torch.rand(2)
    assert torch.equal(torch.rand(3), expected)  # the caller's stream is untouched
    torch.manual_seed(7)
    reference = torch.rand(4)
    assert torch.equal(first, reference[:2]) and torch.equal(inner, reference[:2])
    assert torch.equal(after, reference[2:])  # continues after the inner block, no restore inside


def test_dropout_masks_come_from_the_given_generator_and_keep_the_expectation():
    layer = Dropout(0.25).train()
    use_generator(layer, 5)
    x = torch.ones(200_000)
    out = layer(x)
    kept = out != 0
    assert torch.allclose(out[kept], torch.full_like(out[kept], 1 / 0.75))  # inverted dropout scale
    assert abs(kept.float().mean().item() - 0.75) < 0.005
    torch.manual_seed(0)  # the global generator plays no part
    use_generator(layer, 5)
    assert torch.equal(layer(x), out)
    assert torch.equal(layer.eval()(x), x)
