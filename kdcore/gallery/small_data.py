"""Hinton, Vinyals & Dean (2015) §6: soft targets let a model generalise from 3 % of the data."""
from ..config import MethodConfig, RunConfig, StudentConfig
from ..core import labelled_mask
from ..lab import HARD
from .card import Card, Figure, compare_methods
from .hinton import PAPER
from .verdict import Effect

SHARE = 0.03  # the paper's 3 % of the training set
# every image the students see is labelled; one batch holds all 120 of them, so an epoch is one step
CONFIG = RunConfig(student=StudentConfig(width=256, epochs=300, labelled_fraction=1.0),
                   method=MethodConfig("kd", (("temperature", 4.0), ("alpha", 0.9))))

CARD = Card(
    name="soft-targets-small-data",
    paper=PAPER,
    claim={"en": "Trained on only 3 % of the data, a model overfits its hard labels; with the soft targets of a "
                 "model trained on all the data it recovers most of the full-data accuracy.",
           "zh": "只用 3 % 的数据训练时，模型会对硬标签过拟合；若改用在全部数据上训练的模型给出的软目标，它能恢复大部分全量数据的准确率。"},
    figure=Figure(12.5, "speech frame accuracy on 3 % of the training set: hard targets 44.5 %, soft targets 57.0 % "
                        "(all data: 58.9 %)", "§6, Table 5, test frame accuracy (train: hard 67.3 %, soft 65.4 %, all data 63.4 %)"),
    setup={"en": "mnist5k: both students see the same 120 training digits (3 %, stratified, seeded); the Lab's CNN "
                 "teacher trained on all 4,000; MLP 784-256-10, 300 steps each; KD with T = 4, α = 0.9.",
           "zh": "mnist5k：两个学生看到同样的 120 张训练数字（3 %，分层抽样，固定种子）；实验室的 CNN 教师在全部 4,000 张上训练；"
                 "MLP 784-256-10，各训练 300 步；KD 取 T = 4、α = 0.9。"},
    differs={"en": "The paper's model is a speech recogniser (frame classification over 14,000 states, 2,000 hours "
                   "of audio); here ten digit classes and 120 images. Digits are easy enough that 120 labels already "
                   "give a usable classifier, so the gap soft targets can close is smaller.",
             "zh": "论文的模型是语音识别器（14,000 个状态的帧分类，2,000 小时音频）；这里是十类数字和 120 张图像。数字足够简单，"
                   "120 个标签已能得到可用的分类器，软目标能弥补的差距更小。"},
    config=CONFIG,
    arms=("hard", "soft"),
    rule=Effect(better="soft", worse="hard"),
    measure=compare_methods({"hard": HARD, "soft": CONFIG.method},  # the same seeded 3 % for both students
                            transfer_set=lambda core, seed: labelled_mask(core.data.y_train, SHARE, seed)),
    link=("curves", {"param": "labelled-fraction"}),
)
