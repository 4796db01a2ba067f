"""Domain errors of the pure core. Messages are in Bahasa Indonesia and say what to fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, located as precisely as the file allows."""

    source: str
    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" [{self.path}]" if self.path else ""
        return f"{where}{field}: {self.message}"


class KepatuhanError(Exception):
    """Base of every error a user can cause; its str() is the message to show."""


class InputFileError(KepatuhanError):
    """A file (criteria or answers) with one or more problems, all listed."""

    title = "Berkas tidak valid"

    def __init__(self, problems: list[Problem], title: str | None = None) -> None:
        self.problems = list(problems)
        if title:
            self.title = title
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"{self.title} ({len(self.problems)} masalah):"]
        lines.extend(f"  - {p}" for p in self.problems)
        return "\n".join(lines)


class CriteriaError(InputFileError):
    title = "Berkas kriteria tidak valid"


class AnswersError(InputFileError):
    title = "Berkas jawaban tidak valid"
