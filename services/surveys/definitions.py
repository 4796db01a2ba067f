"""Survey texts: the files shipped in criteria/surveys/, registered by sha256 and pinned per period.

A period pins the exact text of each survey the first time one of its links is made, so results of that
period are computed on the questions respondents saw, even after the YAML is edited.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import duckdb

from assessment.survey_defs import Survey, SurveyError, load_survey, parse_survey, survey_sha256
from services.catalog import CRITERIA_DIR, criteria_for
from services.surveys.errors import SurveyAdminError
from store import periods
from store import surveys as store

SURVEY_DIR = CRITERIA_DIR / "surveys"


def survey_files(directory: Path = SURVEY_DIR) -> dict[str, Path]:
    """survey id → file, for every valid file shipped (a broken one is reported by the tests and validate)."""
    out: dict[str, Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            out[load_survey(path).id] = path
        except SurveyError:
            continue
    return out


def shipped() -> list[Survey]:
    return [load_survey(p) for p in survey_files().values()]


@lru_cache(maxsize=32)
def _parse(text: str) -> Survey:
    return parse_survey(text, "survei (tersimpan)")


def pin_survey(con: duckdb.DuckDBPyConnection, *, period_id: int, survey_id: str) -> Survey:
    """The survey pinned by the period, pinning the shipped text now if it was not yet. Call inside a transaction."""
    existing = store.pinned(con, period_id=period_id).get(survey_id)
    if existing:
        return survey_by_sha(con, existing)
    path = survey_files().get(survey_id)
    if path is None:
        raise SurveyAdminError(key="err.survey.unknown", survey=survey_id, known=sorted(survey_files()))
    text = path.read_text(encoding="utf-8-sig")
    survey = parse_survey(text, str(path))
    _check_mapping(con, period_id, survey)
    sha = survey_sha256(text)
    store.save_def(
        con, sha256=sha, id=survey.id, version=survey.version, kind=survey.kind, title=survey.title.id, yaml_text=text
    )
    store.pin(con, period_id=period_id, survey_id=survey.id, sha256=sha)
    return survey


def _check_mapping(con: duckdb.DuckDBPyConnection, period_id: int, survey: Survey) -> None:
    if survey.criteria is None:
        return
    period = periods.get_period(con, period_id=period_id)
    criteria = criteria_for(con, period.criteria_sha256) if period else None
    if criteria is None or criteria.id != survey.criteria:
        raise SurveyAdminError(
            key="err.survey.criteria_mismatch",
            survey=survey.id,
            criteria=survey.criteria,
            period_criteria=criteria.id if criteria else "?",
        )


def survey_by_sha(con: duckdb.DuckDBPyConnection, sha256: str) -> Survey:
    row = store.get_def(con, sha256=sha256)
    if row is None:
        raise SurveyAdminError(key="err.survey.text_missing", sha=sha256[:12])
    return _parse(row.yaml)


def pinned_survey(con: duckdb.DuckDBPyConnection, *, period_id: int, survey_id: str) -> Survey | None:
    sha = store.pinned(con, period_id=period_id).get(survey_id)
    return survey_by_sha(con, sha) if sha else None
