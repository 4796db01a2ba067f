"""Every page rendered with hostile names: what users typed (unit, product, period, user names, notes, evidence
names and descriptions, verifier notes) shows as literal text, never as a link, emphasis, heading or HTML —
in markdown, captions, headers, alerts, labels, tables' neighbours and chart labels and tooltips."""

from __future__ import annotations

import json
import re

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest
from ui_helpers import TIMEOUT, login, shown

from services.accounts.users import current_user
from services.answering.results import submit
from services.verification import decisions as vf
from ui.i18n.markdown import escape_chart, escape_markdown

NAME = "[x](http://evil.invalid) **ztebal** _zmiring_ <b>zhtml</b> :red[zmerah] www.evil.invalid a@evil.invalid"
NOTE = "# zjudul\n1. zsatu\n- zdua\n<script>alert(1)</script> ![img](http://evil.invalid/p.png) `zkode` ~~zcoret~~"
FORBIDDEN_HTML = re.compile(r"<(a|em|strong|img|h[1-6]|ol|ul|li|code|del|s|b|script|table)\b", re.IGNORECASE)
# each piece of markup in NAME / NOTE and how it must read in the rendered HTML: literally, as typed
LITERAL = {
    "ztebal": "**ztebal**",
    "zmiring": "_zmiring_",
    "zhtml": "&lt;b&gt;zhtml&lt;/b&gt;",
    "zmerah": ":red[zmerah]",
    "evil.invalid)": "[x](http://evil.invalid)",
    "zjudul": "# zjudul",
    "zsatu": "1. zsatu",
    "zdua": "- zdua",
    "alert": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "p.png": "![img](http://evil.invalid/p.png)",
    "zkode": "`zkode`",
    "zcoret": "~~zcoret~~",
}
# Streamlit's GitHub-flavoured markdown, as near as markdown-it gets: tables, strike-through, bare-URL links
MD = MarkdownIt("commonmark", {"linkify": True, "html": True}).enable(["table", "strikethrough", "linkify"])


def _hostile(demo) -> None:
    con = demo.con()
    con.execute("UPDATE org_units SET name = ? || ' ' || code", [NAME])
    con.execute("UPDATE service_products SET name = ?", [NAME])
    con.execute("UPDATE periods SET name = ? || ' ' || CAST(id AS VARCHAR)", [NAME])
    con.execute("UPDATE users SET display_name = ?", [NAME])
    con.execute("UPDATE indicator_notes SET note = ?", [NOTE])
    con.execute("UPDATE evidence SET description = ?, file_name = ?", [NOTE, "**x**.pdf"])


def _bodies(at: AppTest) -> list[tuple[str, str]]:
    """(where, markdown text) of everything on the page that Streamlit renders as markdown."""
    out: list[tuple[str, str]] = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success",
                 "toast", "expander", "tab"):  # fmt: skip
        for e in at.get(kind):
            body = getattr(e, "value", None) if kind not in ("expander", "tab") else getattr(e, "label", None)
            if isinstance(body, str):
                out.append((kind, body))
    for kind in ("radio", "checkbox", "button", "metric", "toggle", "selectbox", "text_input", "text_area"):
        for e in at.get(kind):
            label = getattr(e, "label", None)
            if isinstance(label, str):
                out.append((kind + " label", label))
            if kind == "radio":
                out.extend((kind + " option", str(o)) for o in e.options)
    return out


def _assert_plain(at: AppTest, where: str) -> int:
    assert not at.exception, [e.value for e in at.exception]
    seen = 0
    for kind, body in _bodies(at):
        if "evil" not in body and "zjudul" not in body and "zcoret" not in body:
            continue
        seen += 1
        html = MD.render(body).replace("\u2060", "")  # the invisible word joiner that stops autolinks
        for core, literal in LITERAL.items():
            if core in body:
                assert literal in html, (where, kind, literal, body, html)
        assert "evil.invalid" not in "".join(re.findall(r'href="[^"]*"', html)), (where, kind, body)
        # Streamlit links bare URLs in the text after resolving escapes: no intact scheme, www. or e-mail may remain
        resolved = re.sub(r"\\(.)", r"\1", body)
        assert not re.search(r"(?i)(https?://|www\.|\w@\w)", resolved), (where, kind, body)
        assert not re.search(r"(?<!\\):[a-z]+(-badge)?\[", body), (where, kind, body)  # streamlit directives
        assert not re.search(r"(?<!\\):[a-z_]+:", body), (where, kind, body)  # emoji shortcodes
        assert "<script" not in html
    for chart in at.get("plotly_chart"):
        spec = json.dumps(json.loads(chart.proto.spec), ensure_ascii=False)  # plotly writes "<" as \\u003c
        assert "<b>zhtml</b>" not in spec and "<a " not in spec, (where, spec[:300])
        seen += "evil" in spec
    return seen


