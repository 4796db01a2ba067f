"""Kepatuhan — router only: page config, login gate, navigation built from the user's role and the criteria."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlsplit

import streamlit as st

from app_pages import account, dimension, login, overview, results
from assessment.errors import KepatuhanError
from services.accounts import users as accounts
from services.catalog import criteria_for
from services.directory import list_periods
from ui.auth import log_out, session_actor, write_cookie
from ui.i18n import LANG_KEY, t
from ui.layout import apply_layout
from ui.markdown import escape_markdown
from ui.resources import connection

st.set_page_config(page_title="Kepatuhan", page_icon="✅", layout="wide", initial_sidebar_state=360)


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
    from app_pages import region, region_trends, region_unit

    pages: dict[str, st.Page] = {}  # the overview links to the drill-down and back
    pages["unit"] = st.Page(
        lambda: region_unit.render(pages["overview"]),
        title=t("nav.region.unit"),
        icon=":material/search:",
        url_path="wilayah-unit",
    )
    pages["overview"] = st.Page(
        partial(region.render, pages["unit"]), title=t("nav.region.overview"), icon=":material/leaderboard:",
        url_path="wilayah",
    )  # fmt: skip
    pages["trends"] = st.Page(
        region_trends.render, title=t("nav.region.trends"), icon=":material/trending_up:", url_path="wilayah-tren"
    )
    return [pages["overview"], pages["trends"], pages["unit"]]


def _verification_pages() -> list[st.Page]:
    """Pages of the verifier's review (issue 5)."""
    from app_pages import verification

    review = st.Page(
        verification.render_review,
        title=t("nav.verify_review"),
        icon=":material/fact_check:",
        url_path="verifikasi-tinjau",
    )
    queue = st.Page(
        partial(verification.render_queue, review), title=t("nav.verify_queue"), icon=":material/inbox:",
        url_path="verifikasi",
    )  # fmt: skip
    return [queue, review]


def _admin_pages() -> list[st.Page]:
    """Administration: units, products, periods, users, audit trail (issue 5)."""
    from app_pages import admin, admin_users, audit

    pages = (
        (admin.render_units, "nav.admin.units", "account_tree", "admin-unit"),
        (admin.render_periods, "nav.admin.periods", "event", "admin-periode"),
        (admin_users.render_users, "nav.admin.users", "group", "admin-pengguna"),
        (admin_users.render_import, "nav.admin.import", "upload_file", "admin-impor"),
        (admin.render_reopen, "nav.admin.reopen", "lock_open", "admin-buka-kembali"),
        (audit.render, "nav.admin.audit", "history", "jejak-audit"),
    )
    return [st.Page(f, title=t(key), icon=f":material/{icon}:", url_path=path) for f, key, icon, path in pages]


def _survey_pages(role: str) -> list[st.Page]:
    """Public surveys (issue 12): links and posters for unit heads and the admin; results for every role."""
    from app_pages import survey_links, survey_results

    pages = [
        st.Page(survey_results.render, title=t("nav.survey_results"), icon=":material/poll:", url_path="survei-hasil")
    ]
    if role in ("admin", "unit_head"):
        pages.insert(
            0,
            st.Page(
                survey_links.render, title=t("nav.survey_links"), icon=":material/qr_code_2:", url_path="survei-tautan"
            ),
        )
    return pages


def _followup_pages(role: str) -> list[st.Page]:
    """After the score (issue 13): actions, readiness, official results, the region simulator, e-mail settings."""
    from app_pages import followup_actions, followup_official, followup_readiness, followup_settings, followup_simulator

    pages = [
        (followup_actions.render, "nav.fu.actions", "task_alt", "tindak-lanjut"),
        (followup_readiness.render, "nav.fu.readiness", "event_upcoming", "kesiapan"),
        (followup_official.render, "nav.fu.official", "gavel", "hasil-resmi"),
    ]
    if role in ("admin", "viewer", "verifier"):
        pages.append((followup_simulator.render, "nav.fu.simulator", "calculate", "simulasi-wilayah"))
    if role == "admin":
        pages.append((followup_settings.render, "nav.fu.smtp", "mail", "pengingat-email"))
    return [st.Page(f, title=t(key), icon=f":material/{icon}:", url_path=path) for f, key, icon, path in pages]


def _sections(role: str) -> dict[str, list[st.Page]]:
    dim_pages = _dimension_pages()
    home = st.Page(
        partial(overview.render, dim_pages), title=t("nav.overview"), icon=":material/home:", url_path="ringkasan"
    )
    result_page = st.Page(results.render, title=t("nav.results"), icon=":material/insights:", url_path="hasil")
    sections = {t("nav.section.assessment"): [home, *dim_pages.values(), result_page]}
    if role in ("verifier", "admin"):
        sections[t("nav.section.verification")] = _verification_pages()
    if role in ("admin", "viewer", "verifier"):
        sections[t("nav.section.region")] = _region_pages()
    sections[t("nav.section.surveys")] = _survey_pages(role)
    sections[t("nav.section.followup")] = _followup_pages(role)
    if role == "admin":
        sections[t("nav.section.admin")] = _admin_pages()
    sections[t("nav.section.account")] = [
        st.Page(account.render, title=t("nav.account"), icon=":material/person:", url_path="akun")
    ]
    return {name: pages for name, pages in sections.items() if pages}


def _public_pages() -> list[st.Page]:
    """Login (or the one-time setup), also answering every app URL so a deep link opens the login
    and, once logged in, the page that was asked for."""
    con = connection()
    if accounts.needs_setup(con):
        render, title, icon, path = login.render_setup, t("setup.title"), ":material/key:", "setup"
    else:
        render, title, icon, path = login.render_login, t("auth.title"), ":material/login:", "masuk"
    pages = [st.Page(render, title=title, icon=icon, url_path=path, default=True)]
    for section in _sections("admin").values():
        pages += [
            st.Page(partial(render), title=title, url_path=p.url_path, visibility="hidden")
            for p in section
            if p.url_path != path
        ]
    return pages


def _is_public_survey() -> bool:
    """?s=CODE from a link or QR code, or /survei where a person types the poster's code."""
    path = urlsplit(str(st.context.url or "")).path.rstrip("/")
    return "s" in st.query_params or path.endswith("/survei")


def main() -> None:
    if _is_public_survey():  # the public survey (issue 12): no login, and no staff page reachable from it
        from app_pages import survey_public

        survey_public.render()
        return
    apply_layout()
    _language_switch()
    actor = session_actor()
    write_cookie()
    try:
        if actor is None:
            st.navigation(_public_pages(), position="hidden").run()
            return
        sections = _sections(actor.role)
    except KepatuhanError as exc:
        st.error(escape_markdown(str(exc)))
        st.stop()
    st.sidebar.caption(t("auth.signed_in_as", user=actor.username))
    if st.sidebar.button(t("account.logout"), icon=":material/logout:", key="sidebar_logout"):
        log_out()
        st.rerun()
    st.navigation(sections, expanded=True).run()
    st.sidebar.caption(t("app.tagline"))


main()
