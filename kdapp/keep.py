"""Nothing lost on reload: a page's finished results (and drafts) are saved for this browser
(kdcore.saved) and put back into the session when a reload starts a new one.

The browser's token lives in a cookie: read from the connection's cookies when the session starts;
when there is none (first visit), a fresh token is written into the cookie by a hidden snippet the
router places on the page. A link to a page carries no token, so a link opened elsewhere shows
nothing of this browser's results. Without cookies (blocked) a reload starts afresh, as before.

    keep.save("lab", {"runs": [...]})                 # after a run ends
    keep.restore("lab", "lab_runs", rebuild)          # before the page reads session_state["lab_runs"]
"""
import streamlit as st

from kdcore import saved
from kdcore.errors import KDLabError

from . import learner
from .ui import show_error

COOKIE = "kdlab_views"
MAX_AGE_S = saved.KEEP_DAYS * 86400
TOKEN_KEY, NEW_KEY = "keep_token", "keep_token_new"


def cookie_token() -> str | None:
    """The token the browser sent, if it is a well-formed one (the cookie is the learner's to edit)."""
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no browser connection (a bare script)
        return None
    return value if saved.valid_token(value) else None


def views() -> saved.SavedViews | None:
    """This browser's saved views, or on a classroom server the signed-in learner's own (whichever
    browser they use; never another learner's on a shared computer). None before setup has run."""
    who = learner.current()
    token = f"learner-{who.key}" if who is not None else st.session_state.get(TOKEN_KEY)
    return saved.SavedViews(token) if saved.valid_token(token) else None


def setup() -> None:
    """Router, every run: take the browser's token, or give it a new one."""
    if TOKEN_KEY not in st.session_state:
        token = cookie_token()
        st.session_state[NEW_KEY] = token is None
        st.session_state[TOKEN_KEY] = token or saved.new_token()
        if token is None:
            saved.prune()
    if st.session_state.get(NEW_KEY):  # kept on the page for the session: a rerun never removes the cookie
        st.html(f"<script>document.cookie = '{COOKIE}={st.session_state[TOKEN_KEY]}; path=/; "
                f"max-age={MAX_AGE_S}; SameSite=Strict';</script>", unsafe_allow_javascript=True)


def save(name: str, data: dict) -> None:
    """Save a view; a failure (disk full, read-only folder) is shown, the page goes on."""
    store = views()
    if store is None:
        return
    try:
        store.save(name, data)
    except OSError as err:
        show_error(saved.SavedCorrupt("saved_unwritable", reason=str(err)[:200]))


def forget(name: str) -> None:
    store = views()
    if store is not None:
        store.delete(name)


def restore(name: str, key: str, rebuild=lambda data: data) -> None:
    """Once per session: when `key` is not in session_state and a view `name` was saved, put
    `rebuild(view)` there. A view that cannot be read or rebuilt is skipped with a notice."""
    flag = f"keep_restored_{name}"
    store = views()
    if store is None or st.session_state.get(flag):
        return
    st.session_state[flag] = True
    if key in st.session_state:
        return
    try:
        data = store.load(name)
        if data is not None:
            st.session_state[key] = rebuild(data)
    except (saved.SavedCorrupt, KDLabError) as err:  # unreadable, or its data is gone for now (kept for later)
        show_error(err)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, RuntimeError) as err:  # readable but not what we wrote
        store.delete(name)
        show_error(saved.SavedCorrupt("saved_corrupt", name=name, reason=repr(err)[:200]))


# saved view → (page, its URL settings, icon): where the home page's "My results" links go
PAGES = {"lab": ("lab", {}, "🧪"), "curves": ("curves", {}, "📈"), "omit": ("curves", {}, "📈"),
         "methods": ("methods", {}, "🧰"), "nlp": ("nlp", {}, "🔤"),
         "transfer": ("transfer", {}, "🔁"), "coding": ("coding", {}, "💻"),
         "mock": ("drills", {"mode": "mock"}, "⏱"), "gallery": ("gallery", {}, "📜")}


def saved_list() -> list[tuple[str, float]]:
    """This browser's saved views that a page shows: [(view name, saved at)], newest first."""
    store = views()
    return [(name, at) for name, at in (store.names() if store else {}).items() if name in PAGES]
