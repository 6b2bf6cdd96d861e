"""Live runs: a kdcore runner works in a background thread owned by the learner's session; a
fragment redraws its progress bar, time left and live chart twice a second (less often when many
learners watch: see `refresh_seconds`); Stop ends it and keeps
what finished (the runner's latest Partial result). The page's script is never blocked, so no
widget interaction, language switch or page change cuts a run short.

    if submitted: live.start("lab", run_lab(config), share=("lab", config, data.fingerprint))
    job = live.finished("lab")          # a job that has ended since the last run, once
    live.panel("lab", label, draw)       # progress while one is running

Every run waits its turn in the process's training queue (kdcore.admission), showing its place. Runs
started with the same `share` key while one is running are one run: the later learners watch the
first one's job (single flight); a Stop detaches the learner who pressed it and ends the run only
when nobody else is watching.
"""
import threading
import time
import weakref

import streamlit as st

from kdcore.admission import gate
from kdcore.cache import config_key
from kdcore.events import Clock, Done, Epoch, Notice, Partial, Waiting, curve_row

from .ui import error_text, lang, t

REFRESH_SECONDS = 0.5  # how often one watching learner's progress redraws
REDRAWS_PER_SECOND = 4.0  # all watching learners' redraws together: each runs a script that holds the
# interpreter the runs train in, so 30 learners redrawing twice a second would slow their own run 30-fold


class Job:
    """One runner in a thread: the latest event, every Epoch event, the latest Partial
    result, the Done result or the learner-facing error."""

    def __init__(self, events):
        self.events, self.clock = gate().admitted(events), Clock()
        self.drawn: dict = {}  # figures built from this job's curves, by what they show (kdapp pages)
        self.last = self.partial = self.result = self.error = None
        self.epochs: list[Epoch] = []
        self.notices: list[Notice] = []
        self.stopping = self.finished = False
        self.viewers = 0
        self.thread = threading.Thread(target=self._work, daemon=True)
        self.thread.start()

    def _work(self):
        try:
            for event in self.events:
                if self.stopping:
                    break
                if isinstance(event, Waiting) != isinstance(self.last, Waiting):
                    self.clock = Clock()  # time left counts from the start of the work, not of the wait
                self.last = event
                if isinstance(event, Notice):
                    self.notices.append(event)
                elif isinstance(event, Epoch):
                    self.epochs.append(event)
                elif isinstance(event, Partial):
                    self.partial = event.result
                elif isinstance(event, Done):
                    self.result = event.result
        except Exception as err:  # shown to the learner by the page (show_error), never as a traceback
            self.error = err
        finally:
            self.events.close()
            self.finished_at = time.perf_counter()
            self.finished = True

    @property
    def curves(self) -> list[dict]:
        """Accuracy curve rows (events.curve_row) of the Epochs so far."""
        return [curve_row(e) for e in list(self.epochs) if "accuracy" in e.metrics]

    def stop(self):
        self.stopping = True

    @property
    def progress(self) -> float:
        return self.last.progress if self.last is not None else 0.0

    def time_left(self) -> float | None:
        return self.clock.left(self.progress)


class View:
    """One learner's handle on a (possibly shared) Job: reads go to the job; Stop is the learner's own."""

    def __init__(self, job: Job):
        self.job, self.stopped = job, False
        job.viewers += 1
        _WATCHING.add(self)

    def __getattr__(self, name):
        return getattr(self.job, name)

    @property
    def finished(self) -> bool:
        """The job ended, or this learner stopped watching a job that goes on for others."""
        return self.job.finished or (self.stopped and not self.job.stopping)

    def stop(self):
        with _SHARING:
            if not self.stopped:
                self.stopped = True
                self.job.viewers -= 1
                if self.job.viewers == 0:
                    self.job.stop()


_SHARED: dict[str, Job] = {}  # running shared jobs of this process, by share key
_SHARING = threading.Lock()
_WATCHING: "weakref.WeakSet[View]" = weakref.WeakSet()  # every learner's view of a job, while their session lives


def refresh_seconds() -> float:
    """Seconds between one learner's redraws: REFRESH_SECONDS, or longer so that all learners watching a
    running job in this process redraw REDRAWS_PER_SECOND times a second together (30 learners: 7.5 s)."""
    watching = sum(not view.finished for view in list(_WATCHING))
    return max(REFRESH_SECONDS, watching / REDRAWS_PER_SECOND)


def start(key: str, events, share=None) -> View:
    """Run `events` for this learner under `key`; with `share` (a tuple of the run's settings and
    data fingerprint) join the identical run another learner has running instead."""
    name = config_key("live", {"share": share}) if share is not None else None
    with _SHARING:
        job = _SHARED.get(name)
        if job is None or job.finished or job.stopping:
            job = Job(events)
            if name is not None:
                _SHARED[name] = job
        else:
            events.close()
        view = View(job)
    st.session_state[f"live_{key}"] = view
    return view


def running(key: str) -> bool:
    job = st.session_state.get(f"live_{key}")
    return job is not None and not job.finished


def finished(key: str) -> Job | None:
    """The job under `key` if it has ended (Done, stopped or failed), handed over once."""
    job = st.session_state.get(f"live_{key}")
    if job is not None and job.finished:
        del st.session_state[f"live_{key}"]
        return job
    return None


def wait(key: str, timeout: float | None = None) -> None:
    """Block until the job under `key` ends (scripts and tests; pages never call it)."""
    job = st.session_state.get(f"live_{key}")
    if job is not None:
        job.thread.join(timeout)


def progress_text(job: Job, label) -> str:
    """The phase's label, or why the run waits; then the time left once it can be estimated."""
    event = job.last
    if isinstance(event, Waiting):
        return t("live.queued", n=event.position) if event.reason == "queue" else t("live.same_run")
    text = label(event) if event is not None else t("live.starting")
    left = job.time_left()
    return text + ("" if left is None else " · " + t("live.time_left", s=max(1, round(left))))


def panel(key: str, label, draw=None) -> None:
    """Progress of the job under `key` while it runs: `label(event) -> str` names the current
    phase, `draw(job)` may add a live chart. When the job ends the whole page reruns once to show
    the result. With no job the page has no timer, so an idle page costs the server nothing."""
    if f"live_{key}" in st.session_state:
        every = refresh_seconds()
        st.fragment(_ticking_panel, run_every=every)(key, label, draw, every)


def _ticking_panel(key: str, label, draw, every: float) -> None:
    job = st.session_state.get(f"live_{key}")
    if job is None:
        return
    if job.finished or not every / 2 <= refresh_seconds() <= every * 2:  # the end, or far more (fewer) watchers
        st.rerun(scope="app")  # a full run sets the redraw interval anew
    bar, stop = st.columns([6, 1], vertical_alignment="bottom")
    bar.progress(min(1.0, job.progress), text=progress_text(job, label))
    stop.button(t("live.stop"), key=f"live_{key}_stop", on_click=job.stop, width="stretch",
                disabled=job.stopping, help=t("live.stop_help"))
    if draw is not None:
        draw(job)


def report(job: Job, show_error) -> object:
    """What a page keeps from an ended job: the Done result, else the latest Partial (a stopped
    run keeps its finished part); shows the job's notices and its error, if any."""
    for notice in job.notices:
        st.warning(error_text(notice.message, lang()))
    if job.error is not None:
        show_error(job.error)
    return job.result if job.result is not None else job.partial
