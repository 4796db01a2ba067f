"""Values read once per script run and reused within it (issue 9).

A click on an answer runs its callback and its card's fragment in one script run; the card, the page summary
and the callback each asked the database again for the logged-in user and for the assessment's revision
(ten revision queries and eleven session look-ups per click). Within one run they cannot differ, except
after a write: so a value read in the callbacks' phase is only reused in that phase (and what a callback
writes is never memoised there), one read while the script body runs only in the body (writes in a body are
followed by ``st.rerun()``, which starts a new run).
Every new run, i.e. every request of the browser, reads afresh: a role change or another tab's write still
shows on the next click.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

T = TypeVar("T")
_MEMO = "_run_memo"


def _phase() -> tuple[Any, bool] | None:
    """(this run's marker, whether the script body has started), or None outside a script run."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return None
    # ScriptRunContext.reset() gives every run a new ``cursors`` dict: its identity marks the run (the memo
    # holds it, so the identity cannot be reused by another object while we compare with it)
    return ctx.cursors, bool(getattr(ctx, "has_script_started", False))


def per_run(key: Hashable, compute: Callable[[], T], *, in_callbacks: bool = True) -> T:
    """``compute()``, or what it returned earlier in the same run and the same phase (callbacks / body).

    ``in_callbacks=False``: computed afresh on every call while callbacks run (for what a callback's own
    write changes, e.g. the assessment's revision: several callbacks may run, and write, in one run)."""
    phase = _phase()
    if phase is None or (not in_callbacks and not phase[1]):
        return compute()
    run, started = phase
    memo = st.session_state.get(_MEMO)
    if memo is None or memo["run"] is not run or memo["started"] != started:
        memo = {"run": run, "started": started, "values": {}}
        st.session_state[_MEMO] = memo
    if key not in memo["values"]:
        memo["values"][key] = compute()
    return memo["values"][key]
