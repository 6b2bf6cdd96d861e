"""kdcore.nlp against oracles: closed-form bpc, causal masking, KL definitions, reproducible sampling,
the teacher's precomputed outputs, and clear errors for bad text."""
import math

import pytest
import torch

from kdcore.errors import ConfigError, DataUnavailable
from kdcore.nlp import corpus as corpora
from kdcore.nlp.losses import forward_kl, reverse_kl
from kdcore.nlp.model import CharGPT, GPTConfig
from kdcore.nlp.objectives import teacher_table
from kdcore.nlp.sampling import generate, generate_windows, next_char_probabilities
from kdcore.nlp.tokenizer import UNKNOWN, CharTokenizer
from kdcore.nlp.train import GridWindows, validation_bpc

TINY = GPTConfig(vocab_size=11, context=8, layers=2, heads=2, width=16)


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny models run faster on one thread, and far faster when the machine's cores are busy."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def tiny_model(seed=0, config=TINY):
    torch.manual_seed(seed)
    return CharGPT(config).eval()


def test_uniform_model_scores_log2_vocabulary_bits_per_character():
    model = tiny_model()
    torch.nn.init.zeros_(model.token_embedding.weight)  # tied head → all logits 0 → uniform over V
    tokens = torch.randint(0, TINY.vocab_size, (200,))
    assert validation_bpc(model, tokens) == pytest.approx(math.log2(TINY.vocab_size), abs=1e-5)


def test_changing_a_future_character_never_changes_earlier_outputs():
    model = tiny_model()
    ids = torch.randint(0, TINY.vocab_size, (3, TINY.context))
    changed = ids.clone()
    changed[:, 5] = (changed[:, 5] + 1) % TINY.vocab_size
    with torch.no_grad():
        before, after = model(ids), model(changed)
    assert torch.allclose(before[:, :5], after[:, :5], atol=1e-6)
    assert not torch.allclose(before[:, 5:], after[:, 5:])


def test_incremental_generation_with_the_cache_matches_a_full_pass():
    model = tiny_model()
    ids = torch.randint(0, TINY.vocab_size, (2, TINY.context))
    caches = [[None, None] for _ in model.blocks]
    with torch.no_grad():
        full = model(ids)
        steps = [model(ids[:, :3], caches)] + [model(ids[:, i:i + 1], caches, start=i) for i in range(3, TINY.context)]
    assert torch.allclose(full, torch.cat(steps, dim=1), atol=1e-5)


def kl_by_definition(p, q):
    return sum(p[i] * math.log(p[i] / q[i]) for i in range(len(p)))


@pytest.mark.parametrize("temperature", [1.0, 2.0, 4.0])
def test_forward_and_reverse_kl_match_their_definitions(temperature):
    torch.manual_seed(1)
    student, teacher = torch.randn(1, 1, 5), torch.randn(1, 1, 5)
    teacher_log_probs = torch.log_softmax(teacher, dim=-1)
    p_teacher = torch.softmax(teacher / temperature, dim=-1).flatten().tolist()
    p_student = torch.softmax(student / temperature, dim=-1).flatten().tolist()
    expected_forward = kl_by_definition(p_teacher, p_student) * temperature**2
    expected_reverse = kl_by_definition(p_student, p_teacher) * temperature**2
    assert forward_kl(student, teacher_log_probs, temperature).item() == pytest.approx(expected_forward, rel=1e-5)
    assert reverse_kl(student, teacher_log_probs, temperature).item() == pytest.approx(expected_reverse, rel=1e-5)
    assert expected_forward != pytest.approx(expected_reverse)  # KL is not symmetric
    assert forward_kl(teacher, teacher_log_probs, temperature).item() == pytest.approx(0, abs=1e-5)


def test_sampling_is_reproducible_with_a_seed_and_temperature_flattens():
    model = tiny_model()
    prompt = torch.tensor([1, 2, 3])
    first = generate(model, prompt, 20, temperature=1.0, seed=7)
    assert torch.equal(first, generate(model, prompt, 20, temperature=1.0, seed=7))
    assert len(first) == 20 and int(first.max()) < TINY.vocab_size
    entropy = lambda p: -(p * p.log()).sum().item()  # noqa: E731
    cold, hot = (next_char_probabilities(model, prompt, t) for t in (0.5, 3.0))
    assert cold.sum().item() == pytest.approx(1) and entropy(cold) < entropy(hot)
    with pytest.raises(ConfigError):
        next_char_probabilities(model, prompt, 0)


