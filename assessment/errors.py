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
    """Base of every error a user can cause.

    Raised with a message key and its parameters, `KepatuhanError(key="answer.stale", at="10:02")`, the text
    comes from the message catalogs (assessment/messages.py, merged into the UI catalogs) in the reader's
    language: `render("en")`. Raised with a plain message (texts that already come from data files, such as
    a criteria file's problems), that message is shown as it is. str() is the Indonesian text.
    """

    def __init__(self, message: str = "", /, *, key: str | None = None, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(message or key or "")

    def render(self, lang: str = "id") -> str:
        """The message in `lang` ("id" or "en"); a key missing from the catalogs shows the key itself."""
        if self.key is None:
            return Exception.__str__(self)
        from assessment.messages import message

        return message(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.render("id")


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
