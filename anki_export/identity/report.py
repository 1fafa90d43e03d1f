"""The change report: what an export adds, changes, rewords, moves and removes, per subdeck.

Anki's importer never deletes notes and never moves existing cards between decks, so the report
says where removed notes and moved cards stay and how to find them in Anki's browser.
Pure Python; imports no third-party library.
"""

from __future__ import annotations

import re
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


_SIGN = {
    ChangeKind.ADDED: "+",
    ChangeKind.CHANGED: "~",
    ChangeKind.REWORDED: "≈",
    ChangeKind.MOVED: "→",
    ChangeKind.REMOVED: "-",
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


def report_headline(report: ChangeReport) -> str:
    """The report in a few words, e.g. `no changes` or `2 added, 1 reworded, 75 unchanged`."""
    if report.first_export:
        return "first export (no ID ledger yet)"
    if report.is_empty:
        return "no changes"
    counts = [f"{n} {kind.value}" for kind, n in report.counts.items() if n]
    return ", ".join([*counts, f"{report.unchanged} unchanged"])


def report_details(report: ChangeReport) -> list[str]:
    """One line per subdeck with changes, then one line per change (none on a first export)."""
    if report.first_export:
        return []
    lines = []
    for deck in sorted({c.deck for c in report.changes}):
        here = [c for c in report.changes if c.deck == deck]
        summary = ", ".join(f"{n} {k}" for k, n in Counter(c.kind.value for c in here).items())
        lines.append(f"  {'::'.join(deck)}: {summary}")
        lines.extend(f"    {_describe(c)}" for c in here)
    return lines


def _describe(change: Change) -> str:
    where = f" (line {change.line})" if change.line else ""
    sign = _SIGN[change.kind]
    match change.kind:
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
