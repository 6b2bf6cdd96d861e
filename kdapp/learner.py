"""Who is using this browser session. A personal server (localhost) has one learner and no sign-in;
a classroom server (`kdlab app --classroom`, or any address beyond localhost) shows a sign-in form
until the learner signs in with their password or joins with the one-time code the instructor
gave them. A signed-in browser keeps a random session token in a cookie (only its hash is stored on the
server; it expires after classroom.SESSION_HOURS or at sign-out), so a reload keeps the learner signed in.

Where the school has an OpenID Connect provider, an `[auth]` section in `.streamlit/secrets.toml`
turns on Streamlit's own sign-in (`st.login`, Authlib underneath): the sign-in page offers "Sign in with
your school account", and the signed-in address finds its account through the roster's email column.
Streamlit keeps that sign-in in its own identity cookie; no password is involved."""
import os

import streamlit as st

from kdcore.drills import classroom
from kdcore.errors import KDLabError

from .ui import show_error, t

KEY = "learner"
COOKIE, COOKIE_KEY = "kdlab_session", "learner_session"  # the browser's sign-in: a token, never the password
AUDIENCE = {"class_dashboard": "instructor", "class_quiz": "class"}  # pages (nav keys) only a classroom has


@st.cache_resource(show_spinner=False)
def roster() -> classroom.Roster:
    return classroom.Roster()


def classroom_mode() -> bool:
    return classroom.is_classroom(st.get_option("server.address"), os.environ)


def current() -> classroom.Learner | None:
    """The signed-in learner, or None on a personal server."""
    return st.session_state.get(KEY)


def serves(audience: str) -> bool:
    """Is the visitor who a page for `audience` is for: "instructor" (a signed-in instructor in a
    classroom), "class" (anyone signed in to a classroom)?"""
    who = current()
    return classroom_mode() and who is not None and (audience == "class" or who.is_instructor)


def visibility(page: str) -> str:
    """Navigation visibility of the page with nav key `page`: a classroom page is listed only for those it
    serves. A hidden page still opens by its address, so each one also calls `require`."""
    return "visible" if page not in AUDIENCE or serves(AUDIENCE[page]) else "hidden"


def require(audience: str) -> classroom.Learner:
    """Stop the page with a plain message unless it serves the visitor (see `serves`); the signed-in account."""
    if not serves(audience):
        st.info(t(f"class.only_{audience}"))
        st.stop()
    return current()


def school_sign_in() -> bool:
    """Is Streamlit's OpenID Connect sign-in configured (an [auth] section in the secrets)?"""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def school_email() -> str | None:
    """The address of the school account signed in through st.login, or None."""
    try:
        return st.user.email if school_sign_in() and st.user.is_logged_in else None
    except (AttributeError, KeyError):  # a provider that sends no email claim
        return None


def _form(kind: str) -> None:
    with st.form(f"learner_{kind}"):
        username = st.text_input(t("classroom.username"), max_chars=32)
        code = st.text_input(t("classroom.join_code"), type="password") if kind == "join" else ""
        password = st.text_input(t("classroom.password" if kind == "sign_in" else "classroom.new_password"),
                                 type="password", max_chars=classroom.PASSWORD_CHARS[1])
        if st.form_submit_button(t(f"classroom.{kind}")):
            try:
                learner = (roster().sign_in(username, password) if kind == "sign_in"
                           else roster().join(username, code, password))
            except KDLabError as err:
                show_error(err)
                return
            st.session_state[KEY] = learner
            st.session_state[COOKIE_KEY] = roster().open_session(learner)
            st.rerun()


def _sign_in_page() -> None:
    st.title(t("classroom.title"))
    st.caption(t("classroom.intro"))
    if school_sign_in():
        if (email := school_email()) is not None:  # signed in at the school, but not on this class's roster
            st.warning(t("classroom.not_on_roster", email=email))
            st.button(t("classroom.sign_out"), on_click=st.logout)
        else:
            st.button(t("classroom.school_sign_in"), type="primary", on_click=st.login)
        st.caption(t("classroom.school_or"))
    sign_in, join = st.tabs([t("classroom.sign_in"), t("classroom.join")])
    with sign_in:
        _form("sign_in")
    with join:
        _form("join")


def gate(url_paths: list[str]) -> None:
    """On a classroom server: until someone signs in, the sign-in page is the only page there is
    (whatever the URL names), then show who is signed in and a sign-out button in the sidebar. The
    sign-in page answers at each of the app's `url_paths` too, so a link to a page opens that page once
    the learner has signed in (instead of "page not found" and the home page)."""
    if not classroom_mode():
        return
    if current() is None and (learner := roster().resume(_cookie())) is not None:  # a reload: still signed in
        st.session_state[KEY] = learner
    if current() is None and (learner := roster().by_email(school_email())) is not None:  # the school's sign-in
        st.session_state[KEY] = learner
    learner = current()
    if learner is None:
        title = t("classroom.title")
        st.navigation([st.Page(_sign_in_page, title=title, url_path="sign-in", default=True)]
                      + [st.Page(_sign_in_page, title=title, url_path=path) for path in url_paths],
                      position="hidden").run()
        st.stop()
    if COOKIE_KEY in st.session_state:  # on the page for the session: a rerun never drops the cookie
        _set_cookie(st.session_state[COOKIE_KEY], classroom.SESSION_HOURS * 3600)
    with st.sidebar:
        st.caption(t("classroom.signed_in", name=learner.name))
        st.button(t("classroom.sign_out"), on_click=_sign_out)


def _cookie() -> str | None:
    try:
        return st.context.cookies.get(COOKIE)
    except Exception:  # no browser connection (a bare script)
        return None


def _set_cookie(value: str, max_age: int) -> None:
    """`value` is a session token (URL-safe characters only) or empty: nothing to escape."""
    st.html(f"<script>document.cookie = '{COOKIE}={value}; path=/; max-age={max_age}; SameSite=Strict';</script>",
            unsafe_allow_javascript=True)


def _sign_out() -> None:
    roster().close_session(st.session_state.pop(COOKIE_KEY, None) or _cookie())
    del st.session_state[KEY]
    _set_cookie("", 0)
    if school_email() is not None:
        st.logout()
