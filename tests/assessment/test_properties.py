"""Properties of the scoring engine over random valid answer sets (hypothesis)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment import Answer, Criteria, apply_improvements, load_criteria, score
from assessment.criteria import Indicator

CRITERIA_DIR = Path(__file__).resolve().parents[2] / "criteria"
ALL = sorted(p.stem for p in CRITERIA_DIR.glob("*.yaml"))
MAIN = ["ombudsman-2023", "pekppp-2023"]
CODES = ["SKTM", "PBI", "ODGJ"]

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_CACHE: dict[str, Criteria] = {}


def criteria_named(name: str) -> Criteria:
    if name not in _CACHE:
        _CACHE[name] = load_criteria(CRITERIA_DIR / f"{name}.yaml")
    return _CACHE[name]


def values(ind: Indicator, na: bool = True) -> list[float | None]:
    out: list[float | None] = [o.value for o in ind.options]
    return out + [None] if na and ind.na_allowed else out


@st.composite
def indicator_answers(draw, ind: Indicator, products: list[str] | None) -> list[Answer]:
    kind = ind.subject.kind
    if kind == "unit":
        return [Answer(indicator=ind.id, value=draw(st.sampled_from(values(ind))))]
    if kind == "product":
        pool = products or CODES
        codes = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=len(pool), unique=True))
        return [
            Answer(indicator=ind.id, subject=f"product:{c}", value=draw(st.sampled_from(values(ind)))) for c in codes
        ]
    out = []
    n = draw(st.integers(0, 4))
    for number in range(1, n + 1):
        out.append(Answer(indicator=ind.id, subject=f"respondent:{number}", value=draw(st.sampled_from(values(ind)))))
    tallied = draw(st.lists(st.sampled_from(values(ind, na=False)), unique=True, max_size=len(ind.options)))
    for value in tallied:
        count = draw(st.integers(0, 40))
        out.append(Answer(indicator=ind.id, subject=f"tally:{value:g}", value=value, count=count))
    if not out:  # at least one respondent
        out.append(Answer(indicator=ind.id, subject="respondent:1", value=draw(st.sampled_from(values(ind)))))
    return out


@st.composite
def unit_answers(draw, criteria: Criteria) -> tuple[list[Answer], list[str] | None]:
    """(answers, product codes of the unit or None). Some indicators stay unanswered."""
    products = draw(st.none() | st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True))
    answers: list[Answer] = []
    for ind in criteria.indicators_by_id().values():
        if draw(st.integers(0, 9)) == 0:  # ~10 % unanswered
            continue
        answers += draw(indicator_answers(ind, products))
    return answers, products


def raisable(criteria: Criteria, answers: list[Answer]) -> list[int]:
    inds = criteria.indicators_by_id()
    return [n for n, a in enumerate(answers) if a.value is not None and a.value < inds[a.indicator].max_value]


# ---- bounds and sums ----


@pytest.mark.parametrize("name", ALL)
@SETTINGS
@given(data=st.data())
def test_total_within_scale_and_dimensions_within_their_maximum(name, data):
    criteria = criteria_named(name)
    answers, products = data.draw(unit_answers(criteria))
    report = score(criteria, answers, products=products)
    assert 0 <= report.total <= criteria.scale.max
    for part in report.dimensions:
        assert -1e-9 <= part.exact <= part.max + 1e-9
        assert part.score <= criteria.round(part.max)
    for part in (*report.variables, *report.groups):
        assert -1e-9 <= part.exact <= part.max + 1e-9
    for r in report.indicators:
        assert -1e-9 <= r.earned <= r.max_points + 1e-9
        if r.fraction is not None:
            assert 0 <= r.fraction <= 1
    assert report.band == criteria.band_for(report.total)


@pytest.mark.parametrize("name", ALL)
@SETTINGS
@given(data=st.data())
def test_total_is_the_rounded_sum_of_exact_dimension_scores(name, data):
    criteria = criteria_named(name)
    answers, products = data.draw(unit_answers(criteria))
    report = score(criteria, answers, products=products)
    assert report.total == criteria.round(math.fsum(d.exact for d in report.dimensions))
    assert report.total_exact == pytest.approx(math.fsum(r.earned for r in report.indicators), abs=1e-9)
    assert (
        abs(report.total - sum(d.score for d in report.dimensions))
        <= 0.5 * len(report.dimensions) * (criteria.scale.step) + 1e-9
    )


# ---- monotonic, order-free ----


@pytest.mark.parametrize("name", ALL)
@SETTINGS
@given(data=st.data())
def test_raising_one_answer_never_lowers_the_total(name, data):
    criteria = criteria_named(name)
    answers, products = data.draw(unit_answers(criteria))
    candidates = raisable(criteria, answers)
    if not candidates:
        return
    n = data.draw(st.sampled_from(candidates))
    old = answers[n]
    ind = criteria.indicators_by_id()[old.indicator]
    higher = data.draw(st.sampled_from([o.value for o in ind.options if o.value > old.value]))
    raised = [*answers[:n], old.model_copy(update={"value": higher}), *answers[n + 1 :]]
    if old.subject.startswith("tally:"):
        raised[n] = Answer(indicator=old.indicator, subject=f"tally:{higher:g}", value=higher, count=old.count)
        if any(a.subject == raised[n].subject and a.indicator == old.indicator for a in answers):
            return  # that tally exists already; merging counts is another answer set
    before = score(criteria, answers, products=products, plan=False)
    after = score(criteria, raised, products=products, plan=False)
    assert after.total >= before.total
    assert after.total_exact >= before.total_exact - 1e-9


@pytest.mark.parametrize("name", ALL)
@SETTINGS
@given(data=st.data())
def test_answer_order_gives_the_identical_report(name, data):
    criteria = criteria_named(name)
    answers, products = data.draw(unit_answers(criteria))
    shuffled = data.draw(st.permutations(answers))
    assert score(criteria, shuffled, products=products) == score(criteria, answers, products=products)


# ---- N/A per na_policy ----


def na_on(criteria: Criteria, ind_id: str, answers: list[Answer]) -> list[Answer]:
    """Replace every answer of one indicator by N/A on two products."""
    kept = [a for a in answers if a.indicator != ind_id]
    return kept + [Answer(indicator=ind_id, subject=f"product:{c}", value=None) for c in CODES[:2]]


@SETTINGS
@given(data=st.data())
def test_na_excluded_indicator_has_no_points_and_the_dimension_can_still_reach_its_maximum(data):
    criteria = criteria_named("ombudsman-2023")
    assert criteria.na_policy == "exclude"
    answers, _ = data.draw(unit_answers(criteria))
    answers = na_on(criteria, "PR-12", answers)
    report = score(criteria, answers)
    pr12 = report.indicator("PR-12")
    assert (pr12.status, pr12.max_points, pr12.earned) == ("na", 0, 0)
    proses = [i.id for i in criteria.dimensions[1].indicators if i.id != "PR-12"]
    best = apply_improvements(criteria, answers, proses)
    top = score(criteria, best)
    dim = next(d for d in top.dimensions if d.id == "proses")
    assert dim.exact == pytest.approx(dim.max)


@SETTINGS
@given(data=st.data())
def test_na_full_marks_counts_as_maximum(data):
    criteria = criteria_named("ombudsman-2023").model_copy(update={"na_policy": "full_marks"})
    answers, _ = data.draw(unit_answers(criteria))
    answers = na_on(criteria, "PR-12", answers)
    report = score(criteria, answers)
    pr12 = report.indicator("PR-12")
    assert pr12.status == "na"
    assert pr12.max_points == pytest.approx(32.37 / 12)
    assert pr12.earned == pr12.max_points and pr12.lost == 0
    excluded = score(criteria.model_copy(update={"na_policy": "exclude"}), answers)
    assert report.total_exact >= excluded.total_exact - 1e-9  # counting N/A as the top never costs points


# ---- path to the next band ----


@pytest.mark.parametrize("name", MAIN)
@SETTINGS
@given(data=st.data())
def test_path_when_applied_reaches_the_next_band(name, data):
    criteria = criteria_named(name)
    answers, products = data.draw(unit_answers(criteria))
    report = score(criteria, answers, products=products)
    if report.next_band is None:
        assert report.path == ()
        return
    assert report.path, "the top of the scale is always reachable, so a path exists"
    steps = [i.indicator for i in report.path]
    raised = apply_improvements(criteria, answers, steps, products=products)
    improved = score(criteria, raised, products=products)
    assert improved.total >= report.next_band.min
    assert improved.band.min >= report.next_band.min
    # fewest: without its smallest step the rescored unit falls short
    short = score(criteria, apply_improvements(criteria, answers, steps[:-1], products=products), products=products)
    assert short.total < report.next_band.min
