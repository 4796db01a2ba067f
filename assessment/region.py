"""A region (Pemda) is scored from its units: the mean of their totals, with the region's own band and labels."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assessment.criteria import Band, Criteria, Strict
from assessment.labels import LabelOutcome, labels_for


class RegionResult(Strict):
    score: float
    band: Band
    units: int
    labels: tuple[LabelOutcome, ...] = ()  # every label family at the region's score (the entity family is its own)


def region_score(
    criteria: Criteria, unit_totals: Sequence[float], *, facts: Mapping[str, bool] | None = None
) -> RegionResult:
    """A region (Pemda) scores the mean of its assessed units' totals, with its own band and labels.

    facts: the entity's recorded facts (see assessment.labels.combine_facts for deriving them from its units).
    """
    if not unit_totals:
        raise ValueError("belum ada unit yang dinilai di wilayah ini")
    mean = sum(unit_totals) / len(unit_totals)
    return RegionResult(
        score=criteria.round(mean),
        band=criteria.band_for(mean),
        units=len(unit_totals),
        labels=labels_for(criteria, mean, facts=facts),
    )
