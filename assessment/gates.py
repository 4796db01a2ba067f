"""Gates: named pass/fail conditions over part scores, and the results they award (e.g. WBK, WBBM).

A gate holds when a part's score (rounded as published) reaches a number of points (`min`) or a share
of the part's maximum (`min_share`, percent). A gate looks at one part (`of`), at every part of a list
(`all`) or at least one of them (`any`). Parts are written `total`, `group:ID`, `component:ID`,
`dimension:ID`, `variable:ID` or `indicator:ID`; a component is a named sum of dimensions / variables.
Results are ordered lowest first; a unit gets the highest result whose gates all hold, else `otherwise`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from assessment.model_base import Identifier, Loc, RuleViolation, Strict, Text

if TYPE_CHECKING:
    from assessment.criteria import Criteria

PART_KINDS = ("total", "group", "component", "dimension", "variable", "indicator")
PartRef = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        pattern=r"^(total|(group|component|dimension|variable|indicator):[A-Za-z0-9][A-Za-z0-9_.\-]*)$",
    ),
]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
EPS = 1e-9


class Component(Strict):
    """A named sum of dimensions or variables (e.g. Pengungkit = six areas), usable by gates."""

    id: Identifier
    title: Text
    parts: tuple[PartRef, ...] = Field(min_length=1, description="dimension:ID or variable:ID, each once.")


class Gate(Strict):
    id: Identifier
    title: Text = Field(description="What the gate asks, in the words a unit head understands.")
    of: PartRef | None = Field(default=None, description="One part.")
    all: tuple[PartRef, ...] | None = Field(default=None, description="Every one of these parts must reach it.")
    any: tuple[PartRef, ...] | None = Field(default=None, description="At least one of these parts must reach it.")
    min: float | None = Field(default=None, ge=0, description="Points the part must reach (rounded score ≥ min).")
    min_share: float | None = Field(
        default=None, gt=0, le=100, description="Percent of the part's maximum the part must reach."
    )
    uncertain: bool = Field(default=False, description="The threshold is not confirmed by two sources.")
    note: Text | None = Field(default=None, description="Source or reconstruction remark.")

    @model_validator(mode="after")
    def one_target_one_threshold(self) -> Gate:
        problems: list[tuple[Loc, str]] = []
        given = [k for k in ("of", "all", "any") if getattr(self, k) is not None]
        if len(given) != 1:
            problems.append(((), f"gerbang '{self.id}' harus memakai tepat satu dari of / all / any"))
        for key in ("all", "any"):
            parts = getattr(self, key)
            if parts is not None and not parts:
                problems.append(((key,), f"gerbang '{self.id}': daftar {key} tidak boleh kosong"))
        if (self.min is None) == (self.min_share is None):
            problems.append(((), f"gerbang '{self.id}' harus memakai tepat satu dari min / min_share"))
        if problems:
            raise RuleViolation(problems)
        return self

    @property
    def quantifier(self) -> Literal["of", "all", "any"]:
        return "of" if self.of is not None else ("all" if self.all is not None else "any")

    @property
    def parts(self) -> tuple[str, ...]:
        return (self.of,) if self.of is not None else (self.all or self.any or ())


class ResultLevel(Strict):
    code: Identifier
    label: Text
    colour: Colour
    gates: tuple[Gate, ...] = Field(min_length=1)
    note: Text | None = None


class DefaultResult(Strict):
    code: Identifier
    label: Text
    colour: Colour


class Results(Strict):
    """Results awarded by gates, lowest first; `otherwise` when no result's gates all hold."""

    title: Text
    otherwise: DefaultResult
    levels: tuple[ResultLevel, ...] = Field(min_length=1)


# ---------------------------------------------------------------- validation (called by Criteria)


def nominal_parts(criteria: Criteria) -> dict[str, tuple[str, float]]:
    """Every part a gate may name: ref -> (title, maximum points when nothing is N/A)."""
    out: dict[str, tuple[str, float]] = {"total": ("Nilai total", criteria.scale.max)}
    for d in criteria.dimensions:
        d_max = criteria.dimension_max(d)
        out[f"dimension:{d.id}"] = (d.title, d_max)
        for v in d.variables:
            share = sum(d.indicator_weight(i) for i in d.indicators if i.variable == v.id)
            out[f"variable:{v.id}"] = (v.title, d_max * share / 100.0)
        for i in d.indicators:
            out[f"indicator:{i.id}"] = (i.id, d_max * d.indicator_weight(i) / 100.0)
    if criteria.composite:
        for g in criteria.composite.groups:
            dims = [d for d in criteria.dimensions if d.id in g.dimensions]
            out[f"group:{g.id}"] = (g.title, sum(criteria.dimension_max(d) for d in dims))
    for c in criteria.components:
        total = sum(out[p][1] for p in c.parts if p in out and not p.startswith("component:"))
        out[f"component:{c.id}"] = (c.title, total)
    return out


def _known_parts(criteria: Criteria) -> dict[str, tuple[str, float]] | None:
    try:
        return nominal_parts(criteria)
    except KeyError:  # a dimension outside every composite group: that rule already reports it
        return None


