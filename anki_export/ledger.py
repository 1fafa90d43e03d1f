"""The ID ledger: a small JSON file beside each guide that remembers every note's identity.

For each note it keeps the GUID, note id, kind, section, normalised front, a fingerprint of the
rendered note and the `mod` time at which that content last changed; for each note type, a
fingerprint and `mod`. It is sorted and stable (no churn when nothing changed) and meant to be
committed with the guide, like a lock file. Pure Python; imports no third-party library.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import write_atomically
from .errors import AnkiExportError

FORMAT = 1
SUFFIX = ".anki-ids.json"
_ABOUT = (
    "anki-export ID ledger: keeps this guide's note GUIDs stable when questions are reworded "
    "or moved. Commit it with the guide; deleting it is safe (GUIDs then come from the text)."
)


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """What the last export knew about one note."""

    guid: str
    note_id: int
    kind: str
    note_type: str
    section: tuple[str, ...]
    front: str
    fingerprint: str
    mod: int
    removed: bool = False


@dataclass(frozen=True, slots=True)
class TypeEntry:
    fingerprint: str
    mod: int


@dataclass(frozen=True, slots=True)
class Ledger:
    entries: tuple[LedgerEntry, ...] = ()
    note_types: Mapping[str, TypeEntry] = field(default_factory=dict)


def ledger_path(guide: Path) -> Path:
    """`source/x.md` -> `source/x.anki-ids.json`."""
    return guide.with_name(guide.stem + SUFFIX)


def read_ledger(path: Path) -> Ledger:
    """Read a ledger; a missing file is an empty ledger.

    :raises AnkiExportError: the file exists but is not a ledger this version understands.
    """
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return Ledger()
    except (OSError, UnicodeDecodeError) as e:
        raise AnkiExportError(f"{path}: cannot read the ID ledger: {e}") from None
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown format {data.get('format')!r}")
        entries = tuple(_entry(item) for item in data["notes"])
        types = {
            name: TypeEntry(str(v["fingerprint"]), int(v["mod"]))
            for name, v in data.get("note_types", {}).items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise AnkiExportError(
            f"{path}: not a valid ID ledger ({e}); restore it from version control, or delete "
            "it to derive GUIDs from the text again"
        ) from None
    return Ledger(entries, types)


def _entry(item: Mapping[str, Any]) -> LedgerEntry:
    return LedgerEntry(
        guid=str(item["guid"]),
        note_id=int(item["id"]),
        kind=str(item["kind"]),
        note_type=str(item["note_type"]),
        section=tuple(str(s) for s in item["section"]),
        front=str(item["front"]),
        fingerprint=str(item["fingerprint"]),
        mod=int(item["mod"]),
        removed=bool(item.get("removed", False)),
    )


def dump_ledger(ledger: Ledger) -> str:
    """The ledger as sorted, indented JSON (the exact bytes written to disk)."""
    notes = []
    for e in sorted(ledger.entries, key=lambda e: (e.front, e.note_type, e.guid)):
        item: dict[str, Any] = {
            "front": e.front,
            "kind": e.kind,
            "note_type": e.note_type,
            "section": list(e.section),
            "guid": e.guid,
            "id": e.note_id,
            "fingerprint": e.fingerprint,
            "mod": e.mod,
        }
        if e.removed:
            item["removed"] = True
        notes.append(item)
    types = {
        name: {"fingerprint": t.fingerprint, "mod": t.mod}
        for name, t in sorted(ledger.note_types.items())
    }
    # One note per line: a reworded or edited note shows up as a one-line diff.
    lines = [
        "{",
        f'  "about": {_json(_ABOUT)},',
        f'  "format": {FORMAT},',
        f'  "note_types": {_json(types)},',
        '  "notes": [',
        ",\n".join(f"    {_json(item)}" for item in notes),
        "  ]",
        "}",
    ]
    if not notes:
        del lines[5]
    return "\n".join(lines) + "\n"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_ledger(path: Path, ledger: Ledger) -> bool:
    """Write the ledger atomically unless the file already holds exactly this content.

    :returns: whether the file was written.
    :raises BuildError: the file cannot be written.
    """
    text = dump_ledger(ledger)
    try:
        if path.read_text("utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomically(path, text.encode("utf-8"), "the ID ledger")
    return True
