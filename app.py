"""Kepatuhan — router only: page config, language switch, navigation built from the criteria."""

from __future__ import annotations

from functools import partial

import streamlit as st

from app_pages import dimension, overview, results
from assessment.errors import KepatuhanError
from services.catalog import criteria_for
from services.directory import list_periods
from ui.i18n import LANG_KEY, t
from ui.resources import connection

st.set_page_config(page_title="Kepatuhan", page_icon="✅", layout="wide")


def _language_switch() -> None:
    st.sidebar.segmented_control(
        "Bahasa / Language",
        ["id", "en"],
        default=st.session_state.get(LANG_KEY, "id"),
        key=LANG_KEY,
        format_func=lambda code: {"id": "Bahasa Indonesia", "en": "English"}[code],
    )
    if st.session_state.get(LANG_KEY) is None:  # a click on the selected option unselects it
        st.session_state[LANG_KEY] = "id"


def _dimension_pages() -> dict[str, st.Page]:
    """One questionnaire page per dimension of the criteria in use."""
    con = connection()
    all_periods = list_periods(con)
    if not all_periods:
        return {}
    chosen = st.query_params.get("periode")
    period = next((p for p in all_periods if str(p.id) == chosen), all_periods[0])
    criteria = criteria_for(con, period.criteria_sha256)
    return {
        d.id: st.Page(
            partial(dimension.render, d.id), title=d.title, icon=":material/edit_note:", url_path=f"dimensi-{d.id}"
        )
        for d in criteria.dimensions
    }


def _region_pages() -> list[st.Page]:
    """Pages of the region comparison for Ortala / bureau staff (issue 4)."""
    return []


def main() -> None:
    _language_switch()
    try:
        dim_pages = _dimension_pages()
    except KepatuhanError as exc:
        st.error(str(exc))
        st.stop()
    home = st.Page(
        partial(overview.render, dim_pages),
        title=t("nav.overview"),
        icon=":material/home:",
        url_path="ringkasan",
        default=True,
    )
    result_page = st.Page(results.render, title=t("nav.results"), icon=":material/insights:", url_path="hasil")
    sections = {t("nav.section.assessment"): [home, *dim_pages.values(), result_page]}
    region = _region_pages()
    if region:
        sections[t("nav.section.region")] = region
    nav = st.navigation(sections)
    st.sidebar.caption(t("app.tagline"))
    nav.run()


main()