def component_problems(criteria: Criteria) -> list[tuple[Loc, str]]:
    known = _known_parts(criteria)
    if known is None:
        return []
    problems: list[tuple[Loc, str]] = []
    for c_idx, c in enumerate(criteria.components):
        seen: set[str] = set()
        for p_idx, ref in enumerate(c.parts):
            loc: Loc = ("components", c_idx, "parts", p_idx)
            if not ref.startswith(("dimension:", "variable:")):
                problems.append((loc, f"komponen '{c.id}' hanya boleh menjumlah dimension:… atau variable:…"))
            elif ref not in known:
                problems.append((loc, f"komponen '{c.id}' menyebut '{ref}' yang tidak ada"))
            elif ref in seen:
                problems.append((loc, f"komponen '{c.id}' menyebut '{ref}' dua kali"))
            seen.add(ref)
    return problems


def gate_problems(criteria: Criteria) -> list[tuple[Loc, str]]:
    """Every part a gate names exists, a `min` is reachable, codes and gate ids are unique."""
    known = _known_parts(criteria) if criteria.results is not None else None
    if criteria.results is None or known is None:
        return []
    res = criteria.results
    problems: list[tuple[Loc, str]] = []
    codes = {res.otherwise.code: ("results", "otherwise", "code")}
    for l_idx, level in enumerate(res.levels):
        at: Loc = ("results", "levels", l_idx)
        if level.code in codes:
            problems.append(((*at, "code"), f"kode hasil '{level.code}' ganda"))
        codes.setdefault(level.code, (*at, "code"))
        gate_ids: set[str] = set()
        for g_idx, gate in enumerate(level.gates):
            g_at: Loc = (*at, "gates", g_idx)
            if gate.id in gate_ids:
                problems.append(((*g_at, "id"), f"id gerbang '{gate.id}' ganda di hasil '{level.code}'"))
            gate_ids.add(gate.id)
            key = gate.quantifier
            for p_idx, ref in enumerate(gate.parts):
                p_at: Loc = (*g_at, key) if key == "of" else (*g_at, key, p_idx)
                if ref not in known:
                    kinds = ", ".join(PART_KINDS)
                    problems.append((p_at, f"gerbang '{gate.id}' menyebut '{ref}' yang tidak ada (jenis: {kinds})"))
                elif gate.min is not None and gate.min > known[ref][1] + EPS:
                    problems.append(
                        (
                            (*g_at, "min"),
                            f"gerbang '{gate.id}': min {gate.min:g} melebihi nilai maksimum '{ref}' "
                            f"({known[ref][1]:.2f}); tidak mungkin tercapai",
                        )
                    )
    return problems


def part_members(criteria: Criteria) -> dict[str, frozenset[str]]:
    """ref -> the indicators whose points add up to that part."""
    out: dict[str, frozenset[str]] = {}
    every: set[str] = set()
    for d in criteria.dimensions:
        ids = frozenset(i.id for i in d.indicators)
        every |= ids
        out[f"dimension:{d.id}"] = ids
        for v in d.variables:
            out[f"variable:{v.id}"] = frozenset(i.id for i in d.indicators if i.variable == v.id)
        for i in d.indicators:
            out[f"indicator:{i.id}"] = frozenset((i.id,))
    out["total"] = frozenset(every)
    if criteria.composite:
        for g in criteria.composite.groups:
            out[f"group:{g.id}"] = frozenset().union(*(out[f"dimension:{d}"] for d in g.dimensions))
    for c in criteria.components:
        out[f"component:{c.id}"] = frozenset().union(*(out.get(p, frozenset()) for p in c.parts))
    return out


# ---------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class PartValue:
    title: str
    exact: float
    max: float


class PartCheck(Strict):
    ref: str
    title: str
    score: float  # rounded, as published
    max: float
    required: float  # points the part must reach
    passed: bool
    gap: float  # points still missing (0 when passed)


class GateCheck(Strict):
    id: str
    title: str
    quantifier: Literal["of", "all", "any"]
    min: float | None
    min_share: float | None
    passed: bool
    gap: float  # of/any: the smallest part gap; all: the sum of the failing parts' gaps
    parts: tuple[PartCheck, ...]
    uncertain: bool
    note: str | None

    @property
    def failing_parts(self) -> tuple[PartCheck, ...]:
        return tuple(p for p in self.parts if not p.passed)


class ResultCheck(Strict):
    code: str
    label: str
    colour: str
    passed: bool
    gates: tuple[GateCheck, ...]

    @property
    def failing(self) -> tuple[GateCheck, ...]:
        return tuple(g for g in self.gates if not g.passed)


class ResultOutcome(Strict):
    """Which result a score earns, every level's gates, and the explanation in words."""

    title: str
    code: str
    label: str
    colour: str
    achieved: int  # index of the level reached, -1 for `otherwise`
    levels: tuple[ResultCheck, ...]
    explanation: tuple[str, ...]
    path_optimal: bool = True  # False when the search stopped at its budget and gave a short, not the shortest, list
    path_reachable: bool = True  # False when even every indicator at its top level misses a gate

    @property
    def next(self) -> ResultCheck | None:
        idx = self.achieved + 1
        return self.levels[idx] if idx < len(self.levels) else None


