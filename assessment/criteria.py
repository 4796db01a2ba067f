"""Criteria models: a criteria set (Ombudsman, PEKPPP, SKM, ...) described as data.

Models are strict (unknown keys refused) and frozen; cross-field rules are named
validators so a bad file reports what is wrong in the words of the rule.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Identifier = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", min_length=1, max_length=64)
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Method = Literal["observasi", "wawancara", "dokumen", "survei"]
Zone = Literal["hijau", "kuning", "merah"]
WEIGHT_TOLERANCE = 0.011


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


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
            raise ValueError("subjek 'respondent' wajib menyebut 'expected' (jumlah responden)")
        if self.kind == "unit" and self.expected not in (None, 1):
            raise ValueError("subjek 'unit' hanya punya satu jawaban; hapus 'expected'")
        return self


class Evidence(Strict):
    hint: Text = Field(description="What counts as evidence for this indicator.")
    required_from: float | None = Field(
        default=None, description="Answer value from which a file is required (must be an option value)."
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
    def option_values_unique(self) -> Indicator:
        values = [o.value for o in self.options]
        if len(set(values)) != len(values):
            raise ValueError(f"nilai pilihan jawaban ganda: {sorted(values)}")
        return self

    @model_validator(mode="after")
    def evidence_threshold_is_an_option(self) -> Indicator:
        if self.evidence and self.evidence.required_from is not None:
            if self.evidence.required_from not in {o.value for o in self.options}:
                raise ValueError(
                    f"evidence.required_from={self.evidence.required_from:g} bukan nilai pilihan jawaban "
                    f"({', '.join(f'{o.value:g}' for o in self.options)})"
                )
        return self

    @property
    def min_value(self) -> float:
        return min(o.value for o in self.options)

    @property
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
    def indicator_weights_all_or_none(self) -> Dimension:
        given = [i.weight for i in self.indicators if i.weight is not None]
        if given and len(given) != len(self.indicators):
            missing = [i.id for i in self.indicators if i.weight is None]
            raise ValueError(f"bobot indikator harus diisi semua atau tidak sama sekali; tanpa bobot: {missing}")
        if given and abs(sum(given) - 100) > WEIGHT_TOLERANCE:
            raise ValueError(f"bobot indikator dimensi '{self.id}' berjumlah {sum(given):g}, harus 100")
        return self

    @model_validator(mode="after")
    def variables_exist(self) -> Dimension:
        known = {v.id for v in self.variables}
        for ind in self.indicators:
            if ind.variable is not None and ind.variable not in known:
                raise ValueError(f"indikator '{ind.id}' menyebut variabel '{ind.variable}' yang tidak ada")
        return self

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
            raise ValueError(f"band '{self.code}': min {self.min:g} lebih besar dari max {self.max:g}")
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
            raise ValueError("scale.min harus lebih kecil dari scale.max")
        if self.normalization == "range" and self.min != 0:
            raise ValueError("normalization 'range' memberi skor mulai 0; set scale.min: 0")
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

    @model_validator(mode="after")
    def ids_unique(self) -> Criteria:
        seen: set[str] = set()
        dupes: list[str] = []
        for ident in self._all_ids():
            if ident in seen:
                dupes.append(ident)
            seen.add(ident)
        if dupes:
            raise ValueError(f"id ganda: {', '.join(sorted(set(dupes)))}")
        return self

    @model_validator(mode="after")
    def dimension_weights_sum_to_100(self) -> Criteria:
        if self.composite is None:
            total = sum(d.weight for d in self.dimensions)
            if abs(total - 100) > WEIGHT_TOLERANCE:
                raise ValueError(f"bobot dimensi berjumlah {total:g}, harus 100")
            return self
        groups = self.composite.groups
        total = sum(g.weight for g in groups)
        if abs(total - 100) > WEIGHT_TOLERANCE:
            raise ValueError(f"bobot kelompok composite berjumlah {total:g}, harus 100")
        by_id = {d.id: d for d in self.dimensions}
        placed: list[str] = []
        for g in groups:
            for dim_id in g.dimensions:
                if dim_id not in by_id:
                    raise ValueError(f"kelompok '{g.id}' menyebut dimensi '{dim_id}' yang tidak ada")
                placed.append(dim_id)
            inner = sum(by_id[d].weight for d in g.dimensions)
            if abs(inner - 100) > WEIGHT_TOLERANCE:
                raise ValueError(f"bobot dimensi dalam kelompok '{g.id}' berjumlah {inner:g}, harus 100")
        unplaced = set(by_id) - set(placed)
        twice = {d for d in placed if placed.count(d) > 1}
        if unplaced or twice:
            raise ValueError(
                "setiap dimensi harus masuk tepat satu kelompok composite"
                + (f"; tanpa kelompok: {sorted(unplaced)}" if unplaced else "")
                + (f"; lebih dari satu kelompok: {sorted(twice)}" if twice else "")
            )
        return self

    @model_validator(mode="after")
    def bands_cover_scale(self) -> Criteria:
        step = self.scale.step
        ordered = sorted(self.bands, key=lambda b: b.min)
        problems: list[str] = []
        if abs(ordered[0].min - self.scale.min) > step / 2:
            problems.append(f"band terendah mulai di {ordered[0].min:g}, bukan {self.scale.min:g}")
        if abs(ordered[-1].max - self.scale.max) > step / 2:
            problems.append(f"band tertinggi berakhir di {ordered[-1].max:g}, bukan {self.scale.max:g}")
        for low, high in zip(ordered, ordered[1:]):
            expected = round(low.max + step, self.scale.decimals)
            if high.min < expected - step / 2:
                problems.append(f"band '{low.code}' dan '{high.code}' tumpang tindih ({low.max:g} ≥ {high.min:g})")
            elif high.min > expected + step / 2:
                problems.append(f"ada celah antara band '{low.code}' ({low.max:g}) dan '{high.code}' ({high.min:g})")
        codes = [b.code for b in self.bands]
        if len(set(codes)) != len(codes):
            problems.append("kode band ganda")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def suffix_points_at_indicator(self) -> Criteria:
        if self.composite and self.composite.suffix:
            rule = self.composite.suffix
            ind = self.indicators_by_id().get(rule.indicator)
            if ind is None:
                raise ValueError(f"suffix menyebut indikator '{rule.indicator}' yang tidak ada")
            if rule.min_value not in {o.value for o in ind.options}:
                raise ValueError(f"suffix.min_value={rule.min_value:g} bukan nilai pilihan '{ind.id}'")
        return self

    def _all_ids(self) -> list[str]:
        ids: list[str] = []
        for d in self.dimensions:
            ids.append(d.id)
            ids.extend(v.id for v in d.variables)
            ids.extend(i.id for i in d.indicators)
        if self.composite:
            ids.extend(g.id for g in self.composite.groups)
        return ids

    # ---- lookups used by scoring and the app ----
    def indicators_by_id(self) -> dict[str, Indicator]:
        return {i.id: i for d in self.dimensions for i in d.indicators}

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

