"""The menu: which page each role sees, in which section, in one table.

Pure data and one function, so the rules are tested as a table (role x page -> shown or not). The router
(app.py) turns each entry into an `st.Page` with the page's render function; the services check the role
again on every call, so the menu hides what a role may not do, it does not grant anything.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("admin", "verifier", "unit_head", "viewer")
ALL = frozenset(ROLES)
STAFF = frozenset({"admin", "viewer", "verifier"})  # the region-wide roles
VERIFIERS = frozenset({"verifier", "admin"})
OWNERS = frozenset({"admin", "unit_head"})  # who hands out survey links
ADMIN = frozenset({"admin"})


@dataclass(frozen=True)
class PageEntry:
    """One menu entry. `key` names the render function in app.py; `title` is a catalog key."""

    key: str
    title: str
    icon: str
    url_path: str
    roles: frozenset[str] = ALL


DIMENSIONS = "dimensions"  # placeholder: one questionnaire page per dimension of the criteria in use

# (section title key, entries) in menu order
MENU: tuple[tuple[str, tuple[PageEntry, ...]], ...] = (
    (
        "nav.section.assessment",
        (
            PageEntry("overview", "nav.overview", "home", "ringkasan"),
            PageEntry(DIMENSIONS, "", "edit_note", "dimensi-"),
            PageEntry("results", "nav.results", "insights", "hasil"),
        ),
    ),
    (
        "nav.section.verification",
        (
            PageEntry("verify.queue", "nav.verify_queue", "inbox", "verifikasi", VERIFIERS),
            PageEntry("verify.review", "nav.verify_review", "fact_check", "verifikasi-tinjau", VERIFIERS),
        ),
    ),
    (
        "nav.section.region",
        (
            PageEntry("region.overview", "nav.region.overview", "leaderboard", "wilayah", STAFF),
            PageEntry("region.trends", "nav.region.trends", "trending_up", "wilayah-tren", STAFF),
            PageEntry("region.unit", "nav.region.unit", "search", "wilayah-unit", STAFF),
        ),
    ),
    (
        "nav.section.surveys",
        (
            PageEntry("survey.links", "nav.survey_links", "qr_code_2", "survei-tautan", OWNERS),
            PageEntry("survey.results", "nav.survey_results", "poll", "survei-hasil"),
        ),
    ),
    (
        "nav.section.followup",
        (
            PageEntry("fu.actions", "nav.fu.actions", "task_alt", "tindak-lanjut"),
            PageEntry("fu.readiness", "nav.fu.readiness", "event_upcoming", "kesiapan"),
            PageEntry("fu.official", "nav.fu.official", "gavel", "hasil-resmi"),
            PageEntry("fu.simulator", "nav.fu.simulator", "calculate", "simulasi-wilayah", STAFF),
            PageEntry("fu.smtp", "nav.fu.smtp", "mail", "pengingat-email", ADMIN),
        ),
    ),
    (
        "nav.section.admin",
        tuple(
            PageEntry(key, f"nav.{key}", icon, path, ADMIN)
            for key, icon, path in (
                ("admin.units", "account_tree", "admin-unit"),
                ("admin.periods", "event", "admin-periode"),
                ("admin.users", "group", "admin-pengguna"),
                ("admin.import", "upload_file", "admin-impor"),
                ("admin.reopen", "lock_open", "admin-buka-kembali"),
                ("admin.audit", "history", "jejak-audit"),
            )
        ),
    ),
    ("nav.section.account", (PageEntry("account", "nav.account", "person", "akun"),)),
)


def menu(role: str) -> list[tuple[str, list[PageEntry]]]:
    """The sections and entries `role` sees, in menu order; a section with no entry for the role is left out."""
    sections = []
    for title, entries in MENU:
        shown = [e for e in entries if role in e.roles]
        if shown:
            sections.append((title, shown))
    return sections


def page_keys(role: str) -> set[str]:
    """The keys of every page `role` sees (the table the tests check)."""
    return {e.key for _, entries in menu(role) for e in entries}
