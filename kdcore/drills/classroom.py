"""Classroom accounts: a roster of learners and instructors in one SQLite file (WAL mode).

The instructor adds accounts from a CSV roster (`username,name[,role[,email]]`); each gets a one-time
join code to hand out. Joining with the code sets the learner's own password and spends the code.
Passwords and join codes are stored only as bcrypt hashes. Where the school signs its people in with
OpenID Connect (Streamlit's `st.login`, see kdapp/learner.py), the roster's email column is how a
signed-in school account finds its roster account (`by_email`); no password is kept for it. Every learner's data lives in a folder
named by a hash of the account name (`learner_dir`), so no typed name ever becomes a path, and one
learner's store is a different file from another's: nothing a learner does reaches anyone else's.
"""
import csv
import hashlib
import io
import re
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import bcrypt

from ..errors import ConfigError, KDLabError
from ..paths import user_data_dir
from .sandbox import LOCAL_ADDRESSES
from .store import default_path

ROLES = ("learner", "instructor")
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")
EMAIL = re.compile(r"[^@\s,]{1,64}@[^@\s,]{1,190}")
PASSWORD_CHARS = (8, 64)  # bcrypt reads at most 72 bytes; a longer password would be cut silently
MAX_ROSTER_ROWS = 1000
SCHEMA = """CREATE TABLE IF NOT EXISTS accounts(username TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL,
    join_hash TEXT, password_hash TEXT, email TEXT);
CREATE TABLE IF NOT EXISTS sessions(token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, expires REAL NOT NULL)"""
SESSION_HOURS = 12  # a signed-in browser stays signed in across reloads for a school day
SESSION_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


class SignInRefused(KDLabError):
    """Wrong name, password or join code (which one is not said)."""


@dataclass(frozen=True)
class Learner:
    username: str
    name: str
    role: str = "learner"

    @property
    def key(self) -> str:
        return hashlib.sha256(self.username.encode()).hexdigest()[:32]

    @property
    def is_instructor(self) -> bool:
        return self.role == "instructor"


def is_classroom(server_address: str | None, env: dict) -> bool:
    """Classroom mode? KDLAB_CLASSROOM=1/0 decides (`kdlab app --classroom` sets 1; 0 is for a server
    whose only user is its operator, e.g. tests); otherwise it is on whenever the server listens beyond
    this computer (Streamlit's default, an empty address, listens on every interface)."""
    flag = env.get("KDLAB_CLASSROOM", "").strip().lower()
    if flag in ("1", "true", "yes", "0", "false", "no"):
        return flag in ("1", "true", "yes")
    return (server_address or "").strip() not in LOCAL_ADDRESSES


def progress_path(learner: Learner | None) -> Path:
    """The progress database of a signed-in learner, or the personal one (None)."""
    return default_path() if learner is None else learner_dir(learner) / "progress.db"


