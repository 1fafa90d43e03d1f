"""Plan a sync: compare a planned export with what the collection holds, and list the changes.

Pure Python, no transport and no `anki` import: both transports read a `CollectionState` and
apply the `SyncPlan` this returns, so they give the same result.

A note counts as edited inside Anki when its `mod` there is later than the `mod` the ID ledger
recorded for it (every write of ours, by `.apkg` import or by sync, stamps the note with the
ledger's `mod`, the build time of its content; Anki stamps an edit with the time of the edit) and
its fields are neither what the guide makes now nor what the ledger says we last wrote. So an
`.apkg` exported but never imported (the ledger moved forward, Anki holds an older copy of ours
with an older `mod`) is not an edit; a tag Anki or we added (which also moves `mod`) is not one.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum

from anki_export.identity import keys as identity
from anki_export.identity.assign import note_fingerprint
from anki_export.identity.ledger import Ledger, LedgerEntry
from anki_export.notes import KIND_TAG_PREFIX
from anki_export.notetypes import NOTE_TYPES
from anki_export.records import MediaFile, NoteSpec
from anki_export.sync.choices import Removed
from anki_export.sync.state import REMOVED_TAG, AnkiNote, CollectionState


class SyncKind(str, Enum):
    """What a sync did (or would do) to one note."""

    ADDED = "added"
    UPDATED = "updated"
    MOVED = "moved"
    RETIRED = "retired"
    RESTORED = "restored"
    DELETED = "deleted"
    KEPT = "kept"


@dataclass(frozen=True, slots=True)
class SyncChange:
    """One change to one note; `deck` is its deck in the guide (for a removed note: its last)."""

    kind: SyncKind
    front: str
    deck: tuple[str, ...]
    line: int = 0
    old_deck: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SyncPlan:
    """Everything a sync changes, in the order it is applied."""

    media: tuple[MediaFile, ...]
    #: Notes for the package (new and changed, and one carrier per note type to update).
    deliver: tuple[NoteSpec, ...]
    #: Our note types Anki has in an older version (names), and those it lacks.
    note_types: tuple[str, ...]
    note_types_added: tuple[str, ...]
    moves: tuple[tuple[str, tuple[int, ...]], ...]
    unsuspend: tuple[int, ...]
    untag: tuple[int, ...]
    suspend: tuple[int, ...]
    tag: tuple[int, ...]
    delete: tuple[int, ...]
    changes: tuple[SyncChange, ...]
    unchanged: int
    ledger: Ledger

    @property
    def writes_collection(self) -> bool:
        """Whether applying this plan changes anything in the collection."""
        parts = (self.media, self.deliver, self.moves, self.unsuspend, self.untag, self.suspend)
        return any(parts) or any((self.tag, self.delete))


@dataclass(slots=True)
class _Builder:
    deliver: list[NoteSpec] = field(default_factory=list)
    moves: dict[str, list[int]] = field(default_factory=dict)
    unsuspend: list[int] = field(default_factory=list)
    untag: list[int] = field(default_factory=list)
    suspend: list[int] = field(default_factory=list)
    tag: list[int] = field(default_factory=list)
    delete: list[int] = field(default_factory=list)
    changes: list[SyncChange] = field(default_factory=list)
    entries: dict[str, LedgerEntry] = field(default_factory=dict)
    unchanged: int = 0


def plan_sync(
    notes: Iterable[NoteSpec],
    new: Ledger,
    old: Ledger,
    state: CollectionState,
    *,
    root: str,
    media: Iterable[MediaFile] = (),
    removed: Removed = Removed.SUSPEND,
    overwrite: bool = False,
) -> SyncPlan:
    """What to change in the collection so that it holds the guide as planned.

    :param notes: the planned notes (GUIDs, ids, `mod` times from the ID ledger).
    :param new: the ledger the export would write; `old`: the ledger before it.
    :param overwrite: replace notes edited inside Anki instead of keeping them.
    """
    by_guid = {e.guid: e for e in old.entries}
    build = _Builder(entries={e.guid: e for e in new.entries})
    planned = list(notes)
    for note in planned:
        _plan_note(build, note, state.notes.get(note.guid), by_guid.get(note.guid), root, overwrite)
    for entry in new.entries:
        if entry.removed:
            _plan_removed(build, entry, state.notes.get(entry.guid), root, removed)
    updated, added = _note_types(build, planned, new, state)
    return SyncPlan(
        media=tuple(m for m in media if m.name not in state.media),
        deliver=tuple(build.deliver),
        note_types=updated,
        note_types_added=added,
        moves=tuple((deck, tuple(ids)) for deck, ids in build.moves.items()),
        unsuspend=tuple(build.unsuspend),
        untag=tuple(build.untag),
        suspend=tuple(build.suspend),
        tag=tuple(build.tag),
        delete=tuple(build.delete),
        changes=tuple(build.changes),
        unchanged=build.unchanged,
        ledger=Ledger(tuple(build.entries.values()), new.note_types),
    )


def _change(kind: SyncKind, note: NoteSpec, **extra: str) -> SyncChange:
    record = note.record
    return SyncChange(kind, record.front.text, note.deck, record.location.line, **extra)


def _plan_note(
    build: _Builder,
    note: NoteSpec,
    held: AnkiNote | None,
    entry: LedgerEntry | None,
    root: str,
    overwrite: bool,
) -> None:
    if held is None:
        build.deliver.append(note)
        build.changes.append(_change(SyncKind.ADDED, note))
        return
    reason = _foreign(held, note, root)
    if reason is None and _differs(held, note, root) and not overwrite:
        if edited_in_anki(held, entry, root):
            reason = "edited inside Anki: not overwritten (--overwrite-anki-edits replaces it)"
    if reason is not None:
        build.changes.append(_change(SyncKind.KEPT, note, reason=reason))
        # The guide's change stays pending: the ledger goes on saying what Anki last got from us.
        if entry is not None:
            build.entries[note.guid] = entry
        else:
            del build.entries[note.guid]
        return
    touched = False
    if _differs(held, note, root):
        if held.mod >= note.mod:
            # Anki updates a note only from a newer copy; ours must be newer than its tags' edit.
            note = replace(note, mod=held.mod + 1)
            build.entries[note.guid] = replace(build.entries[note.guid], mod=note.mod)
        build.deliver.append(note)
        build.changes.append(_change(SyncKind.UPDATED, note))
        touched = True
    touched |= _plan_cards(build, note, held, delivered=touched)
    build.unchanged += not touched


def _plan_cards(build: _Builder, note: NoteSpec, held: AnkiNote, *, delivered: bool) -> bool:
    """Move the note's cards to its deck; bring it back if we retired it. Whether it did."""
    deck = "::".join(note.deck)
    away = [c for c in held.cards if c.deck != deck]
    for card in away:
        build.moves.setdefault(deck, []).append(card.id)
    if away:
        build.changes.append(_change(SyncKind.MOVED, note, old_deck=away[0].deck))
    if REMOVED_TAG not in held.tags:
        return bool(away)
    # Only cards we suspended: the tag says we retired the note.
    build.unsuspend.extend(c.id for c in held.cards if c.suspended)
    if not delivered:  # an import replaces the tags anyway
        build.untag.append(held.id)
    build.changes.append(_change(SyncKind.RESTORED, note))
    return True


