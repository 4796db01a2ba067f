"""Building blocks shared by the criteria models and the gate / label-family models.

Kept apart from criteria.py so gates.py and labels.py can use them without an import cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal, Protocol

from pydantic import BaseModel, ConfigDict, StringConstraints

Loc = tuple[str | int, ...]


class RuleViolation(ValueError):
    """One or more broken cross-field rules, each located relative to the model that checks them.

    The loader turns every item into its own problem with the file's line and the full field path.
    """

    def __init__(self, problems: list[tuple[Loc, str]]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(message for _, message in self.problems))


def check_rules(*rules: list[tuple[Loc, str]]) -> None:
    """Raise one RuleViolation listing the problems of every named rule."""
    problems = [item for rule in rules for item in rule]
    if problems:
        raise RuleViolation(problems)


def format_loc(loc: Loc) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")


Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", min_length=1, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Method = Literal["observasi", "wawancara", "dokumen", "survei"]
Zone = Literal["hijau", "kuning", "merah"]
WEIGHT_TOLERANCE = 0.011


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class _Banded(Protocol):
    code: str
    min: float
    max: float


def band_coverage_problems(
    bands: Sequence[_Banded], *, low: float, high: float, decimals: int, where: Loc = ("bands",)
) -> list[tuple[Loc, str]]:
    """Bands must cover low..high without gap or overlap (at the scale's decimals) and have distinct codes."""
    step = 10.0 ** (-decimals)
    order = sorted(range(len(bands)), key=lambda i: bands[i].min)
    problems: list[tuple[Loc, str]] = []
    if not order:
        return problems
    low_idx, high_idx = order[0], order[-1]
    lowest, highest = bands[low_idx], bands[high_idx]
    if abs(lowest.min - low) > step / 2:
        problems.append(
            ((*where, low_idx, "min"), f"band terendah '{lowest.code}' mulai di {lowest.min:g}, bukan {low:g}")
        )
    if abs(highest.max - high) > step / 2:
        problems.append(
            ((*where, high_idx, "max"), f"band tertinggi '{highest.code}' berakhir di {highest.max:g}, bukan {high:g}")
        )
    for a, b in zip(order, order[1:], strict=False):
        below, above = bands[a], bands[b]
        expected = round(below.max + step, decimals)
        if above.min < expected - step / 2:
            problems.append(
                (
                    (*where, b, "min"),
                    f"band '{below.code}' dan '{above.code}' tumpang tindih ({below.max:g} ≥ {above.min:g}); "
                    f"'{above.code}' harus mulai di {expected:g}",
                )
            )
        elif above.min > expected + step / 2:
            problems.append(
                (
                    (*where, b, "min"),
                    f"ada celah antara band '{below.code}' ({below.max:g}) dan '{above.code}' ({above.min:g}); "
                    f"'{above.code}' harus mulai di {expected:g}",
                )
            )
    first: dict[str, int] = {}
    for idx, band in enumerate(bands):
        if band.code in first:
            problems.append(
                ((*where, idx, "code"), f"kode band '{band.code}' ganda; sudah dipakai di bands[{first[band.code]}]")
            )
        first.setdefault(band.code, idx)
    return problems
