"""One indicator of a criteria set: its question, answer scale, subject (unit, products or respondents) and
what evidence it asks for, with the rules that hold within one indicator."""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import Field, model_validator

from assessment.model_base import Identifier, Loc, Method, RuleViolation, Strict, Text, check_rules


class Option(Strict):
    """One level of an indicator's answer scale."""

    value: float
    label: Text
    meaning: Text = Field(description="What an assessor must see for this level.")


class Subject(Strict):
    """What one answer is about: the unit itself, each service product, or each respondent."""

    kind: Literal["unit", "product", "respondent"] = "unit"
    expected: int | None = Field(
        default=None, ge=1, description="Expected number of products or respondents (sample size)."
    )
    label: Text | None = Field(default=None, description="Who the respondents are, e.g. 'pengguna layanan'.")

    @model_validator(mode="after")
    def respondents_need_expected_count(self) -> Subject:
        if self.kind == "respondent" and self.expected is None:
            raise RuleViolation([(("expected",), "subjek 'respondent' wajib menyebut 'expected' (jumlah responden)")])
        if self.kind == "unit" and self.expected not in (None, 1):
            raise RuleViolation([(("expected",), "subjek 'unit' hanya punya satu jawaban; hapus 'expected'")])
        return self


class Evidence(Strict):
    hint: Text = Field(description="What counts as evidence for this indicator.")
    required_from: float | None = Field(
        default=None, description="Answer value from which a file is required (must be an option value)."
    )
    # issue 13: how long a file of this kind stays valid, e.g. 12 for a decree renewed yearly
    valid_months: int | None = Field(
        default=None, ge=1, le=120, description="Months a file stays valid after its date (none = no expiry)."
    )


class Indicator(Strict):
    id: Identifier
    question: Text
    guidance: Text | None = None
    method: Method
    variable: Identifier | None = Field(default=None, description="Id of a variable of the same dimension.")
    subject: Subject = Subject()
    options: tuple[Option, ...] = Field(min_length=2)
    na_allowed: bool = False
    weight: float | None = Field(
        default=None, ge=0, description="Weight within the dimension (all or none given; sum 100). 0 = not scored."
    )
    evidence: Evidence | None = None
    note: Text | None = Field(default=None, description="Source or reconstruction remark.")

    @model_validator(mode="after")
    def cross_field_rules(self) -> Indicator:
        check_rules(self.option_values_unique(), self.evidence_threshold_is_an_option())
        return self

    def option_values_unique(self) -> list[tuple[Loc, str]]:
        seen: dict[float, int] = {}
        problems: list[tuple[Loc, str]] = []
        for idx, option in enumerate(self.options):
            if option.value in seen:
                problems.append(
                    (
                        ("options", idx, "value"),
                        f"nilai pilihan {option.value:g} sudah dipakai oleh options[{seen[option.value]}]",
                    )
                )
            seen.setdefault(option.value, idx)
        return problems

    def evidence_threshold_is_an_option(self) -> list[tuple[Loc, str]]:
        if self.evidence and self.evidence.required_from is not None:
            if self.evidence.required_from not in {o.value for o in self.options}:
                return [
                    (
                        ("evidence", "required_from"),
                        f"evidence.required_from={self.evidence.required_from:g} bukan nilai pilihan jawaban "
                        f"({', '.join(f'{o.value:g}' for o in self.options)})",
                    )
                ]
        return []

    @cached_property
    def min_value(self) -> float:
        return min(o.value for o in self.options)

    @cached_property
    def max_value(self) -> float:
        return max(o.value for o in self.options)

    def option(self, value: float) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def evidence_required(self, value: float | None) -> bool:
        return bool(
            value is not None
            and self.evidence
            and self.evidence.required_from is not None
            and value >= self.evidence.required_from
        )
