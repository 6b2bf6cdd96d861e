"""Zhang, Xiang, Hospedales & Lu (2018): two students that learn from each other beat one alone."""
from ..config import MethodConfig, RunConfig, StudentConfig
from ..lab import HARD
from .card import Card, Figure, compare_methods
from .verdict import Effect

CONFIG = RunConfig(student=StudentConfig(labelled_fraction=1.0))  # the Lab's MLP 784-32-10, every label, 30 epochs
MUTUAL = MethodConfig("mutual", ())  # T = 1, α = 1 (the paper's plain KL between the peers)

CARD = Card(
    name="mutual-learning",
    paper="Zhang, Xiang, Hospedales & Lu (2018), \"Deep Mutual Learning\", CVPR",
    claim={"en": "Two students trained together, each also matching the other's predictions, are each more "
                 "accurate than the same student trained alone — no teacher needed.",
           "zh": "两个学生一起训练、彼此拟合对方的预测，各自都比单独训练的同一学生更准确——不需要教师。"},
    figure=Figure(2.20, "CIFAR-100, ResNet-32 with a ResNet-32 peer: independent 68.99 %, DML 71.19 %",
                  "CIFAR-100 top-1 table (Table 2 in the CVPR version), row ResNet-32 / ResNet-32, network 1 (its peer: "
                  "68.99 → 70.75 %); taken from secondary copies of the table, not from the paper itself"),
    setup={"en": "mnist5k, every label used; MLP 784-32-10 students, 30 epochs; the baseline trains alone on the "
                 "labels, the mutual pair (a second student from another seed) adds KL to its peer (T = 1, α = 1); "
                 "the first student of the pair is scored.",
           "zh": "mnist5k，全部标签可用；学生为 MLP 784-32-10，30 轮；基线只用标签单独训练，互学习的一对（第二个学生换一个种子）"
                 "再加上对同伴的 KL（T = 1，α = 1）；给这对中的第一个学生评分。"},
    differs={"en": "The paper's peers are deep residual networks on CIFAR-100, with 100 classes whose confusions "
                   "are informative; ten digit classes give a peer's predictions less to say, and a 32-unit MLP "
                   "underfits rather than overfits, which leaves mutual regularisation little to fix.",
             "zh": "论文的同伴是 CIFAR-100 上的深度残差网络，100 个类别之间的混淆很有信息量；十个数字类别让同伴的预测可说的更少，"
                   "且 32 个隐单元的 MLP 是欠拟合而非过拟合，互相正则化能改善的很少。"},
    config=CONFIG,
    arms=("hard", "mutual"),
    rule=Effect(better="mutual", worse="hard"),
    measure=compare_methods({"hard": HARD, "mutual": MUTUAL}),
    link=("methods", {"methods": "mutual", "labelled": "1", "seeds": "3"}),
)