def test_teacher_written_windows_start_with_real_text():
    tokens = torch.randint(0, TINY.vocab_size, (300,))
    windows = generate_windows(tiny_model(), tokens, count=5, prompt_length=3, seed=0)
    assert windows.shape == (5, TINY.context + 1)
    text = tokens.tolist()
    for row in windows.tolist():  # each prompt is a real slice of the text
        assert any(text[i:i + 3] == row[:3] for i in range(len(text) - 2))
    assert torch.equal(windows, generate_windows(tiny_model(), tokens, count=5, prompt_length=3, seed=0))


def test_teacher_table_is_the_teachers_log_softmax_on_each_student_window():
    model = tiny_model()
    grid = GridWindows(torch.randint(0, TINY.vocab_size, (100,)), TINY.context)
    table = teacher_table(model, grid, batch=4)
    assert table.shape == (len(grid.windows), TINY.context, TINY.vocab_size)
    with torch.no_grad():
        expected = torch.log_softmax(model(grid.windows[:, :-1]), dim=-1)
    assert torch.allclose(table.float(), expected, atol=2e-2)
    assert torch.equal(grid.windows[1, 0], grid.windows[0, -1])  # windows overlap by their one target


def test_tokenizer_round_trip_folding_and_unknown_prompt_characters():
    tokenizer = CharTokenizer.from_text("hello world")
    assert tokenizer.decode(tokenizer.encode_prompt("hello").tolist()) == "hello"
    with pytest.raises(ConfigError, match="'z'"):
        tokenizer.encode_prompt("hez")
    with pytest.raises(ConfigError):
        tokenizer.encode_prompt("")
    folded = CharTokenizer.from_text("aaaabbbcc" + "xyz", max_vocab=4)
    assert folded.chars == "abc" + UNKNOWN
    assert folded.decode(folded.encode_corpus("ax").tolist()) == "a" + UNKNOWN


@pytest.mark.parametrize("data, message", [
    (b"", "empty"), (b"\x00\x01\x02" * 1000, "binary"), ("é".encode("latin-1") * 3000, "UTF-8"),
    (b"a" * (corpora.MAX_UPLOAD_BYTES + 1), "limit"), (b"too short", "at least")])
def test_bad_uploads_give_a_clear_message(data, message):
    with pytest.raises(ConfigError, match=message):
        corpora.load("upload", data)


def test_uploaded_text_splits_contiguously_and_offline_shakespeare_is_unavailable():
    text = "".join(f"line {i}: the quick brown fox\n" for i in range(200))
    corpus = corpora.load("upload", text.encode())
    joined = corpus.tokenizer.decode(torch.cat([corpus.train, corpus.valid]).tolist())
    assert joined == text and len(corpus.valid) == len(text) - int(len(text) * 0.9)
    with pytest.raises(DataUnavailable, match="KDLAB_OFFLINE"):
        corpora.load("shakespeare")
    with pytest.raises(ConfigError):
        corpora.load("nonsense")


def test_builtin_corpus_is_pythons_own_reference_text():
    corpus = corpora.load("builtin")
    assert len(corpus.text) > 300_000 and "assert" in corpus.text
    assert corpus.vocab_size < 160 and UNKNOWN not in corpus.tokenizer.chars


def test_a_stopped_experiment_keeps_the_students_it_finished(tmp_path, monkeypatch):
    """Partial after each student: stopping the iteration there leaves a summary of what finished."""
    from kdcore.events import Partial
    from kdcore.nlp import NLPConfig, NLPExperiment, corpus
    from kdcore.nlp.train import TrainConfig

    monkeypatch.setenv("KDLAB_CACHE_DIR", str(tmp_path))
    text = corpus.load("builtin", None, 20_000)
    config = NLPConfig(teacher=TINY, student=TINY, teacher_training=TrainConfig(steps=4, batch=4, eval_every=2),
                       student_training=TrainConfig(steps=4, batch=4, eval_every=2), methods=("forward-kl", "reverse-kl"))
    experiment = NLPExperiment(text, config)
    events = experiment.run()
    partials = []
    for event in events:
        if isinstance(event, Partial):
            partials.append(event.progress)
            if len(partials) == 2:
                events.close()  # the learner pressed Stop after the first distilled student
                break
    summary = experiment.summary()
    assert list(summary["models"]) == ["teacher", "scratch", "forward-kl"] and summary["kd_bpc"] > 0
    assert partials == pytest.approx([2 / 4, 3 / 4])  # teacher, scratch, two methods: equal stages
