"""Answers as the scoring engine sees them, and their checks against a criteria set.

A subject names what one answer is about (assessment.subject.Subject): the unit, a product, a respondent or
a tally of respondents; an Answer keeps it in its stored text form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import Field

from assessment.criteria import Criteria, Indicator, Strict
from assessment.errors import AnswersError, Problem
from assessment.parse_limits import respondent_list_problem, respondents_problem
from assessment.subject import Subject

NA = "na"


class Answer(Strict):
    indicator: str
    subject: str = "unit"
    value: float | None = Field(description="None means N/A (not applicable).")
    count: int = Field(default=1, ge=0)

    @property
    def subject_kind(self) -> str:
        return Subject.parse(self.subject).kind


_KIND_OF_SUBJECT = {"unit": "unit", "product": "product", "respondent": "respondent", "tally": "respondent"}


def check_answer(criteria: Criteria, answer: Answer, source: str = "jawaban") -> Problem | None:
    """One clear problem with an answer, or None when it fits the criteria."""
    ind = criteria.indicators_by_id().get(answer.indicator)
    where = f"{answer.indicator}/{answer.subject}"
    if ind is None:
        return Problem(source, f"indikator '{answer.indicator}' tidak ada di kriteria '{criteria.id}'", path=where)
    return check_against_indicator(ind, answer, source)


def check_against_indicator(ind: Indicator, answer: Answer, source: str = "jawaban") -> Problem | None:
    where = f"{answer.indicator}/{answer.subject}"
    subject = Subject.parse(answer.subject)  # once: scoring a region checks every stored answer (issue 9)
    own_kind = subject.kind
    kind = _KIND_OF_SUBJECT.get(own_kind)
    if kind is None:
        return Problem(
            source, f"subjek '{answer.subject}' tidak dikenal (unit, product:KODE, respondent:N)", path=where
        )
    if kind != ind.subject.kind:
        return Problem(
            source,
            f"indikator '{ind.id}' dijawab per {_kind_label(ind.subject.kind)}, bukan per {_kind_label(kind)}",
            path=where,
        )
    rest = subject.key  # "" when the subject has no ":" part
    if own_kind == "unit" and answer.subject != "unit":
        return Problem(source, "subjek unit ditulis 'unit' saja", path=where)
    if own_kind == "respondent" and (not rest.isdigit() or int(rest) < 1):
        return Problem(source, "nomor responden harus bilangan bulat mulai 1 (respondent:1)", path=where)
    if own_kind == "product" and not rest.strip():
        return Problem(source, "kode produk layanan kosong (product:KODE)", path=where)
    if answer.count != 1 and own_kind != "tally":
        return Problem(
            source, f"jumlah (count={answer.count}) hanya untuk subjek tally:NILAI; subjek lain selalu satu", path=where
        )
    if answer.value is None:
        if not ind.na_allowed:
            return Problem(source, f"indikator '{ind.id}' tidak boleh dijawab N/A (tidak berlaku)", path=where)
        return None
    if ind.option(answer.value) is None:
        allowed = ", ".join(f"{o.value:g}" for o in ind.options)
        return Problem(source, f"nilai {answer.value:g} di luar skala; pilih salah satu: {allowed}", path=where)
    if own_kind == "tally":
        try:
            if float(rest) != answer.value:
                return Problem(source, "nilai tally tidak sama dengan nilai pada subjeknya", path=where)
        except ValueError:
            return Problem(source, f"tally '{rest}' bukan angka (tally:NILAI)", path=where)
    return None


def _kind_label(kind: str) -> str:
    return {"unit": "unit", "product": "produk layanan", "respondent": "responden"}.get(kind, kind)


def validate_answers(criteria: Criteria, answers: Iterable[Answer], source: str = "jawaban") -> list[Answer]:
    """Return the answers as a list; raise AnswersError listing every bad one."""
    items = list(answers)
    problems = [p for a in items if (p := check_answer(criteria, a, source)) is not None]
    seen: set[tuple[str, str]] = set()
    for a in items:
        key = (a.indicator, a.subject)
        if key in seen:
            problems.append(Problem(source, "jawaban ganda untuk subjek yang sama", path=f"{a.indicator}/{a.subject}"))
        seen.add(key)
    if problems:
        raise AnswersError(problems)
    return items


def answers_from_mapping(criteria: Criteria, mapping: Mapping[str, Any], source: str, path: str = "") -> list[Answer]:
    """Read the compact answers-file form of one unit.

    indicator: 2                      one answer for the unit
    indicator: na                     not applicable (where allowed)
    indicator: {SKTM: 3, PBI: 2}      per service product
    indicator: [3, 2, 2, 3]           per respondent, in order
    indicator: {tally: {3: 20, 2: 10}} respondents counted per level
    """
    answers: list[Answer] = []
    problems: list[Problem] = []
    indicators = criteria.indicators_by_id()
    for ind_id, raw in mapping.items():
        where = f"{path}{ind_id}"
        ind = indicators.get(str(ind_id))
        if ind is None:
            problems.append(Problem(source, f"indikator '{ind_id}' tidak ada di kriteria '{criteria.id}'", path=where))
            continue
        try:
            answers.extend(_expand(ind, raw))
        except ValueError as exc:
            problems.append(Problem(source, str(exc), path=where))
    for a in answers:
        problem = check_against_indicator(indicators[a.indicator], a, source)
        if problem:
            problems.append(Problem(source, problem.message, path=f"{path}{a.indicator}/{a.subject}"))
    if problems:
        raise AnswersError(problems)
    return answers


def _value(raw: Any) -> float | None:
    if isinstance(raw, str) and raw.strip().lower() in (NA, "n/a", "tidak berlaku"):
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ValueError(f"nilai '{raw}' harus angka pada skala, atau 'na'")
    return float(raw)


def _expand(ind: Indicator, raw: Any) -> list[Answer]:
    kind = ind.subject.kind
    if kind == "unit":
        if isinstance(raw, (dict, list)):
            raise ValueError("indikator ini dijawab sekali untuk unit: tulis satu angka")
        return [Answer(indicator=ind.id, value=_value(raw))]
    if kind == "product":
        if not isinstance(raw, dict) or not raw:
            raise ValueError("indikator ini dijawab per produk layanan: tulis {KODE_PRODUK: nilai, ...}")
        return [Answer(indicator=ind.id, subject=str(Subject.product(c)), value=_value(v)) for c, v in raw.items()]
    if isinstance(raw, list):
        if not raw:
            raise ValueError("daftar jawaban responden kosong")
        too_many = respondent_list_problem(len(raw), ind.subject.expected)
        if too_many:
            raise ValueError(too_many)
        return [
            Answer(indicator=ind.id, subject=str(Subject.respondent(n)), value=_value(v)) for n, v in enumerate(raw, 1)
        ]
    if isinstance(raw, dict) and set(raw) == {"tally"} and isinstance(raw["tally"], dict):
        out = []
        for level, count in raw["tally"].items():
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ValueError(f"jumlah responden untuk nilai {level} harus bilangan bulat ≥ 0")
            value = _value(level if not isinstance(level, str) else _number(level))
            out.append(Answer(indicator=ind.id, subject=str(Subject.tally(value)), value=value, count=count))
        absurd = respondents_problem(sum(a.count for a in out), ind.subject.expected)
        if absurd:
            raise ValueError(f"tally: {absurd}")
        return out
    raise ValueError("indikator ini dijawab per responden: tulis daftar [nilai, ...] atau {tally: {nilai: jumlah}}")


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text
