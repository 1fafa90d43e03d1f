"""What a list item reads to (`ItemReading` and its shapes) and how (`MarkdownOptions`).

Plain records, apart from `items` (which needs mistune), so that the stages that only pass them
on, and a rebuild that reads everything from the memo, never import mistune.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from anki_export.records import Fragment

ImageSource = Callable[[str], "str | None"]


@dataclass(frozen=True, slots=True)
class MarkdownOptions:
    """How to render fields.

    :param allow_html: pass raw HTML through instead of escaping it.
    :param image_source: maps an image's path as written to the `src` to put on the card, or to
        None to show the image as a link (the callee reports why); None keeps paths as written.
    """

    allow_html: bool = False
    image_source: ImageSource | None = None


#: Raw HTML escaped, image paths kept as written.
DEFAULT_OPTIONS = MarkdownOptions()


@dataclass(frozen=True, slots=True)
class QuestionShape:
    prompt: Fragment
    hint: Fragment | None
    notes: Fragment | None


@dataclass(frozen=True, slots=True)
class ConceptShape:
    term: Fragment
    definition: Fragment


@dataclass(frozen=True, slots=True)
class ListShape:
    label: Fragment
    items: Fragment


@dataclass(frozen=True, slots=True)
class NoNote:
    reason: str


Shape = QuestionShape | ConceptShape | ListShape | NoNote


@dataclass(frozen=True, slots=True)
class ItemReading:
    """What one list item makes, plus doubts about it (messages without a location)."""

    shape: Shape
    doubts: tuple[str, ...] = ()
