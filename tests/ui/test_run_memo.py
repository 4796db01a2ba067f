"""What a click reads once (issue 9): the login session and the assessment's revision are read once per script
run, yet every new run (each click) reads them again, and a callback always sees its own save."""

from __future__ import annotations

from conftest import TIMEOUT
from streamlit.testing.v1 import AppTest
from ui_helpers import answer_radio, errors, toasts

from services.access import SYSTEM
from services.accounts import users as accounts
from ui.auth import USER_KEY


def _memo_script() -> None:
    import streamlit as st

    from ui.run_memo import per_run

    calls = st.session_state.setdefault("calls", [])

    def read(tag: str, key: str = "k", **kw) -> None:
        per_run(key, lambda: calls.append(tag), **kw)

    def on_click() -> None:
        read("callback")
        read("callback")  # once per phase
        read("callback-revision", "r", in_callbacks=False)
        read("callback-revision", "r", in_callbacks=False)  # what a save changes: read on every call

    st.button("go", on_click=on_click)
    read("body")
    read("body")
    read("body-revision", "r", in_callbacks=False)
    read("body-revision", "r", in_callbacks=False)


def test_values_are_read_once_per_phase_of_a_run_and_again_in_the_next_run():
    at = AppTest.from_function(_memo_script, default_timeout=TIMEOUT).run()
    assert at.session_state["calls"] == ["body", "body-revision"]
    at.button[0].click().run()
    assert at.session_state["calls"][2:] == [
        "callback",
        "callback-revision",
        "callback-revision",
        "body",  # the body does not reuse what the callbacks read before their writes
        "body-revision",
    ]
    at.run()
    assert at.session_state["calls"][7:] == ["body", "body-revision"]


def test_a_deactivated_unit_head_is_logged_out_at_the_next_click(demo, dimension_page):
    at = dimension_page("input")
    answer_radio(at, "IN-S01").set_value(2.0).run()
    assert demo.values("IN-S01") == {"unit": 2.0}

    con = demo.con()
    user = next(u for u in accounts.list_users(con, SYSTEM) if u.username == "kadinsos")
    accounts.update_user(
        con,
        SYSTEM,
        username="kadinsos",
        display_name=user.display_name,
        role=user.role,
        unit_code="DINSOS-SLRT",
        active=False,
    )
    answer_radio(at, "IN-S01").set_value(3.0).run()
    assert demo.values("IN-S01") == {"unit": 2.0}  # nothing saved by a closed session
    assert USER_KEY not in at.session_state
    assert not any("IN-S01" in t for t in toasts(at))
    assert any("masuk" in w.value.lower() for w in at.warning)  # the page asks to log in, no traceback
    assert not at.exception


def test_two_saves_in_one_run_both_count_in_the_rebuilt_card(demo, dimension_page):
    at = dimension_page("input")
    answer_radio(at, "IN-S01").set_value(1.0)
    answer_radio(at, "IN-S02").set_value(2.0)
    at.run()  # two callbacks, each saving, in one script run
    assert demo.values("IN-S01") == {"unit": 1.0} and demo.values("IN-S02") == {"unit": 2.0}
    assert answer_radio(at, "IN-S01").value == 1.0 and answer_radio(at, "IN-S02").value == 2.0
    assert not errors(at)
