"""Write a `DeckPlan` as text: Anki's own CSV import format, or the records as JSON for scripts.

The .apkg is `apkg.write_package`'s job; this module owns the two text formats and their
schemas (both documented in the README, "Output formats"). Standard library only: no genanki,
no mistune, no click.
"""

from __future__ import annotations

import io
import json
import re
import textwrap
from enum import Enum
from pathlib import Path
from typing import Any

from anki_export.atomic import write_atomically
from anki_export.notetypes import NOTE_TYPES
from anki_export.records import Concept, DeckPlan, ListNote, NoteRecord, NoteSpec, Question

#: Bumped only when a field of the JSON output is renamed, removed or changes meaning.
JSON_SCHEMA_VERSION = 1

#: Anki's GUID alphabet includes `,` and `;`, and fields hold HTML with `,`, `;`, `:` and `|`:
#: a tab is the one separator that never needs quoting in practice.
_CSV_HEADER = (
    "#separator:Tab\n"
    "#html:true\n"
    "#guid column:1\n"
    "#notetype column:2\n"
    "#deck column:3\n"
    "#tags column:4\n"
)
_MAX_FIELDS = max(len(t.fields) for t in NOTE_TYPES.values())
_ITEM_START_RE = re.compile(r"\s*(?:[*+-]|\d{1,9}[.)])(?:\s|$)")
_BOLD_LABEL_RE = re.compile(r"(\*\*|__)(?P<label>.+?)\1[ \t]*(?P<colon>:?)[ \t]*", re.S)


class OutputFormat(str, Enum):
    """What `export-deck --format` writes; the value is also the file suffix."""

    APKG = "apkg"
    CSV = "csv"
    JSON = "json"
    HTML = "html"  # the preview page: every card, front and back

    @property
    def suffix(self) -> str:
        return f".{self.value}"


def dump_csv(plan: DeckPlan) -> str:
    """The plan's notes in Anki's text-import format (File > Import takes it as it is).

    Header lines name the GUID, note type, deck and tags columns; the fields of each note
    follow in its note type's order, padded with empty columns to the widest note type.
    Anki's CSV importer cannot create note types: ours must already exist in the collection.
    """
    import csv  # here: the command imports this module for `OutputFormat` alone

    out = io.StringIO()
    out.write(_CSV_HEADER)
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for note in plan.notes:
        fields = list(note.fields) + [""] * (_MAX_FIELDS - len(note.fields))
        writer.writerow(
            [
                note.guid,
                NOTE_TYPES[note.note_type].name,
                "::".join(note.deck),
                " ".join(note.tags),
                *fields,
            ]
        )
    return out.getvalue()


def dump_json(plan: DeckPlan, guide: Path) -> str:
    """The plan's notes as the typed records scripts read (schema in the README).

    :param plan: the notes, with their GUIDs, decks and tags.
    :param guide: the guide they came from, as it should appear in the output.
    """
    document = {
        "schema_version": JSON_SCHEMA_VERSION,
        "guide": str(guide),
        "deck": plan.root,
        "description_html": plan.decks[0].description if plan.decks else "",
        "notes": [_note_json(note) for note in plan.notes],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_text(text: str, output: Path) -> None:
    """Write `text` to `output` atomically (a temporary file beside it, then a rename).

    :raises BuildError: the file cannot be written.
    """
    write_atomically(output, text.encode("utf-8"))


def _note_json(note: NoteSpec) -> dict[str, Any]:
    record = note.record
    front_md, back_md = split_markdown(record)
    back_html, back_text = _back(record)
    note_type = NOTE_TYPES[note.note_type]
    return {
        "guid": note.guid,
        "kind": record.kind.value,
        "note_type": note_type.name,
        "deck": "::".join(note.deck),
        "section": list(record.section),
        "line": record.location.line,
        "tags": list(note.tags),
        "front": {"markdown": front_md, "html": record.front.html, "text": record.front.text},
        "back": {"markdown": back_md, "html": back_html, "text": back_text},
        "markdown": record.source,
        "fields": dict(zip(note_type.fields, note.fields, strict=True)),
    }


def _back(record: NoteRecord) -> tuple[str, str]:
    match record:
        case Question(_, hint, notes):
            parts = [p for p in (hint, notes) if p is not None]
            return "\n".join(p.html for p in parts), " ".join(p.text for p in parts)
        case Concept(_, definition):
            return definition.html, definition.text
        case ListNote(_, items):
            return items.html, items.text


def split_markdown(record: NoteRecord) -> tuple[str, str]:
    """A note's Markdown as (front, back), as written in the guide.

    The front is the item's first paragraph without its bold label markers and trailing colon;
    the back is the rest of the item (for a concept, the text after the label too).
    """
    lines = record.source.split("\n")
    end = 1
    while end < len(lines) and lines[end].strip() and not _ITEM_START_RE.match(lines[end]):
        end += 1
    first = "\n".join(lines[:end]).strip()
    rest = textwrap.dedent("\n".join(lines[end:])).strip()
    label = _BOLD_LABEL_RE.match(first)
    if label is not None:
        after = first[label.end() :].strip()
        text = label.group("label").strip()
        if isinstance(record, Question):
            if not after:
                first = text
        else:
            first = text.removesuffix(":").rstrip()
            rest = "\n\n".join(p for p in (after, rest) if p)
    return first, rest
