"""Furlanello et al. (2018): a student of its teacher's own size, distilled from it, beats it."""
from .. import methods
from ..config import MethodConfig, RunConfig, StudentConfig
from ..core import open_run, train_student
from ..lab import HARD
from ..train import predict_logits
from .card import Card, Figure, Measurement
from .verdict import Effect

CONFIG = RunConfig(student=StudentConfig(width=64, epochs=30, labelled_fraction=1.0),
                   method=MethodConfig("kd", (("temperature", 4.0), ("alpha", 0.9))))


def measure(config, seed, data):
    """Generation 0 learns from the labels; generation 1, the same network from the same
    initialisation, learns from the labels and generation 0's logits. The Lab's teacher is unused."""
    core, stages = yield from open_run(config, data, 2, teacher_weight=0.0)
    parent = yield from stages.run(1, train_student(core, HARD, seed), phase="generation 0", seed=seed)
    child = core.new_student(seed)
    kd = methods.get("kd", **config.method.params)
    yield from stages.run(2, core.fit(child, kd, seed, labelled=core.labelled(seed),
                                      teacher_logits=predict_logits(parent, core.data.x_train)),
                          phase="generation 1", seed=seed)
    return Measurement({"teacher": core.accuracy(parent), "born_again": core.accuracy(child)}, len(core.data.y_test))


CARD = Card(
    name="born-again",
    paper="Furlanello, Lipton, Tschannen, Itti & Anandkumar (2018), \"Born-Again Neural Networks\", ICML",
    claim={"en": "A student with exactly its teacher's architecture, trained to match the teacher's outputs, "
                 "ends up more accurate than the teacher.",
           "zh": "与教师结构完全相同的学生，训练去拟合教师的输出，最终比教师更准确。"},
    figure=Figure(None, "BANs \"outperform their teachers significantly\"; DenseNet BANs reach 3.5 % (CIFAR-10) and "
                        "15.5 % (CIFAR-100) validation error", "abstract"),
    setup={"en": "mnist5k, every label used; the teacher is an MLP 784-64-10 trained on the labels for 30 epochs; "
                 "its born-again student is the same MLP from the same initialisation, trained for as many epochs "
                 "with KD from the teacher's logits (T = 4, α = 0.9).",
           "zh": "mnist5k，全部标签可用；教师是只用标签训练 30 轮的 MLP 784-64-10；再生学生是同一个 MLP、同样的初始化，"
                 "训练同样的轮数，用教师的 logits 做 KD（T = 4，α = 0.9）。"},
    differs={"en": "The paper's networks are DenseNets and Wide ResNets trained for hundreds of epochs on CIFAR; the "
                   "gain comes from a large net that fits its training set almost perfectly, whose soft outputs then "
                   "carry more than the labels. A small MLP on 4,000 digits leaves less to gain, and one generation "
                   "of 30 epochs may be within the seed spread.",
             "zh": "论文在 CIFAR 上用 DenseNet 和 Wide ResNet 训练数百轮；收益来自几乎完美拟合训练集的大网络，其软输出比标签包含更多信息。"
                   "4,000 张数字上的小 MLP 可提升的空间更小，30 轮的一代可能落在种子波动之内。"},
    config=CONFIG,
    arms=("teacher", "born_again"),
    rule=Effect(better="born_again", worse="teacher"),
    measure=measure,
    link=("methods", {"methods": "born-again", "labelled": "1", "seeds": "3"}),
)
