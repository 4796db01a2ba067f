"""store.period_scores: the whole period scored in SQL equals assessment.score unit for unit."""

from __future__ import annotations

import datetime as dt
import random
import zlib
from pathlib import Path

import pytest

import store.period_scores as ps
from assessment import AnswersError, load_criteria, parse_criteria, score
from store import assessments, criteria_sets, periods, units
from store.models import EDITABLE_STATUSES

ROOT = Path(__file__).resolve().parents[2]
MINI_TEXT = (ROOT / "tests" / "fixtures" / "mini-criteria.yaml").read_text(encoding="utf-8")
AT = dt.datetime(2024, 7, 1, 9, 0)


def criteria_cases():
    cases = {
        "mini": parse_criteria(MINI_TEXT, "mini"),
        "mini-full-marks": parse_criteria(
            MINI_TEXT.replace("locale: id\n", "locale: id\nna_policy: full_marks\n"), "m"
        ),
    }
    for name in ("ombudsman-2023", "skm-2017", "opini-2025", "pekppp-2023"):
        path = ROOT / "criteria" / f"{name}.yaml"
        if path.exists():
            cases[name] = load_criteria(path)
    return cases


CASES = criteria_cases()


def fill(con, criteria, n_units: int, seed: int) -> tuple[int, dict[int, tuple[list, list[str]]]]:
    """A period with random answers; return period id and assessment id -> (answers, products)."""
    rng = random.Random(seed)
    con.execute("BEGIN TRANSACTION")
    sha = criteria_sets.save(con, criteria=criteria, yaml_text=f"# {criteria.id} {seed}")
    period = periods.add_period(con, name=f"P{seed}", year=2024, criteria_sha256=sha)
    expected = {}
    for u in range(n_units):
        unit = units.add_unit(con, kind="unit", code=f"S{seed}-U{u}", name=f"Unit {u}")
        products = rng.sample(["A", "B", "C"], k=rng.choice([0, 1, 2, 2, 3]))
        for code in products:
            units.add_product(con, unit_id=unit, code=code, name=code)
        aid = assessments.get_or_create(con, period_id=period, unit_id=unit).id
        status = rng.choice(["draft", "draft", "reopened", "submitted", "verified"])
        con.execute("UPDATE assessments SET status = ? WHERE id = ?", [status, aid])
        if status not in EDITABLE_STATUSES:  # frozen: only answered products count (scoring_products)
            products_for_scoring = None
        else:
            products_for_scoring = products or None
        level = rng.random()
        rows = []
        for dim in criteria.dimensions:
            for ind in dim.indicators:
                if rng.random() < 0.12:
                    continue
                values = sorted(o.value for o in ind.options)

                def pick(ind=ind, values=values):
                    if ind.na_allowed and rng.random() < 0.15:
                        return None
                    position = max(0.0, min(1.0, level + rng.gauss(0, 0.3)))
                    return values[round(position * (len(values) - 1))]

                kind = ind.subject.kind
                if kind == "unit":
                    rows.append((ind.id, "unit", pick(), 1))
                elif kind == "product":
                    answered = [c for c in products if rng.random() < 0.85] + (["Z"] if rng.random() < 0.1 else [])
                    rows.extend((ind.id, f"product:{c}", pick(), 1) for c in answered)
                elif rng.random() < 0.5:
                    n = rng.randint(1, min(ind.subject.expected or 4, 6))
                    rows.extend((ind.id, f"respondent:{k}", pick(), 1) for k in range(1, n + 1))
                else:
                    for v in rng.sample(values, k=rng.randint(1, len(values))):
                        rows.append((ind.id, f"tally:{v:g}", v, rng.choice([0, 1, 3, 7, 12, 30])))
        if rows:
            con.executemany("INSERT INTO answers VALUES (?, ?, ?, ?, ?, 1, 't', ?)", [[aid, *r, AT] for r in rows])
        expected[aid] = (rows, products_for_scoring)
    con.execute("COMMIT")
    return period, expected


@pytest.mark.parametrize("seed", [0, 1000])
@pytest.mark.parametrize("name", sorted(CASES))
def test_sql_scores_equal_score(con, name, seed):
    criteria = CASES[name]
    period, expected = fill(con, criteria, 60, seed=zlib.crc32(name.encode()) % 1000 + seed)
    results = ps.score_period(con, criteria, period_id=period)
    assert set(results) == set(expected)
    for aid, (rows, products) in expected.items():
        from assessment import Answer

        answers = [Answer(indicator=i, subject=s, value=v, count=c) for i, s, v, c in rows]
        report = score(criteria, answers, products=products or None, plan=False)
        got = results[aid]
        assert got.total == report.total, aid
        assert got.total_exact == report.total_exact  # bit for bit
        assert got.dimensions == tuple(d.score for d in report.dimensions)
        assert got.band == report.band
        assert got.answered == report.answered


def test_python_fallback_gives_the_same_results(con, monkeypatch):
    criteria = CASES["mini"]
    period, _ = fill(con, criteria, 20, seed=5)
    fast = ps.score_period(con, criteria, period_id=period)
    monkeypatch.setattr(ps, "_query", lambda criteria: None)  # as for weights too fine for exact SQL sums
    slow = ps.score_period(con, criteria, period_id=period)
    assert fast == slow


def test_weights_too_fine_for_exact_sums_fall_back_to_python():
    assert ps._fixed_int(6.27) == int(6.27 * 2**70)
    assert ps._fixed_int(2.0**-80) is None
    assert ps._fixed_int(-1.0) is None
    assert ps._query(CASES["mini"]) is not None


def test_periods_do_not_mix(con):
    criteria = CASES["mini"]
    p1, e1 = fill(con, criteria, 5, seed=1)
    p2, e2 = fill(con, criteria, 7, seed=2)
    assert set(ps.score_period(con, criteria, period_id=p1)) == set(e1)
    assert set(ps.score_period(con, criteria, period_id=p2)) == set(e2)
    assert ps.score_period(con, criteria, period_id=999) == {}


@pytest.mark.parametrize(
    "row",
    [
        ("XX-1", "unit", 1.0, 1),  # indicator not in the criteria
        ("IN-02", "unit", 2.0, 1),  # value not an option (replaces the unit's own IN-02 answer)
        ("IN-01", "respondent:1", None, 1),  # N/A where not allowed
        ("PR-01", "unit", 1.0, 1),  # subject kind does not fit
        ("IN-02", "respondent:1", 3.0, 1),
    ],
)
def test_a_row_score_would_refuse_is_refused(con, row):
    criteria = CASES["mini"]
    period, expected = fill(con, criteria, 3, seed=9)
    aid = next(iter(expected))
    con.execute("DELETE FROM answers WHERE assessment_id = ? AND indicator_id = ? AND subject = ?", [aid, *row[:2]])
    con.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?, 1, 't', ?)", [aid, *row, AT])
    with pytest.raises(AnswersError):
        ps.score_period(con, criteria, period_id=period)
