"""One way to show an outcome (issue 10): ui/feedback.py's flash / show_flash / attempt, used by every page."""

from __future__ import annotations

import ast
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def _flash_then_show():
    import streamlit as st

    from ui.feedback import flash, show_flash

    if not st.session_state.get("flashed"):
        st.session_state["flashed"] = True
        flash("toast", "Jawaban P1 tersimpan.")
        flash("success", "Unit ditambahkan.")
        flash("error", "Nama *unit* <b>salah</b>")
        flash("error", "Kartu P2 ditolak.", card="P2")
        st.rerun()
    show_flash()
    st.caption("kartu P1")
    show_flash(card="P1")
    st.caption("kartu P2")
    show_flash(card="P2")


def test_each_kind_of_outcome_is_shown_once_after_the_rerun_and_errors_are_plain_text():
    at = AppTest.from_function(_flash_then_show)
    at.run()
    assert [x.value for x in at.toast] == ["Jawaban P1 tersimpan."]
    assert [x.value for x in at.success] == ["Unit ditambahkan."]
    shown = [e.value for e in at.error]
    assert "\\*unit\\*" in shown[0]  # escaped: the stars are shown, not bold
    assert shown[1:] == ["Kartu P2 ditolak."]
    at.run()  # shown once: the next render has nothing left to show
    assert not at.toast and not at.success and not at.error


def test_a_cards_outcome_is_shown_only_inside_that_card():
    at = AppTest.from_function(_flash_then_show)
    at.run()
    # the page-wide show_flash and card P1 did not take card P2's message; card P2 showed it after its caption
    blocks = [(type(e).__name__, getattr(e, "value", None)) for e in at.main]
    captions = [i for i, (_, v) in enumerate(blocks) if v in ("kartu P1", "kartu P2")]
    card2_error = blocks.index(("Error", "Kartu P2 ditolak."))
    assert card2_error > captions[1]


def _attempt_page():
    import streamlit as st

    from assessment.errors import KepatuhanError
    from ui.feedback import attempt, show_flash

    def refuse():
        raise KepatuhanError(key="err.access.admin_only")

    def save():
        st.session_state["saved"] = st.session_state.get("saved", 0) + 1
        return "ok"

    show_flash()
    st.session_state["lang"] = st.session_state.get("want_lang", "id")
    if st.session_state.get("want") == "refuse":
        st.session_state["result"] = attempt(refuse, done="Tersimpan.")
    elif st.session_state.get("want") == "save":
        st.session_state.pop("want")
        attempt(save, done="Tersimpan.")
    elif st.session_state.get("want") == "value":
        st.session_state["result"] = attempt(save)


def test_a_refusal_is_shown_in_the_readers_language_and_nothing_is_flashed():
    at = AppTest.from_function(_attempt_page)
    at.session_state["want"] = "refuse"
    at.session_state["want_lang"] = "en"
    at.run()
    assert [e.value for e in at.error] == ["Only an (Ortala) admin may do this."]
    assert at.session_state["result"] == (False, None) and not at.success


def test_a_done_action_reruns_with_a_success_banner():
    at = AppTest.from_function(_attempt_page)
    at.session_state["want"] = "save"
    at.run()
    assert at.session_state["saved"] == 1
    assert [s.value for s in at.success] == ["Tersimpan."]


def test_without_done_the_result_is_handed_back():
    at = AppTest.from_function(_attempt_page)
    at.session_state["want"] = "value"
    at.run()
    assert at.session_state["result"] == (True, "ok") and not at.success


def test_no_other_module_keeps_its_own_flash_system():
    """flash / show_flash / attempt are defined once, in ui/feedback.py, and nothing else stores a flash."""
    defined = []
    for path in sorted([*ROOT.joinpath("ui").rglob("*.py"), *ROOT.joinpath("app_pages").rglob("*.py")]):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "ui/feedback.py":
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef) and node.name in ("flash", "show_flash", "attempt"):
                defined.append(f"{rel}:{node.lineno} {node.name}")
        if "_flash" in source.replace("show_flash", ""):
            defined.append(f"{rel}: a flash key of its own")
    assert defined == []