def _foreign(held: AnkiNote, note: NoteSpec, root: str) -> str | None:
    """Why a note with our GUID is not ours to change, or None."""
    if held.model_id != NOTE_TYPES[note.note_type].model_id:
        return "has another note type in Anki: left alone"
    if not held.in_root:
        return f"its cards are outside '{root}' in Anki: left alone"
    return None


def _differs(held: AnkiNote, note: NoteSpec, root: str) -> bool:
    """Whether the note in Anki has other fields or other tags of ours than planned."""
    if _nfc(held.fields) != _nfc(note.fields):
        return True
    return _our_tags(held.tags, root) != {t.casefold() for t in note.tags}


def edited_in_anki(held: AnkiNote, entry: LedgerEntry | None, root: str) -> bool:
    """Whether the note was edited inside Anki since we last wrote it (see the module doc).

    Without a ledger entry nothing says what we wrote: as an `.apkg` import would, we update.
    """
    if entry is None or held.mod <= entry.mod:
        return False
    tags = _tags(entry.kind, root, entry.section)
    last = note_fingerprint(entry.note_type, held.fields, tags, (root, *entry.section))
    return last != entry.fingerprint


def _tags(kind: str, root: str, section: tuple[str, ...]) -> tuple[str, str]:
    """The tags a note of this kind and section gets (as `render` gives them)."""
    parts = [identity.tag_component(root), *map(identity.tag_component, section)]
    return f"{KIND_TAG_PREFIX}::{kind}", "::".join(parts)


