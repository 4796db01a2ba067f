"""assessment.batch gives exactly score()'s totals, dimension scores, bands and answered counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment import Answer, AnswersError, load_criteria, parse_criteria, score
from assessment.batch import BatchScorer, rows_from, score_many

ROOT = Path(__file__).resolve().parents[2]
MINI_TEXT = (ROOT / "tests" / "fixtures" / "mini-criteria.yaml").read_text(encoding="utf-8")
FILES = sorted((ROOT / "criteria").glob("*.yaml"))

VARIANTS = {
    "mini": MINI_TEXT,
    "mini-full-marks": MINI_TEXT.replace("locale: id\n", "locale: id\nna_policy: full_marks\n"),
    "mini-max-norm": MINI_TEXT.replace("locale: id\n", "locale: id\nscale: {min: 0, max: 100, normalization: max}\n"),
    "mini-weights": MINI_TEXT.replace(
        "        method: wawancara\n", "        method: wawancara\n        weight: 70\n", 1
    ).replace("        method: observasi\n        na_allowed: true\n",
              "        method: observasi\n        na_allowed: true\n        weight: 30\n", 1),
}  # fmt: skip


def all_criteria():
    out = {name: parse_criteria(text, name) for name, text in VARIANTS.items()}
    out.update({p.stem: load_criteria(p) for p in FILES})
    return out


CRITERIA = all_criteria()


def test_variants_are_really_different():
    mini, weights = CRITERIA["mini"], CRITERIA["mini-weights"]
    assert CRITERIA["mini-full-marks"].na_policy == "full_marks"
    assert CRITERIA["mini-max-norm"].scale.normalization == "max"
    assert [i.weight for i in weights.dimensions[0].indicators] == [70, 30]
    assert mini.dimensions[0].indicators[0].weight is None


@st.composite
def unit_answers(draw, criteria):
    """Random answers for one unit: any indicator may be missing, N/A, partial, tallied or zero-counted."""
    products = draw(st.lists(st.sampled_from(["A", "B", "C", "D"]), unique=True, max_size=3))
    answers = []
    for dim in criteria.dimensions:
        for ind in dim.indicators:
            if draw(st.integers(0, 5)) == 0:
                continue
            values = [o.value for o in ind.options] + ([None] if ind.na_allowed else [])
            pick = st.sampled_from(values)
            kind = ind.subject.kind
            if kind == "unit":
                answers.append(Answer(indicator=ind.id, value=draw(pick)))
            elif kind == "product":
                codes = draw(st.lists(st.sampled_from(["A", "B", "C", "D", "E"]), unique=True, min_size=1, max_size=4))
                answers.extend(Answer(indicator=ind.id, subject=f"product:{c}", value=draw(pick)) for c in codes)
            elif draw(st.booleans()):
                n = draw(st.integers(1, 6))
                answers.extend(
                    Answer(indicator=ind.id, subject=f"respondent:{k}", value=draw(pick)) for k in range(1, n + 1)
                )
            else:
                levels = draw(st.lists(st.sampled_from([o.value for o in ind.options]), unique=True, min_size=1))
                answers.extend(
                    Answer(indicator=ind.id, subject=f"tally:{v:g}", value=v, count=draw(st.integers(0, 40)))
                    for v in levels
                )
    order = draw(st.permutations(range(len(answers))))
    return [answers[i] for i in order], products


@pytest.mark.parametrize("name", sorted(CRITERIA))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_batch_equals_score(name, data):
    criteria = CRITERIA[name]
    answers, products = data.draw(unit_answers(criteria))
    report = score(criteria, answers, products=products or None, plan=False)
    scorer = BatchScorer(criteria)
    for rows in (answers, rows_from(answers)):
        got = scorer.score_one(rows, products=products or None)
        assert got.total == report.total
        assert got.total_exact == report.total_exact
        assert got.dimensions == tuple(d.score for d in report.dimensions)
        assert got.band == report.band
        assert got.answered == report.answered


def test_score_many_keys_and_products():
    criteria = CRITERIA["mini"]
    good = [Answer(indicator="IN-02", value=3), Answer(indicator="PR-01", subject="product:A", value=2)]
    results = score_many(criteria, {"u1": good, "u2": [], 7: rows_from(good)}, products={"u1": ["A", "B"]})
    assert set(results) == {"u1", "u2", 7}
    assert results["u1"].total == score(criteria, good, products=["A", "B"]).total
    assert results[7].total == score(criteria, good).total
    assert results["u1"].total < results[7].total  # product B unanswered counts 0 only where products are given
    assert results["u2"].total == 0 and results["u2"].band.code == "E" and results["u2"].answered == 0


@pytest.mark.parametrize(
    "row",
    [
        ("XX-1", "unit", 1.0, 1),
        ("IN-02", "unit", 2.0, 1),
        ("IN-01", "respondent:1", None, 1),
        ("PR-01", "unit", 1.0, 1),
    ],
)
def test_batch_refuses_rows_score_would_refuse(row):
    scorer = BatchScorer(CRITERIA["mini"])
    with pytest.raises(AnswersError):
        scorer.score_one([row])
    with pytest.raises(AnswersError):
        score(CRITERIA["mini"], [Answer(indicator=row[0], subject=row[1], value=row[2], count=row[3])])
