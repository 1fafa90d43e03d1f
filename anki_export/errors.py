"""The one exception hierarchy of anki-export.

Every error a user can cause is an `AnkiExportError`; its `str()` is the one-line message the CLI
prints. This module must not import click (the CLI maps these errors to exit codes).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import TypeVar

from anki_export.records import SourceLocation

C = TypeVar("C", bound=Enum)


class AnkiExportError(Exception):
    """Base class of every error anki-export raises on purpose."""

    #: Where the problem is, when it is in a guide.
    location: SourceLocation | None = None


class SourceReadError(AnkiExportError):
    """A guide could not be read: missing, unreadable, binary or not UTF-8."""

    def __init__(self, path: Path, reason: str, line: int = 0) -> None:
        self.location = SourceLocation(path, line)
        self.reason = reason
        super().__init__(f"{self.location}: {reason}")


class GuideError(AnkiExportError):
    """A guide was read but cannot become a deck; carries every problem found, in source order."""

    def __init__(self, problems: Sequence[tuple[SourceLocation, str]]) -> None:
        if not problems:
            raise ValueError("GuideError needs at least one problem")
        self.problems = tuple(problems)
        self.location = self.problems[0][0]
        super().__init__("\n".join(f"{loc}: {msg}" for loc, msg in self.problems))


class BuildError(AnkiExportError):
    """The deck could not be written; the cause is chained (`raise ... from`)."""


class OptionsError(AnkiExportError):
    """Options that contradict each other or the guides given (the CLI exits 2, as for usage)."""


def choice(kind: type[C], value: C | str, option: str) -> C:
    """`value` as a member of the string enum `kind`, for the library's option `option`.

    :raises OptionsError: `value` is none of `kind`'s values; the message lists them.
    """
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise OptionsError(f"unknown {option} {value!r}; choose one of {choices}") from None


class SyncError(AnkiExportError):
    """A sync into Anki could not be done: no collection, Anki holds it open, AnkiConnect does
    not answer or refuses an action. Nothing is changed when it is raised before the first
    write; the message says what to do."""
