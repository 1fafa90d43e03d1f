"""Turn a parsed `Guide` into a `DeckPlan`: notes with fields, tags, decks and GUIDs.

Pure Python: field HTML was rendered by the parser's Markdown stage; this stage only arranges it
for the note types in `notetypes` and gives every note its identity.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence

from anki_export.identity import keys as identity
from anki_export.identity.ledger import Ledger
from anki_export.identity.match import match_notes
from anki_export.notetypes import NOTE_TYPES
from anki_export.records import (
    Concept,
    DeckPlan,
    DeckSpec,
    Guide,
    Kind,
    ListNote,
    NoteRecord,
    NoteSpec,
    Question,
)

KIND_TAG_PREFIX = "anki-export"
SECTION_SEPARATOR = " › "


def render_notes(
    guide: Guide, deck_name: str | None = None, guids: Sequence[str] | None = None
) -> DeckPlan:
    """Arrange a guide's records as Anki notes and decks.

    :param guide: the parsed guide.
    :param deck_name: the root deck's name; defaults to the guide's title. Does not change GUIDs.
    :param guids: each note's GUID (from `match.match_notes`); by default derived from the
        guide's identity, the note type and the normalised front.
    :returns: the decks (root first, then every section holding notes) and notes in source order.
    """
    if guids is None:
        guids = content_guids(guide)
    root = root_deck(guide, deck_name)
    root_tag = identity.tag_component(root)
    notes = [
        note_spec(record, guid, position, root, root_tag)
        for position, (record, guid) in enumerate(zip(guide.notes, guids, strict=True))
    ]
    decks = [DeckSpec((root,), guide.description.html)]
    decks += [DeckSpec((root, *s.path)) for s in guide.sections]
    return DeckPlan(root=root, decks=tuple(decks), notes=tuple(notes), media=guide.media)


def root_deck(guide: Guide, deck_name: str | None = None) -> str:
    """The root deck's name: `deck_name`, else the guide's title, else its file stem."""
    return identity.deck_component(deck_name or guide.title) or guide.path.stem


def note_spec(record: NoteRecord, guid: str, position: int, root: str, root_tag: str) -> NoteSpec:
    """One record as a note of the root deck `root` (whose tag is `root_tag`)."""
    return NoteSpec(
        guid=guid,
        note_type=identity.note_type_key(record),
        fields=_fields(record, root),
        tags=_tags(record.kind, root_tag, record.section),
        deck=_deck(root, record.section),
        position=position,
        record=record,
    )


def content_guids(guide: Guide) -> list[str]:
    """GUIDs from the text alone: what a first export (or one without a ledger) gives."""
    return [i.guid for i in match_notes(guide.identity, guide.notes, Ledger())]


# Shared by every note of a section, so that a large guide holds each string once.
@functools.lru_cache(maxsize=4096)
def _tags(kind: Kind, root_tag: str, section: tuple[str, ...]) -> tuple[str, str]:
    section_tag = "::".join([root_tag, *map(identity.tag_component, section)])
    return f"{KIND_TAG_PREFIX}::{kind.value}", section_tag


@functools.lru_cache(maxsize=4096)
def _deck(root: str, section: tuple[str, ...]) -> tuple[str, ...]:
    return (root, *section)


@functools.lru_cache(maxsize=4096)
def _section_field(root: str, section: tuple[str, ...]) -> str:
    return html.escape(SECTION_SEPARATOR.join(section) or root, quote=False)


def _fields(record: NoteRecord, root: str) -> tuple[str, ...]:
    section = _section_field(root, record.section)
    match record:
        case Question(prompt, hint, notes):
            values = {
                "Front": prompt.html,
                "Hint": hint.html if hint else "",
                "Notes": notes.html if notes else "",
            }
        case Concept(term, definition):
            values = {"Front": term.html, "Back": definition.html}
        case ListNote(label, items):
            leaf = identity.strip_numbering(record.section[-1]) if record.section else ""
            front = label.html
            if leaf:
                front += f' <span class="ae-of">({html.escape(leaf, quote=False)})</span>'
            values = {"Front": front, "Items": items.html}
    values["Section"] = section
    return tuple(values[name] for name in NOTE_TYPES[identity.note_type_key(record)].fields)
