"""Small helpers of the follow-up pages: a flash message that survives st.rerun, tables with overdue rows
highlighted, and running a service call with its error shown in place."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from assessment.errors import KepatuhanError
from ui.feedback import show_error
from ui.i18n import number

FLASH = "_fu_flash"
LATE_CSS = "background-color: #ffc7ce; color: #9c0006"


def flash(text: str) -> None:
    st.session_state[FLASH] = text


def show_flash() -> None:
    text = st.session_state.pop(FLASH, None)
    if text:
        st.success(text, icon=":material/check_circle:")


def attempt(call: Callable[[], Any]) -> tuple[bool, Any]:
    """Run a service call; a refusal is shown as an error where the user is looking."""
    try:
        return True, call()
    except KepatuhanError as exc:
        show_error(exc, icon=":material/block:")
        return False, None


def highlighted_table(rows: list[dict], late: Sequence[bool], *, numbers: Sequence[str] = (), key: str) -> None:
    """A read-only table whose late rows are red; texts are shown as typed (dataframes never render markup)."""
    if not rows:
        return
    import pandas as pd  # here, not at the top: the account page imports this module and every start loads that

    frame = pd.DataFrame(rows)
    flags = list(late)
    styler = frame.style.apply(lambda row: [LATE_CSS if flags[row.name] else "" for _ in row], axis=1)
    # a styled frame ignores the dataframe placeholder: missing values are written as — here
    styler = styler.format(na_rep="—", subset=[c for c in frame.columns if c not in numbers])
    styler = styler.format(lambda v: number(v), na_rep="—", subset=[c for c in numbers if c in frame.columns])
    config = {}
    st.dataframe(styler, hide_index=True, width="stretch", column_config=config, key=key)
