"""The one way a page shows the outcome of a service call (issue 10).

- `show_error(exc)`: a refusal, now, in the reader's language, as plain text.
- `flash(kind, text, card=None)` + `show_flash(card=None)`: an outcome kept for the next render, so it survives
  st.rerun: "toast" (a short confirmation, e.g. a saved answer), "success" (a banner, e.g. an admin action done)
  or "error" (a refusal, plain text). With `card` (an indicator id) only that card shows it: a card reruns alone
  (st.fragment), so a page-wide message would be shown by whichever card or page part rendered first.
- `attempt(action, ...)`: run a service call; on refusal show why (nothing was changed), on success either rerun
  with a success banner (`done=`) or hand the result back. In a widget callback, or before the page reruns
  itself, `deferred=True` flashes both outcomes instead (a refusal as an error, `done` as a toast), inside
  `card` when given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from assessment.errors import KepatuhanError
from ui.i18n import lang
from ui.i18n.markdown import escape_markdown

FLASH_KEY = "_flash"
KINDS = ("toast", "success", "error")
_OK_ICON = ":material/check_circle:"
_REFUSED_ICON = ":material/block:"


def error_message(exc: KepatuhanError) -> str:
    """The refusal in the reader's language, as plain text (for a flash, which escapes when it shows)."""
    return exc.render(lang())


def error_text(exc: KepatuhanError) -> str:
    """The refusal in the reader's language, escaped for a markdown place."""
    return escape_markdown(error_message(exc))


def phrase_text(text: str) -> str:
    """A service's keyed text (a `Phrase`, such as a view's read-only reason) in the reader's language, escaped;
    any other text escaped as it is."""
    render = getattr(text, "render", None)
    return escape_markdown(render(lang()) if render else text)


def show_error(exc: KepatuhanError, *, icon: str | None = None, where: Any = None, kind: str = "error") -> None:
    """THE way a page shows a refusal: in the reader's language, where the user is looking (`where`: a column
    or container), as an error (or `kind="info"` for an expected state); nothing typed is rendered as markup."""
    getattr(where or st, kind)(error_text(exc), icon=icon)


def _flash_key(card: str | None) -> str:
    return FLASH_KEY if card is None else f"{FLASH_KEY}:{card}"


def flash(kind: str, text: str, *, card: str | None = None) -> None:
    """Keep an outcome for the next render. "toast" and "success" texts are catalog lines (t(), already escaped);
    an "error" text is plain (error_message) and escaped when shown."""
    if kind not in KINDS:
        raise ValueError(f"flash kind {kind!r} is not one of {KINDS}")
    st.session_state.setdefault(_flash_key(card), []).append((kind, text))


def show_flash(card: str | None = None) -> None:
    """Show (once) what was flashed for the page, or for one card."""
    for kind, text in st.session_state.pop(_flash_key(card), []):
        if kind == "toast":
            st.toast(text, icon=_OK_ICON)
        elif kind == "success":
            st.success(text, icon=_OK_ICON)
        else:
            st.error(escape_markdown(text))


def attempt(
    action: Callable[..., Any],
    *args: Any,
    done: str | None = None,
    deferred: bool = False,
    card: str | None = None,
    **kwargs: Any,
) -> tuple[bool, Any]:
    """Run a service call, `action(*args, **kwargs)`, and return (succeeded, its result).

    A refusal is shown as an error where the user is looking and (False, None) returned: nothing was changed.
    On success with `done`, the page reruns with `done` as a success banner; without it, (True, result) is
    returned for the caller to go on. With `deferred` (a widget callback, where the page reruns by itself, or a
    page that reruns next), both outcomes are flashed for the next render instead, `done` as a toast, inside
    `card` when given, and nothing reruns here."""
    try:
        result = action(*args, **kwargs)
    except KepatuhanError as exc:
        if deferred:
            flash("error", error_message(exc), card=card)
        else:
            show_error(exc, icon=_REFUSED_ICON)
        return False, None
    if deferred:
        if done is not None:
            flash("toast", done, card=card)
    elif done is not None:
        flash("success", done)
        st.rerun()
    return True, result
