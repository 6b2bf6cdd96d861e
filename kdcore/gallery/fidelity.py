"""Stanton et al. (2021): a distilled student can generalise well and still agree poorly with its
teacher, even one of the teacher's own size."""
from .. import methods
from ..config import MethodConfig, RunConfig, StudentConfig
from ..core import agreement, open_run, train_student
from ..lab import HARD
from ..train import predict_logits
from .card import Card, Figure, Measurement
from .verdict import Effect

# teacher and student are the same MLP 784-64-10; the student learns from the teacher's soft targets only
CONFIG = RunConfig(student=StudentConfig(width=64, epochs=30, labelled_fraction=1.0),
                   method=MethodConfig("kd", (("temperature", 4.0), ("alpha", 1.0))))
STUDENT_SEED = 1000  # the student's initialisation differs from its teacher's, as in the paper


def measure(config, seed, data):
    """A teacher trained on the labels and a student of its exact architecture distilled from it:
    their top-1 agreement on the held-out digits, and the most agreement their two accuracies allow
    (1 − |accuracy gap|), which a student that copied its teacher would reach. The Lab's teacher is unused."""
    core, stages = yield from open_run(config, data, 2, teacher_weight=0.5)
    teacher = yield from stages.run(1, train_student(core, HARD, seed), phase="teacher", seed=seed)
    student, kd = core.new_student(STUDENT_SEED + seed), methods.get("kd", **config.method.params)
    yield from stages.run(2, core.fit(student, kd, STUDENT_SEED + seed, labelled=core.labelled(seed),
                                      teacher_logits=predict_logits(teacher, core.data.x_train)),
                          phase="student", seed=seed)
    teacher_logits, student_logits = core.test_logits(teacher), core.test_logits(student)  # (N_test, C) each
    accuracies = [(logits.argmax(1) == core.data.y_test).float().mean().item() for logits in (teacher_logits, student_logits)]
    return Measurement({"teacher": accuracies[0], "student": accuracies[1],
                        "agreement": agreement(student_logits, teacher_logits),
                        "ceiling": 1.0 - abs(accuracies[0] - accuracies[1])}, len(core.data.y_test))


CARD = Card(
    name="fidelity",
    paper="Stanton, Izmailov, Kirichenko, Alemi & Wilson (2021), \"Does Knowledge Distillation Really Work?\", NeurIPS",
    claim={"en": "Distillation can improve a student's accuracy while the student still disagrees with its teacher "
                 "much more than it must, even when it has the capacity to match the teacher exactly.",
           "zh": "蒸馏可以提高学生的准确率，但学生与教师的分歧仍远超必要程度，即使学生的容量足以完全拟合教师。"},
    figure=Figure(None, "\"there often remains a surprisingly large discrepancy between the predictive distributions "
                        "of the teacher and the student, even in cases when the student has the capacity to perfectly "
                        "match the teacher\"", "abstract"),
    setup={"en": "mnist5k, every label used; the teacher is an MLP 784-64-10 trained on the labels for 30 epochs, the "
                 "student the same MLP from another initialisation, 30 epochs on the teacher's soft targets only "
                 "(T = 4, α = 1). Rule, fixed before the "
                 "first run: the effect is the ceiling minus the top-1 agreement on the 1,000 held-out digits, where "
                 "the ceiling 1 − |teacher − student accuracy| is the most agreement the two accuracies allow; "
                 "reproduced when it exceeds twice the noise. Agreement can never exceed the ceiling, so this card "
                 "can only say reproduced or within noise.",
           "zh": "mnist5k，全部标签可用；教师是只用标签训练 30 轮的 MLP 784-64-10，学生是换一个初始化的同一个 MLP，只用教师的"
                 "软目标训练 30 轮（T = 4，α = 1）。规则在第一次运行前定好：效应 = 上限 − 在 1,000 张留出数字上的 top-1 一致率，其中上限"
                 " 1 − |教师与学生准确率之差| 是两者准确率所允许的最大一致率；超过两倍噪声即为已复现。一致率不可能超过上限，"
                 "所以这张卡片只会给出已复现或噪声以内。"},
    differs={"en": "The paper distils ResNets and ensembles on CIFAR-100, where teacher and student are each wrong on a "
                   "quarter of the images or more, so there is much room to disagree; here both are right on more than "
                   "nine digits in ten, so the agreement is high in absolute terms and the claim is about the gap to "
                   "the ceiling, a few points at most. The paper's students are not MLPs and train far longer.",
             "zh": "论文在 CIFAR-100 上蒸馏 ResNet 和集成模型，教师和学生各自在四分之一以上的图像上出错，分歧空间很大；这里两者在"
                   "九成以上的数字上都对，因此一致率的绝对值很高，结论看的是与上限之间的差距，最多几个百分点。论文的学生不是 MLP，训练也长得多。"},
    config=CONFIG,
    arms=("teacher", "student", "agreement", "ceiling"),
    rule=Effect(better="ceiling", worse="agreement"),
    measure=measure,
    link=("lab", {"width": "64", "alpha": "1", "frac": "1", "seeds": "3"}),
)