def part_values(
    criteria: Criteria,
    *,
    dimensions: Iterable,
    variables: Iterable,
    groups: Iterable,
    indicators: Iterable,
    total_exact: float,
) -> dict[str, PartValue]:
    """Scores of every part from a report's pieces (objects with id, title, exact, max / earned, max_points)."""
    out = {"total": PartValue("Nilai total", total_exact, criteria.scale.max)}
    for d in dimensions:
        out[f"dimension:{d.id}"] = PartValue(d.title, d.exact, d.max)
    for v in variables:
        out[f"variable:{v.id}"] = PartValue(v.title, v.exact, v.max)
    for g in groups:
        out[f"group:{g.id}"] = PartValue(g.title, g.exact, g.max)
    for r in indicators:
        out[f"indicator:{r.id}"] = PartValue(r.id, r.earned, r.max_points)
    for c in criteria.components:
        parts = [out[p] for p in c.parts if p in out]
        out[f"component:{c.id}"] = PartValue(c.title, sum(p.exact for p in parts), sum(p.max for p in parts))
    return out


def required_points(gate: Gate, part: PartValue, decimals: int) -> float:
    if gate.min is not None:
        return gate.min
    return round(part.max * (gate.min_share or 0) / 100.0, decimals)


def _reaches(exact: float, required: float, decimals: int) -> bool:
    return round(exact + 0.0, decimals) >= required - EPS


def check_gate(gate: Gate, parts: Mapping[str, PartValue], decimals: int) -> GateCheck:
    checks = []
    for ref in gate.parts:
        part = parts[ref]
        need = required_points(gate, part, decimals)
        shown = round(part.exact + 0.0, decimals)
        ok = _reaches(part.exact, need, decimals)
        gap = 0.0 if ok else round(max(0.0, need - shown), decimals)
        checks.append(
            PartCheck(ref=ref, title=part.title, score=shown, max=part.max, required=need, passed=ok, gap=gap)
        )
    if gate.quantifier == "any":
        passed = any(c.passed for c in checks)
        gap = 0.0 if passed else min(c.gap for c in checks)
    else:
        passed = all(c.passed for c in checks)
        gap = round(sum(c.gap for c in checks), decimals)
    return GateCheck(
        id=gate.id,
        title=gate.title,
        quantifier=gate.quantifier,
        min=gate.min,
        min_share=gate.min_share,
        passed=passed,
        gap=gap,
        parts=tuple(checks),
        uncertain=gate.uncertain,
        note=gate.note,
    )


def _num(value: float) -> str:
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def explain_gate(check: GateCheck) -> str:
    """One failing gate in words: which part, its score, what it needs and how far it is."""
    bits = []
    for p in check.failing_parts:
        share = f" ({_num(100 * p.score / p.max)} % dari maks. {_num(p.max)})" if check.min_share and p.max else ""
        bits.append(f"{p.title} {_num(p.score)}{share}, perlu {_num(p.required)}, kurang {_num(p.gap)}")
    joiner = "; salah satu cukup: " if check.quantifier == "any" else "; "
    mark = " [ambang belum pasti]" if check.uncertain else ""
    return f"{check.title}{mark}: " + joiner.join(bits).lstrip("; ")


def explain(outcome_title: str, levels: Sequence[ResultCheck], achieved: int, default_label: str) -> tuple[str, ...]:
    lines = []
    if achieved >= 0:
        lines.append(
            f"{outcome_title}: {levels[achieved].label} — semua {len(levels[achieved].gates)} syarat terpenuhi."
        )
    else:
        lines.append(f"{outcome_title}: {default_label}.")
    for level in levels[achieved + 1 :]:
        failing = level.failing
        lines.append(f"{level.label} belum tercapai: {len(failing)} dari {len(level.gates)} syarat gagal.")
        lines.extend(f"  - {explain_gate(g)}" for g in failing)
    return tuple(lines)


def evaluate(criteria: Criteria, parts: Mapping[str, PartValue]) -> ResultOutcome | None:
    res = criteria.results
    if res is None:
        return None
    decimals = criteria.scale.decimals
    levels = tuple(
        ResultCheck(
            code=level.code,
            label=level.label,
            colour=level.colour,
            passed=all(g.passed for g in checks),
            gates=checks,
        )
        for level in res.levels
        for checks in [tuple(check_gate(g, parts, decimals) for g in level.gates)]
    )
    achieved = max((n for n, level in enumerate(levels) if level.passed), default=-1)
    top = levels[achieved] if achieved >= 0 else res.otherwise
    return ResultOutcome(
        title=res.title,
        code=top.code,
        label=top.label,
        colour=top.colour,
        achieved=achieved,
        levels=levels,
        explanation=explain(res.title, levels, achieved, res.otherwise.label),
    )
