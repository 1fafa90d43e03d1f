"""The `--json` summary: what a run wrote, its counts, warnings and errors, for scripts.

One JSON document on stdout per run (schema in the README, "Output formats"). Pure Python; no
click here (the CLI prints what this returns).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from anki_export.errors import AnkiExportError, GuideError, SourceReadError
from anki_export.identity.report import Change
from anki_export.records import GuideWarning
from anki_export.results import ExportResult

SUMMARY_SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Outcome:
    """One guide of a run: its result, or the error that stopped it (and, for --check,
    whether its deck was up to date)."""

    guide: str
    result: ExportResult | None = None
    error: AnkiExportError | None = None
    up_to_date: bool | None = None
    #: How long the build took (not in the JSON: it would make the output differ every run).
    seconds: float = 0.0


def summary_json(mode: str, outcomes: Sequence[Outcome], exit_code: int) -> str:
    """The whole run as one JSON document (ends with a newline)."""
    document = {
        "schema_version": SUMMARY_SCHEMA_VERSION,
        "mode": mode,
        "exit_code": exit_code,
        "ok": exit_code == 0,
        "exports": [_export(o) for o in outcomes if o.result is not None],
        "errors": [e for o in outcomes if o.error is not None for e in error_json(o.error)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _export(outcome: Outcome) -> dict[str, Any]:
    result = outcome.result
    assert result is not None
    report = result.report
    item: dict[str, Any] = {
        "guide": outcome.guide,
        "output": str(result.output) if result.output is not None else None,
        "format": result.format.value,
        "written": result.written,
        "deck": result.deck,
        "notes": result.notes,
        "kinds": {kind.value: n for kind, n in result.kinds},
        "decks": dict(result.decks),
        "ledger": str(result.ledger) if result.ledger is not None else None,
        "changes": {
            "first_export": report.first_export or result.ledger is None,
            **{kind.value: n for kind, n in report.counts.items()},
            "unchanged": report.unchanged,
            "details": [_change(c) for c in report.changes] if result.ledger else [],
        },
        "warnings": [warning_json(w) for w in result.warnings],
    }
    if outcome.up_to_date is not None:
        item["up_to_date"] = outcome.up_to_date
    return item


def _change(change: Change) -> dict[str, Any]:
    return {
        "kind": change.kind.value,
        "deck": "::".join(change.deck),
        "front": change.front,
        "line": change.line or None,
        "old_front": change.old_front or None,
        "old_deck": "::".join(change.old_deck) or None,
    }


def warning_json(warning: GuideWarning) -> dict[str, Any]:
    """A warning as file, line (or null) and message."""
    return {
        "file": str(warning.location.path),
        "line": warning.location.line or None,
        "message": warning.message,
    }


def error_json(error: AnkiExportError) -> list[dict[str, Any]]:
    """An error as one entry per problem: file, line (or null) and message."""
    if isinstance(error, GuideError):
        return [
            {"file": str(loc.path), "line": loc.line or None, "message": msg}
            for loc, msg in error.problems
        ]
    loc = error.location
    message = error.reason if isinstance(error, SourceReadError) else str(error)
    if loc is None:
        return [{"file": None, "line": None, "message": message}]
    return [{"file": str(loc.path), "line": loc.line or None, "message": message}]
