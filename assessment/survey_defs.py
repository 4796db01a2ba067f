"""Survey definitions as data: SKM (PermenPANRB 14/2017), the Ombudsman user survey, a public-trust survey.

A definition is YAML beside the criteria (criteria/surveys/*.yaml), validated like a criteria file:
strict frozen models, every problem named with file, line and field path.
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from assessment.criteria import Identifier, Loc, RuleViolation, Strict
from assessment.errors import InputFileError, Problem
from assessment.loader import validate_model
from assessment.model_base import check_rules
from assessment.yamlfile import load_text, parse_any

MAX_FILE_BYTES = 512 * 1024  # a survey is a page of questions; a bigger file is a mistake
MAX_QUESTIONS = 60
MAX_OPTIONS = 12
TOO_BIG = f"berkas lebih dari {MAX_FILE_BYTES // 1024} KB; survei sepanjang ini keliru"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]
SurveyKind = Literal["skm", "user", "trust"]


class SurveyError(InputFileError):
    title = "Berkas survei tidak valid"


class Words(Strict):
    """A text in Bahasa Indonesia with an optional English rendering (the public page has a switch)."""

    id: Text
    en: Text | None = None

    def in_(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.id


class Choice(Strict):
    value: int = Field(ge=0, le=100)
    label: Words


class MapsTo(Strict):
    """How an answer counts on a criteria indicator: answer value → indicator level."""

    indicator: Identifier
    levels: dict[int, float] = Field(min_length=1)


class Question(Strict):
    id: Identifier
    element: Identifier | None = Field(default=None, description="SKM element (unsur) code, e.g. U1.")
    title: Words | None = Field(default=None, description="Short name of the element, e.g. 'Persyaratan'.")
    text: Words
    options: tuple[Choice, ...] = Field(min_length=2, max_length=MAX_OPTIONS)
    required: bool = True
    maps_to: MapsTo | None = None

    @model_validator(mode="after")
    def rules(self) -> Question:
        check_rules(self._unique_values(), self._levels_are_answers())
        return self

    def _unique_values(self) -> list[tuple[Loc, str]]:
        seen: set[int] = set()
        out: list[tuple[Loc, str]] = []
        for idx, option in enumerate(self.options):
            if option.value in seen:
                out.append((("options", idx, "value"), f"nilai pilihan {option.value} dipakai dua kali"))
            seen.add(option.value)
        return out

    def _levels_are_answers(self) -> list[tuple[Loc, str]]:
        if self.maps_to is None:
            return []
        values = {o.value for o in self.options}
        out: list[tuple[Loc, str]] = [
            (("maps_to", "levels", key), f"jawaban {key} bukan nilai pilihan pertanyaan ini")
            for key in self.maps_to.levels
            if key not in values
        ]
        missing = sorted(values - set(self.maps_to.levels))
        if missing:
            out.append((("maps_to", "levels"), f"setiap pilihan harus dipetakan; belum: {missing}"))
        return out

    def option(self, value: int) -> Choice | None:
        return next((o for o in self.options if o.value == value), None)


class ProfileField(Strict):
    """A respondent profile question (sex, age, education, ...) used only for breakdowns."""

    id: Identifier
    text: Words
    options: tuple[Words, ...] = Field(min_length=2, max_length=MAX_OPTIONS)
    required: bool = False


class Survey(Strict):
    id: Identifier
    version: Text
    kind: SurveyKind
    title: Words
    intro: Words
    description: Text
    sources: tuple[Text, ...] = ()
    scale: Literal["skm-2017", "none"] = Field(
        default="none", description="skm-2017: NRR per element and IKM 25–100 as PermenPANRB 14/2017 computes them."
    )
    criteria: Identifier | None = Field(default=None, description="Criteria id whose indicators maps_to points at.")
    questions: tuple[Question, ...] = Field(min_length=1, max_length=MAX_QUESTIONS)
    profile: tuple[ProfileField, ...] = ()
    suggestion: bool = True
    contact: Literal["none", "optional"] = "optional"
    proof_of_service: Literal["none", "optional", "required"] = "none"
    min_seconds: int = Field(default=15, ge=0, le=600, description="Faster submissions are held as suspicious.")

    @model_validator(mode="after")
    def rules(self) -> Survey:
        check_rules(self._unique_ids(), self._skm_rules(), self._mapping_rules())
        return self

    def _unique_ids(self) -> list[tuple[Loc, str]]:
        out: list[tuple[Loc, str]] = []
        for field, items in (("questions", self.questions), ("profile", self.profile)):
            seen: set[str] = set()
            for idx, item in enumerate(items):
                if item.id in seen:
                    out.append(((field, idx, "id"), f"id '{item.id}' dipakai dua kali"))
                seen.add(item.id)
        return out

    def _skm_rules(self) -> list[tuple[Loc, str]]:
        if self.scale != "skm-2017":
            return []
        out: list[tuple[Loc, str]] = []
        for idx, q in enumerate(self.questions):
            if sorted(o.value for o in q.options) != [1, 2, 3, 4]:
                out.append((("questions", idx, "options"), "unsur SKM dijawab 1–4 (PermenPANRB 14/2017)"))
            if q.element is None:
                out.append((("questions", idx, "element"), "unsur SKM wajib menyebut kodenya (U1…U9)"))
        return out

    def _mapping_rules(self) -> list[tuple[Loc, str]]:
        mapped = [i for i, q in enumerate(self.questions) if q.maps_to]
        if mapped and self.criteria is None:
            return [(("criteria",), "pertanyaan dengan maps_to memerlukan 'criteria' (id kriteria yang dituju)")]
        seen: dict[str, int] = {}
        out: list[tuple[Loc, str]] = []
        for i in mapped:
            ind = self.questions[i].maps_to.indicator  # type: ignore[union-attr]
            if ind in seen:
                out.append((("questions", i, "maps_to", "indicator"), f"indikator {ind} sudah dipetakan"))
            seen[ind] = i
        return out

    @cached_property
    def elements(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.element)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


def survey_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_survey(text: str, source: str = "<survei>") -> Survey:
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise SurveyError([Problem(source, TOO_BIG)])
    data, positions, problems = parse_any(text, source)
    if problems:
        raise SurveyError(problems)
    if not isinstance(data, dict):
        raise SurveyError([Problem(source, "isi berkas harus berupa pemetaan dengan kunci id, kind, title, questions")])
    return validate_model(Survey, data, positions, source, error=SurveyError)


def load_survey(path: str | Path) -> Survey:
    path = Path(path)
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SurveyError([Problem(source, "berkas tidak ditemukan; periksa nama dan foldernya")]) from None
    except OSError as exc:
        raise SurveyError([Problem(source, f"berkas tidak bisa dibaca: {exc.strerror}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise SurveyError([Problem(source, TOO_BIG)])
    text, problems = load_text(raw, source)
    if problems:
        raise SurveyError(problems)
    return parse_survey(text, source)


def check_against_criteria(survey: Survey, indicators: dict[str, tuple[float, ...]], source: str) -> list[Problem]:
    """maps_to must name a respondent indicator of the criteria and levels among its option values."""
    out = []
    for idx, q in enumerate(survey.questions):
        if q.maps_to is None:
            continue
        where = f"questions[{idx}].maps_to"
        levels = indicators.get(q.maps_to.indicator)
        if levels is None:
            out.append(Problem(source, f"indikator {q.maps_to.indicator} tidak ada di {survey.criteria}", path=where))
            continue
        for answer, level in q.maps_to.levels.items():
            if level not in levels:
                message = f"tingkat {level:g} bukan pilihan indikator"
                out.append(Problem(source, message, path=f"{where}.levels.{answer}"))
    return out


__all__ = ["RuleViolation", "Survey", "SurveyError", "load_survey", "parse_survey", "survey_sha256"]


SCHEMA_FILE = Path(__file__).resolve().parent.parent / "criteria" / "surveys" / "schema.json"


def survey_schema_text() -> str:
    """JSON Schema of a survey file (criteria/surveys/schema.json), for editors; a test fails when stale."""
    import json

    schema = Survey.model_json_schema()
    schema.pop("title", None)
    full = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Berkas survei Kepatuhan", **schema}
    return json.dumps(full, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # python -m assessment.survey_defs rewrites criteria/surveys/schema.json
    SCHEMA_FILE.write_text(survey_schema_text(), encoding="utf-8")
