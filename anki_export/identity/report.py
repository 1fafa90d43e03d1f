"""The change report: what an export adds, changes, rewords, moves and removes, per subdeck.

Anki's importer never deletes notes and never moves existing cards between decks, so the report
says where removed notes and moved cards stay and how to find them in Anki's browser.
Pure Python; imports no third-party library.
"""

from __future__ import annotations

import re
import shlex
from collections import Counter
from dataclasses import dataclass
from enum import Enum

_SEARCH_WORD_RE = re.compile(r"\w+")


class ChangeKind(str, Enum):
    ADDED = "added"
    CHANGED = "changed"
    REWORDED = "reworded"
    MOVED = "moved"
    REMOVED = "removed"
    #: Not decided: the note is new unless the user links it to the old note it may reword.
    POSSIBLE_REWORDING = "possible-rewording"


_SIGN = {
    ChangeKind.ADDED: "+",
    ChangeKind.CHANGED: "~",
    ChangeKind.REWORDED: "≈",
    ChangeKind.MOVED: "→",
    ChangeKind.REMOVED: "-",
    ChangeKind.POSSIBLE_REWORDING: "?",
}


@dataclass(frozen=True, slots=True)
class Change:
    """One change to one note; `deck` is the note's deck now (for removed notes: where it was)."""

    kind: ChangeKind
    deck: tuple[str, ...]
    front: str
    line: int = 0
    old_front: str = ""
    old_deck: tuple[str, ...] = ()
    #: For a possible rewording: the old note's GUID and how alike the two are (0..1).
    old_guid: str = ""
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class ChangeReport:
    """All changes of one export, against what the ID ledger remembered."""

    changes: tuple[Change, ...]
    unchanged: int
    first_export: bool

    @property
    def counts(self) -> dict[ChangeKind, int]:
        counter = Counter(c.kind for c in self.changes)
        return {kind: counter[kind] for kind in ChangeKind}

    @property
    def is_empty(self) -> bool:
        return not self.changes

    @property
    def questions(self) -> tuple[Change, ...]:
        """The possible rewordings nobody has answered yet."""
        return tuple(c for c in self.changes if c.kind is ChangeKind.POSSIBLE_REWORDING)


def report_headline(report: ChangeReport) -> str:
    """The report in a few words, e.g. `no changes` or `2 added, 1 reworded, 75 unchanged`."""
    if report.first_export:
        return "first export (no ID ledger yet)"
    if report.is_empty:
        return "no changes"
    counts = [f"{n} {kind.value}" for kind, n in report.counts.items() if n]
    return ", ".join([*counts, f"{report.unchanged} unchanged"])


def link_command(command: str, change: Change) -> str:
    """The command that says yes to a possible rewording: the note keeps the old note's GUID."""
    return f"{command} --link {shlex.quote(f'{change.line}={change.old_guid}')}"


def new_command(command: str, change: Change) -> str:
    """The command that says no to a possible rewording: the note is a new one."""
    return f"{command} --new {change.line}"


def report_details(report: ChangeReport, command: str = "export-deck") -> list[str]:
    """One line per subdeck with changes, then one line per change (none on a first export).

    :param command: how the user runs the export of this guide (`export-deck GUIDE`), for the
        commands that answer a possible rewording.
    """
    if report.first_export:
        return []
    lines = []
    for deck in sorted({c.deck for c in report.changes}):
        here = [c for c in report.changes if c.deck == deck]
        summary = ", ".join(f"{n} {k}" for k, n in Counter(c.kind.value for c in here).items())
        lines.append(f"  {'::'.join(deck)}: {summary}")
        lines.extend(f"    {_describe(c, command)}" for c in here)
    return lines


def _describe(change: Change, command: str) -> str:
    where = f" (line {change.line})" if change.line else ""
    sign = _SIGN[change.kind]
    match change.kind:
        case ChangeKind.POSSIBLE_REWORDING:
            return (
                f"{sign} possible rewording{where} of {change.old_front!r} "
                f"(in '{'::'.join(change.old_deck)}', score {change.score:.2f}): "
                f"{change.front!r} is written as a new note. If it is the old one reworded, "
                f"run: {link_command(command, change)}; if it is new: "
                f"{new_command(command, change)}"
            )
        case ChangeKind.REWORDED:
            return f"{sign} reworded{where}: {change.old_front!r} -> {change.front!r}"
        case ChangeKind.MOVED:
            old = "::".join(change.old_deck)
            return (
                f"{sign} moved here{where}: {change.front!r}. Anki keeps its card in '{old}'; "
                f"to move it, search in Browse: {_search(change.old_deck, change.front)} "
                "and use Change Deck"
            )
        case ChangeKind.REMOVED:
            return (
                f"{sign} removed: {change.front!r}. Anki keeps the note; to delete it, "
                f"search in Browse: {_search(change.deck, change.front)}"
            )
        case _:
            return f"{sign} {change.kind.value}{where}: {change.front!r}"


def _search(deck: tuple[str, ...], front: str) -> str:
    """An Anki browser search that finds the note: its deck and the front's first words."""
    words = _SEARCH_WORD_RE.findall(front)[:6]
    deck_name = "::".join(deck).replace('"', '\\"').replace("*", "\\*").replace("_", "\\_")
    return " ".join([f'"deck:{deck_name}"', *words])
