"""Measure the Distillation Lab's targets on this machine and print the figures.

  python bench/bench_lab.py all --test-idx ../shared/data/mnist-test

Parts (run one or `all`):
  default   the default Lab configuration end to end (cold teacher, then cached), wall time and the
            longest gap between progress records (the page repaints on each record, throttled to 4/s)
  teacher   the default teacher on mnist5k, accuracy on the official MNIST test set (--test-idx)
  gain      hard-label vs KD student, default settings, 3 seeds, on the official test set
  loop      the student training loop vs a per-sample DataLoader loop in the style of
            pytorch/examples/mnist, same model and data, images per second
"""
import argparse
import os
import statistics
import tempfile
import time
from dataclasses import replace

import torch


def default_run(args):
    from kdcore.lab import LabConfig, run_lab

    for label in ("cold teacher", "cached teacher"):
        start, last, gap = time.perf_counter(), time.perf_counter(), 0.0
        for record in run_lab(LabConfig(device="cpu")):
            now = time.perf_counter()
            gap, last = max(gap, now - last), now
        summary = record["result"].to_dict()
        print(f"default Lab ({label}): {time.perf_counter() - start:.1f} s wall, longest gap between records "
              f"{1000 * gap:.0f} ms, teacher {100 * summary['teacher_accuracy']:.2f}%, hard {100 * summary['baseline_accuracy']:.2f}%,"
              f" KD {100 * summary['kd_accuracy']:.2f}% on {summary['test_set']}")


def teacher_accuracy(args):
    from kdcore import data
    from kdcore.teacher import TeacherConfig, train_teacher

    d = data.load("mnist5k", test_idx=args.test_idx)
    start = time.perf_counter()
    for record in train_teacher(TeacherConfig(), d):
        pass
    teacher = record["teacher"]
    print(f"teacher ({teacher.params:,} parameters): {100 * teacher.test_accuracy:.2f}% on {d.test_description}, "
          f"trained in {time.perf_counter() - start:.1f} s (cached: {teacher.cached})")


def gain(args):
    from kdcore.lab import LabConfig, run_lab

    config = LabConfig(test_idx=args.test_idx, seeds=(0, 1, 2), device="cpu")
    for record in run_lab(config):
        pass
    s = record["result"].to_dict()
    print(f"gain ({s['test_set']}, 3 seeds, T={config.temperature}, α={config.alpha}, {config.epochs} epochs, "
          f"{100 * config.labelled_fraction:g}% labelled): hard {100 * s['baseline_accuracy']:.2f} ± {100 * s['baseline_sd']:.2f}, "
          f"KD {100 * s['kd_accuracy']:.2f} ± {100 * s['kd_sd']:.2f}, gain {s['gain_points']:+.2f} points; "
          f"per seed {[(round(100 * r['baseline_accuracy'], 2), round(100 * r['kd_accuracy'], 2)) for r in s['per_seed']]}")


def loop(args):
    from PIL import Image
    from torchvision import transforms

    from kdcore import data, models, train

    d = data.load("mnist5k")
    raw = d.pixels(d.x_train).mul(255).round().to(torch.uint8)[:, 0].numpy()  # (N, 28, 28) uint8 images
    epochs = 3

    class DigitFolder(torch.utils.data.Dataset):  # per-sample PIL → ToTensor → Normalize, as in examples/mnist
        transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])

        def __len__(self):
            return len(raw)

        def __getitem__(self, i):
            return self.transform(Image.fromarray(raw[i], mode="L")), int(d.y_train[i])

    def per_sample():
        torch.manual_seed(0)
        model = models.build("mlp", d.in_shape, 10, 32)
        optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
        loader = torch.utils.data.DataLoader(DigitFolder(), batch_size=128, shuffle=True)
        model.train()
        for _ in range(epochs):
            for x, y in loader:
                optimizer.zero_grad()
                torch.nn.functional.cross_entropy(model(x), y).backward()
                optimizer.step()

    def ours():
        torch.manual_seed(0)
        model = models.build("mlp", d.in_shape, 10, 32)
        train.run(train.fit(model, d.x_train, d.y_train, epochs=epochs))

    rates = {}
    for name, fn in (("per-sample DataLoader", per_sample), ("KD Lab fit", ours)):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        rates[name] = epochs * len(raw) / statistics.median(times)
        print(f"loop {name}: {rates[name]:,.0f} images/s (median of 3 runs of {epochs} epochs)")
    print(f"loop speed-up: {rates['KD Lab fit'] / rates['per-sample DataLoader']:.1f}×")


PARTS = {"default": default_run, "teacher": teacher_accuracy, "gain": gain, "loop": loop}

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", choices=[*PARTS, "all"])
    parser.add_argument("--test-idx", default=os.path.join("..", "shared", "data", "mnist-test"))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    os.environ.setdefault("KDLAB_CACHE_DIR", tempfile.mkdtemp(prefix="kdlab-bench-"))  # cold start by default
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, load average {os.getloadavg()[0]:.1f}")
    for name, part in PARTS.items():
        if args.part in (name, "all"):
            part(args)
