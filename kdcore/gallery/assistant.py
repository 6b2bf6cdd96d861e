"""Mirzadeh et al. (2020): a teacher assistant bridges a large teacher–student gap."""
from ..config import MethodConfig, RunConfig, StudentConfig
from .card import Card, Figure, compare_methods
from .verdict import Effect

KD = MethodConfig("kd", (("temperature", 4.0), ("alpha", 0.9)))
CONFIG = RunConfig(student=StudentConfig(width=8), method=KD)  # a 6.4 k-parameter student for a 207 k-parameter teacher

CARD = Card(
    name="teacher-assistant",
    paper="Mirzadeh, Farajtabar, Li, Levine, Matsukawa & Ghasemzadeh (2020), \"Improved Knowledge Distillation via "
          "Teacher Assistant\", AAAI",
    claim={"en": "When the student is much smaller than the teacher, distilling first into a mid-sized assistant "
                 "and then from the assistant into the student beats distilling directly.",
           "zh": "当学生远小于教师时，先蒸馏到中等大小的助教、再由助教蒸馏到学生，胜过直接蒸馏。"},
    figure=Figure(0.94, "CIFAR-10, plain CNN student: no KD 70.16 %, KD 72.57 %, teacher assistant 73.51 %",
                  "Table 1, row CNN / CIFAR-10 (plain CNNs: student 2, assistant 4, teacher 10 layers; "
                  "columns NOKD, BLKD, TAKD)"),
    setup={"en": "mnist5k, the Lab's CNN teacher (207 k parameters), a tiny MLP 784-8-10 student (6.4 k), 10 % of "
                 "the labels, 30 epochs; the assistant is an MLP 784-64-10 distilled from the teacher; T = 4, α = 0.9 "
                 "for both steps.",
           "zh": "mnist5k，实验室 CNN 教师（20.7 万参数），极小的 MLP 784-8-10 学生（6,400 参数），10 % 标签，30 轮；"
                 "助教是从教师蒸馏的 MLP 784-64-10；两步都取 T = 4、α = 0.9。"},
    differs={"en": "The paper's gap is depth (a 10-layer CNN teacher, a 4-layer assistant, a 2-layer student) on "
                   "CIFAR; here it is width and architecture on digits, where even a tiny MLP can follow the "
                   "teacher's soft labels closely, so an assistant may add little.",
             "zh": "论文的差距在深度（10 层 CNN 教师、4 层助教、2 层学生），数据是 CIFAR；这里的差距在宽度和结构，数据是数字，"
                   "即使极小的 MLP 也能较好地跟上教师的软标签，助教可能帮助不大。"},
    config=CONFIG,
    arms=("kd", "assistant"),
    rule=Effect(better="assistant", worse="kd"),
    measure=compare_methods({"kd": KD, "assistant": MethodConfig("assistant", (("width_factor", 8),) + KD.hyper)}),
    link=("methods", {"methods": "kd,assistant", "seeds": "3"}),
)
