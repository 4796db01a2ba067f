"""Errors of the survey services. A refusal carries a code the public page translates (id/en)."""

from __future__ import annotations

from assessment.errors import KepatuhanError


class SurveyRefused(KepatuhanError):
    """A public request refused in plain words; ``code`` picks the page's own wording (survey.err.<code>)."""

    def __init__(self, code: str, *, key: str, **params: object) -> None:
        self.code = code
        super().__init__(key=key, **params)


class SurveyAdminError(KepatuhanError):
    """A staff action on surveys that cannot be done as asked."""