def learner_dir(learner: Learner) -> Path:
    folder = user_data_dir() / "learners" / learner.key
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _digest(token: str) -> str:
    """A session token's stored form: SHA-256 is enough for 256 random bits (no password to guess)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _hash(secret: str) -> str:
    return bcrypt.hashpw(secret.encode(), bcrypt.gensalt()).decode()


def _matches(secret: str, hashed: str | None) -> bool:
    return hashed is not None and len(secret.encode()) <= 72 and bcrypt.checkpw(secret.encode(), hashed.encode())


def parse_roster(text: str) -> list[tuple[str, str, str, str]]:
    """CSV rows `username,name[,role[,email]]` (a header row naming `username` is skipped); ConfigError on
    a bad row. Rows come back as (username, name, role, email or "")."""
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if rows and rows[0] and rows[0][0].strip().lower() == "username":
        rows = rows[1:]
    if not rows or len(rows) > MAX_ROSTER_ROWS:
        raise ConfigError("roster_size", count=len(rows), limit=MAX_ROSTER_ROWS)
    parsed = []
    for line, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row] + ["", "", ""]
        username, name, role, email = cells[0].lower(), cells[1] or cells[0], cells[2] or "learner", cells[3].lower()
        if (not USERNAME.fullmatch(username) or role not in ROLES or len(name) > 80 or len(row) > 4
                or (email and not EMAIL.fullmatch(email))):
            raise ConfigError("roster_row", line=line, row=",".join(row)[:100], roles="/".join(ROLES))
        parsed.append((username, name, role, email))
    return parsed


class Roster:
    def __init__(self, path: Path | None = None):
        self.path = Path(path or user_data_dir() / "classroom.db")
        self.db = sqlite3.connect(self.path, timeout=3.0, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        if "email" not in {row[1] for row in self.db.execute("PRAGMA table_info(accounts)")}:  # a roster from before
            self.db.execute("ALTER TABLE accounts ADD COLUMN email TEXT")

    def close(self) -> None:
        self.db.close()

    def add(self, rows: list[tuple]) -> dict[str, str]:
        """Create (or re-issue a join code for) each account, rows (username, name, role[, email]);
        returns username -> the new one-time code."""
        codes = {row[0]: secrets.token_urlsafe(9) for row in rows}
        self.db.execute("BEGIN IMMEDIATE")
        for username, name, role, *email in rows:
            self.db.execute("INSERT INTO accounts(username, name, role, join_hash, email) VALUES(?,?,?,?,?) "
                            "ON CONFLICT(username) DO UPDATE SET name=excluded.name, role=excluded.role, "
                            "join_hash=excluded.join_hash, email=excluded.email",
                            (username, name, role, _hash(codes[username]), (email or [""])[0].lower() or None))
        self.db.execute("COMMIT")
        return codes

    def _account(self, username: str):
        return self.db.execute("SELECT username, name, role, join_hash, password_hash FROM accounts WHERE username=?",
                               (username.strip().lower(),)).fetchone()

    def join(self, username: str, code: str, password: str) -> Learner:
        """Spend the join code and set the password; SignInRefused if the code is wrong or spent."""
        if not PASSWORD_CHARS[0] <= len(password) <= PASSWORD_CHARS[1]:
            raise ConfigError("password_length", low=PASSWORD_CHARS[0], high=PASSWORD_CHARS[1])
        row = self._account(username)
        if row is None or not _matches(code.strip(), row[3]):
            raise SignInRefused("sign_in_refused")
        changed = self.db.execute("UPDATE accounts SET join_hash=NULL, password_hash=? WHERE username=? AND join_hash=?",
                                  (_hash(password), row[0], row[3])).rowcount
        if not changed:  # another browser spent the code in between
            raise SignInRefused("sign_in_refused")
        return Learner(*row[:3])

    def by_email(self, email) -> Learner | None:
        """The account whose roster email is `email` (a school account signed in through OpenID Connect)."""
        if not isinstance(email, str) or not EMAIL.fullmatch(email.strip().lower()):
            return None
        row = self.db.execute("SELECT username, name, role FROM accounts WHERE email=?", (email.strip().lower(),)).fetchone()
        return Learner(*row) if row else None

    def sign_in(self, username: str, password: str) -> Learner:
        row = self._account(username)
        if row is None or not _matches(password, row[4]):
            raise SignInRefused("sign_in_refused")
        return Learner(*row[:3])

    def open_session(self, learner: Learner, now: float | None = None) -> str:
        """A new random session token for a signed-in learner (its browser keeps it in a cookie); only
        its SHA-256 is stored, so the database does not hold anything a browser could present."""
        token, now = secrets.token_urlsafe(32), time.time() if now is None else now
        self.db.execute("DELETE FROM sessions WHERE expires < ?", (now,))
        self.db.execute("INSERT INTO sessions VALUES(?,?,?)",
                        (_digest(token), learner.username, now + SESSION_HOURS * 3600))
        return token

    def resume(self, token, now: float | None = None) -> Learner | None:
        """The learner a live session token belongs to; None for anything else (expired, unknown, malformed)."""
        if not isinstance(token, str) or SESSION_TOKEN.fullmatch(token) is None:
            return None
        row = self.db.execute("SELECT a.username, a.name, a.role FROM sessions s JOIN accounts a USING(username) "
                              "WHERE s.token_hash=? AND s.expires >= ?",
                              (_digest(token), time.time() if now is None else now)).fetchone()
        return Learner(*row) if row else None

    def close_session(self, token) -> None:
        if isinstance(token, str):
            self.db.execute("DELETE FROM sessions WHERE token_hash=?", (_digest(token),))

    def learners(self) -> list[Learner]:
        return [Learner(*row) for row in self.db.execute("SELECT username, name, role FROM accounts ORDER BY username")]
