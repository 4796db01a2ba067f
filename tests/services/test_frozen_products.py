"""A submitted assessment keeps the score it had: its product list is pinned at submission."""

from __future__ import annotations

from services.answering import assessing, results
from services.catalog import criteria_for
from store import units
from store.db import transaction
from store.period_scores import score_period


def test_product_added_after_submission_does_not_change_the_frozen_score(world):
    con = world.con
    assessing.record_answer(
        con, world.head, assessment_id=world.assessment, indicator_id="PR-01", subject="product:A", value=2
    )
    before = results.score_view(assessing.load_view(con, world.head, assessment_id=world.assessment))
    results.submit(con, world.head, assessment_id=world.assessment)
    frozen = results.score_view(assessing.load_view(con, world.head, assessment_id=world.assessment))
    assert frozen.total == before.total  # product B, unanswered, still counts 0 after submission

    with transaction(con):
        units.add_product(con, unit_id=world.unit, code="C", name="Produk C (baru)")
    later = results.score_view(assessing.load_view(con, world.head, assessment_id=world.assessment))
    assert later.total == before.total

    by_sql = score_period(con, criteria_for(con, world.sha), period_id=world.period)[world.assessment]
    assert by_sql.total == before.total
