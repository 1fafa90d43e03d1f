"""A chunk's reading as marshal bytes and back, for the memo: compact and quick to load.

Written out by hand, field by field, rather than by reflection: loading every chunk of a large
guide is on the path of every rebuild, and a generic walk over dataclasses cost four times as
much. Lines are stored counted from the chunk's start and without the guide's path, so a chunk
that moves down the guide (or a renamed guide) reuses its entry. A fragment whose HTML equals
its text stores it once. Standard library only.
"""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

from anki_export.read.scan import ScanState
from anki_export.records import (
    Concept,
    Fragment,
    GuideWarning,
    ListNote,
    NoteRecord,
    Question,
    Section,
    SourceLocation,
)

_QUESTION, _CONCEPT, _LIST = 0, 1, 2
#: Bump when the layout below changes (the memo's key covers the code too; this is belt and braces).
_LAYOUT = 1


def dump_reading(reading: Any) -> bytes:
    """`reading` (a `guide.ChunkReading`, lines counted from its chunk's start) as bytes."""

    def line(location: SourceLocation) -> int:
        return location.line

    value = (
        _LAYOUT,
        reading.exit.title,
        reading.exit.stack,
        dump_fragment(reading.description),
        tuple((s.path, line(s.location)) for s in reading.sections),
        reading.contents,
        tuple(_note(n, line(n.location)) for n in reading.notes),
        tuple((line(w.location), w.message) for w in reading.warnings),
        tuple((line(w.location), w.message) for w in reading.problems),
        reading.media,
        reading.clean,
    )
    return marshal.dumps(value)


def load_reading(data: bytes, path: Path, offset: int) -> tuple[Any, ...]:
    """The fields of a `guide.ChunkReading` from `dump_reading`'s bytes, in `path`, with lines
    `offset` further down.

    :raises ValueError: the bytes are not a reading in this layout.
    """
    try:
        value = marshal.loads(data)
        layout, title, stack, description, sections, contents, notes, *rest = value
        warnings, problems, media, clean = rest
    except (EOFError, TypeError, ValueError) as e:
        raise ValueError(f"not a chunk reading: {e}") from None
    if layout != _LAYOUT:
        raise ValueError(f"chunk reading layout {layout}, not {_LAYOUT}")

    def at(line: int) -> SourceLocation:
        return SourceLocation(path, line + offset if line else 0)

    return (
        ScanState(title, stack),
        load_fragment(description),
        tuple(Section(p, at(n)) for p, n in sections),
        contents,
        tuple(_unnote(n, path, offset) for n in notes),
        tuple(GuideWarning(at(n), m) for n, m in warnings),
        tuple(GuideWarning(at(n), m) for n, m in problems),
        media,
        clean,
    )


def dump_fragment(fragment: Fragment | None) -> tuple[str, ...] | None:
    """A fragment as marshal-able strings; its HTML once when its text is the same."""
    if fragment is None:
        return None
    if fragment.html == fragment.text:
        return (fragment.html,)
    return (fragment.html, fragment.text)


def load_fragment(value: tuple[str, ...] | None) -> Fragment | None:
    """The fragment `dump_fragment` wrote."""
    if value is None:
        return None
    html = value[0]
    return Fragment(html, value[1] if len(value) > 1 else html)


def _note(note: NoteRecord, line: int) -> tuple[Any, ...]:
    head = (note.section, line, note.source)
    match note:
        case Question(prompt, hint, notes):
            return (
                _QUESTION,
                *head,
                dump_fragment(prompt),
                dump_fragment(hint),
                dump_fragment(notes),
            )
        case Concept(term, definition):
            return (_CONCEPT, *head, dump_fragment(term), dump_fragment(definition))
        case ListNote(label, items):
            return (_LIST, *head, dump_fragment(label), dump_fragment(items))


def _unnote(value: tuple[Any, ...], path: Path, offset: int) -> NoteRecord:
    kind, section, line, source, first, second, *more = value
    location = SourceLocation(path, line + offset)
    front, back = load_fragment(first), load_fragment(second)
    if front is None:
        raise ValueError("a note without a front")
    if kind == _QUESTION:
        return Question(front, back, load_fragment(more[0]), section, location, source)
    if back is None:
        raise ValueError("a concept or list without a back")
    if kind == _CONCEPT:
        return Concept(front, back, section, location, source)
    if kind == _LIST:
        return ListNote(front, back, section, location, source)
    raise ValueError(f"unknown note kind {kind!r}")