def _page(script: str, user: str, query: dict[str, str] | None = None) -> AppTest:
    at = login(AppTest.from_string(script, default_timeout=TIMEOUT), user)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def _ids(demo) -> tuple[int, int]:
    period = demo.open_period()
    view = demo.view()
    return period.id, view.assessment.id


PAGES = [
    ("overview", "from app_pages import overview\noverview.render()\n", "kadinsos", True),
    ("results", "from app_pages import results\nresults.render()\n", "kadinsos", True),
    ("account", "from app_pages import account\naccount.render()\n", "kadinsos", False),
    ("region", "from app_pages import region\nregion.render()\n", "ortala", True),
    ("region_trends", "from app_pages import region_trends\nregion_trends.render()\n", "ortala", True),
    ("region_unit", "from app_pages import region_unit\nregion_unit.render()\n", "ortala", True),
    ("admin_units", "from app_pages import admin\nadmin.render_units()\n", "ortala", False),
    ("admin_periods", "from app_pages import admin\nadmin.render_periods()\n", "ortala", False),
    ("admin_reopen", "from app_pages import admin\nadmin.render_reopen()\n", "ortala", False),
    ("admin_users", "from app_pages import admin_users\nadmin_users.render_users()\n", "ortala", False),
    ("audit", "from app_pages import audit\naudit.render()\n", "ortala", False),
    ("verification_queue", "from app_pages import verification\nverification.render_queue()\n", "verifikator", True),
    ("followup_actions", "from app_pages import followup_actions\nfollowup_actions.render()\n", "kadinsos", True),
    ("followup_actions_region", "from app_pages import followup_actions\nfollowup_actions.render()\n", "ortala", True),
    ("followup_readiness", "from app_pages import followup_readiness\nfollowup_readiness.render()\n", "ortala", True),
    ("followup_official", "from app_pages import followup_official\nfollowup_official.render()\n", "ortala", False),
    ("followup_simulator", "from app_pages import followup_simulator\nfollowup_simulator.render()\n", "ortala", False),
    ("followup_settings", "from app_pages import followup_settings\nfollowup_settings.render()\n", "ortala", False),
    ("survey_links", "from app_pages import survey_links\nsurvey_links.render()\n", "ortala", True),
    ("survey_results", "from app_pages import survey_results\nsurvey_results.render()\n", "ortala", True),
]


@pytest.mark.parametrize(("name", "script", "user", "shows_names"), PAGES, ids=[p[0] for p in PAGES])
def test_each_page_shows_hostile_names_as_plain_text(demo, name, script, user, shows_names):
    aid = demo.view().assessment.id
    if name == "verification_queue":
        submit(demo.con(), current_user(demo.con(), "kadinsos"), assessment_id=aid)
    _hostile(demo)
    period_id, _ = _ids(demo)
    at = _page(script, user, {"unit": "DINSOS-SLRT", "periode": str(period_id)})
    seen = _assert_plain(at, name)
    if shows_names:
        assert seen, f"{name}: the hostile name should be on this page (as text)"


def test_every_questionnaire_page_and_the_review_show_hostile_text_plainly(demo):
    view = demo.view()
    aid = view.assessment.id
    submit(demo.con(), current_user(demo.con(), "kadinsos"), assessment_id=aid)
    vf.start_review(demo.con(), current_user(demo.con(), "verifikator"), assessment_id=aid)
    _hostile(demo)
    period_id = demo.open_period().id
    seen = 0
    for dim in view.criteria.dimensions:
        at = _page(f"from app_pages import dimension\ndimension.render({dim.id!r})\n", "kadinsos",
                   {"unit": "DINSOS-SLRT", "periode": str(period_id)})  # fmt: skip
        seen += _assert_plain(at, dim.id)
    at = _page("from app_pages import verification\nverification.render_review()\n", "verifikator",
               {"penilaian": str(aid)})  # fmt: skip
    seen += _assert_plain(at, "review")
    assert seen


def test_the_name_reads_back_exactly_as_typed():
    # escaping must not lose or change a character of what was typed
    for text in (NAME, NOTE, "Dinas Sosial — SLRT (Kab.) 49,85 %", "+62 812-3456", "1. a\r\n2) b"):
        assert shown(escape_markdown(text)) == text.replace("\r\n", "\n")
        html = MD.render(escape_markdown(text))
        assert not FORBIDDEN_HTML.search(html)
    assert escape_chart("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"


def test_chart_specs_carry_names_escaped(demo):
    _hostile(demo)
    at = _page("from app_pages import region\nregion.render()\n", "ortala", {"periode": str(demo.open_period().id)})
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    text = json.dumps(specs, ensure_ascii=False)
    assert "&lt;b&gt;zhtml&lt;/b&gt;" in text  # the heatmap rows and tooltips name the units, escaped
