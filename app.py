"""Kepatuhan — router only: page config, login gate, navigation built from the user's role and the criteria."""

from __future__ import annotations

from functools import partial

import streamlit as st

from app_pages import account, dimension, login, overview, results
from assessment.errors import KepatuhanError
from services import accounts
from services.catalog import criteria_for
from services.directory import list_periods
from ui.auth import session_actor
from ui.i18n import LANG_KEY, t
from ui.resources import connection

st.set_page_config(page_title="Kepatuhan", page_icon="✅", layout="wide")


def _set_language() -> None:
    # clicking the selected option unselects it; keep the current language then
    st.session_state[LANG_KEY] = st.session_state.get("lang_switch") or st.session_state.get(LANG_KEY, "id")


def _language_switch() -> None:
    st.sidebar.segmented_control(
        "Bahasa / Language",
        ["id", "en"],
        default=st.session_state.get(LANG_KEY, "id"),
        key="lang_switch",
        format_func=lambda code: {"id": "Bahasa Indonesia", "en": "English"}[code],
        on_change=_set_language,
    )


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


def _verification_pages() -> list[st.Page]:
    """Pages of the verifier's review (issue 5)."""
    return []


def _admin_pages() -> list[st.Page]:
    """Administration: units, products, periods, users, audit trail (issue 5)."""
    return []


def _public_pages() -> list[st.Page]:
    con = connection()
    if accounts.needs_setup(con):
        return [st.Page(login.render_setup, title=t("setup.title"), icon=":material/key:", url_path="setup")]
    return [st.Page(login.render_login, title=t("auth.title"), icon=":material/login:", url_path="masuk")]


def main() -> None:
    _language_switch()
    actor = session_actor()
    if actor is None:
        st.navigation(_public_pages(), position="hidden").run()
        return
    st.sidebar.caption(t("auth.signed_in_as", user=actor.username))
    try:
        dim_pages = _dimension_pages()
    except KepatuhanError as exc:
        st.error(str(exc))
        st.stop()
    sections: dict[str, list[st.Page]] = {}
    home = st.Page(
        partial(overview.render, dim_pages), title=t("nav.overview"), icon=":material/home:", url_path="ringkasan"
    )
    result_page = st.Page(results.render, title=t("nav.results"), icon=":material/insights:", url_path="hasil")
    sections[t("nav.section.assessment")] = [home, *dim_pages.values(), result_page]
    if actor.role == "verifier":
        sections[t("nav.section.verification")] = _verification_pages()
    if actor.role in ("admin", "viewer", "verifier"):
        sections[t("nav.section.region")] = _region_pages()
    if actor.role == "admin":
        sections[t("nav.section.admin")] = _admin_pages()
    sections[t("nav.section.account")] = [
        st.Page(account.render, title=t("nav.account"), icon=":material/person:", url_path="akun")
    ]
    st.navigation({name: pages for name, pages in sections.items() if pages}).run()
    st.sidebar.caption(t("app.tagline"))


main()
