"""What an export plans (`PlannedExport`) and what it reports (`ExportResult`).

Plain records and the counting that turns a plan into a result; imports no third-party library.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from anki_export.identity.ledger import Ledger
from anki_export.identity.report import ChangeReport, report_headline
from anki_export.records import DeckPlan, GuideWarning, Kind, SourceLocation
from anki_export.write.formats import OutputFormat


@dataclass(frozen=True, slots=True)
class PlannedExport:
    """Everything an export would write, computed without writing anything."""

    guide: Path
    plan: DeckPlan
    ledger: Ledger
    report: ChangeReport
    warnings: tuple[GuideWarning, ...]
    #: The ledger of the guide's old name, taken over (`identity.renamed`); None: its own.
    renamed_from: Path | None = None


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What one export wrote (or, for a dry run or a check, would write).

    `output` is None when the deck went to a stream (standard output). `ledger` is the ID
    ledger the GUIDs and the change report come from (None: there is none, e.g. for a guide
    read from standard input, and every note counts as added). `decks` counts the notes
    directly in each deck, root first, in the guide's order.
    """

    guide: Path
    output: Path | None
    deck: str
    notes: int
    kinds: tuple[tuple[Kind, int], ...]
    subdecks: int
    warnings: tuple[GuideWarning, ...]
    report: ChangeReport
    format: OutputFormat = OutputFormat.APKG
    decks: tuple[tuple[str, int], ...] = ()
    written: bool = False
    ledger: Path | None = None

    def summary(self) -> str:
        """One line for people: where the deck went and what is in it."""
        names = {
            Kind.QUESTION: "question",
            Kind.OPEN_QUESTION: "open question",
            Kind.CONCEPT: "concept",
            Kind.LIST: "list",
        }
        parts = [_count(n, names[k]) for k, n in self.kinds if n]
        where = self.output if self.output is not None else "<stdout>"
        return (
            f"{where}: {_count(self.notes, 'note')} ({', '.join(parts)}) in "
            f"{_count(self.subdecks, 'subdeck')} of '{self.deck}'"
        )

    @property
    def headline(self) -> str:
        """The change report in a few words (`report_headline`), or why there is none."""
        return report_headline(self.report) if self.ledger else "no ID ledger"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def result_of(
    planned: PlannedExport,
    output: Path | TextIO,
    fmt: OutputFormat,
    *,
    written: bool,
    ledger: Path | None,
) -> ExportResult:
    plan = planned.plan
    warnings = planned.warnings
    if fmt is OutputFormat.CSV and plan.media:
        names = ", ".join(m.name for m in plan.media[:3]) + (", ..." if len(plan.media) > 3 else "")
        warnings += (
            GuideWarning(
                SourceLocation(planned.guide),
                f"a CSV cannot carry the guide's {len(plan.media)} image(s) ({names}); import "
                "the .apkg once to bring them into Anki's media folder",
            ),
        )
    counts = Counter(note.record.kind for note in plan.notes)
    per_deck = Counter("::".join(note.deck) for note in plan.notes)
    decks = [d.name for d in plan.decks]
    decks += sorted(set(per_deck) - set(decks))
    return ExportResult(
        guide=planned.guide,
        output=output if isinstance(output, Path) else None,
        deck=plan.root,
        notes=len(plan.notes),
        kinds=tuple((kind, counts[kind]) for kind in Kind),
        subdecks=len(decks) - 1,
        warnings=warnings,
        report=planned.report,
        format=fmt,
        decks=tuple((name, per_deck[name]) for name in decks),
        written=written,
        ledger=ledger,
    )
