"""Streamlit helpers of the paper gallery: a card's tile (claim, paper's figure, ours ± sd,
verdict badge, time to run), its detail (setup, what differs, every arm, the rule's arithmetic),
the live run's label and curves, and the cards that wait for data."""
import pandas as pd
import streamlit as st

from kdcore.gallery import Card, CardResult

from .course_view import page_link
from .ui import lang, t

BADGES = {"reproduced": "green", "within_noise": "orange", "not_reproduced": "red"}


def paper_text(card: Card) -> str:
    value = card.figure.value
    if value is None:
        return t("gallery.no_number")
    return t("gallery.unit_level" if card.headline else "gallery.unit_effect", value=value)


def ours_text(result: CardResult) -> str:
    ours = result.to_dict()
    unit = "gallery.unit_level" if result.card.headline else "gallery.unit_effect"
    return f"{t(unit, value=ours['ours_mean'])} ± {ours['ours_sd']:.2f}"


def badge(result: CardResult | None) -> None:
    if result is not None:
        verdict = result.judged()["verdict"]
        st.badge(t(f"gallery.verdict_{verdict}"), color=BADGES[verdict])


def tile(card: Card, result: CardResult | None, seeds) -> bool:
    """One card of the grid; True when the learner opens it."""
    with st.container(border=True):
        st.markdown(f"**{card.paper}**")
        st.markdown(card.claim[lang()])
        st.markdown(f"{t('gallery.paper_value')}: **{paper_text(card)}**  \n"
                    f"{t('gallery.ours')}: **{ours_text(result) if result else '—'}**")
        badge(result)
        st.caption(t("gallery.seeds_done", done=len(result.runs), total=len(seeds),
                     seconds=sum(r.seconds for r in result.runs)) if result else t("gallery.not_run"))
        return st.button(t("gallery.open"), key=f"gallery_open_{card.name}")


def detail(card: Card) -> None:
    """What the card claims and how we scaled it (before any result)."""
    st.subheader(card.paper)
    st.markdown(f"**{t('gallery.claim')}.** {card.claim[lang()]}")
    st.markdown(f"**{t('gallery.paper_figure')}:** {card.figure.text}  \n{t('gallery.source', source=card.figure.source)}")
    rule = card.rule
    st.caption(t("gallery.headline_level", arm=card.headline) if card.headline
               else t("gallery.headline_effect", better=rule.better, worse=rule.worse))
    st.markdown(f"**{t('gallery.setup')}.** {card.setup[lang()]}")
    st.markdown(f"**{t('gallery.differs')}.** {card.differs[lang()]}")
    page, query = card.link
    page_link(page, t("gallery.vary", page=t(f"nav.{page}")), "🔬", **query)


def outcome(result: CardResult) -> None:
    """Paper vs ours vs verdict, the rule's arithmetic, every arm; why, when it does not reproduce."""
    judged, card = result.judged(), result.card
    c1, c2, c3 = st.columns([1, 1.4, 0.8])  # headings, not st.metric: a value with its ± sd must not be cut off
    for column, name, value in ((c1, "paper_value", paper_text(card)), (c2, "ours", ours_text(result))):
        column.caption(t(f"gallery.{name}"))
        column.markdown(f"#### {value}")
    with c3:
        st.caption(t("gallery.verdict"))
        badge(result)
    st.markdown(t("gallery.effect", effect=judged["effect_points"], noise=judged["noise_points"],
                  twice=2 * judged["noise_points"]))
    if card.share_of is not None:
        share = result.share()
        st.markdown(t("gallery.share", share=100 * share, arm=card.share_of, better=card.rule.better,
                                        worse=card.rule.worse) if share is not None
                    else t("gallery.share_none", arm=card.share_of, worse=card.rule.worse))
    if len(result.runs) == 1:
        st.warning(t("gallery.one_seed"))
    if judged["verdict"] != "reproduced":
        st.info(f"{t('gallery.why_not')} {card.differs[lang()]}")
    rows = [{t("gallery.arm"): arm, t("gallery.mean"): 100 * result.arm(arm)[0], t("gallery.sd"): 100 * result.arm(arm)[1]}
            for arm in card.arms]
    st.caption(t("gallery.arms_table", n=f"{result.runs[0].measurement.n:,}"))
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def label(event) -> str:
    if event.seed is None:
        return t("gallery.preparing")
    return t("gallery.running", phase=event.phase, seed=event.seed)


def live_curves(job) -> None:
    rows = job.curves
    if rows:
        frame = pd.DataFrame(rows)
        frame["run"] = frame["phase"] + " · " + frame["seed"].astype(str)
        st.caption(t("gallery.curves"))
        st.line_chart(frame.pivot_table(index="epoch", columns="run", values="accuracy"))


def pending(cards: dict) -> None:
    with st.expander(t("gallery.pending_title")):
        for paper, figure, needs in cards.values():
            st.markdown(f"**{paper}** — {figure}  \n{t('gallery.pending_needs', needs=needs)}")
