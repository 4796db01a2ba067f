"""Kepatuhan — router only: page config, login gate, navigation built from the user's role and the criteria."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import partial
from urllib.parse import urlsplit

import streamlit as st

from app_pages import account, login
from assessment.errors import KepatuhanError
from services.accounts import users as accounts
from services.catalog import criteria_for
from services.directory import list_periods
from ui.auth import log_out, session_actor, write_cookie
from ui.feedback import show_error
from ui.i18n import LANG_KEY, t
from ui.layout import apply_layout
from ui.navigation import DIMENSIONS, menu
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


NAV_DIMS_KEY = "_nav_dimensions"  # per session: periode parameter -> ((dimension id, title), ...)
NAV_SETUP_DONE_KEY = "_nav_setup_done"


def _dimensions() -> tuple[tuple[str, str], ...]:
    """The dimensions of the chosen period's criteria, read once per session and period parameter: the pinned
    criteria of a period never change, so reruns (every click) do not read the database for the menu."""
    chosen = st.query_params.get("periode")
    cache = st.session_state.setdefault(NAV_DIMS_KEY, {})
    if chosen not in cache:
        con = connection()
        all_periods = list_periods(con)
        if not all_periods:
            return ()  # not cached: the first period may be created in this session
        period = next((p for p in all_periods if str(p.id) == chosen), all_periods[0])
        cache[chosen] = tuple((d.id, d.title) for d in criteria_for(con, period.criteria_sha256).dimensions)
    return cache[chosen]


def _page(module: str, function: str, *args: object) -> Callable[[], None]:
    """A page's render function, its module imported on first use: the login page a start shows needs none of
    the questionnaire, results or overview modules (their imports cost the cold start ~0.1 s; issue 9)."""

    def render() -> None:
        getattr(importlib.import_module(f"app_pages.{module}"), function)(*args)

    return render


def _renderers(pages: dict[str, st.Page], dim_pages: dict[str, st.Page]) -> dict[str, Callable[[], None]]:
    """Menu key -> render function. Pages that link to each other get the other page, looked up when rendered.
    Page modules are imported on first use, which keeps the cold start short."""

    def lazy(module: str, function: str, *links: str) -> Callable[[], None]:
        def render() -> None:
            page_module = importlib.import_module(f"app_pages.{module}")
            getattr(page_module, function)(*(pages[link] for link in links))

        return render

    return {
        "overview": _page("overview", "render", dim_pages),
        "results": _page("results", "render"),
        "verify.queue": lazy("verification", "render_queue", "verify.review"),
        "verify.review": lazy("verification", "render_review"),
        "region.overview": lazy("region", "render", "region.unit"),
        "region.trends": lazy("region_trends", "render"),
        "region.unit": lazy("region_unit", "render", "region.overview"),
        "survey.links": lazy("survey_links", "render"),
        "survey.results": lazy("survey_results", "render"),
        "fu.actions": lazy("followup_actions", "render"),
        "fu.readiness": lazy("followup_readiness", "render"),
        "fu.official": lazy("followup_official", "render"),
        "fu.simulator": lazy("followup_simulator", "render"),
        "fu.smtp": lazy("followup_settings", "render"),
        "admin.units": lazy("admin", "render_units"),
        "admin.periods": lazy("admin", "render_periods"),
        "admin.users": lazy("admin_users", "render_users"),
        "admin.import": lazy("admin_users", "render_import"),
        "admin.reopen": lazy("admin", "render_reopen"),
        "admin.audit": lazy("audit", "render"),
        "account": account.render,
    }


def _sections(role: str) -> dict[str, list[st.Page]]:
    """The menu of `role` (the rules live in ui.navigation) as Streamlit pages."""
    dim_pages = {
        dim_id: st.Page(
            _page("dimension", "render", dim_id), title=title, icon=":material/edit_note:", url_path=f"dimensi-{dim_id}"
        )
        for dim_id, title in _dimensions()
    }
    pages: dict[str, st.Page] = {}
    render = _renderers(pages, dim_pages)
    sections: dict[str, list[st.Page]] = {}
    for title, entries in menu(role):
        section = sections.setdefault(t(title), [])
        for entry in entries:
            if entry.key == DIMENSIONS:
                section += dim_pages.values()
                continue
            pages[entry.key] = st.Page(
                render[entry.key], title=t(entry.title), icon=f":material/{entry.icon}:", url_path=entry.url_path
            )
            section.append(pages[entry.key])
    return sections


def _needs_setup() -> bool:
    """True until the first admin exists; once false it stays false, so it is asked once per session."""
    if st.session_state.get(NAV_SETUP_DONE_KEY):
        return False
    if accounts.needs_setup(connection()):
        return True
    st.session_state[NAV_SETUP_DONE_KEY] = True
    return False


def _public_pages() -> list[st.Page]:
    """Login (or the one-time setup), also answering every app URL so a deep link opens the login
    and, once logged in, the page that was asked for."""
    if _needs_setup():
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
        show_error(exc)
        st.stop()
    st.sidebar.caption(t("auth.signed_in_as", user=actor.username))
    if st.sidebar.button(t("account.logout"), icon=":material/logout:", key="sidebar_logout"):
        log_out()
        st.rerun()
    st.navigation(sections, expanded=True).run()
    st.sidebar.caption(t("app.tagline"))


main()
