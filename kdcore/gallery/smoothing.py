"""Müller, Kornblith & Hinton (2019): a teacher trained with label smoothing distils worse."""
from ..config import RunConfig, TeacherConfig
from .card import Card, Figure, compare_teachers
from .verdict import Effect

CONFIG = RunConfig()  # the Lab's default: MLP 784-32-10, 10 % of the labels, T = 4, α = 0.9, 30 epochs
SMOOTHED = TeacherConfig(recipe="digits-smoothed")  # the same CNN and training, label smoothing 0.1

ARMS = ("teacher", "smoothed_teacher", "from_plain", "from_smoothed")

CARD = Card(
    name="smoothed-teacher",
    paper="Müller, Kornblith & Hinton (2019), \"When Does Label Smoothing Help?\", NeurIPS",
    claim={"en": "A teacher trained with label smoothing is as accurate, but a student distilled from it learns "
                 "less than one distilled from the same teacher trained without smoothing.",
           "zh": "用标签平滑训练的教师同样准确，但从它蒸馏出的学生，不如从未做平滑的同一教师蒸馏出的学生。"},
    figure=Figure(None, "\"if a teacher network is trained with label smoothing, knowledge distillation into a student "
                        "network is much less effective\"", "abstract; §4 (ResNet-56 → AlexNet on CIFAR-10)"),
    setup={"en": "mnist5k; two copies of the Lab's CNN teacher, identical except label smoothing 0.1 in one; the "
                 "Lab's default student (MLP 784-32-10, 10 % of the labels, 30 epochs) distilled from each with "
                 "T = 4, α = 0.9.",
           "zh": "mnist5k；两个实验室 CNN 教师，唯一区别是其中一个用 0.1 的标签平滑；实验室默认学生（MLP 784-32-10，10 % 标签，30 轮）"
                 "分别从两者蒸馏，T = 4，α = 0.9。"},
    differs={"en": "The paper distils a ResNet-56 into an AlexNet on CIFAR-10 with every label, where the "
                   "teacher's similarities between classes are what KD adds. Here most images are unlabelled, so "
                   "even a smoothed teacher's argmax teaches a lot; ten well-separated digit classes also have fewer "
                   "look-alikes for smoothing to erase.",
             "zh": "论文在 CIFAR-10 上用全部标签把 ResNet-56 蒸馏到 AlexNet，KD 增加的正是教师的类间相似性。这里大多数图像没有标签，"
                   "平滑教师的 argmax 本身就能教很多；十个区分明显的数字类别，可被平滑抹去的相似性也更少。"},
    config=CONFIG,
    arms=ARMS,
    rule=Effect(better="from_plain", worse="from_smoothed"),
    measure=compare_teachers(SMOOTHED, ARMS),
    link=("lab", {"dataset": "mnist5k"}),
)
