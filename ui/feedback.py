"""The one way a page shows the outcome of a service call: a refusal as an error in the reader's language,
a success as a flash message that survives st.rerun."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from assessment.errors import KepatuhanError
from ui.i18n import lang
from ui.i18n.markdown import escape_markdown

FLASH_KEY = "admin_flash"


def error_message(exc: KepatuhanError) -> str:
    """The refusal in the reader's language, as plain text (for a flash list that escapes when it shows)."""
    return exc.render(lang())


def error_text(exc: KepatuhanError) -> str:
    """The refusal in the reader's language, escaped for a markdown place."""
    return escape_markdown(error_message(exc))


def show_error(exc: KepatuhanError, *, icon: str | None = None, where: Any = None, kind: str = "error") -> None:
    """THE way a page shows a refusal: in the reader's language, where the user is looking (`where`: a column
    or container), as an error (or `kind="info"` for an expected state); nothing typed is rendered as markup."""
    getattr(where or st, kind)(error_text(exc), icon=icon)


def attempt(action: Callable[..., Any], *args: Any, done: str, **kwargs: Any) -> None:
    """Run a service call; on success rerun with a flash message, on refusal show why (nothing was changed)."""
    try:
        action(*args, **kwargs)
    except KepatuhanError as exc:
        show_error(exc)
        return
    st.session_state[FLASH_KEY] = done
    st.rerun()


def show_flash() -> None:
    text = st.session_state.pop(FLASH_KEY, None)
    if text:
        st.success(text, icon=":material/check_circle:")
