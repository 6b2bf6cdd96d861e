"""The whole NLP distillation demo as one event generator: teacher (disk-cached), then a student
from scratch, then one student per distillation method, all with the same initialisation, batches
and number of steps so the comparison is fair. Used by the page, the CLI and the benchmark.
"""
import dataclasses
import hashlib
import math
import time
from dataclasses import dataclass, field

import torch

from .. import cache
from ..device import CHOICES as DEVICES
from ..device import resolve
from ..errors import ConfigError
from ..events import Done, Partial, Phase, Stages
from ..rng import seeded
from ..schema import Choice, Range, bounded, check_fields
from .corpus import Corpus
from .model import CharGPT, GPTConfig
from .objectives import LabelsOnly, SequenceKD, TokenKD, teacher_table
from .sampling import generate_windows
from .train import GridWindows, RandomWindows, TrainConfig, fit, validation_bpc

METHODS = ("forward-kl", "reverse-kl", "sequence")


@dataclass(frozen=True)
class NLPConfig:
    teacher: GPTConfig = GPTConfig(context=64, layers=4, heads=4, width=128)  # ~0.8 M parameters
    teacher_training: TrainConfig = TrainConfig(steps=450, batch=32, eval_every=75)  # ~0.9 M characters seen
    student: GPTConfig = GPTConfig(context=64, layers=2, heads=2, width=48)  # ~65 k parameters, ~13× smaller
    student_training: TrainConfig = TrainConfig(steps=600, batch=32, eval_every=100)  # same for every student
    methods: tuple = ("forward-kl",)  # distillation variants to run after the scratch student
    temperature: float = field(default=1.0, metadata=bounded(Range(0, 100, low_open=True)))  # T of the token-level KL terms
    alpha: float = field(default=0.5, metadata=bounded(Range(0, 1)))  # weight of the distillation term (sequence-level: share of teacher-written windows)
    generated_windows: int = field(default=2048, metadata=bounded(Range(1, 10**6, integer=True)))  # teacher-written windows for sequence-level KD (at most as many as real ones)
    prompt_length: int = 16  # real characters that start each teacher-written window (checked against the context)
    device: str = field(default="auto", metadata=bounded(Choice(DEVICES)))  # auto = GPU when present

    def validate(self, corpus: Corpus) -> None:
        check_fields(self)
        for method in self.methods:
            Choice(METHODS).check("method", method)
        longest = max(self.teacher.context, self.student.context) + 2
        if len(corpus.valid) < longest or len(corpus.train) < longest:
            raise ConfigError("context_too_long", context=longest - 2, valid=len(corpus.valid))


@dataclass
class ModelResult:
    model: CharGPT
    params: int
    val_bpc: float
    train_tokens_per_second: float
    inference_tokens_per_second: float
    seconds: float
    curve: list = field(default_factory=list)  # [(step, seconds, val_bpc), ...]
    cached: bool = False
    val_window_sd: float = math.nan  # spread of the validation windows' bpc (a teacher cached before it was kept: nan)
    val_windows: int = 0  # validation windows val_bpc is the mean of


def inference_speed(model, tokens: torch.Tensor) -> float:
    """Characters per second scored by one batched pass over the validation text."""
    start = time.perf_counter()
    validation_bpc(model, tokens)
    usable = (len(tokens) - 1) // model.config.context * model.config.context
    return usable / (time.perf_counter() - start)


def _train(model, objective, corpus, training: TrainConfig):
    """Train, then measure inference speed: returns the ModelResult."""
    fitted = yield from fit(model, objective, corpus.valid, training)
    return ModelResult(model, model.num_params(), fitted.val_bpc, fitted.tokens_per_second,
                       inference_speed(model, corpus.valid), fitted.seconds, fitted.curve,
                       val_window_sd=fitted.val_window_sd, val_windows=fitted.val_windows)


