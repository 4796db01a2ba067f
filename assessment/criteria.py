"""Criteria models: a criteria set (Ombudsman, PEKPPP, SKM, ...) described as data.

Models are strict (unknown keys refused) and frozen; cross-field rules are named
validators so a bad file reports what is wrong in the words of the rule.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from assessment.gates import Component, Results, component_problems, gate_problems, part_members
from assessment.indicator import Evidence, Indicator, Option, Subject
from assessment.labels import LabelFamily, family_problems
from assessment.model_base import (
    WEIGHT_TOLERANCE,
    Identifier,
    Loc,
    RuleViolation,
    Strict,
    Text,
    Zone,
    band_coverage_problems,
    check_rules,
    format_loc,
)

# the indicator's parts are re-exported: a criteria set is read as one vocabulary
__all__ = ["Evidence", "Identifier", "Indicator", "Loc", "Option", "RuleViolation", "Strict", "Subject", "Text", "Zone"]


class Variable(Strict):
    id: Identifier
    title: Text


class Dimension(Strict):
    id: Identifier
    title: Text
    weight: float = Field(gt=0, description="Share of the total (or of its composite group), in percent.")
    description: Text | None = None
    variables: tuple[Variable, ...] = ()
    indicators: tuple[Indicator, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def cross_field_rules(self) -> Dimension:
        check_rules(self.indicator_weights_all_or_none(), self.variables_exist())
        return self

    def indicator_weights_all_or_none(self) -> list[tuple[Loc, str]]:
        given = [i.weight for i in self.indicators if i.weight is not None]
        if given and len(given) != len(self.indicators):
            return [
                (
                    ("indicators", idx, "weight"),
                    f"bobot indikator harus diisi semua atau tidak sama sekali; '{ind.id}' belum diberi bobot",
                )
                for idx, ind in enumerate(self.indicators)
                if ind.weight is None
            ]
        if given and abs(sum(given) - 100) > WEIGHT_TOLERANCE:
            return [(("indicators",), f"bobot indikator dimensi '{self.id}' berjumlah {sum(given):g}, harus 100")]
        return []

    def variables_exist(self) -> list[tuple[Loc, str]]:
        known = {v.id for v in self.variables}
        return [
            (("indicators", idx, "variable"), f"indikator '{ind.id}' menyebut variabel '{ind.variable}' yang tidak ada")
            for idx, ind in enumerate(self.indicators)
            if ind.variable is not None and ind.variable not in known
        ]

    def indicator_weight(self, indicator: Indicator) -> float:
        """Relative weight in percent of the dimension (equal when none are given)."""
        if indicator.weight is not None:
            return indicator.weight
        return 100.0 / len(self.indicators)


class Band(Strict):
    code: Text
    label: Text
    min: float
    max: float
    zone: Zone | None = None
    colour: Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]

    @model_validator(mode="after")
    def min_not_above_max(self) -> Band:
        if self.min > self.max:
            raise RuleViolation([(("min",), f"band '{self.code}': min {self.min:g} lebih besar dari max {self.max:g}")])
        return self

    def contains(self, value: float) -> bool:
        return self.min <= value <= self.max


class Scale(Strict):
    min: float = 0
    max: float = 100
    decimals: int = Field(default=2, ge=0, le=4)
    normalization: Literal["range", "max"] = Field(
        default="range",
        description="range: (v-min)/(max-min) (Ombudsman, PEKPPP); max: v/max (SKM, where IKM starts at 25).",
    )

    @model_validator(mode="after")
    def min_below_max(self) -> Scale:
        if self.min >= self.max:
            raise RuleViolation([(("min",), "scale.min harus lebih kecil dari scale.max")])
        if self.normalization == "range" and self.min != 0:
            raise RuleViolation([(("min",), "normalization 'range' memberi skor mulai 0; set scale.min: 0")])
        return self

    @property
    def step(self) -> float:
        return 10.0 ** (-self.decimals)


class CompositeGroup(Strict):
    id: Identifier
    title: Text
    weight: float = Field(gt=0)
    dimensions: tuple[Identifier, ...] = Field(min_length=1)


class SuffixRule(Strict):
    """A label suffix granted when one indicator reaches a value (e.g. 'Tanpa Maladministrasi')."""

    text: Text
    indicator: Identifier
    min_value: float


class Composite(Strict):
    groups: tuple[CompositeGroup, ...] = Field(min_length=1)
    suffix: SuffixRule | None = None


class Criteria(Strict):
    id: Identifier
    version: Text
    title: Text
    locale: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = "id"
    framework: Text | None = None
    description: Text | None = None
    sources: tuple[Text, ...] = ()
    scale: Scale = Scale()
    na_policy: Literal["exclude", "full_marks"] = Field(
        default="exclude",
        description="exclude: N/A indicators leave the dimension's weighting; full_marks: they count as maximum.",
    )
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    composite: Composite | None = None
    bands: tuple[Band, ...] = Field(min_length=1)
    components: tuple[Component, ...] = Field(
        default=(), description="Named sums of dimensions / variables (e.g. Pengungkit), for gates and displays."
    )
    results: Results | None = Field(default=None, description="Results awarded by gates (e.g. WBK, WBBM).")
    label_families: tuple[LabelFamily, ...] = Field(
        default=(), description="Label bands for a single unit and for an entity (Pemda), e.g. the 2025 Opini."
    )

    @model_validator(mode="after")
    def cross_field_rules(self) -> Criteria:
        """Run every named rule, so one pass reports all of a file's cross-field problems."""
        check_rules(
            self.ids_unique(),
            self.dimension_weights_sum_to_100(),
            self.composite_groups_place_every_dimension(),
            self.bands_cover_scale(),
            self.suffix_points_at_indicator(),
            component_problems(self),
            gate_problems(self),
            family_problems(self),
        )
        return self

    def ids_unique(self) -> list[tuple[Loc, str]]:
        first: dict[str, Loc] = {}
        problems: list[tuple[Loc, str]] = []
        for ident, loc in self._all_ids():
            if ident in first:
                problems.append((loc, f"id '{ident}' ganda; sudah dipakai di {format_loc(first[ident])}"))
            else:
                first[ident] = loc
        return problems

    def dimension_weights_sum_to_100(self) -> list[tuple[Loc, str]]:
        if self.composite is None:
            total = sum(d.weight for d in self.dimensions)
            if abs(total - 100) > WEIGHT_TOLERANCE:
                return [(("dimensions",), f"bobot dimensi berjumlah {total:g}, harus 100")]
            return []
        total = sum(g.weight for g in self.composite.groups)
        if abs(total - 100) > WEIGHT_TOLERANCE:
            return [(("composite", "groups"), f"bobot kelompok composite berjumlah {total:g}, harus 100")]
        return []

    def composite_groups_place_every_dimension(self) -> list[tuple[Loc, str]]:
        if self.composite is None:
            return []
        by_id = {d.id: d for d in self.dimensions}
        problems: list[tuple[Loc, str]] = []
        placed: dict[str, Loc] = {}
        for g_idx, g in enumerate(self.composite.groups):
            for d_idx, dim_id in enumerate(g.dimensions):
                loc: Loc = ("composite", "groups", g_idx, "dimensions", d_idx)
                if dim_id not in by_id:
                    problems.append((loc, f"kelompok '{g.id}' menyebut dimensi '{dim_id}' yang tidak ada"))
                elif dim_id in placed:
                    problems.append((loc, f"dimensi '{dim_id}' sudah masuk kelompok di {format_loc(placed[dim_id])}"))
                else:
                    placed[dim_id] = loc
            inner = sum(by_id[d].weight for d in g.dimensions if d in by_id)
            if all(d in by_id for d in g.dimensions) and abs(inner - 100) > WEIGHT_TOLERANCE:
                problems.append(
                    (
                        ("composite", "groups", g_idx, "dimensions"),
                        f"bobot dimensi dalam kelompok '{g.id}' berjumlah {inner:g}, harus 100",
                    )
                )
        for d_idx, d in enumerate(self.dimensions):
            if d.id not in placed:
                problems.append(
                    (("dimensions", d_idx, "id"), f"dimensi '{d.id}' tidak masuk kelompok composite mana pun")
                )
        return problems

    def bands_cover_scale(self) -> list[tuple[Loc, str]]:
        return band_coverage_problems(self.bands, low=self.scale.min, high=self.scale.max, decimals=self.scale.decimals)

    def suffix_points_at_indicator(self) -> list[tuple[Loc, str]]:
        if not (self.composite and self.composite.suffix):
            return []
        rule = self.composite.suffix
        ind = self.indicators_by_id().get(rule.indicator)
        if ind is None:
            return [
                (("composite", "suffix", "indicator"), f"suffix menyebut indikator '{rule.indicator}' yang tidak ada")
            ]
        if rule.min_value not in {o.value for o in ind.options}:
            return [
                (
                    ("composite", "suffix", "min_value"),
                    f"suffix.min_value={rule.min_value:g} bukan nilai pilihan '{ind.id}'",
                )
            ]
        return []

    def _all_ids(self) -> list[tuple[str, Loc]]:
        ids: list[tuple[str, Loc]] = []
        for d_idx, d in enumerate(self.dimensions):
            ids.append((d.id, ("dimensions", d_idx, "id")))
            ids.extend((v.id, ("dimensions", d_idx, "variables", v_idx, "id")) for v_idx, v in enumerate(d.variables))
            ids.extend((i.id, ("dimensions", d_idx, "indicators", i_idx, "id")) for i_idx, i in enumerate(d.indicators))
        if self.composite:
            ids.extend((g.id, ("composite", "groups", g_idx, "id")) for g_idx, g in enumerate(self.composite.groups))
        ids.extend((c.id, ("components", c_idx, "id")) for c_idx, c in enumerate(self.components))
        return ids

    # ---- lookups used by scoring and the app ----
    @cached_property
    def _indicator_index(self) -> dict[str, Indicator]:
        # frozen model: computed once per criteria object, read on every answer checked
        return {i.id: i for d in self.dimensions for i in d.indicators}

    def indicators_by_id(self) -> dict[str, Indicator]:
        return self._indicator_index

    @cached_property
    def part_members(self) -> dict[str, frozenset[str]]:
        """Gate part ref -> the indicators adding up to it (computed once per criteria object)."""
        return part_members(self)

    def dimension_of(self, indicator_id: str) -> Dimension:
        for d in self.dimensions:
            if any(i.id == indicator_id for i in d.indicators):
                return d
        raise KeyError(indicator_id)

    def effective_dimension_weight(self, dimension: Dimension) -> float:
        """Share of the total score in percent, after composite grouping."""
        if self.composite is None:
            return dimension.weight
        for g in self.composite.groups:
            if dimension.id in g.dimensions:
                return g.weight * dimension.weight / 100.0
        raise KeyError(dimension.id)

    def dimension_max(self, dimension: Dimension) -> float:
        """Points a dimension contributes at full marks, on the criteria's scale."""
        return self.effective_dimension_weight(dimension) / 100.0 * self.scale.max

    def round(self, value: float) -> float:
        return round(value + 0.0, self.scale.decimals)

    def band_for(self, score: float) -> Band:
        """The band holding a score, after rounding to the scale's decimals."""
        rounded = self.round(min(max(score, self.scale.min), self.scale.max))
        for band in sorted(self.bands, key=lambda b: b.min):
            if band.contains(rounded):
                return band
        raise ValueError(f"skor {rounded} tidak masuk band mana pun")

    def next_band(self, band: Band) -> Band | None:
        ordered = sorted(self.bands, key=lambda b: b.min)
        idx = ordered.index(band)
        return ordered[idx + 1] if idx + 1 < len(ordered) else None
