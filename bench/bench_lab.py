"""Measure the Distillation Lab's targets on this machine and print the figures.

  python bench/bench_lab.py all --test-idx ../shared/data/mnist-test

Parts (run one or `all`):
  default   the default Lab configuration end to end (cold teacher, then cached), wall time, where
            each phase ends and the longest gap between events (the page repaints at most 4×/s)
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

import torch


def default_run(args):
    """The page's run: RunConfig() on the CPU, in this process (imports and the optimiser's first-use
    cost are paid before the clock starts, as in the app's server process)."""
    from kdcore.config import RunConfig
    from kdcore.events import Done
    from kdcore.lab import run_lab

    warm_up()
    for label in ("cold teacher", "cached teacher"):
        start, last, gap, phases = time.perf_counter(), time.perf_counter(), 0.0, {}
        for event in run_lab(RunConfig(device="cpu")):
            now = time.perf_counter()
            gap, last = max(gap, now - last), now
            phases[event.phase] = now - start
            if isinstance(event, Done):
                summary = event.result.to_dict()
        ends = ", ".join(f"{name or 'done'} {t:.1f}" for name, t in phases.items())
        print(f"default Lab ({label}): {time.perf_counter() - start:.1f} s wall, longest gap between events "
              f"{1000 * gap:.0f} ms, teacher {100 * summary['teacher_accuracy']:.2f}%, hard "
              f"{100 * summary['baseline_accuracy']:.2f}%, KD {100 * summary['kd_accuracy']:.2f}% on "
              f"{summary['test_set']['text']}; phases end at (s): {ends}", flush=True)


def warm_up():
    """Pay the one-off costs of a fresh process (torch's lazy imports at the first optimiser)."""
    torch.optim.Adam([torch.zeros(1, requires_grad=True)])


def teacher_accuracy(args):
    from kdcore import data
    from kdcore.events import collect
    from kdcore.teacher import TeacherConfig, train_teacher

    d = data.load("mnist5k", test_idx=args.test_idx)
    warm_up()
    start, cpu = time.perf_counter(), time.process_time()
    _, teacher = collect(train_teacher(TeacherConfig(), d))
    print(f"teacher ({teacher.params:,} parameters): {100 * teacher.test_accuracy:.2f}% on {d.test_description}, "
          f"trained in {time.perf_counter() - start:.1f} s wall, {time.process_time() - cpu:.1f} s CPU "
          f"(cached: {teacher.cached})")


def gain(args):
    from kdcore.config import RunConfig, student_epochs
    from kdcore.events import result
    from kdcore.lab import run_lab

    config = RunConfig().replace(**{"data.test_idx": args.test_idx, "seeds": (0, 1, 2), "device": "cpu"})
    s = result(run_lab(config)).to_dict()
    hyper, student = config.method.params, config.student
    print(f"gain ({s['test_set']['text']}, 3 seeds, T={hyper['temperature']}, α={hyper['alpha']}, {student_epochs(student, 1)} epochs, "
          f"{100 * student.labelled_fraction:g}% labelled): hard {100 * s['baseline_accuracy']:.2f} ± "
          f"{100 * s['baseline_sd']:.2f}, KD {100 * s['kd_accuracy']:.2f} ± {100 * s['kd_sd']:.2f}, gain "
          f"{s['gain_points']:+.2f} points; teacher {100 * s['teacher_accuracy']:.2f}%; per seed "
          f"{[(round(100 * r['baseline_accuracy'], 2), round(100 * r['kd_accuracy'], 2)) for r in s['per_seed']]}")


def loop(args):
    from PIL import Image
    from torchvision import transforms

    from kdcore import data, models, train
    from kdcore.events import collect

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
        collect(train.fit(model, d.x_train, d.y_train, epochs=epochs))

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
