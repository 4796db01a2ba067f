"""Admin: the SMTP server for e-mail reminders (nothing is sent while it is not set)."""

from __future__ import annotations

from services.access import require_admin
from ui.auth import current_actor
from ui.sections.followup_reminders import smtp_form


def render() -> None:
    require_admin(current_actor())
    smtp_form()
