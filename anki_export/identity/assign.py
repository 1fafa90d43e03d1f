"""Plan a deck against the ID ledger: each note's id and `mod`, its ledger entry, and what changed.

A note whose rendered content is unchanged keeps its recorded `mod`, so that Anki leaves it alone;
a changed note gets the build time, and always more than its recorded `mod` (Anki updates a note
only when the incoming `mod` is newer); a new note gets the build time and a new id. Pure Python.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, is_dataclass, replace

from anki_export.identity.ledger import LedgerEntry, TypeEntry
from anki_export.identity.match import Identity
from anki_export.identity.report import Change, ChangeKind
from anki_export.identity.words import back_sketch
from anki_export.notetypes import NOTE_TYPES
from anki_export.records import NoteSpec, answer_text


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
    ids = _new_ids(now * 1000, used_ids)
    notes: list[NoteSpec] = []
    entries: list[LedgerEntry] = []
    changes: list[Change] = []
    unchanged = 0
    last_in_section: dict[tuple[str, ...], str] = {}
    for note, ident in zip(rendered, identities, strict=True):
        fingerprint = _fingerprint(note.note_type, note.fields, note.tags, note.deck)
        entry = ident.entry
        same = entry is not None and entry.fingerprint == fingerprint
        if ident.maybe is not None:
            changes.append(_question(note, ident))
        if entry is not None and same:
            # Same content as Anki already has: keeping the recorded mod makes Anki skip it.
            note_id, mod = entry.note_id, entry.mod
            if entry.removed:
                record = note.record
                changes.append(
                    Change(ChangeKind.ADDED, note.deck, record.front.text, record.location.line)
                )
            else:
                unchanged += 1
        else:
            note_id, mod = (entry.note_id, max(now, entry.mod + 1)) if entry else (next(ids), now)
            changes.extend(_changes(note, entry, ident, root))
        # NoteSpec(...) rather than dataclasses.replace: a third of the time, on 100k notes.
        notes.append(
            NoteSpec(
                *(note.guid, note.note_type, note.fields, note.tags, note.deck, note.position),
                *(note.record, note_id, mod),
            )
        )
        after = last_in_section.get(note.record.section, "")
        last_in_section[note.record.section] = note.guid
        # An unchanged note keeps the very entry it had: a large guide's ledger is then held
        # once, not twice, and a rebuild makes no entry for it.
        if entry is not None and same and _kept(entry, note, ident, after):
            entries.append(entry)
        else:
            new_entry = _entry(note, ident, (note_id, mod, fingerprint, after), same)
            entries.append(entry if new_entry == entry else new_entry)
    return notes, entries, changes, unchanged


def _new_ids(start: int, used: set[int]) -> Iterator[int]:
    """Note ids for new notes: from the build time in milliseconds up, skipping taken ones
    (which `used` gains)."""
    while True:
        while start in used:
            start += 1
        used.add(start)
        yield start


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
                front = gone.text or gone.front
                changes.append(Change(ChangeKind.REMOVED, (root, *gone.section), front))
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


def _changes(note: NoteSpec, entry: LedgerEntry | None, ident: Identity, root: str) -> list[Change]:
    record = note.record
    front = record.front.text
    line = record.location.line
    # A note the user linked to an old one continues it, even if the last export wrote it as
    # new (the question was open then) and so marked the old one removed.
    if entry is None or (entry.removed and not ident.linked):
        return [Change(ChangeKind.ADDED, note.deck, front, line)]
    changes = []
    if ident.reworded:
        old_front = entry.text or entry.front
        changes.append(Change(ChangeKind.REWORDED, note.deck, front, line, old_front=old_front))
    if entry.section != record.section:
        changes.append(
            Change(ChangeKind.MOVED, note.deck, front, line, old_deck=(root, *entry.section))
        )
    return changes or [Change(ChangeKind.CHANGED, note.deck, front, line)]


def _kept(entry: LedgerEntry, note: NoteSpec, ident: Identity, after: str) -> bool:
    """Whether `_entry` would give `entry` again, for a note of the same content (the note id
    and `mod` are then the entry's): checked field by field, without making the entry."""
    record = note.record
    return (
        not entry.removed
        and entry.back is not None
        and ident.maybe is None
        and not entry.maybe
        and entry.maybe_score == 0.0
        and entry.guid == note.guid
        and entry.after == after
        and entry.section == record.section
        and entry.text == record.front.text
        and entry.front == ident.key[1]
        and entry.note_type == note.note_type
        and entry.kind == record.kind.value
    )


def _entry(
    note: NoteSpec, ident: Identity, planned: tuple[int, int, str, str], same: bool
) -> LedgerEntry:
    """A note's ledger entry; `planned` is its note id, mod, fingerprint and the GUID of the
    note before it in its section."""
    entry = ident.entry
    note_id, mod, fingerprint, after = planned
    return LedgerEntry(
        guid=note.guid,
        note_id=note_id,
        kind=note.record.kind.value,
        note_type=note.note_type,
        section=note.record.section,
        front=ident.key[1],
        fingerprint=fingerprint,
        mod=mod,
        text=note.record.front.text,
        # Same content, same back: the sketch is only made for what changed.
        back=entry.back
        if same and entry is not None and entry.back is not None
        else back_sketch(answer_text(note.record)),
        after=after,
        maybe=ident.maybe.entry.guid if ident.maybe else "",
        maybe_score=ident.maybe.score if ident.maybe else 0.0,
    )


def _question(note: NoteSpec, ident: Identity) -> Change:
    """A possible rewording, asked about: the new note, the old note and their score."""
    assert ident.maybe is not None
    old = ident.maybe.entry
    return Change(
        ChangeKind.POSSIBLE_REWORDING,
        note.deck,
        note.record.front.text,
        note.record.location.line,
        old_front=old.text or old.front,
        old_deck=(note.deck[0], *old.section),
        old_guid=old.guid,
        score=ident.maybe.score,
    )


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
