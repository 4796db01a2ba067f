"""Scoring many units at once: the same numbers as ``score()``, without building a Report per unit.

``score()`` validates every answer as a model and explains every indicator; a league table of
10,000 units needs only each unit's total, dimension scores and band. ``BatchScorer`` precomputes
the criteria's weights once and reads plain rows ``(indicator, subject, value, count)`` (or
``Answer`` objects). The arithmetic follows ``scoring.score`` operation for operation, so totals
are identical, not merely close (tests/assessment/test_batch.py checks it on random data).

    scorer = BatchScorer(criteria)
    results = scorer.score_many({unit_id: rows, ...}, products={unit_id: ["SKTM", "PBI"]})
    results[unit_id].total, results[unit_id].band.code
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import fsum
from typing import Any, TypeVar

from assessment.answers import Answer
from assessment.criteria import Band, Criteria
from assessment.errors import AnswersError, Problem

K = TypeVar("K")
Row = tuple[str, str, float | None, int]

_SUBJECT_KIND = {"unit": "unit", "product": "product", "respondent": "respondent", "tally": "respondent"}


@dataclass(frozen=True, slots=True)
class UnitScore:
    total: float
    total_exact: float
    dimensions: tuple[float, ...]  # rounded, in the criteria's dimension order (like Report.dimensions[i].score)
    band: Band
    answered: int  # indicators with at least one answer (N/A included), among the scored ones


@dataclass(frozen=True, slots=True)
class _Ind:
    position: int
    dimension: int
    weight: float
    kind: str
    low: float
    span: float
    top: float
    values: frozenset[float]
    na_allowed: bool


class BatchScorer:
    """The criteria's weights and scales, prepared once for scoring many units."""

    def __init__(self, criteria: Criteria) -> None:
        self.criteria = criteria
        self._by_range = criteria.scale.normalization == "range"
        self._full_marks = criteria.na_policy == "full_marks"
        self._dim_max = [criteria.dimension_max(d) for d in criteria.dimensions]
        self._dim_ranges: list[range] = []
        self._indicators: list[_Ind] = []
        self._index: dict[str, _Ind] = {}
        for d_idx, dim in enumerate(criteria.dimensions):
            start = len(self._indicators)
            for ind in dim.indicators:
                spec = _Ind(
                    position=len(self._indicators),
                    dimension=d_idx,
                    weight=dim.indicator_weight(ind),
                    kind=ind.subject.kind,
                    low=ind.min_value,
                    span=ind.max_value - ind.min_value,
                    top=ind.max_value,
                    values=frozenset(o.value for o in ind.options),
                    na_allowed=ind.na_allowed,
                )
                self._indicators.append(spec)
                self._index[ind.id] = spec
            self._dim_ranges.append(range(start, len(self._indicators)))
        self._ids = [i.id for d in criteria.dimensions for i in d.indicators]
        self._bands = sorted(criteria.bands, key=lambda b: b.min)

    def score_many(
        self,
        answers_by_unit: Mapping[K, Iterable[Row | Answer]],
        *,
        products: Mapping[K, Sequence[str]] | None = None,
    ) -> dict[K, UnitScore]:
        products = products or {}
        return {key: self.score_one(rows, products=products.get(key)) for key, rows in answers_by_unit.items()}

    def score_one(self, rows: Iterable[Row | Answer], *, products: Sequence[str] | None = None) -> UnitScore:
        n = len(self._indicators)
        terms: list[list[float]] = [[] for _ in range(n)]
        counts = [0] * n
        has_na = [False] * n
        codes: dict[int, set[str]] = {}
        index = self._index
        by_range = self._by_range
        for row in rows:
            if isinstance(row, Answer):
                ind_id, subject, value, count = row.indicator, row.subject, row.value, row.count
            else:
                ind_id, subject, value, count = row
            spec = index.get(ind_id)
            if spec is None:
                raise AnswersError([Problem("jawaban", f"indikator '{ind_id}' tidak ada di kriteria", path=ind_id)])
            kind, _, rest = subject.partition(":")
            if _SUBJECT_KIND.get(kind) != spec.kind:
                raise AnswersError([Problem("jawaban", "subjek tidak sesuai indikator", path=f"{ind_id}/{subject}")])
            i = spec.position
            if spec.kind == "product":
                codes.setdefault(i, set()).add(rest)
            if value is None:
                if not spec.na_allowed:
                    raise AnswersError([Problem("jawaban", "N/A tidak diizinkan", path=f"{ind_id}/{subject}")])
                has_na[i] = True
                continue
            if value not in spec.values:
                raise AnswersError([Problem("jawaban", f"nilai {value:g} di luar skala", path=f"{ind_id}/{subject}")])
            if count > 0:
                if by_range:
                    norm = (value - spec.low) / spec.span if spec.span else 1.0
                else:
                    norm = value / spec.top if spec.top else 0.0
                terms[i].append(norm * count)
                counts[i] += count

        # the same operations as scoring.score (fsum everywhere), so results are identical
        fractions: list[float | None] = [0.0] * n
        for spec in self._indicators:
            i = spec.position
            missing = 0
            if spec.kind == "product" and products:
                seen = codes.get(i, ())
                missing = sum(1 for code in products if code not in seen)
            if counts[i] == 0:
                fractions[i] = None if (has_na[i] and missing == 0) else 0.0
            else:
                fractions[i] = fsum(terms[i]) / (counts[i] + missing)

        round_ = self.criteria.round
        dim_scores: list[float] = []
        exact: list[float] = []
        answered = 0
        for d_idx, positions in enumerate(self._dim_ranges):
            dim_max = self._dim_max[d_idx]
            specs = [self._indicators[i] for i in positions]
            na_full_marks = self._full_marks
            active = fsum(s.weight for s in specs if na_full_marks or fractions[s.position] is not None)
            if active == 0:  # every weighted indicator N/A: N/A counts as full marks
                na_full_marks = True
                active = fsum(s.weight for s in specs)
            earned_points: list[float] = []
            for s in specs:
                fraction = fractions[s.position]
                if fraction is None and not na_full_marks:
                    earned = 0.0
                else:
                    max_points = dim_max * s.weight / active
                    earned = max_points if fraction is None else max_points * fraction
                earned_points.append(earned)
                if s.weight != 0 and (fraction is None or counts[s.position] > 0):
                    answered += 1
            dim_score = fsum(earned_points)
            exact.append(dim_score)
            dim_scores.append(round_(dim_score))
        total_exact = fsum(exact)
        total = round_(total_exact)
        return UnitScore(
            total=total,
            total_exact=total_exact,
            dimensions=tuple(dim_scores),
            band=self.band_for(total),
            answered=answered,
        )

    def band_for(self, score: float) -> Band:
        c = self.criteria
        rounded = c.round(min(max(score, c.scale.min), c.scale.max))
        for band in self._bands:
            if band.min <= rounded <= band.max:
                return band
        raise ValueError(f"skor {rounded} tidak masuk band mana pun")


def score_many(
    criteria: Criteria,
    answers_by_unit: Mapping[K, Iterable[Row | Answer]],
    *,
    products: Mapping[K, Sequence[str]] | None = None,
) -> dict[K, UnitScore]:
    """Totals, dimension scores and bands of many units; identical to ``score()`` unit by unit."""
    return BatchScorer(criteria).score_many(answers_by_unit, products=products)


def rows_from(answers: Iterable[Any]) -> list[Row]:
    """Plain rows from Answer objects or store rows having indicator_id/subject/value/count."""
    out: list[Row] = []
    for a in answers:
        ind = a.indicator if isinstance(a, Answer) else a.indicator_id
        out.append((ind, a.subject, a.value, a.count))
    return out
