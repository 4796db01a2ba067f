"""Finding what a user sees in an AppTest tree: widgets by key, texts, the indicator cards."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from services.accounts.sessions import start_session
from services.accounts.users import current_user
from services.common import now
from services.ops.demo import sample_png
from services.ops.startup import data_dir
from store.db import connect
from store.login_sessions import digest
from ui.auth import SESSION_KEY

APP = str(Path(__file__).resolve().parents[2] / "app.py")
UNIT = "DINSOS-SLRT"
USER = "kadinsos"  # the demo unit head of Dinas Sosial
TIMEOUT = 30


def session_token(username: str = USER, *, idle: dt.timedelta = dt.timedelta(0)) -> str:
    """A real login session of the user in the app's database (what a successful login starts), last used
    `idle` ago; the app resumes it from the token exactly as it does from the browser's cookie."""
    con = connect(data_dir())
    try:
        actor = current_user(con, username)
        assert actor is not None, f"no active user {username!r}"
        token = start_session(con, actor)
        if idle:
            con.execute(
                "UPDATE login_sessions SET last_seen = ? WHERE token_sha256 = ?", [now() - idle, digest(token)]
            )
        return token
    finally:
        con.close()


def login(at: AppTest, username: str = USER, *, idle: dt.timedelta = dt.timedelta(0)) -> AppTest:
    """Log the AppTest session in through the token path a browser's cookie takes (no test-only branch)."""
    at.session_state[SESSION_KEY] = session_token(username, idle=idle)
    return at


def by_key_prefix(widgets: Any, prefix: str) -> list[Any]:
    return [w for w in widgets if w.key and w.key.startswith(prefix)]


def one(widgets: Any, prefix: str) -> Any:
    found = by_key_prefix(widgets, prefix)
    assert len(found) == 1, f"expected one widget with key {prefix!r}…, found {[w.key for w in found]}"
    return found[0]


def answer_radios(at: AppTest, indicator_id: str, subject: str | None = None) -> list[Any]:
    """The answer radios of an indicator (all subjects, or one), in page order."""
    tail = f":{indicator_id}:{subject}:r" if subject else f":{indicator_id}:"
    return [r for r in at.radio if r.key and r.key.startswith("ans:") and tail in r.key]


def answer_radio(at: AppTest, indicator_id: str, subject: str = "unit") -> Any:
    radios = answer_radios(at, indicator_id, subject)
    assert len(radios) == 1, f"{indicator_id}/{subject}: {[r.key for r in radios]}"
    return radios[0]


def shown(markdown: str) -> str:
    """What a reader sees of a markdown text the app escaped (backslash escapes and hard breaks removed)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("  \n", "\n").replace("\u2060", "")


def texts(elements: Any) -> list[str]:
    return [shown(e.value) for e in elements]


def toasts(at: AppTest) -> list[str]:
    return texts(at.toast)


def errors(at: AppTest) -> list[str]:
    return texts(at.error)


def shown_indicators(at: AppTest) -> list[str]:
    """Ids of the indicator cards on a questionnaire page, from their headings ('… **IN-K01** · …')."""
    out = []
    for m in at.markdown:
        value = m.value
        if "**" in value and " · " in value and value.startswith(":"):
            out.append(value.split("**")[1])
    return out


def card_heading(at: AppTest, indicator_id: str) -> str:
    return next(m.value for m in at.markdown if f"**{indicator_id}**" in m.value)


def caption_values(at: AppTest) -> list[str]:
    return texts(at.caption)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def png_bytes(width: int = 8, height: int = 8) -> bytes:
    """A small valid PNG."""
    return sample_png(width, height, rgb=(200, 30, 30))


EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"


def assessment_id(at: AppTest) -> str:
    """The assessment a questionnaire page shows, from its answer widgets' keys ('ans:<id>:…')."""
    return next(r.key.split(":")[1] for r in at.radio if r.key and r.key.startswith("ans:"))


def open_evidence(at: AppTest, indicator_id: str) -> AppTest:
    """Open an indicator's evidence panel (built only while open) as a click on it would."""
    at.session_state[f"evidence_open:{assessment_id(at)}:{indicator_id}"] = True
    return at.run()


def upload(at: AppTest, indicator_id: str, files: list[tuple[str, bytes, str]], description: str = "") -> AppTest:
    """Open the indicator's evidence panel, choose files, describe them, press 'Simpan bukti'."""
    if not by_key_prefix(at.file_uploader, f"files:{indicator_id}:"):
        open_evidence(at, indicator_id)
    uploader = one(at.file_uploader, f"files:{indicator_id}:")
    uploader.set_value(files)
    form_id = uploader.form_id
    if description:
        field = next(w for w in at.text_input if w.form_id == form_id)
        field.set_value(description)
    button = next(b for b in at.button if b.form_id == form_id)
    button.click()
    return at.run()