def _our_tags(tags: Iterable[str], root: str) -> set[str]:
    root_tag = identity.tag_component(root).casefold()
    ours = set()
    for tag in map(str.casefold, tags):
        if tag == REMOVED_TAG:
            continue
        if tag.startswith(KIND_TAG_PREFIX + "::") or tag == root_tag:
            ours.add(tag)
        elif tag.startswith(root_tag + "::"):
            ours.add(tag)
    return ours


def _nfc(fields: Iterable[str]) -> tuple[str, ...]:
    # Anki stores text NFC-normalised; the guide may not be.
    return tuple(unicodedata.normalize("NFC", f) for f in fields)


def _plan_removed(
    build: _Builder, entry: LedgerEntry, held: AnkiNote | None, root: str, removed: Removed
) -> None:
    if held is None or not held.in_root or removed is Removed.KEEP:
        return
    deck = (root, *entry.section)
    if not _verified(held, entry):
        if REMOVED_TAG not in held.tags:
            reason = "removed from the guide, but its note type or front differs in Anki"
            build.changes.append(SyncChange(SyncKind.KEPT, entry.front, deck, reason=reason))
        return
    if removed is Removed.DELETE:
        build.delete.append(held.id)
        build.changes.append(SyncChange(SyncKind.DELETED, entry.front, deck))
    elif REMOVED_TAG not in held.tags:
        build.suspend.extend(c.id for c in held.cards if not c.suspended)
        build.tag.append(held.id)
        build.changes.append(SyncChange(SyncKind.RETIRED, entry.front, deck))


def _verified(held: AnkiNote, entry: LedgerEntry) -> bool:
    """Whether a note found by our GUID is the note the ledger knew: our note type, and the
    front it had (unless Anki's copy is one we wrote, its `mod` not after ours)."""
    if held.model_id != NOTE_TYPES[entry.note_type].model_id:
        return False
    if held.mod <= entry.mod:
        return True
    return bool(held.fields) and front_text(held.fields[0]) == entry.front


_OF_RE = re.compile(r'\s*<span class="ae-of">.*?</span>\s*$', re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")


def front_text(field_html: str) -> str:
    """A Front field as the ledger keeps fronts (text, normalised; a list's section dropped)."""
    text = _TAG_RE.sub("", _OF_RE.sub("", field_html))
    return identity.normalise_front(html.unescape(text))


def _note_types(
    build: _Builder, planned: list[NoteSpec], new: Ledger, state: CollectionState
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Our note types whose templates or CSS Anki lacks (updated), or that it lacks altogether
    (added); each travels with one of its notes.

    Anki's importer brings a note type only with a note that uses it: when no note of the type
    is delivered anyway, an unchanged one goes along as it is in Anki (so it is skipped).
    """
    delivered = {n.note_type for n in build.deliver}
    updated: list[str] = []
    added: list[str] = []
    for key, note_type in NOTE_TYPES.items():
        recorded = new.note_types.get(key)
        have = state.type_mods.get(note_type.model_id)
        if recorded is None or (have is not None and have >= recorded.mod):
            continue
        if key not in delivered:
            carrier = _carrier(planned, key, state.notes, {n.guid for n in build.deliver})
            if carrier is None:
                continue
            build.deliver.append(carrier)
        (updated if have is not None else added).append(note_type.name)
    return tuple(updated), tuple(added)


def _carrier(
    planned: list[NoteSpec], key: str, held: Mapping[str, AnkiNote], taken: set[str]
) -> NoteSpec | None:
    model_id = NOTE_TYPES[key].model_id
    for note in planned:
        anki = held.get(note.guid)
        if anki is not None and anki.model_id == model_id and note.guid not in taken:
            # Anki's own `mod`: the importer skips a note that is not newer.
            return replace(note, mod=anki.mod)
    return None
