"""A learner's drill progress in SQLite (WAL mode) in the per-user data directory.

Tables: `cards` (one FSRS card per question), `reviews` (every answer in every mode, with the
rating it produced and a 0..1 score) and `scores` (mock interviews and coding submissions).
A corrupt file is moved aside — never deleted — and a fresh one started; `recovered_from` names
the copy so the page can tell the learner; a store opened `read_only` (an instructor reading a
learner's file) is never created, repaired or moved: its errors are raised. A database locked by another process raises
`ProgressLocked` with what to do. Imports are validated completely before anything is written,
and replace the progress in one transaction, so a bad file leaves existing progress untouched.
"""
import json
import math
import sqlite3
from datetime import datetime
from pathlib import Path

import fsrs

from ..errors import KDLabError
from ..paths import user_data_dir
from . import scheduler as sched

EXPORT_FORMAT = "kdlab-progress"
EXPORT_VERSION = 1
LOCK_TIMEOUT_S = 3.0  # wait this long for another writer before telling the learner the file is busy
SCHEMA = """
CREATE TABLE IF NOT EXISTS cards(question_id TEXT PRIMARY KEY, card TEXT NOT NULL, due TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reviews(id INTEGER PRIMARY KEY, question_id TEXT NOT NULL, mode TEXT NOT NULL,
    rating TEXT NOT NULL, score REAL NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS scores(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, score REAL NOT NULL,
    total REAL NOT NULL, detail TEXT NOT NULL, at TEXT NOT NULL);
"""
MODES = ("flashcard", "choice", "selfcheck", "mock")


class ProgressLocked(KDLabError):
    """Another process holds the progress database."""


class ImportRejected(KDLabError):
    """An import file is malformed; nothing was changed."""


def default_path() -> Path:
    return user_data_dir() / "progress.db"


class ProgressStore:
    def __init__(self, path: Path | None = None, fuzz: bool = True, read_only: bool = False):
        self.path = Path(path or default_path())
        self.read_only = read_only
        self.scheduler = sched.make_scheduler(fuzz)
        self.recovered_from: Path | None = None  # where a corrupt file was moved, if it was
        self.recovery_reason = ""
        try:
            self.db = self._open()
        except sqlite3.DatabaseError as err:  # locked, "file is not a database", malformed image, ...
            if "locked" in str(err) or "busy" in str(err):
                raise ProgressLocked("progress_locked", path=str(self.path)) from err
            if read_only:
                raise
            self.db = self._recover(err)

    # ----- opening and recovery -------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        target = f"{self.path.resolve().as_uri()}?mode=ro" if self.read_only else self.path
        db = sqlite3.connect(target, timeout=LOCK_TIMEOUT_S, isolation_level=None, check_same_thread=False,
                             uri=self.read_only)
        try:
            if self.read_only:  # the tables must be there already: a foreign file fails here, not later
                db.execute("SELECT 1 FROM cards, reviews, scores LIMIT 1")
            else:
                db.execute("PRAGMA journal_mode=WAL")
                if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise sqlite3.DatabaseError("integrity check failed")
                db.executescript(SCHEMA)
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _recover(self, err: Exception) -> sqlite3.Connection:
        """Move the unreadable file (and its WAL side files) aside and start afresh."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.stem}.corrupt-{stamp}{self.path.suffix}")
        for suffix in ("", "-wal", "-shm"):
            side = Path(f"{self.path}{suffix}")
            if side.exists():
                side.replace(Path(f"{backup}{suffix}"))
        self.recovered_from = backup
        self.recovery_reason = str(err)
        return self._open()

    def _write(self, statements):
        """Run (sql, params) pairs in one transaction; a busy database becomes ProgressLocked."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise ProgressLocked("progress_locked", path=str(self.path)) from err
        try:
            for sql, params in statements:
                self.db.execute(sql, params)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.db.close()

    # ----- cards and reviews ----------------------------------------------------------------
    def card(self, question_id: str) -> fsrs.Card:
        row = self.db.execute("SELECT card FROM cards WHERE question_id=?", (question_id,)).fetchone()
        return fsrs.Card.from_json(row[0]) if row else sched.new_card()

    def cards(self) -> dict[str, fsrs.Card]:
        return {qid: fsrs.Card.from_json(text) for qid, text in self.db.execute("SELECT question_id, card FROM cards")}

    def record(self, question_id: str, mode: str, rating: str, score: float, when: datetime | None = None) -> fsrs.Card:
        """Record one answer and move the question's FSRS card by `rating`; returns the new card."""
        if mode not in MODES:
            raise ValueError(f"unknown drill mode {mode!r}")
        when = when or sched.now_utc()
        card = sched.review(self.scheduler, self.card(question_id), rating, when)
        self._write([
            ("INSERT OR REPLACE INTO cards(question_id, card, due) VALUES(?,?,?)",
             (question_id, card.to_json(), card.due.isoformat())),
            ("INSERT INTO reviews(question_id, mode, rating, score, at) VALUES(?,?,?,?,?)",
             (question_id, mode, rating, float(score), when.isoformat())),
        ])
        return card

    def due_ids(self, question_ids, when: datetime | None = None) -> list[str]:
        """Ids among `question_ids` that are due now: never seen, or past their due date (earliest first)."""
        when = (when or sched.now_utc()).isoformat()
        due_at = dict(self.db.execute("SELECT question_id, due FROM cards"))
        due = [qid for qid in question_ids if due_at.get(qid, "") <= when]
        return sorted(due, key=lambda qid: (qid in due_at, due_at.get(qid, "")))

    def reviews(self) -> list[dict]:
        cursor = self.db.execute("SELECT question_id, mode, rating, score, at FROM reviews ORDER BY id")
        return [dict(zip(("question_id", "mode", "rating", "score", "at"), row)) for row in cursor]

    # ----- scores (mock interviews, coding) -------------------------------------------------
    def add_score(self, kind: str, score: float, total: float, detail: dict, when: datetime | None = None) -> None:
        when = when or sched.now_utc()
        self._write([("INSERT INTO scores(kind, score, total, detail, at) VALUES(?,?,?,?,?)",
                      (kind, float(score), float(total), json.dumps(detail, ensure_ascii=False), when.isoformat()))])

    def scores(self, kind_prefix: str = "") -> list[dict]:
        cursor = self.db.execute("SELECT kind, score, total, detail, at FROM scores WHERE kind LIKE ? ORDER BY id",
                                 (kind_prefix + "%",))
        return [{"kind": k, "score": s, "total": t, "detail": json.loads(d), "at": a} for k, s, t, d, a in cursor]

    # ----- export, import, reset ------------------------------------------------------------
    def export_dict(self) -> dict:
        return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported_at": sched.now_utc().isoformat(),
                "cards": {qid: card.to_dict() for qid, card in self.cards().items()},
                "reviews": self.reviews(), "scores": self.scores()}

    def export_json(self) -> str:
        return json.dumps(self.export_dict(), ensure_ascii=False, indent=1)

    def import_json(self, text: str | bytes) -> dict:
        """Replace all progress with the file's; returns counts. Raises ImportRejected (and changes
        nothing) unless the whole file is valid."""
        statements = _import_statements(text)
        self._write([("DELETE FROM cards", ()), ("DELETE FROM reviews", ()), ("DELETE FROM scores", ())] + statements)
        return self.counts()

    def reset(self) -> None:
        self._write([("DELETE FROM cards", ()), ("DELETE FROM reviews", ()), ("DELETE FROM scores", ())])

    def counts(self) -> dict:
        return {table: self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("cards", "reviews", "scores")}


