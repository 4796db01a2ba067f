"""The one way a page shows the outcome of a service call: a refusal as an error in the reader's language,
a success as a flash message that survives st.rerun."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from assessment.errors import KepatuhanError
from ui.i18n.markdown import escape_markdown

FLASH_KEY = "admin_flash"


def error_text(exc: KepatuhanError) -> str:
    """The refusal as plain text (escaped for markdown), for callers that place it themselves."""
    return escape_markdown(str(exc))


def show_error(exc: KepatuhanError, *, icon: str | None = None, where: Any = None) -> None:
    """Show a refusal where the user is looking; nothing a user typed inside it is rendered as markup."""
    (where or st).error(error_text(exc), icon=icon)


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
