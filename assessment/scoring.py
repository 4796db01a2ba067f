"""The scoring engine: answers in, a report with its explanation out. Pure functions only.

indicator fraction = normalised value averaged over its subjects (respondents weighted by count);
dimension score    = dimension maximum x weighted mean of its indicator fractions;
total              = sum of dimension scores; band = the criteria's band for the rounded total.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from assessment import gate_path, gates
from assessment.answers import Answer, validate_answers
from assessment.criteria import Band, Criteria, Indicator, Strict
from assessment.gates import ResultOutcome
from assessment.labels import LabelOutcome, labels_for
from assessment.subject import Subject

Status = Literal["lengkap", "sebagian", "belum", "na", "tidak_dinilai"]


class IndicatorResult(Strict):
    id: str
    dimension: str
    variable: str | None
    max_points: float
    earned: float
    lost: float
    fraction: float | None
    status: Status
    answered_subjects: int
    expected_subjects: int | None
    mean_value: float | None
    evidence_required: bool


class PartResult(Strict):
    """A dimension, a variable or a composite group: points earned out of its maximum.

    score is rounded to the criteria's decimals (what is published); exact is unrounded (what the total adds up).
    """

    id: str
    title: str
    score: float
    exact: float
    max: float

    @property
    def share(self) -> float:
        return self.score / self.max if self.max else 0.0


class Improvement(Strict):
    indicator: str
    dimension: str
    points: float
    from_fraction: float
    target_value: float
    evidence_hint: str | None


class Report(Strict):
    criteria_id: str
    criteria_version: str
    total: float
    total_exact: float
    scale_max: float
    band: Band
    label: str
    suffix_granted: bool
    dimensions: tuple[PartResult, ...]
    variables: tuple[PartResult, ...]
    groups: tuple[PartResult, ...]
    indicators: tuple[IndicatorResult, ...]
    answered: int
    scored_indicators: int
    next_band: Band | None
    path: tuple[Improvement, ...]  # to the next result when the criteria have gates, else to the next band
    result: ResultOutcome | None = None  # gates and the result they award (WBK, WBBM, ...)
    labels: tuple[LabelOutcome, ...] = ()  # one label per label family (unit, entity)

    @property
    def complete(self) -> bool:
        return self.answered == self.scored_indicators

    def indicator(self, indicator_id: str) -> IndicatorResult:
        return next(i for i in self.indicators if i.id == indicator_id)


def normalise(criteria: Criteria, ind: Indicator, value: float) -> float:
    if criteria.scale.normalization == "max":
        return value / ind.max_value if ind.max_value else 0.0
    span = ind.max_value - ind.min_value
    return (value - ind.min_value) / span if span else 1.0


def _indicator_fraction(
    criteria: Criteria, ind: Indicator, answers: Sequence[Answer], products: Sequence[str] | None
) -> tuple[float | None, Status, int, float | None]:
    """(fraction or None for N/A, status, answered subject count, mean raw value)."""
    scored = [(a.value, a.count) for a in answers if a.value is not None and a.count > 0]
    has_na = any(a.value is None for a in answers)
    missing = 0
    if ind.subject.kind == "product" and products:
        answered_codes = {Subject.parse(a.subject).code for a in answers}
        missing = sum(1 for code in products if code not in answered_codes)
    if not scored:
        if has_na and missing == 0:
            return None, "na", 0, None
        return 0.0, "belum", 0, None
    # fsum: exact sums, so the order in which answers arrive never changes the score
    count = sum(c for _, c in scored)
    fraction = math.fsum(normalise(criteria, ind, v) * c for v, c in scored) / (count + missing)
    mean_value = math.fsum(v * c for v, c in scored) / count
    expected = ind.subject.expected if ind.subject.kind == "respondent" else None
    status: Status = "lengkap"
    if missing or (expected and count < expected):
        status = "sebagian"
    return fraction, status, count, mean_value


def score(
    criteria: Criteria,
    answers: Iterable[Answer],
    *,
    products: Sequence[str] | None = None,
    plan: bool = True,
    facts: Mapping[str, bool] | None = None,
) -> Report:
    """Score one unit. products: the unit's product codes (an unanswered product then counts as 0).

    facts: recorded yes/no facts of the unit (e.g. tindak_lanjut_produk_ombudsman) for label suffixes;
    a fact that is missing leaves its suffix undetermined.
    """
    items = validate_answers(criteria, answers)
    by_indicator: dict[str, list[Answer]] = defaultdict(list)
    for a in items:
        by_indicator[a.indicator].append(a)

    indicator_results: list[IndicatorResult] = []
    dimension_results: list[PartResult] = []
    variable_results: list[PartResult] = []
    exact_dimension: dict[str, float] = {}
    for dim in criteria.dimensions:
        dim_max = criteria.dimension_max(dim)
        fractions = {}
        for ind in dim.indicators:
            fractions[ind.id] = _indicator_fraction(criteria, ind, by_indicator.get(ind.id, []), products)
        na_full_marks = criteria.na_policy == "full_marks"
        active = math.fsum(
            dim.indicator_weight(i) for i in dim.indicators if na_full_marks or fractions[i.id][0] is not None
        )
        if active == 0:  # every weighted indicator is N/A: nothing to lose here, N/A counts as full marks
            na_full_marks = True
            active = math.fsum(dim.indicator_weight(i) for i in dim.indicators)
        earned_points: list[float] = []
        per_variable: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for ind in dim.indicators:
            fraction, status, count, mean_value = fractions[ind.id]
            weight = dim.indicator_weight(ind)
            if weight == 0:
                status = "tidak_dinilai"
            if fraction is None and not na_full_marks:
                max_points, earned = 0.0, 0.0
            else:
                max_points = dim_max * weight / active
                earned = max_points if fraction is None else max_points * fraction
            earned_points.append(earned)
            if ind.variable:
                per_variable[ind.variable][0] += earned
                per_variable[ind.variable][1] += max_points
            raw_values = [a.value for a in by_indicator.get(ind.id, []) if a.value is not None]
            indicator_results.append(
                IndicatorResult(
                    id=ind.id,
                    dimension=dim.id,
                    variable=ind.variable,
                    max_points=max_points,
                    earned=earned,
                    lost=max_points - earned,
                    fraction=fraction,
                    status=status,
                    answered_subjects=count,
                    expected_subjects=ind.subject.expected,
                    mean_value=mean_value,
                    evidence_required=any(ind.evidence_required(v) for v in raw_values),
                )
            )
        dim_score = math.fsum(earned_points)
        exact_dimension[dim.id] = dim_score
        dimension_results.append(
            PartResult(id=dim.id, title=dim.title, score=criteria.round(dim_score), exact=dim_score, max=dim_max)
        )
        for var in dim.variables:
            earned, max_points = per_variable.get(var.id, [0.0, 0.0])
            variable_results.append(
                PartResult(id=var.id, title=var.title, score=criteria.round(earned), exact=earned, max=max_points)
            )

    group_results: list[PartResult] = []
    if criteria.composite:
        for g in criteria.composite.groups:
            dims = [d for d in criteria.dimensions if d.id in g.dimensions]
            group_exact = math.fsum(exact_dimension[d.id] for d in dims)
            group_results.append(
                PartResult(
                    id=g.id,
                    title=g.title,
                    score=criteria.round(group_exact),
                    exact=group_exact,
                    max=math.fsum(criteria.dimension_max(d) for d in dims),
                )
            )

    total_exact = math.fsum(exact_dimension.values())
    total = criteria.round(total_exact)
    band = criteria.band_for(total)
    suffix_granted = _suffix_granted(criteria, by_indicator)
    label = f"{band.label} {criteria.composite.suffix.text}" if suffix_granted and criteria.composite else band.label
    scored = [r for r in indicator_results if r.status != "tidak_dinilai"]
    nxt = criteria.next_band(band)
    result = None
    if criteria.results is not None:
        parts = gates.part_values(
            criteria,
            dimensions=dimension_results,
            variables=variable_results,
            groups=group_results,
            indicators=indicator_results,
            total_exact=total_exact,
        )
        result = gates.evaluate(criteria, parts)
        path: tuple[Improvement, ...] = ()
        if plan and result is not None and result.next is not None:
            found, optimal = path_to_result(criteria, indicator_results, parts, result.achieved + 1)
            path = tuple(found or ())
            result = result.model_copy(update={"path_optimal": optimal, "path_reachable": found is not None})
    else:
        path = tuple(path_to(criteria, indicator_results, nxt)) if plan and nxt else ()
    raw = None  # raw answers only matter for an indicator-based family suffix; skip the work otherwise
    if any(f.suffix and f.suffix.indicator for f in criteria.label_families):
        raw = {ind_id: [a.value for a in items if a.value is not None] for ind_id, items in by_indicator.items()}
    return Report(
        criteria_id=criteria.id,
        criteria_version=criteria.version,
        total=total,
        total_exact=total_exact,
        scale_max=criteria.scale.max,
        band=band,
        label=label,
        suffix_granted=suffix_granted,
        dimensions=tuple(dimension_results),
        variables=tuple(variable_results),
        groups=tuple(group_results),
        indicators=tuple(indicator_results),
        answered=sum(1 for r in scored if r.status != "belum"),
        scored_indicators=len(scored),
        next_band=nxt,
        path=path,
        result=result,
        labels=labels_for(criteria, total, facts=facts, indicator_values=raw) if criteria.label_families else (),
    )


def path_to_result(
    criteria: Criteria, results: Sequence[IndicatorResult], parts: Mapping[str, gates.PartValue], level: int
) -> tuple[list[Improvement] | None, bool]:
    """The fewest improvements after which every gate of results.levels[level] holds; None if unreachable."""
    assert criteria.results is not None
    options = improvements(criteria, results)
    candidates = [gate_path.Candidate(i.indicator, i.points) for i in options]
    ids, optimal = gate_path.path_to_result(
        criteria.results.levels[level].gates, parts, criteria.part_members, candidates, criteria.scale.decimals
    )
    if ids is None:
        return None, optimal
    chosen = set(ids)
    return [i for i in options if i.indicator in chosen], optimal


def next_step_path(criteria: Criteria, report: Report) -> list[Improvement]:
    """The report's plan, computed when it was scored without one: next result with gates, else next band."""
    if report.path:
        return list(report.path)
    if criteria.results is not None:
        if report.result is None or report.result.next is None:
            return []
        parts = gates.part_values(
            criteria,
            dimensions=report.dimensions,
            variables=report.variables,
            groups=report.groups,
            indicators=report.indicators,
            total_exact=report.total_exact,
        )
        found, _ = path_to_result(criteria, report.indicators, parts, report.result.achieved + 1)
        return found or []
    return path_to(criteria, report.indicators, report.next_band) if report.next_band else []


