"""Single flight for whole runs (kdapp.live): learners starting the same run while it is running
watch one job; a Stop detaches only the learner who pressed it until nobody watches."""
import threading

from kdapp import live
from kdcore.events import Done, Partial


def slow_run(release: threading.Event, started: list):
    started.append(1)
    yield Partial(progress=0.5, result="half")
    release.wait(10)
    yield Done(result="whole")


def test_identical_runs_share_one_job_and_a_stop_detaches_only_its_learner():
    release, started = threading.Event(), []
    first = live.start("unit", slow_run(release, started), share=("unit", 1))
    second = live.start("unit", slow_run(release, started), share=("unit", 1))
    other = live.start("unit", slow_run(release, started), share=("unit", 2))
    assert second.job is first.job and other.job is not first.job
    second.stop()
    assert second.finished and not first.finished and not first.job.stopping  # the first learner's run goes on
    release.set()
    first.thread.join(10)
    other.thread.join(10)
    assert first.finished and first.result == "whole" and len(started) == 2  # three starts, two runs


def test_the_last_watcher_stopping_ends_the_run_and_keeps_its_partial_result():
    release, started = threading.Event(), []
    a = live.start("unit2", slow_run(release, started), share=("unit", 3))
    b = live.start("unit2", slow_run(release, started), share=("unit", 3))
    a.stop()
    b.stop()
    assert b.job.stopping and not b.finished  # finished only once the job has really ended
    release.set()
    b.thread.join(10)
    assert b.finished and b.result is None and b.partial == "half"
    c = live.start("unit2", slow_run(release, started), share=("unit", 3))
    assert c.job is not b.job  # a stopped run is never joined
    c.thread.join(10)


def test_a_second_learner_sees_their_place_in_the_queue(app_page, monkeypatch):
    from kdcore import admission

    monkeypatch.setattr(admission, "_GATE", admission.Gate(1))
    first, second = app_page("lab.py"), app_page("lab.py")
    for at, temperature in ((first, 3.0), (second, 5.0)):
        at.selectbox(key="lab_dataset").set_value("digits")
        at.slider(key="lab_T").set_value(temperature)
        at.button[0].click().run()
    second.run()
    texts = [p.proto.text for p in second.get("progress")]
    assert any("number 1 in the queue" in text for text in texts), texts
    for at in (first, second):
        at.session_state["live_lab"].stop()
        at.session_state["live_lab"].thread.join(60)


def test_many_watchers_redraw_less_often_each_so_the_class_keeps_to_one_budget(monkeypatch):
    from types import SimpleNamespace

    monkeypatch.setattr(live, "_WATCHING", live.weakref.WeakSet())
    job = SimpleNamespace(viewers=0, finished=False, stopping=False)
    views = [live.View(job)]
    assert live.refresh_seconds() == live.REFRESH_SECONDS
    views += [live.View(job) for _ in range(29)]
    assert live.refresh_seconds() == 30 / live.REDRAWS_PER_SECOND  # 7.5 s each, 4 redraws a second in all
    for view in views[1:]:
        view.stopped = True  # detached learners no longer redraw
    assert live.refresh_seconds() == live.REFRESH_SECONDS
    job.finished = True
    assert live.refresh_seconds() == live.REFRESH_SECONDS
