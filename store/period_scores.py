"""Every unit's score in a period, computed inside DuckDB: one query for the whole league table.

Fetching 800,000 answer rows into Python already costs several times a SQL aggregate over them, so
for a period-wide view the arithmetic of ``assessment.scoring`` runs as SQL, with the criteria's
weights passed in as small VALUES tables, and only one row per unit comes back.

The results are bit-for-bit those of ``assessment.score``. Every multiplication and division is the
same IEEE operation in the same order, and every sum that ``score`` takes with ``math.fsum`` (exact,
rounded once) is taken here exactly too: each term is scaled by 2**70 into a HUGEINT, which is exact
for any term ≥ 2**-18 (checked once per option value for the answer terms, per row for the points),
the integers are summed, and the sum is turned back into the correctly rounded double
(hi · 2**53 + lo rounds once). Criteria whose weights or option values are too fine for that are
scored in Python. A unit with a row the criteria do not allow (unknown indicator, value off the
scale, N/A where not allowed, wrong subject kind) or a point term too small is scored again from its
rows with ``assessment.batch``, which raises AnswersError like ``score`` does.
tests/store/test_store_period_scores.py checks equality on random data.

On PostgreSQL (issue 11) the period's rows are pulled into Arrow tables over ADBC and the same query runs
in an in-process DuckDB over them: the exactness above rests on DuckDB's HUGEINT and IEEE doubles, so the
arithmetic is not ported but moved to where it already holds.
"""

from __future__ import annotations

import math

import duckdb

from assessment import Criteria
from assessment.batch import BatchScorer, UnitScore
from assessment.scoring import normalise
from store.assessments import SCORING_PRODUCTS_SQL, scoring_products
from store.postgres import is_postgres

_SCALE_BITS = 70
_SCALE = f"{float(2**_SCALE_BITS)!r}"  # 1.1805916207174113e+21, exact
_INV = f"{2.0**-_SCALE_BITS!r}"
_TWO53 = 2**53
_NA = "-1.0e308::DOUBLE"  # stands for N/A (NULL) in the table of allowed values
_KIND_LETTERS = {"unit": ("u", "u"), "product": ("p", "p"), "respondent": ("r", "t")}


def _fixed(expr: str) -> str:
    """A non-negative double as an exact HUGEINT multiple of 2**-70."""
    return f"CAST(({expr}) * {_SCALE} AS HUGEINT)"


def _exact(expr: str) -> str:
    """True when the double is non-negative and a whole multiple of 2**-70 (so _fixed is exact)."""
    return f"(({expr}) >= 0 AND ({expr}) * {_SCALE} = trunc(({expr}) * {_SCALE}))"


def _double(fixed: str) -> str:
    """The correctly rounded double of an exact non-negative HUGEINT sum (what math.fsum returns)."""
    return f"((({fixed}) >> 53)::DOUBLE * {float(_TWO53)!r} + (({fixed}) & {_TWO53 - 1})::DOUBLE) * {_INV}"


