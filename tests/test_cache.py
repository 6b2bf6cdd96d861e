"""The verified cache (kdcore.cache): signed entries, tampered or planted files moved aside and
computed again with a notice, a pickle payload never run, and one run per key at a time."""
import io
import os
import pickle
import stat
import threading

import torch

from kdcore import cache, data
from kdcore import teacher as teachers
from kdcore.config import TeacherConfig
from kdcore.events import Notice, Waiting, collect
from kdcore.paths import cache_dir, user_data_dir

CONFIG = TeacherConfig(epochs=1, seed=21)


def _teacher(config=CONFIG):
    events, teacher = collect(teachers.train_teacher(config, data.load("digits")))
    return events, teacher


def test_entries_round_trip_and_the_signing_key_is_private():
    cache.save("unit-roundtrip", {"x": torch.arange(4), "accuracy": 0.5})
    entry, notice = cache.load("unit-roundtrip")
    assert notice is None and torch.equal(entry["x"], torch.arange(4)) and entry["accuracy"] == 0.5
    assert stat.S_IMODE((user_data_dir() / "cache-signing.key").stat().st_mode) == 0o600
    assert cache.load("unit-absent") == (None, None)


def test_flipped_bytes_in_a_cached_teacher_are_caught_moved_aside_and_retrained():
    _, first = _teacher()
    path = cache.path_for(teachers.cache_key(CONFIG, data.load("digits")))
    raw = bytearray(path.read_bytes())
    for i in range(len(raw) - 200, len(raw)):  # 200 bytes inside the weights
        raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))
    events, second = _teacher()
    notices = [e for e in events if isinstance(e, Notice)]
    assert [n.code for n in notices] == ["cache_signature"] and not second.cached
    assert os.path.exists(notices[0].params["moved"]) and "computed again" in str(notices[0].message)
    assert second.test_accuracy == first.test_accuracy  # retrained, same seed, same result
    assert _teacher()[1].cached  # the new entry verifies


def test_an_edited_accuracy_is_refused():
    _teacher(TeacherConfig(epochs=1, seed=22))
    key = teachers.cache_key(TeacherConfig(epochs=1, seed=22), data.load("digits"))
    entry, _ = cache.load(key)
    signature = cache.path_for(key).read_bytes().split(b"\n", 1)[0]
    buffer = io.BytesIO()
    torch.save({**entry, "test_accuracy": 0.999}, buffer)
    cache.path_for(key).write_bytes(signature + b"\n" + buffer.getvalue())  # the old signature, new numbers
    assert cache.load(key)[1].code == "cache_signature"


class _Payload:
    def __reduce__(self):
        return (open, (str(cache_dir() / "PWNED"), "w"))


def test_a_planted_pickle_payload_never_runs_even_when_signed():
    bogus = pickle.dumps({"state_dict": _Payload()})
    cache.path_for("unit-planted").write_bytes(b"0" * 64 + b"\n" + bogus)
    assert cache.load("unit-planted")[1].code == "cache_signature"
    cache.path_for("unit-planted").write_bytes(cache._sign(bogus) + b"\n" + bogus)  # as if the key had leaked
    entry, notice = cache.load("unit-planted")
    assert entry is None and notice.code == "cache_unreadable"
    assert not (cache_dir() / "PWNED").exists() and not cache.path_for("unit-planted").exists()


def test_an_oversized_entry_is_not_read(monkeypatch):
    cache.save("unit-big", {"x": torch.zeros(1000)})
    monkeypatch.setattr(cache, "MAX_BYTES", 100)
    assert cache.load("unit-big")[1].code == "cache_too_large"


def test_two_runs_of_the_same_teacher_train_it_once(monkeypatch):
    trained, results = [], {}
    real = teachers._train

    def counting(*args):
        trained.append(1)
        return (yield from real(*args))

    monkeypatch.setattr(teachers, "_train", counting)
    config = TeacherConfig(epochs=2, seed=23)

    def run(name):
        results[name] = _teacher(config)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(trained) == 1
    assert sorted(t.cached for _, t in results.values()) == [False, True, True]
    waited = [events for events, t in results.values() if t.cached]
    assert all(any(isinstance(e, Waiting) and e.reason == "same_run" for e in events) for events in waited)
    assert len({t.test_accuracy for _, t in results.values()}) == 1


def test_a_stopped_claim_lets_the_next_run_in():
    held = _take(cache.claim("unit-claim"))
    waiting = cache.claim("unit-claim")
    assert isinstance(next(waiting), Waiting)
    waiting.close()  # a learner pressed Stop while waiting
    held.release()
    assert isinstance(_take(cache.claim("unit-claim")), cache.Claim)


def _take(claim_generator):
    try:
        next(claim_generator)
    except StopIteration as done:
        return done.value
    raise AssertionError("the key was not free")
