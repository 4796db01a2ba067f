"""The menu rules as a table: role x page -> shown or not (ui.navigation, used by the router app.py)."""

import pytest

from ui.i18n.catalog_en import EN
from ui.i18n.catalog_id import ID
from ui.navigation import DIMENSIONS, MENU, ROLES, menu, page_keys

# page key -> roles that see it; every other role must not
EXPECTED = {
    "overview": {"admin", "verifier", "unit_head", "viewer"},
    DIMENSIONS: {"admin", "verifier", "unit_head", "viewer"},
    "results": {"admin", "verifier", "unit_head", "viewer"},
    "verify.queue": {"admin", "verifier"},
    "verify.review": {"admin", "verifier"},
    "region.overview": {"admin", "verifier", "viewer"},
    "region.trends": {"admin", "verifier", "viewer"},
    "region.unit": {"admin", "verifier", "viewer"},
    "survey.links": {"admin", "unit_head"},
    "survey.results": {"admin", "verifier", "unit_head", "viewer"},
    "fu.actions": {"admin", "verifier", "unit_head", "viewer"},
    "fu.readiness": {"admin", "verifier", "unit_head", "viewer"},
    "fu.official": {"admin", "verifier", "unit_head", "viewer"},
    "fu.simulator": {"admin", "verifier", "viewer"},
    "fu.smtp": {"admin"},
    "admin.units": {"admin"},
    "admin.periods": {"admin"},
    "admin.users": {"admin"},
    "admin.import": {"admin"},
    "admin.reopen": {"admin"},
    "admin.audit": {"admin"},
    "account": {"admin", "verifier", "unit_head", "viewer"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_role_sees_exactly_its_pages(role, key):
    assert (key in page_keys(role)) == (role in EXPECTED[key])


def test_the_table_covers_every_menu_entry():
    assert {e.key for _, entries in MENU for e in entries} == set(EXPECTED)


def test_unknown_role_sees_nothing():
    assert menu("system") == [] and menu("") == []


def test_unit_head_menu_has_no_empty_section_and_keeps_order():
    titles = [title for title, _ in menu("unit_head")]
    assert titles == ["nav.section.assessment", "nav.section.surveys", "nav.section.followup", "nav.section.account"]
    surveys = dict(menu("unit_head"))["nav.section.surveys"]
    assert [e.key for e in surveys] == ["survey.links", "survey.results"]


def test_every_title_and_url_path_is_real_and_unique():
    entries = [e for _, es in MENU for e in es if e.key != DIMENSIONS]
    for title, _ in MENU:
        assert title in ID and title in EN
    for e in entries:
        assert e.title in ID and e.title in EN, e.key
    paths = [e.url_path for e in entries]
    assert len(paths) == len(set(paths))
