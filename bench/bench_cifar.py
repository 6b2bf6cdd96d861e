"""CIFAR-10 on this machine: image-folder load times, the Lab's default run on CIFAR-10, the KD gain.

  python bench/bench_cifar.py all                      # CPU, 2 threads, fresh caches
  python bench/bench_cifar.py lab --device cuda        # the same run on a GPU (AMP, data on the device)

Parts (run one or `all`):
  load   first load of the image-folder zip (decode + cache) and the second load (cache hit)
  lab    the Lab's default settings on the zip, fresh teacher cache, then again with the cached teacher
  gain   hard-label vs KD student, 3 seeds (teacher from the cache)
  epochs the colour students' default epochs: hard and KD students for 10–30 epochs, 2 seeds, scored on 5,000
         CIFAR-10 *training* images outside the Lab's 20,000 (a validation split; the test set is not used)
The zip is the JPEG copy of CIFAR-10 (`../shared/data/cifar10-jpg/cifar10-jpg.zip`); figures measured
on it are "CIFAR-10 (JPEG copy)" figures.
"""
import argparse
import os
import tempfile
import time
from pathlib import Path

import torch

ZIP = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "cifar10-jpg" / "cifar10-jpg.zip"


def load(args):
    from kdcore import imagefolder

    for label in ("first (decode)", "second (cache)"):
        start = time.perf_counter()
        d = imagefolder.read(args.zip)
        print(f"load {label}: {time.perf_counter() - start:.2f} s, {len(d['y_train']):,} + {len(d['y_test']):,} "
              f"images of {tuple(d['x_train'].shape[1:])}, classes {', '.join(d['classes'])}")


def config(args, seeds=(0,)):
    from kdcore.config import RunConfig

    return RunConfig().replace(**{"data.dataset": args.zip, "data.subset": args.subset, "device": args.device,
                                  "seeds": tuple(seeds)})


def lab(args):
    """From the click: the images are decoded already (see `load`), the teacher is not."""
    from kdcore import imagefolder
    from kdcore.events import Done, Epoch
    from kdcore.lab import run_lab

    imagefolder.read(args.zip)
    torch.optim.Adam([torch.zeros(1, requires_grad=True)])  # a fresh process's one-off lazy imports
    for label in ("fresh teacher", "cached teacher"):
        start = time.perf_counter()
        for event in run_lab(config(args)):
            if isinstance(event, Epoch) and event.phase == "teacher":
                print(f"  teacher epoch {event.epoch}: {100 * event.metrics['accuracy']:.1f}% on 1,000 test images "
                      f"({event.elapsed:.0f} s)", flush=True)
            if isinstance(event, Done):
                s = event.result.to_dict()
        print(f"lab ({label}): {time.perf_counter() - start:.1f} s wall, teacher {100 * s['teacher_accuracy']:.2f}% "
              f"({s['teacher_params']:,} parameters), hard {100 * s['baseline_accuracy']:.2f}%, "
              f"KD {100 * s['kd_accuracy']:.2f}% on {s['test_set']['text']} (JPEG copy), load average "
              f"{os.getloadavg()[0]:.1f}", flush=True)


def gain(args):
    from kdcore.events import result
    from kdcore.lab import run_lab

    s = result(run_lab(config(args, seeds=(0, 1, 2)))).to_dict()
    per_seed = [(round(100 * r["baseline_accuracy"], 2), round(100 * r["kd_accuracy"], 2)) for r in s["per_seed"]]
    print(f"gain (3 seeds, {s['test_set']['text']}, JPEG copy): hard {100 * s['baseline_accuracy']:.2f} ± "
          f"{100 * s['baseline_sd']:.2f}, KD {100 * s['kd_accuracy']:.2f} ± {100 * s['kd_sd']:.2f}, gain "
          f"{s['gain_points']:+.2f} points; per seed (hard, KD) {per_seed}; {s['seconds']:.0f} s")


def validation_data(args):
    """The Lab's CIFAR-10 data with 5,000 of the other training images as its evaluation set."""
    import dataclasses

    import numpy as np

    from kdcore import data as datasets
    from kdcore import imagefolder

    raw = imagefolder.read(args.zip)
    order = np.random.default_rng(datasets.SPLIT_SEED).permutation(len(raw["y_train"]))  # as the loader orders them
    x_all, y_all = raw["x_train"].numpy()[order], raw["y_train"].numpy()[order]
    keep = datasets.stratified_subset(y_all, args.subset or datasets.COLOUR_SUBSET, datasets.SPLIT_SEED)
    rest = np.setdiff1d(np.arange(len(y_all)), keep)
    val = rest[datasets.stratified_split(y_all[rest], 5000 / len(rest), 123)[1]]
    lab_data = datasets.load(args.zip, subset=args.subset)
    assert torch.equal(lab_data.y_train, torch.tensor(y_all[keep])), "not the Lab's training images"
    mean, std = (torch.tensor(v).view(1, -1, 1, 1) for v in (lab_data.mean, lab_data.std))
    x_val = (datasets._tensor_images(x_all[val], 255.0) - mean) / std
    # another name: the teacher is cached with its logits on the evaluation images, so it must be its own entry
    return dataclasses.replace(lab_data, name=f"{lab_data.name} (validation)", x_test=x_val,
                               y_test=torch.tensor(y_all[val], dtype=torch.int64))


def epochs(args):
    from kdcore.events import result
    from kdcore.lab import run_lab

    data = validation_data(args)
    print(f"{len(data.y_train):,} training images, {len(data.y_test):,} validation images (training images "
          "outside them; the test set is not used)")
    for seed in (0, 1):
        for n in (10, 15, 20, 30):
            start = time.perf_counter()
            s = result(run_lab(config(args, seeds=(seed,)).replace(**{"student.epochs": n}), data)).to_dict()
            print(f"seed {seed}, {n} epochs: validation hard {100 * s['baseline_accuracy']:.2f} %, KD "
                  f"{100 * s['kd_accuracy']:.2f} % ({time.perf_counter() - start:.1f} s)", flush=True)


PARTS = {"load": load, "lab": lab, "gain": gain, "epochs": epochs}

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", choices=[*PARTS, "all"])
    parser.add_argument("--zip", default=str(ZIP))
    parser.add_argument("--subset", type=int, default=None, help="training images (default: the Lab's)")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"])
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    os.environ.setdefault("KDLAB_CACHE_DIR", tempfile.mkdtemp(prefix="kdlab-bench-"))  # fresh caches by default
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, device {args.device}, "
          f"load average {os.getloadavg()[0]:.1f}")
    for name, part in PARTS.items():
        if args.part in (name, "all"):
            part(args)
