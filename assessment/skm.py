"""SKM arithmetic exactly as PermenPANRB 14/2017 computes it, and the user survey's tallies.

NRR_u = Σ answers to element u / number of respondents who answered u
index = Σ_u NRR_u × weight, weight = 1/number of elements rounded to three decimals (0,111 for nine)
IKM   = index × 25  (so a perfect survey scores 99,9 with nine elements, as the regulation's 0,111 gives)
Category on the IKM rounded to two decimals: A ≥ 88,31; B ≥ 76,61; C ≥ 65,00; D below.
Arithmetic runs on exact fractions, so a boundary case never flips on a float's last bit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from assessment.survey_defs import Survey

# (lowest IKM, code, label id, label en, unit performance)
CATEGORIES = (
    (Decimal("88.31"), "A", "Sangat Baik", "Very good"),
    (Decimal("76.61"), "B", "Baik", "Good"),
    (Decimal("65.00"), "C", "Kurang Baik", "Fair"),
    (Decimal("25.00"), "D", "Tidak Baik", "Poor"),
)
CONVERSION = 25


def round2(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def round3(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def min_sample(population: int) -> int:
    """Krejcie–Morgan (95 %, d = 0,05, P = 0,5, χ² = 3,841), rounded to nearest as the published table is."""
    if population < 1:
        raise ValueError("populasi harus 1 atau lebih")
    chi = Fraction(3841, 1000)
    n = chi * population * Fraction(1, 4) / (Fraction(1, 400) * (population - 1) + chi * Fraction(1, 4))
    return int(n + Fraction(1, 2))


def element_weight(count: int) -> Fraction:
    """1/count rounded to three decimals: 0,111 for SKM's nine elements, as the regulation writes it."""
    return Fraction(round3(Fraction(1, count)))


def category(ikm: Decimal) -> tuple[str, str, str]:
    for low, code, label_id, label_en in CATEGORIES:
        if ikm >= low:
            return code, label_id, label_en
    return "D", "Tidak Baik", "Poor"


@dataclass(frozen=True)
class ElementResult:
    element: str
    question_id: str
    title: str
    answered: int
    total: int
    nrr: Decimal  # three decimals, as reports print it


@dataclass(frozen=True)
class SkmResult:
    n: int
    elements: tuple[ElementResult, ...]
    index: Decimal | None  # NRR tertimbang, three decimals
    ikm: Decimal | None  # 25–100, two decimals
    category: str | None
    category_label: str | None
    category_label_en: str | None
    population: int | None
    min_sample: int | None

    @property
    def enough(self) -> bool | None:
        return None if self.min_sample is None else self.n >= self.min_sample


def skm_result(survey: Survey, responses: Iterable[Mapping[str, int]], population: int | None = None) -> SkmResult:
    """responses: one mapping question id → answer value per accepted response."""
    elements = survey.elements or survey.questions
    sums: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    n = 0
    for answers in responses:
        n += 1
        for q in elements:
            value = answers.get(q.id)
            if value is not None:
                sums[q.id] += int(value)
                counts[q.id] += 1
    per_element = []
    index = Fraction(0)
    complete = n > 0
    weight = element_weight(len(elements))
    for q in elements:
        if counts[q.id]:
            nrr = Fraction(sums[q.id], counts[q.id])
            index += nrr * weight
        else:
            nrr, complete = Fraction(0), False
        per_element.append(
            ElementResult(
                element=q.element or q.id,
                question_id=q.id,
                title=(q.title.id if q.title else q.text.id),
                answered=counts[q.id],
                total=sums[q.id],
                nrr=round3(nrr),
            )
        )
    ikm = round2(index * CONVERSION) if complete else None
    cat = category(ikm) if ikm is not None else (None, None, None)
    return SkmResult(
        n=n,
        elements=tuple(per_element),
        index=round3(index) if complete else None,
        ikm=ikm,
        category=cat[0],
        category_label=cat[1],
        category_label_en=cat[2],
        population=population,
        min_sample=min_sample(population) if population else None,
    )


def indicator_tallies(survey: Survey, responses: Iterable[Mapping[str, int]]) -> dict[str, dict[float, int]]:
    """Per mapped criteria indicator: how many respondents count at each of its levels."""
    out: dict[str, dict[float, int]] = {q.maps_to.indicator: {} for q in survey.questions if q.maps_to}
    for answers in responses:
        for q in survey.questions:
            if q.maps_to is None:
                continue
            value = answers.get(q.id)
            if value is None or value not in q.maps_to.levels:
                continue
            level = q.maps_to.levels[value]
            tally = out[q.maps_to.indicator]
            tally[level] = tally.get(level, 0) + 1
    return out
