"""The progress page's memory-model section: predicted retention over the coming days and fitting
FSRS's parameters to the learner's own review log (py-fsrs's optimizer, a few seconds)."""
import streamlit as st

from kdcore.drills import charts, mastery, scheduler
from kdcore.errors import KDLabError

from .ui import show_error, t


def memory_model(store, reviews) -> None:
    st.subheader(t("progress.memory_title"))
    forecast = mastery.retention_forecast(store)
    if forecast:
        st.metric(t("progress.predicted_now"), f"{forecast[0]['retention']:.0%}",
                  help=t("progress.predicted_help", days=len(forecast) - 1, later=f"{forecast[-1]['retention']:.0%}"))
        st.plotly_chart(charts.retention_forecast_figure(forecast, scheduler.DESIRED_RETENTION, {
            "title": t("progress.forecast_title"), "retention": t("progress.predicted"),
            "target": t("progress.target", pct=f"{scheduler.DESIRED_RETENTION:.0%}")}), key="progress_forecast")
    fit = scheduler.load_fit(store.path)
    spaced = scheduler.spaced_reviews(reviews)
    if fit is None:
        st.caption(t("progress.fsrs_default", have=spaced, need=scheduler.MIN_FIT_REVIEWS))
    else:
        st.caption(t("progress.fsrs_fitted", reviews=fit.reviews, when=fit.fitted_at[:10],
                     default=f"{fit.loss_default:.4f}", fitted=f"{fit.loss_fitted:.4f}"))
    if st.button(t("progress.fsrs_fit"), key="progress_fsrs_fit", disabled=spaced < scheduler.MIN_FIT_REVIEWS,
                 help=t("progress.fsrs_fit_help")):
        try:
            with st.spinner(t("progress.fsrs_fitting")):
                fit = scheduler.fit_parameters(reviews)
            scheduler.save_fit(store.path, fit)
        except (KDLabError, OSError) as err:
            show_error(err if isinstance(err, KDLabError) else KDLabError(str(err)))
        else:
            st.rerun()
