"""Ganin & Lempitsky (2015): domain-adversarial training (DANN) carries MNIST digits over to MNIST-M.

Two cards with the same runner (the Knowledge transfer page's colour recipe): one on the real
MNIST-M, which needs its file (without it the run stops at once with a message naming the file and
where to put it, and offering the embedded pair), and one on the embedded MNIST-M-like pair.
"""
import dataclasses

from .. import device as devices
from ..config import RunConfig
from ..events import Stages
from ..transfer import domains, strategies
from ..transfer.strategies import TransferConfig
from .card import Card, Figure, Measurement
from .verdict import Effect

EVALS = 5  # checkpoints per run: the stopping point is picked among them on the source validation split


def _transfer(target_name: str, settings: dict) -> TransferConfig:
    return TransferConfig(source="mnist5k", target=target_name, **{"evals": EVALS, **settings}).with_recipe(colour=True)


def dann_measure(target_name: str, **settings):
    """(measure, load) of a card: source-only and DANN on mnist5k → `target_name`, every choice made
    without target labels (the recipe's settings, the source-validation stopping point); `settings`
    override TransferConfig fields (tests run it tiny). `load` reads the pair once for all seeds."""
    transfer = _transfer(target_name, settings)

    def load(config: RunConfig):
        return domains.load_pair(transfer.source, transfer.target, size=transfer.size, align=transfer.align)

    def measure(config: RunConfig, seed: int, pair):
        (source, target), device, stages = pair, devices.resolve(config.device), Stages([1.0, 1.0])
        _, _, (source_only, _) = yield from stages.run(
            0, strategies.pretrain_source(transfer, source, target, seed, device), phase="source_only", seed=seed)
        _, dann, _ = yield from stages.run(
            1, strategies.adversarial(transfer, source, target, seed=seed, device=device), phase="dann", seed=seed)
        return Measurement({"source_only": source_only, "dann": dann}, len(target.y_test))

    return {"measure": measure, "load": load}


SETUP = ("mnist5k's training digits as the labelled source (3,600 to learn from, 400 held out to pick the stopping point), "
         "{target} as the unlabelled target; the paper's kind of network at 32 × 32 × 3 (two conv layers with "
         "batch norm, widths 16 and 32 instead of 32 and 48), SGD with the paper's annealed learning rate and λ "
         "schedule, 1,500 steps of 64 source + 64 target images; source-only is the same loop without the domain "
         "head. Both stop at the checkpoint that scores best on the source validation split: no target label "
         "chooses anything.")
SETUP_ZH = ("以 mnist5k 的训练数字为有标签的源领域（3,600 张用于学习，留出 400 张用于选择停止点），{target}为无标签的目标领域；"
            "32 × 32 × 3 上的论文同类网络（两层带批归一化的卷积，宽度 16 和 32，论文为 32 和 48），SGD 配合论文的学习率退火与 λ 调度，"
            "1,500 步，每步 64 张源图像 + 64 张目标图像；仅源模型是同一训练循环去掉领域头。两者都停在源验证集上得分最高的检查点："
            "没有任何选择用到目标标签。")
DIFFERS = {"en": "The paper trains on all 60,000 MNIST digits for many epochs with a wider network; here 3,600 "
                 "digits, 1,500 steps on two CPU cores and half the channels. With so few source digits the "
                 "source-only model varies a lot from seed to seed, and both numbers sit well below the paper's.",
           "zh": "论文用全部 60,000 张 MNIST 数字、更宽的网络训练许多轮；这里只有 3,600 张数字、在两个 CPU 核上训练 1,500 步、"
                 "通道数减半。源数字这么少时，仅源模型随种子波动很大，两个数字都明显低于论文。"}
CLAIM = {"en": "Training the features so that a domain classifier cannot tell source from target images (through a "
               "gradient reversal layer) raises accuracy on the unlabelled target domain well above a model trained "
               "on the source alone.",
         "zh": "通过梯度反转层训练特征，使领域分类器分不清源图像和目标图像，能让无标签目标领域上的准确率远高于只在源领域上训练的模型。"}
PAPER = ("Ganin & Lempitsky (2015), \"Unsupervised Domain Adaptation by Backpropagation\", ICML")
FIGURE = Figure(24.41, "MNIST → MNIST-M: source only 52.25 %, DANN 76.66 %",
                "the digit-adaptation results table, MNIST → MNIST-M column (the table's number not checked here)")

CARD = Card(
    name="dann-mnist-m",
    paper=PAPER,
    claim=CLAIM,
    figure=FIGURE,
    setup={"en": SETUP.format(target="the real MNIST-M (10,000 training images without their labels; its 9,001 "
                                     "test images score)"),
           "zh": SETUP_ZH.format(target="真实的 MNIST-M（10,000 张训练图像，不用其标签；用其 9,001 张测试图像评分）")},
    differs=DIFFERS,
    config=RunConfig(),  # its data (mnist5k) is the source; the target is loaded by the runner
    arms=("source_only", "dann"),
    rule=Effect(better="dann", worse="source_only"),
    **dann_measure(domains.MNIST_M),
    link=("transfer", {"source": "mnist5k", "target": domains.MNIST_M, "strategies": "source-only,adversarial"}),
)

LIKE = dataclasses.replace(
    CARD,
    name="dann-mnist-m-like",
    setup={"en": SETUP.format(target="the embedded MNIST-M-like pair (mnist5k's digits blended with patches of two "
                                     "sample photos; not the real MNIST-M)"),
           "zh": SETUP_ZH.format(target="内置的类 MNIST-M 数据（mnist5k 数字与两张示例照片的图块混合；并非真实的 MNIST-M）")},
    differs={lang: text + extra for (lang, text), extra in zip(DIFFERS.items(), (
        " The target here is a stand-in built from two photos, so its backgrounds vary far less than MNIST-M's.",
        "这里的目标是由两张照片合成的替代品，背景的变化远小于 MNIST-M。"))},
    **dann_measure("mnist-m-like"),
    link=("transfer", {"source": "mnist5k", "target": "mnist-m-like", "strategies": "source-only,adversarial"}),
)
