"""Paper gallery: classic distillation results, each scaled to the embedded digits, with the
paper's figure beside ours and a verdict fixed before the run; cards run live and are cached."""
import streamlit as st

from kdapp import form, gallery_view, keep, live, share
from kdapp.share import Setting
from kdapp.ui import device_name, show_error, t
from kdcore import gallery
from kdcore.errors import KDLabError

SCHEMA = {  # URL name → setting: a link opens a card with its seeds (interview questions link here)
    "card": Setting("gallery_card", str, "", choices=("", *gallery.CARDS)),
    "seeds": Setting("gallery_seeds", int, (0, 1, 2), 0, 4, max_items=5, choices=tuple(range(5))),
}

st.title(t("gallery.title"))
st.markdown(t("gallery.intro"))
share.restore("gallery", SCHEMA)


def reopen(view: dict):
    """A reload brings back the last finished run: its card opens with its seeds, unless a link opened another."""
    result = gallery.restore(view)
    if not st.session_state.get("gallery_card"):
        st.session_state["gallery_card"] = result.card.name
        st.session_state["gallery_seeds"] = [run.seed for run in result.runs]
    return result


keep.restore("gallery", "gallery_result", reopen)
ended = live.finished("gallery")
if ended is not None:
    kept = live.report(ended, show_error)  # every finished seed is also in the cache, which the page reads
    if kept is not None and kept.runs:
        st.session_state["gallery_result"] = kept
        keep.save("gallery", kept.to_state())
    if ended.stopping and kept is not None:
        st.session_state["gallery_stopped"] = len(kept.runs)
busy = live.running("gallery")
seeds = tuple(st.multiselect(t("gallery.seeds"), list(range(5)), key="gallery_seeds", help=t("gallery.seeds_help"),
                             disabled=busy, **form.kept("multiselect", "gallery_seeds", [0, 1, 2]))) or (0,)
device = device_name()
try:
    opened = st.session_state.get("gallery_card")
    columns = st.columns(3)
    for i, card in enumerate(gallery.CARDS.values()):
        with columns[i % 3]:
            if gallery_view.tile(card, gallery.cached(card, seeds, device), seeds) and not busy:
                st.session_state["gallery_card"] = opened = card.name
    gallery_view.pending(gallery.PENDING)
    if opened in gallery.CARDS:
        card = gallery.CARDS[opened]
        st.divider()
        gallery_view.detail(card)
        if st.button(t("gallery.run"), type="primary", key="gallery_run", disabled=busy):
            st.session_state.pop("gallery_stopped", None)
            live.start("gallery", gallery.run_card(card, seeds, device), share=(card.name, seeds, device))
        live.panel("gallery", gallery_view.label, gallery_view.live_curves)
        if "gallery_stopped" in st.session_state:
            st.warning(t("gallery.stopped", done=st.session_state["gallery_stopped"]))
        result = gallery.cached(card, seeds, device)
        last = st.session_state.get("gallery_result")  # this learner's last run: shown when the cache no longer has it
        if result is None and last is not None and last.card.name == card.name:
            result = last
        if result is not None and not live.running("gallery"):
            gallery_view.outcome(result)
    share.publish(SCHEMA)
except KDLabError as err:
    show_error(err)
