"""Typed, immutable records that flow between the stages.

The parser produces a `Guide` of note records; the identity stage turns them into `NoteSpec`s that
the builder writes. This module imports nothing from the project or from third-party libraries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where something came from: a guide file and a 1-based line number (0: the whole file)."""

    path: Path
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass(frozen=True, slots=True)
class GuideWarning:
    """Doubtful input that did not stop the export."""

    location: SourceLocation
    message: str

    def __str__(self) -> str:
        return f"{self.location}: warning: {self.message}"


class Kind(str, Enum):
    """The kinds of note a list item can make; the value is used in tags and reports."""

    QUESTION = "question"
    OPEN_QUESTION = "open-question"
    CONCEPT = "concept"
    LIST = "list"


@dataclass(frozen=True, slots=True)
class Fragment:
    """A piece of the guide as HTML for a card, and as plain text for identity and reports."""

    html: str
    text: str


@dataclass(frozen=True, slots=True)
class Question:
    """A question; `hint` is None for an open question (answered from one's own experience)."""

    prompt: Fragment
    hint: Fragment | None
    notes: Fragment | None
    section: tuple[str, ...]
    location: SourceLocation
    source: str

    @property
    def kind(self) -> Kind:
        return Kind.QUESTION if self.hint is not None else Kind.OPEN_QUESTION

    @property
    def front(self) -> Fragment:
        return self.prompt


@dataclass(frozen=True, slots=True)
class Concept:
    """A term and what it means: `**Term:** definition`."""

    term: Fragment
    definition: Fragment
    section: tuple[str, ...]
    location: SourceLocation
    source: str

    @property
    def kind(self) -> Kind:
        return Kind.CONCEPT

    @property
    def front(self) -> Fragment:
        return self.term


@dataclass(frozen=True, slots=True)
class ListNote:
    """A bold label ending in a colon and the list of items under it."""

    label: Fragment
    items: Fragment
    section: tuple[str, ...]
    location: SourceLocation
    source: str

    @property
    def kind(self) -> Kind:
        return Kind.LIST

    @property
    def front(self) -> Fragment:
        return self.label


NoteRecord = Question | Concept | ListNote


def answer_text(note: NoteRecord) -> str:
    """The plain text on the back of a note's card: hint and notes, definition, or items."""
    match note:
        case Question(_, hint, notes):
            return " ".join(p.text for p in (hint, notes) if p is not None)
        case Concept(_, definition):
            return definition.text
        case ListNote(_, items):
            return items.text


@dataclass(frozen=True, slots=True)
class MediaFile:
    """An image a guide shows: its name in Anki's media folder, its file and its bytes."""

    name: str
    source: Path
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class Section:
    """A heading that holds notes: its path below the root deck and where it starts."""

    path: tuple[str, ...]
    location: SourceLocation


@dataclass(frozen=True, slots=True)
class Guide:
    """Everything the parser learnt from one guide, in source order."""

    path: Path
    title: str
    description: Fragment
    sections: tuple[Section, ...]
    notes: tuple[NoteRecord, ...]
    warnings: tuple[GuideWarning, ...]
    media: tuple[MediaFile, ...] = ()

    @property
    def identity(self) -> str:
        """What ties notes to this guide across builds: the file's stem, not its deck name."""
        return self.path.stem


@dataclass(frozen=True, slots=True)
class NoteSpec:
    """One Anki note, ready to write: fields in the note type's order, HTML already escaped.

    `note_id` and `mod` of 0 mean "not assigned": the builder then derives them from its
    build timestamp.
    """

    guid: str
    note_type: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: tuple[str, ...]
    position: int
    record: NoteRecord
    note_id: int = 0
    mod: int = 0


@dataclass(frozen=True, slots=True)
class DeckSpec:
    """One deck of the package; `path` holds every component from the root deck down."""

    path: tuple[str, ...]
    description: str = ""

    @property
    def name(self) -> str:
        return "::".join(self.path)


@dataclass(frozen=True, slots=True)
class DeckPlan:
    """Everything that goes into one .apkg."""

    root: str
    decks: tuple[DeckSpec, ...]
    notes: tuple[NoteSpec, ...]
    #: `mod` per note type key; a missing key means the build timestamp.
    type_mods: Mapping[str, int] = field(default_factory=dict)
    media: tuple[MediaFile, ...] = ()