_QUERY = """
WITH ind(pos, dim, weight, is_product) AS (VALUES {ind_values}),
ok(id, pos, v, k1, k2, low, span, top) AS (VALUES {ok_values}),
dims(dim, dim_max, all_weights, all_weights_fixed) AS (VALUES {dim_values}),
a AS (SELECT id AS aid, unit_id, status FROM assessments WHERE period_id = $period),
-- the products whose missing answers count 0 (store.assessments.SCORING_PRODUCTS_SQL)
prod AS (
    SELECT a.aid, 'product:' || sp.code AS subject
    FROM a JOIN ({scoring_products}) sp ON sp.assessment_id = a.aid
),
nprod AS (SELECT aid, count(*) AS n FROM prod GROUP BY aid),
-- ok holds every allowed (indicator, value) pair, N/A as the NA stand-in where allowed, and the first
-- letters of the subject kinds: a row without a match is one score() would refuse.
answer_rows AS (
    SELECT x.assessment_id AS aid, ok.pos, x.subject, x.value, x.count, prod.subject AS listed,
        CASE WHEN x.value IS NOT NULL AND x.count > 0 THEN {norm} * x.count END AS term,
        (ok.id IS NULL OR (left(x.subject, 1) <> ok.k1 AND left(x.subject, 1) <> ok.k2)
            OR (ok.k1 = 'u' AND x.subject <> 'unit')) AS refused
    FROM answers x
    JOIN a ON a.aid = x.assessment_id
    LEFT JOIN ok ON ok.id = x.indicator_id AND ok.v = coalesce(x.value, {na})
    LEFT JOIN prod ON prod.aid = x.assessment_id AND prod.subject = x.subject
),
agg AS (
    SELECT aid, pos,
        sum({term_fixed}) AS t_fixed,
        coalesce(sum(count) FILTER (WHERE term IS NOT NULL), 0) AS c,
        count(*) > count(value) AS has_na,
        count(listed) AS listed_answered,  -- (assessment, indicator, subject) is unique
        bool_or(refused) AS suspect
    FROM answer_rows GROUP BY aid, pos
),
-- one row per answered indicator; an indicator without rows has fraction 0 and earns exactly 0.0
frac AS (
    SELECT agg.aid, ind.dim, ind.weight, agg.c,
        CASE
            WHEN agg.c = 0 THEN
                CASE WHEN agg.has_na AND (NOT ind.is_product OR coalesce(nprod.n, 0) = agg.listed_answered)
                     THEN NULL ELSE 0.0 END
            ELSE {t} / (agg.c + CASE WHEN ind.is_product THEN coalesce(nprod.n, 0) - agg.listed_answered
                                     ELSE 0 END)
        END AS fraction
    FROM agg JOIN ind ON ind.pos = agg.pos
    LEFT JOIN nprod ON nprod.aid = agg.aid
),
active AS (
    SELECT f.aid, f.dim, d.dim_max,
        ($full_marks OR d.all_weights_fixed - coalesce(sum({weight_fixed}) FILTER (WHERE f.fraction IS NULL), 0) = 0)
            AS na_full_marks,
        d.all_weights_fixed - coalesce(sum({weight_fixed}) FILTER (WHERE f.fraction IS NULL), 0) AS active_fixed,
        d.all_weights
    FROM frac f JOIN dims d ON d.dim = f.dim
    GROUP BY f.aid, f.dim, d.dim_max, d.all_weights, d.all_weights_fixed
),
earned AS (
    SELECT f.aid, f.dim,
        CASE WHEN f.fraction IS NULL AND NOT w.na_full_marks THEN 0.0
             ELSE w.dim_max * f.weight / (CASE WHEN w.na_full_marks THEN w.all_weights ELSE {active} END)
                  * coalesce(f.fraction, 1.0)
        END AS e,
        (f.weight <> 0 AND (f.fraction IS NULL OR f.c > 0)) AS answered
    FROM frac f JOIN active w ON w.aid = f.aid AND w.dim = f.dim
),
per_dim AS (
    SELECT aid, dim, {dim_score} AS score, bool_and({e_exact}) AS exact,
        count(*) FILTER (WHERE answered) AS answered
    FROM earned GROUP BY aid, dim
),
suspects AS (SELECT aid, bool_or(suspect) AS suspect FROM agg GROUP BY aid)
SELECT a.aid,
    coalesce({total}, 0.0) AS total,
    list(p.dim) FILTER (WHERE p.dim IS NOT NULL) AS dim_ids,
    list(p.score) FILTER (WHERE p.dim IS NOT NULL) AS dim_scores,
    coalesce(sum(p.answered), 0)::INTEGER AS answered,
    coalesce(any_value(s.suspect), false) OR NOT coalesce(bool_and(p.exact AND {score_exact}), true) AS recheck
FROM a LEFT JOIN per_dim p ON p.aid = a.aid LEFT JOIN suspects s ON s.aid = a.aid
GROUP BY a.aid
"""


def _fixed_int(value: float) -> int | None:
    """value · 2**70 as an exact int, or None when value is not a whole multiple of 2**-70."""
    num, den = float(value).as_integer_ratio()
    scaled = num * 2**_SCALE_BITS
    return scaled // den if scaled % den == 0 and value >= 0 else None


def _query(criteria: Criteria) -> str | None:
    """The scoring query for these criteria, or None when a weight cannot be summed exactly in SQL."""
    ind_rows, ok_rows, dim_rows = [], [], []
    pos = 0
    for d_idx, dim in enumerate(criteria.dimensions):
        weights = [float(dim.indicator_weight(i)) for i in dim.indicators]
        fixed = [_fixed_int(w) for w in weights]
        if any(f is None for f in fixed):
            return None
        dim_rows.append(
            f"({d_idx}, {_num(criteria.dimension_max(dim))}, {_num(math.fsum(weights))}, {sum(fixed)}::HUGEINT)"
        )
        for ind, weight in zip(dim.indicators, weights, strict=True):
            kind = ind.subject.kind
            ind_rows.append(f"({pos}, {d_idx}, {_num(weight)}, {str(kind == 'product').lower()})")
            k1, k2 = _KIND_LETTERS[kind]
            scale = f"{_num(ind.min_value)}, {_num(ind.max_value - ind.min_value)}, {_num(ind.max_value)}"
            for o in ind.options:  # every term (norm · count ≥ norm) must be a whole multiple of 2**-70
                norm = normalise(criteria, ind, o.value)
                if norm != 0 and (norm < 2.0**-18 or _fixed_int(norm) is None):
                    return None
            values = [_num(o.value) for o in ind.options] + ([_NA] if ind.na_allowed else [])
            ok_rows.extend(f"({_text(ind.id)}, {pos}, {v}, '{k1}', '{k2}', {scale})" for v in values)
            pos += 1
    if criteria.scale.normalization == "range":
        norm = "(CASE WHEN ok.span = 0 THEN 1.0 ELSE (x.value - ok.low) / ok.span END)"
    else:
        norm = "(CASE WHEN ok.top = 0 THEN 0.0 ELSE x.value / ok.top END)"
    return _QUERY.format(
        ind_values=", ".join(ind_rows),
        ok_values=", ".join(ok_rows),
        dim_values=", ".join(dim_rows),
        norm=norm,
        na=_NA,
        scoring_products=SCORING_PRODUCTS_SQL,
        term_fixed=_fixed("term"),
        t=_double("agg.t_fixed"),
        weight_fixed=_fixed("f.weight"),
        active=_double("w.active_fixed"),
        dim_score=_double(f"sum({_fixed('e')})"),
        e_exact=_exact("e"),
        total=_double(f"sum({_fixed('p.score')})"),
        score_exact=_exact("p.score"),
    )