def _suffix_granted(criteria: Criteria, by_indicator: dict[str, list[Answer]]) -> bool:
    if not criteria.composite or not criteria.composite.suffix:
        return False
    rule = criteria.composite.suffix
    values = [a.value for a in by_indicator.get(rule.indicator, []) if a.value is not None]
    return bool(values) and min(values) >= rule.min_value


def improvements(criteria: Criteria, results: Sequence[IndicatorResult]) -> list[Improvement]:
    """Every indicator that still loses points, raised to its top level, largest gain first."""
    indicators = criteria.indicators_by_id()
    order = {ind_id: n for n, ind_id in enumerate(indicators)}
    out = []
    for r in results:
        if r.lost <= 1e-9:
            continue
        ind = indicators[r.id]
        out.append(
            Improvement(
                indicator=r.id,
                dimension=r.dimension,
                points=r.lost,
                from_fraction=r.fraction or 0.0,
                target_value=ind.max_value,
                evidence_hint=ind.evidence.hint if ind.evidence else None,
            )
        )
    out.sort(key=lambda i: (-round(i.points, 9), order[i.indicator]))
    return out


def path_to(criteria: Criteria, results: Sequence[IndicatorResult], target: Band | None) -> list[Improvement]:
    """The fewest improvements whose points reach the target band.

    Indicator gains add up independently, so taking the largest gains first is optimal for the count.
    """
    if target is None:
        return []
    chosen: list[Improvement] = []

    def reached() -> float:
        # Sum exactly as score() does (fsum per dimension, then over dimensions): a plain running sum can
        # round 3.005 up to the next band while the rescored unit rounds down.
        raised = {imp.indicator for imp in chosen}
        per_dimension: dict[str, list[float]] = {}
        for r in results:
            per_dimension.setdefault(r.dimension, []).append(r.max_points if r.id in raised else r.earned)
        return criteria.round(math.fsum(math.fsum(points) for points in per_dimension.values()))

    for imp in improvements(criteria, results):
        if reached() >= target.min:
            break
        chosen.append(imp)
    return chosen if reached() >= target.min else []


def apply_improvements(
    criteria: Criteria,
    answers: Iterable[Answer],
    indicator_ids: Iterable[str],
    *,
    products: Sequence[str] | None = None,
) -> list[Answer]:
    """What-if: the same answers with the chosen indicators raised to their top level on every subject."""
    items = list(answers)
    raise_ids = set(indicator_ids)
    indicators = criteria.indicators_by_id()
    out = [a for a in items if a.indicator not in raise_ids]
    for ind_id in sorted(raise_ids):
        ind = indicators[ind_id]
        existing = [a for a in items if a.indicator == ind_id]
        top = ind.max_value
        if ind.subject.kind == "unit":
            out.append(Answer(indicator=ind_id, value=top))
        elif ind.subject.kind == "product":
            codes = {Subject.parse(a.subject).code for a in existing} | set(products or ())
            for code in sorted(codes) or ["rencana"]:
                out.append(Answer(indicator=ind_id, subject=str(Subject.product(code)), value=top))
        else:
            count = max(sum(a.count for a in existing), ind.subject.expected or 1)
            out.append(Answer(indicator=ind_id, subject=str(Subject.tally(top)), value=top, count=count))
    return out
