"""Who is using this browser session. A personal server (localhost) has one learner and no sign-in;
a classroom server (`kdlab app --classroom`, or any address beyond localhost) shows a sign-in form
until the learner signs in with their password or joins with the one-time code the instructor
gave them. The signed-in account is kept in the session, so it lasts until the tab is reloaded."""
import os

import streamlit as st

from kdcore.drills import classroom
from kdcore.errors import KDLabError

from .ui import show_error, t

KEY = "learner"
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


def _form(kind: str) -> None:
    with st.form(f"learner_{kind}"):
        username = st.text_input(t("classroom.username"), max_chars=32)
        code = st.text_input(t("classroom.join_code"), type="password") if kind == "join" else ""
        password = st.text_input(t("classroom.password" if kind == "sign_in" else "classroom.new_password"),
                                 type="password", max_chars=classroom.PASSWORD_CHARS[1])
        if st.form_submit_button(t(f"classroom.{kind}")):
            try:
                st.session_state[KEY] = (roster().sign_in(username, password) if kind == "sign_in"
                                         else roster().join(username, code, password))
            except KDLabError as err:
                show_error(err)
                return
            st.rerun()


def _sign_in_page() -> None:
    st.title(t("classroom.title"))
    st.caption(t("classroom.intro"))
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
    learner = current()
    if learner is None:
        title = t("classroom.title")
        st.navigation([st.Page(_sign_in_page, title=title, url_path="sign-in", default=True)]
                      + [st.Page(_sign_in_page, title=title, url_path=path) for path in url_paths],
                      position="hidden").run()
        st.stop()
    with st.sidebar:
        st.caption(t("classroom.signed_in", name=learner.name))
        if st.button(t("classroom.sign_out")):
            del st.session_state[KEY]
            st.rerun()
