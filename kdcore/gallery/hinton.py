"""Hinton, Vinyals & Dean (2015) §3: soft targets regularise a student that has every label."""
from ..config import MethodConfig, RunConfig, StudentConfig
from ..lab import HARD
from .card import Card, Figure, compare_methods
from .verdict import Effect

PAPER = "Hinton, Vinyals & Dean (2015), \"Distilling the Knowledge in a Neural Network\", NIPS Deep Learning Workshop"  # also the omitted-digit and small-data cards
CONFIG = RunConfig(student=StudentConfig(width=256, epochs=30, labelled_fraction=1.0),
                   method=MethodConfig("kd", (("temperature", 20.0), ("alpha", 0.9))))  # the paper's T = 20

CARD = Card(
    name="hinton-soft-targets",
    paper=PAPER,
    claim={"en": "A small net that matches a big net's soft targets at a high temperature makes about half the "
                 "errors it makes when trained on the hard labels alone.",
           "zh": "小网络在高温下拟合大网络的软目标时，错误数约为只用硬标签训练时的一半。"},
    figure=Figure(0.72, "teacher 67, student 146 → 74 test errors of 10,000 (784-1200-1200 teacher, "
                        "800-800 student, T = 20)", "§3, \"Preliminary experiments on MNIST\""),
    setup={"en": "mnist5k (4,000 training / 1,000 held-out digits, every label used); the Lab's CNN teacher; "
                 "MLP 784-256-10 students, 30 epochs, equal steps; KD with T = 20, α = 0.9.",
           "zh": "mnist5k（4,000 张训练 / 1,000 张留出数字，全部标签可用）；实验室的 CNN 教师；学生为 MLP 784-256-10，"
                 "30 轮，步数相同；KD 取 T = 20、α = 0.9。"},
    differs={"en": "The paper trains on all 60,000 MNIST digits, with a dropout-and-jitter MLP teacher and two hidden "
                   "layers of 800 in the student; here 4,000 digits, a CNN teacher and one hidden layer. With fewer "
                   "images the hard-label student overfits more and the teacher is weaker, so both error counts "
                   "are higher; the claim is about the gap between them.",
             "zh": "论文用全部 60,000 张 MNIST，教师是带 dropout 与抖动的 MLP，学生有两层 800 个隐单元；这里用 4,000 张数字、"
                   "CNN 教师和一个隐藏层。图像更少时硬标签学生更易过拟合、教师也更弱，所以两边错误都更多；结论看的是两者之差。"},
    config=CONFIG,
    arms=("hard", "kd"),
    rule=Effect(better="kd", worse="hard"),
    measure=compare_methods({"hard": HARD, "kd": CONFIG.method}),
    link=("lab", {"dataset": "mnist5k", "width": "256", "T": "20", "alpha": "0.9", "epochs": "30", "frac": "1",
                  "seeds": "3"}),
)
