"""Small helpers of the follow-up pages: tables with overdue rows highlighted. (Outcomes are shown with
ui/feedback.py, like on every page.)"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ui.i18n import number

LATE_CSS = "background-color: #ffc7ce; color: #9c0006"


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
