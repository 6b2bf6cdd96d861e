"""Cho & Hariharan (2019): a more accurate teacher is not always a better teacher; an early-stopped one can teach more."""
from ..config import RunConfig, StudentConfig, TeacherConfig
from .card import Card, Figure, compare_teachers
from .verdict import Effect

CONFIG = RunConfig(student=StudentConfig(width=8))  # the Lab's setting with a tiny MLP 784-8-10 student
EARLY = TeacherConfig(epochs=3)  # the Lab's teacher recipe, a quarter of its 12 epochs

ARMS = ("teacher", "early_teacher", "from_full", "from_early")

CARD = Card(
    name="early-stopped-teacher",
    paper="Cho & Hariharan (2019), \"On the Efficacy of Knowledge Distillation\", ICCV",
    claim={"en": "A small student can learn more from a less trained, less accurate teacher than from the fully "
                 "trained one: teacher accuracy and teaching quality are not the same thing.",
           "zh": "小学生从训练较少、准确率较低的教师那里，可能比从完全训练的教师那里学到更多：教师的准确率与教学质量不是一回事。"},
    figure=Figure(None, "\"larger models do not often make better teachers\" … \"this problem can be mitigated by "
                        "stopping the teacher's training early\"", "abstract; §5 (ImageNet, early-stopped teachers)"),
    setup={"en": "mnist5k; the Lab's CNN teacher trained for its full 12 epochs, and the same recipe for 3 epochs; "
                 "a tiny MLP 784-8-10 student, 10 % of the labels, 30 epochs, distilled from each with T = 4, α = 0.9.",
           "zh": "mnist5k；实验室的 CNN 教师训练完整的 12 轮，以及同一方案只训练 3 轮的版本；极小的 MLP 784-8-10 学生，10 % 标签，"
                 "30 轮，分别从两者蒸馏，T = 4、α = 0.9。"},
    differs={"en": "The paper stops ImageNet teachers (ResNets) part-way through their schedule, students are "
                   "ResNets; here the short teacher has its own complete 3-epoch schedule, and on digits a fully "
                   "trained teacher is still soft enough that the early one may only add error.",
             "zh": "论文让 ImageNet 上的 ResNet 教师在训练日程中途停止，学生也是 ResNet；这里短教师有自己完整的 3 轮日程，"
                   "而且在数字上完全训练的教师仍然足够“软”，早停的教师可能只会带来更多错误。"},
    config=CONFIG,
    arms=ARMS,
    rule=Effect(better="from_early", worse="from_full"),
    measure=compare_teachers(EARLY, ARMS),
    link=("lab", {"teacher_epochs": "3", "width": "8"}),
)
