"""Plan a deck against the ID ledger: each note's id and `mod`, its ledger entry, and what changed.

A note whose rendered content is unchanged keeps its recorded `mod`, so that Anki leaves it alone;
a changed note gets the build time, and always more than its recorded `mod` (Anki updates a note
only when the incoming `mod` is newer); a new note gets the build time and a new id. Pure Python.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, is_dataclass, replace

from anki_export.identity.ledger import LedgerEntry, TypeEntry
from anki_export.identity.match import Identity
from anki_export.identity.report import Change, ChangeKind
from anki_export.notetypes import NOTE_TYPES
from anki_export.records import NoteSpec


def plan_notes(
    rendered: Sequence[NoteSpec],
    identities: Sequence[Identity],
    used_ids: set[int],
    now: int,
    root: str,
) -> tuple[list[NoteSpec], list[LedgerEntry], list[Change], int]:
    """Give rendered notes their note ids and `mod` times; also their ledger entries, what
    changed, and how many did not.

    :param used_ids: note ids already taken (the ledger's); new ids are added to it.
    """
    next_id = now * 1000
    notes: list[NoteSpec] = []
    entries: list[LedgerEntry] = []
    changes: list[Change] = []
    unchanged = 0
    for note, ident in zip(rendered, identities, strict=True):
        fingerprint = _fingerprint(note.note_type, note.fields, note.tags, note.deck)
        entry = ident.entry
        if entry is not None and entry.fingerprint == fingerprint:
            # Same content as Anki already has: keeping the recorded mod makes Anki skip it.
            note_id, mod = entry.note_id, entry.mod
            if entry.removed:
                changes.append(
                    Change(
                        ChangeKind.ADDED,
                        note.deck,
                        note.record.front.text,
                        note.record.location.line,
                    )
                )
            else:
                unchanged += 1
        else:
            if entry is not None:
                note_id, mod = entry.note_id, max(now, entry.mod + 1)
            else:
                while next_id in used_ids:
                    next_id += 1
                note_id, mod = next_id, now
                used_ids.add(next_id)
            changes.extend(_changes(note, entry, ident.reworded, root))
        # NoteSpec(...) rather than dataclasses.replace: a third of the time, on 100k notes.
        notes.append(
            NoteSpec(
                note.guid,
                note.note_type,
                note.fields,
                note.tags,
                note.deck,
                note.position,
                note.record,
                note_id,
                mod,
            )
        )
        new_entry = LedgerEntry(
            guid=note.guid,
            note_id=note_id,
            kind=note.record.kind.value,
            note_type=note.note_type,
            section=note.record.section,
            front=ident.key[1],
            fingerprint=fingerprint,
            mod=mod,
        )
        # An unchanged note keeps the very entry it had: a large guide's ledger is then held
        # once, not twice.
        entries.append(entry if new_entry == entry else new_entry)
    return notes, entries, changes, unchanged


def removed_entries(
    old: Iterable[LedgerEntry], matched: set[str], root: str
) -> tuple[list[LedgerEntry], list[Change]]:
    """The ledger entries no note continues, marked removed, and the notes newly removed."""
    entries = []
    changes = []
    for gone in old:
        if gone.guid not in matched:
            entries.append(gone if gone.removed else replace(gone, removed=True))
            if not gone.removed:
                changes.append(Change(ChangeKind.REMOVED, (root, *gone.section), gone.front))
    return entries, changes


def plan_note_types(old: Mapping[str, TypeEntry], now: int) -> dict[str, TypeEntry]:
    """Each note type's ledger entry: a changed note type gets a newer `mod`."""
    type_entries = {}
    for key, note_type in NOTE_TYPES.items():
        fingerprint = _digest([note_type.name, note_type.fields, note_type.template, note_type.css])
        recorded = old.get(key)
        if recorded is not None and recorded.fingerprint == fingerprint:
            type_entries[key] = recorded
        else:
            type_entries[key] = TypeEntry(
                fingerprint, max(now, recorded.mod + 1) if recorded else now
            )
    return type_entries


def _changes(note: NoteSpec, entry: LedgerEntry | None, reworded: bool, root: str) -> list[Change]:
    record = note.record
    front = record.front.text
    line = record.location.line
    if entry is None or entry.removed:
        return [Change(ChangeKind.ADDED, note.deck, front, line)]
    changes = []
    if reworded:
        changes.append(Change(ChangeKind.REWORDED, note.deck, front, line, old_front=entry.front))
    if entry.section != record.section:
        changes.append(
            Change(ChangeKind.MOVED, note.deck, front, line, old_deck=(root, *entry.section))
        )
    return changes or [Change(ChangeKind.CHANGED, note.deck, front, line)]


def note_fingerprint(
    note_type: str, fields: tuple[str, ...], tags: tuple[str, ...], deck: tuple[str, ...]
) -> str:
    """The fingerprint the ledger keeps for a note of this content (the sync compares a note in
    Anki with it to tell whether Anki still holds what we last wrote)."""
    return _fingerprint(note_type, fields, tags, deck)


def _fingerprint(
    note_type: str, fields: tuple[str, ...], tags: tuple[str, ...], deck: tuple[str, ...]
) -> str:
    """What the ledger compares to tell whether a note's content changed."""
    # repr of a tuple of strings is unambiguous and far quicker than JSON on 100k notes.
    content = repr((note_type, fields, tags, deck))
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]


def _digest(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _plain(value: object) -> object:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"cannot fingerprint {type(value).__name__}")