class NLPExperiment:
    """`run()` yields events (phase "teacher", "scratch", then each method; Epoch metrics hold the
    validation {"bpc": ...}), a Partial(result=the experiment) after each student, and ends with
    Done(result=the experiment); `results` maps phase → ModelResult."""

    def __init__(self, corpus: Corpus, config: NLPConfig = NLPConfig()):
        config.validate(corpus)
        self.corpus, self.config = corpus, config
        self.device = resolve(config.device)
        self.teacher_config = dataclasses.replace(config.teacher, vocab_size=corpus.vocab_size)
        self.student_config = dataclasses.replace(config.student, vocab_size=corpus.vocab_size)
        self.results: dict[str, ModelResult] = {}
        self.teacher_outputs = None  # (W, L, V) float16, loaded or computed on first use

    def teacher_key(self) -> str:
        fingerprint = hashlib.sha256(self.corpus.text.encode()).hexdigest()[:16]
        return cache.config_key("nlp-teacher", {"text": fingerprint, "model": self.teacher_config,
                                                "training": self.config.teacher_training})

    def _teacher(self):
        """Train the teacher, or load it from the disk cache (one Phase(cached=True)); returns its ModelResult."""
        def train():
            with seeded(self.config.teacher_training.seed):
                model = CharGPT(self.teacher_config).to(self.device)
            objective = LabelsOnly(RandomWindows(self.corpus.train, self.teacher_config.context),
                                   self.config.teacher_training.batch, self.device)
            result = yield from _train(model, objective, self.corpus, self.config.teacher_training)
            entry = {f.name: getattr(result, f.name) for f in dataclasses.fields(result)
                     if f.name not in ("model", "cached")}
            return {"state": {k: v.cpu() for k, v in model.state_dict().items()}, **entry}

        stored, cached = yield from cache.once(self.teacher_key(), train)
        stored = dict(stored)
        model = CharGPT(self.teacher_config)
        model.load_state_dict(stored.pop("state"))
        if cached:
            yield Phase(progress=1.0, cached=True, info={"bpc": stored["val_bpc"]})
        return ModelResult(model.to(self.device), **stored, cached=cached)

    def _table(self, teacher):
        """The teacher's outputs on the students' windows: from the disk cache, else computed once."""
        if self.teacher_outputs is None:
            key = self.teacher_key() + f"-table-{self.student_config.context}"
            self.teacher_outputs = cache.load(key)[0]  # an unverifiable table is moved aside and recomputed
            if self.teacher_outputs is None:
                self.teacher_outputs = teacher_table(teacher, self.windows)
                cache.save(key, self.teacher_outputs)
        return self.teacher_outputs

    def _student(self, objective):
        with seeded(self.config.student_training.seed):  # every student starts from the same weights
            model = CharGPT(self.student_config).to(self.device)
        return (yield from _train(model, objective, self.corpus, self.config.student_training))

    def _objective(self, method: str, teacher):
        config, batch = self.config, self.config.student_training.batch
        if method == "sequence":
            count = min(config.generated_windows, len(self.windows.windows))  # no more than real windows
            generated = generate_windows(teacher, self.corpus.train, count, config.prompt_length,
                                         seed=config.student_training.seed)
            return SequenceKD(self.windows, batch, self.device, generated=generated, alpha=config.alpha)
        return TokenKD(self.windows, batch, self.device, table=self._table(teacher), direction=method,
                       temperature=config.temperature, alpha=config.alpha)

    def run(self):
        start = time.perf_counter()
        stages = Stages([1] * (2 + len(self.config.methods)))  # teacher, scratch, each method
        yield stages.phase(0, "teacher")
        self.results["teacher"] = yield from stages.run(0, self._teacher(), phase="teacher")
        teacher = self.results["teacher"].model
        # Every student trains on the same fixed windows in the same order; only the objective differs.
        self.windows = GridWindows(self.corpus.train, self.student_config.context)
        yield stages.phase(1, "scratch")
        scratch = LabelsOnly(self.windows, self.config.student_training.batch, self.device)
        self.results["scratch"] = yield from stages.run(1, self._student(scratch), phase="scratch")
        self.seconds = time.perf_counter() - start
        yield Partial(progress=stages.at(1, 1.0), result=self)
        for i, method in enumerate(self.config.methods, start=2):
            yield stages.phase(i, method)  # preparing: the teacher's table or its written windows
            objective = self._objective(method, teacher)
            self.results[method] = yield from stages.run(i, self._student(objective), phase=method)
            self.seconds = time.perf_counter() - start
            yield Partial(progress=stages.at(i, 1.0), result=self)  # a Stop keeps the students so far
        self.teacher_outputs = None  # can be ~100 MB; the results keep only the models
        self.seconds = time.perf_counter() - start
        yield Done(result=self)

    def summary(self) -> dict:
        """Plain numbers (JSON-ready) of a finished run."""
        teacher, scratch = self.results["teacher"], self.results["scratch"]
        out = {"corpus": self.corpus.name, "vocab_size": self.corpus.vocab_size, "teacher_bpc": teacher.val_bpc,
               "scratch_bpc": scratch.val_bpc, "teacher_params": teacher.params, "student_params": scratch.params,
               "teacher_cached": teacher.cached, "seconds": self.seconds, "models": {}}
        for phase, result in self.results.items():
            out["models"][phase] = {"params": result.params, "val_bpc": result.val_bpc, "seconds": result.seconds,
                                    "train_tokens_per_second": result.train_tokens_per_second,
                                    "inference_tokens_per_second": result.inference_tokens_per_second,
                                    "curve": result.curve, "val_window_sd": result.val_window_sd,
                                    "val_windows": result.val_windows}
            if phase in METHODS:
                out["models"][phase]["gap_closed"] = gap_closed(teacher.val_bpc, scratch.val_bpc, result.val_bpc)
        if self.config.methods and self.config.methods[0] in self.results:
            out["kd_bpc"] = self.results[self.config.methods[0]].val_bpc
        return out


def gap_closed(teacher_bpc: float, scratch_bpc: float, student_bpc: float) -> float:
    """Share of the scratch → teacher gap the distilled student closed (1 = as good as the teacher)."""
    gap = scratch_bpc - teacher_bpc
    return (scratch_bpc - student_bpc) / gap if gap > 0 else float("nan")
