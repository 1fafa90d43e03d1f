"""How a sync is told: one line per change for people, and the `--json` document for scripts.

Pure Python; no click here (the CLI prints what this returns).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from anki_export.cli.json_summary import SUMMARY_SCHEMA_VERSION, error_json, warning_json
from anki_export.errors import AnkiExportError
from anki_export.sync.plan import SyncChange, SyncKind
from anki_export.sync.run import SyncResult
from anki_export.sync.state import REMOVED_TAG

_SIGN = {
    SyncKind.ADDED: "+",
    SyncKind.UPDATED: "~",
    SyncKind.MOVED: "→",
    SyncKind.RETIRED: "-",
    SyncKind.RESTORED: "↺",
    SyncKind.DELETED: "x",
    SyncKind.KEPT: "!",
}


def sync_details(result: SyncResult) -> list[str]:
    """One line per change, in the guide's order (removed notes last); none for a first sync
    (every note added), as the export's report has none for a first export."""
    first = result.unchanged == 0 and all(c.kind is SyncKind.ADDED for c in result.changes)
    lines = [] if first else [f"  {_describe(c)}" for c in result.changes]
    return lines + [f"  {what}: {', '.join(names)}" for what, names in result.extras]


def _describe(change: SyncChange) -> str:
    where = f" (line {change.line})" if change.line else ""
    head = f"{_SIGN[change.kind]} {change.kind.value}{where}: {change.front!r}"
    deck = "::".join(change.deck)
    match change.kind:
        case SyncKind.ADDED:
            return f"{head} in '{deck}'"
        case SyncKind.MOVED:
            return f"{head}: '{change.old_deck}' -> '{deck}'"
        case SyncKind.RETIRED:
            return f"{head}: cards suspended, tagged {REMOVED_TAG}"
        case SyncKind.RESTORED:
            return f"{head}: back in the guide, unsuspended"
        case SyncKind.DELETED:
            return f"{head}: deleted from '{deck}'"
        case SyncKind.KEPT:
            return f"{head}: {change.reason}"
        case _:
            return head


def deletions(changes: Sequence[SyncChange]) -> list[str]:
    """What `--removed delete` is about to delete, one line per note."""
    return [f"  x {'::'.join(c.deck)}: {c.front!r}" for c in changes if c.kind is SyncKind.DELETED]


def sync_json(
    mode: str, results: Sequence[SyncResult], errors: Sequence[AnkiExportError], exit_code: int
) -> str:
    """The whole run as one JSON document (ends with a newline)."""
    document = {
        "schema_version": SUMMARY_SCHEMA_VERSION,
        "mode": mode,
        "exit_code": exit_code,
        "ok": exit_code == 0,
        "syncs": [_sync(r, mode == "check") for r in results],
        "errors": [e for error in errors for e in error_json(error)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _sync(result: SyncResult, check: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "guide": str(result.guide),
        "collection": result.collection,
        "deck": result.deck,
        "applied": result.applied,
        "ledger": str(result.ledger),
        "changes": {
            **{kind.value: n for kind, n in result.counts.items()},
            "unchanged": result.unchanged,
            "details": [_change(c) for c in result.changes],
        },
        "note_types_added": list(result.note_types_added),
        "note_types_updated": list(result.note_types),
        "media_copied": list(result.media),
        "warnings": [warning_json(w) for w in result.warnings],
    }
    if check:
        item["up_to_date"] = result.up_to_date
    return item


def _change(change: SyncChange) -> dict[str, Any]:
    return {
        "kind": change.kind.value,
        "deck": "::".join(change.deck),
        "front": change.front,
        "line": change.line or None,
        "old_deck": change.old_deck or None,
        "reason": change.reason or None,
    }
