"""What one answer is about: the unit, one service product, one respondent, or a tally of respondents.

Stored and exchanged as text, unchanged since the first release:
  "unit"              the unit itself
  "product:<code>"    one service product of the unit
  "respondent:<n>"    one interviewed official or surveyed user (n starts at 1)
  "tally:<value>"     a count of respondents who chose <value> (the answer's count holds how many)
Code builds and reads those strings through Subject only, so the format lives here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["unit", "product", "respondent", "tally"]
KINDS: tuple[str, ...] = ("unit", "product", "respondent", "tally")


@dataclass(frozen=True, slots=True)
class Subject:
    kind: str
    key: str = ""  # the product code, the respondent number or the tally's value, as written

    @classmethod
    def unit(cls) -> Subject:
        return cls("unit")

    @classmethod
    def product(cls, code: str) -> Subject:
        return cls("product", code)

    @classmethod
    def respondent(cls, number: int) -> Subject:
        return cls("respondent", str(number))

    @classmethod
    def tally(cls, value: float) -> Subject:
        return cls("tally", f"{value:g}")

    @classmethod
    def parse(cls, text: str) -> Subject:
        """The subject a stored string names (an unknown kind is kept, for the answer checks to report)."""
        kind, _, key = text.partition(":")
        return cls(kind, key)

    def __str__(self) -> str:
        return self.kind if self.kind == "unit" and not self.key else f"{self.kind}:{self.key}"

    @property
    def is_tally(self) -> bool:
        return self.kind == "tally"

    @property
    def is_respondent(self) -> bool:
        return self.kind == "respondent"

    @property
    def is_product(self) -> bool:
        return self.kind == "product"

    @property
    def code(self) -> str:
        """The product code of a product subject."""
        return self.key

    @property
    def number(self) -> int:
        """The respondent number of a respondent subject."""
        return int(self.key)

    @property
    def indicator_kind(self) -> str:
        """How the criteria name the subjects of this kind: a tally answers a respondent indicator."""
        return "respondent" if self.kind == "tally" else self.kind


UNIT = str(Subject.unit())
TALLY_PREFIX = str(Subject("tally"))  # "tally:", the stored prefix of every tally row, for deletes by prefix


def is_tally(text: str) -> bool:
    return Subject.parse(text).is_tally


def is_respondent(text: str) -> bool:
    return Subject.parse(text).is_respondent