def _num(value: float) -> str:
    return f"{float(value)!r}::DOUBLE"


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def score_period(
    con: duckdb.DuckDBPyConnection, criteria: Criteria, *, period_id: int, scorer: BatchScorer | None = None
) -> dict[int, UnitScore]:
    """assessment id → total, dimension scores, band and answered count, for every assessment of a period.

    As in the app (AssessmentView.scoring_products), a unit's products that have no answer count 0: its
    current products while the assessment is editable, the products pinned at submission afterwards.
    """
    if is_postgres(con):
        mirror = period_mirror(con.url, period_id=period_id)
        try:
            return score_period(mirror, criteria, period_id=period_id, scorer=scorer)
        finally:
            mirror.close()
    scorer = scorer or BatchScorer(criteria)
    query = _query(criteria)
    if query is None:  # weights too fine for the exact SQL sums: score every unit in Python
        ids = [r[0] for r in con.execute("SELECT id FROM assessments WHERE period_id = ?", [period_id]).fetchall()]
        return _rescore(con, scorer, ids)
    rows = con.execute(query, {"period": period_id, "full_marks": criteria.na_policy == "full_marks"}).fetchall()
    out: dict[int, UnitScore] = {}
    recheck: list[int] = []
    round_ = criteria.round
    zero = [0.0] * len(criteria.dimensions)
    for aid, total_exact, dim_ids, dim_scores, answered, needs_recheck in rows:
        if needs_recheck:
            recheck.append(aid)
            continue
        dims = list(zero)
        for d_idx, value in zip(dim_ids or (), dim_scores or (), strict=True):
            dims[d_idx] = value
        total = round_(total_exact)
        out[aid] = UnitScore(
            total=total,
            total_exact=total_exact,
            dimensions=tuple(round_(d) for d in dims),
            band=scorer.band_for(total),
            answered=answered,
        )
    out.update(_rescore(con, scorer, recheck))
    return out


def _rescore(con: duckdb.DuckDBPyConnection, scorer: BatchScorer, assessment_ids: list[int]) -> dict[int, UnitScore]:
    """Score these assessments from their rows in Python (exact; raises AnswersError for a bad row)."""
    if not assessment_ids:
        return {}
    rows: dict[int, list] = {aid: [] for aid in assessment_ids}
    for aid, *row in con.execute(
        "SELECT assessment_id, indicator_id, subject, value, count FROM answers "
        "WHERE assessment_id IN (SELECT unnest(?::INTEGER[]))",
        [assessment_ids],
    ).fetchall():
        rows[aid].append(tuple(row))
    products = scoring_products(con, assessment_ids=assessment_ids)
    return {aid: scorer.score_one(rows[aid], products=products.get(aid)) for aid in assessment_ids}


# the rows of one period the query reads, in the column names and types of the store's tables
_MIRROR_SQL = {
    "assessments": "SELECT id, period_id, unit_id, status FROM assessments WHERE period_id = {p}",
    "answers": (
        "SELECT x.assessment_id, x.indicator_id, x.subject, x.value, x.count FROM answers x "
        "JOIN assessments s ON s.id = x.assessment_id WHERE s.period_id = {p}"
    ),
    "service_products": (
        "SELECT p.unit_id, p.code FROM service_products p "
        "WHERE p.unit_id IN (SELECT unit_id FROM assessments WHERE period_id = {p})"
    ),
    "submitted_products": (
        "SELECT f.assessment_id, f.code FROM submitted_products f "
        "JOIN assessments s ON s.id = f.assessment_id WHERE s.period_id = {p}"
    ),
}


def period_mirror(url: str, *, period_id: int) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding one period's assessments, answers and products from PostgreSQL, read in
    one REPEATABLE READ snapshot over ADBC into Arrow (≈ 2.7 s for a million rows, against minutes row by row)."""
    import adbc_driver_postgresql.dbapi as adbc

    mirror = duckdb.connect()
    with adbc.connect(url) as pg, pg.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for name, sql in _MIRROR_SQL.items():
            cur.execute(sql.format(p=int(period_id)))
            mirror.register(f"{name}_arrow", cur.fetch_arrow_table())
            mirror.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")
            mirror.unregister(f"{name}_arrow")
        pg.rollback()
    return mirror
