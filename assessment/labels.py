"""Label families: one set of bands for a single unit and another for an entity (Pemda, ministry), in one file.

The 2025 Ombudsman round labels a unit "Kualitas Pelayanan Sangat Baik / Baik / Cukup / Kurang" and an
entity "Opini Kualitas Tertinggi / Tinggi / Sedang / Rendah", optionally followed by "Tanpa
Maladministrasi". That suffix follows a recorded fact (the follow-up of the Ombudsman's products), not a
score: a fact that is not recorded leaves the suffix undetermined, with the reason, never granted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from assessment.model_base import Identifier, Loc, RuleViolation, Strict, Text, band_coverage_problems

if TYPE_CHECKING:
    from assessment.criteria import Criteria

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
AppliesTo = Literal["unit", "entity"]
SuffixState = Literal["diberikan", "tidak", "belum_ditentukan"]


class LabelBand(Strict):
    code: Text
    label: Text
    min: float
    max: float
    colour: Colour | None = None

    @model_validator(mode="after")
    def min_not_above_max(self) -> LabelBand:
        if self.min > self.max:
            raise RuleViolation(
                [(("min",), f"label '{self.code}': min {self.min:g} lebih besar dari max {self.max:g}")]
            )
        return self

    def contains(self, value: float) -> bool:
        return self.min <= value <= self.max


class LabelSuffix(Strict):
    """Text added after the label when a recorded fact is true (or, older style, an indicator reaches a value)."""

    text: Text
    fact: Identifier | None = Field(
        default=None, description="Name of a recorded yes/no fact, e.g. tindak_lanjut_produk_ombudsman."
    )
    indicator: Identifier | None = Field(default=None, description="Instead of a fact: an indicator id.")
    min_value: float | None = Field(default=None, description="With indicator: the value every answer must reach.")
    unknown: Text | None = Field(
        default=None, description="Why the suffix is undetermined while the fact is unrecorded."
    )
    denied: Text | None = Field(default=None, description="Why the suffix is not given when the fact is false.")
    note: Text | None = None

    @model_validator(mode="after")
    def fact_or_indicator(self) -> LabelSuffix:
        problems: list[tuple[Loc, str]] = []
        if (self.fact is None) == (self.indicator is None):
            problems.append(((), "akhiran harus memakai tepat satu dari fact / indicator"))
        if self.indicator is not None and self.min_value is None:
            problems.append((("min_value",), "akhiran dengan indicator wajib menyebut min_value"))
        if self.fact is not None and self.min_value is not None:
            problems.append((("min_value",), "min_value hanya untuk akhiran dengan indicator; hapus"))
        if problems:
            raise RuleViolation(problems)
        return self


class LabelFamily(Strict):
    id: Identifier
    title: Text = Field(description="E.g. 'Label unit layanan' or 'Opini untuk Pemda / kementerian'.")
    applies_to: AppliesTo = Field(description="unit: one service unit; entity: a Pemda / ministry (mean of its units).")
    bands: tuple[LabelBand, ...] = Field(min_length=1)
    suffix: LabelSuffix | None = None
    note: Text | None = None

    def band_for(self, value: float, decimals: int) -> LabelBand:
        rounded = round(value + 0.0, decimals)
        for band in sorted(self.bands, key=lambda b: b.min):
            if band.contains(rounded):
                return band
        return (
            min(self.bands, key=lambda b: b.min)
            if rounded < min(b.min for b in self.bands)
            else max(self.bands, key=lambda b: b.max)
        )


def family_problems(criteria: Criteria) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    seen_ids: dict[str, int] = {}
    seen_kinds: dict[str, int] = {}
    indicators = criteria.indicators_by_id()
    for f_idx, fam in enumerate(criteria.label_families):
        at: Loc = ("label_families", f_idx)
        if fam.id in seen_ids:
            problems.append(((*at, "id"), f"id keluarga label '{fam.id}' ganda"))
        seen_ids.setdefault(fam.id, f_idx)
        if fam.applies_to in seen_kinds:
            problems.append(
                (
                    (*at, "applies_to"),
                    f"sudah ada keluarga label untuk '{fam.applies_to}' "
                    f"di label_families[{seen_kinds[fam.applies_to]}]",
                )
            )
        seen_kinds.setdefault(fam.applies_to, f_idx)
        problems.extend(
            band_coverage_problems(
                fam.bands,
                low=criteria.scale.min,
                high=criteria.scale.max,
                decimals=criteria.scale.decimals,
                where=(*at, "bands"),
            )
        )
        rule = fam.suffix
        if rule and rule.indicator is not None:
            ind = indicators.get(rule.indicator)
            if ind is None:
                problems.append(
                    ((*at, "suffix", "indicator"), f"akhiran menyebut indikator '{rule.indicator}' yang tidak ada")
                )
            elif rule.min_value is not None and ind.option(rule.min_value) is None:
                problems.append(
                    ((*at, "suffix", "min_value"), f"min_value={rule.min_value:g} bukan nilai pilihan '{ind.id}'")
                )
    return problems


class SuffixOutcome(Strict):
    text: str
    state: SuffixState
    reason: str


class LabelOutcome(Strict):
    family: str
    title: str
    applies_to: AppliesTo
    code: str
    label: str
    colour: str | None
    suffix: SuffixOutcome | None = None

    @property
    def text(self) -> str:
        """The label as published: with the suffix only when it is granted."""
        if self.suffix and self.suffix.state == "diberikan":
            return f"{self.label} {self.suffix.text}"
        return self.label


def _fact_suffix(rule: LabelSuffix, facts: Mapping[str, bool]) -> SuffixOutcome:
    name = rule.fact or ""
    value = facts.get(name)
    if value is None:
        reason = rule.unknown or f"fakta '{name}' belum dicatat"
        return SuffixOutcome(text=rule.text, state="belum_ditentukan", reason=reason)
    if value:
        return SuffixOutcome(text=rule.text, state="diberikan", reason=f"tercatat: {name} = ya")
    reason = rule.denied or f"tercatat: {name} = tidak"
    return SuffixOutcome(text=rule.text, state="tidak", reason=reason)


def _indicator_suffix(rule: LabelSuffix, values: Mapping[str, Sequence[float]] | None) -> SuffixOutcome:
    if values is None:
        return SuffixOutcome(
            text=rule.text,
            state="belum_ditentukan",
            reason=f"akhiran ditentukan dari jawaban indikator {rule.indicator} tiap unit",
        )
    got = list(values.get(rule.indicator or "", ()))
    if not got:
        return SuffixOutcome(
            text=rule.text, state="belum_ditentukan", reason=f"indikator {rule.indicator} belum dijawab"
        )
    if min(got) >= (rule.min_value or 0):
        return SuffixOutcome(text=rule.text, state="diberikan", reason=f"{rule.indicator} ≥ {rule.min_value:g}")
    return SuffixOutcome(text=rule.text, state="tidak", reason=f"{rule.indicator} di bawah {rule.min_value:g}")


def labels_for(
    criteria: Criteria,
    value: float,
    *,
    facts: Mapping[str, bool] | None = None,
    indicator_values: Mapping[str, Sequence[float]] | None = None,
) -> tuple[LabelOutcome, ...]:
    """Every family's label for one score. indicator_values: raw answers per indicator (None for a region)."""
    out = []
    for fam in criteria.label_families:
        band = fam.band_for(value, criteria.scale.decimals)
        suffix = None
        if fam.suffix is not None:
            suffix = (
                _fact_suffix(fam.suffix, facts or {})
                if fam.suffix.fact is not None
                else _indicator_suffix(fam.suffix, indicator_values)
            )
        out.append(
            LabelOutcome(
                family=fam.id,
                title=fam.title,
                applies_to=fam.applies_to,
                code=band.code,
                label=band.label,
                colour=band.colour,
                suffix=suffix,
            )
        )
    return tuple(out)


def combine_facts(per_unit: Iterable[Mapping[str, bool]], names: Iterable[str]) -> dict[str, bool]:
    """An entity's facts from its units': false if any unit is false, true only if every unit is true.

    A fact that some unit has not recorded (and none has false) stays unknown, so the suffix stays undetermined.
    """
    units = list(per_unit)
    out: dict[str, bool] = {}
    for name in names:
        values = [u.get(name) for u in units]
        if any(v is False for v in values):
            out[name] = False
        elif units and all(v is True for v in values):
            out[name] = True
    return out


def fact_names(criteria: Criteria) -> tuple[str, ...]:
    return tuple(f.suffix.fact for f in criteria.label_families if f.suffix and f.suffix.fact)