def _import_statements(text: str | bytes) -> list[tuple[str, tuple]]:
    """Validate an export file and turn it into INSERT statements; any problem → ImportRejected."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ImportRejected("import_not_json", reason=str(err)) from err
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ImportRejected("import_not_export", format=EXPORT_FORMAT)
    if data.get("version") != EXPORT_VERSION:
        raise ImportRejected("import_version", version=data.get("version"), supported=EXPORT_VERSION)
    statements = []
    try:
        for qid, card_dict in _typed(data, "cards", dict).items():
            card = fsrs.Card.from_dict(card_dict)
            for moment in (card.due, card.last_review):
                _aware(moment)
            for value in (card.stability, card.difficulty):
                _finite(value)
            statements.append(("INSERT INTO cards(question_id, card, due) VALUES(?,?,?)",
                               (str(qid), card.to_json(), card.due.isoformat())))
        for row in _typed(data, "reviews", list):
            if row["mode"] not in MODES or row["rating"] not in sched.RATINGS:
                raise ValueError(f"unknown mode or rating in review {row}")
            statements.append(("INSERT INTO reviews(question_id, mode, rating, score, at) VALUES(?,?,?,?,?)",
                               (str(row["question_id"]), row["mode"], row["rating"], _unit(row["score"]),
                                _aware(datetime.fromisoformat(row["at"])).isoformat())))
        for row in _typed(data, "scores", list):
            statements.append(("INSERT INTO scores(kind, score, total, detail, at) VALUES(?,?,?,?,?)",
                               (str(row["kind"]), _finite(row["score"]), _finite(row["total"]),
                                json.dumps(row["detail"], ensure_ascii=False), _aware(datetime.fromisoformat(row["at"])).isoformat())))
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise ImportRejected("import_malformed", reason=f"{type(err).__name__}: {err}") from err
    return statements


def _typed(data: dict, key: str, kind: type):
    value = data.get(key)
    if not isinstance(value, kind):
        raise TypeError(f"'{key}' must be a {kind.__name__}")
    return value


def _aware(moment: datetime | None) -> datetime | None:
    """A time with its offset, as the store writes them: a naive one cannot be compared with now."""
    if moment is not None and (not isinstance(moment, datetime) or moment.utcoffset() is None):
        raise ValueError(f"time {moment!s} has no time zone")
    return moment


def _finite(value) -> float | None:
    if value is None:
        return None
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return number


def _unit(value) -> float:
    score = _finite(value)
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"score {score} is outside 0..1")
    return score
