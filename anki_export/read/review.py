"""Advice about a parsed guide that needs the whole note, not one line: answers too long to learn.

Runs on the records (`Guide`) after parsing; the warnings join the parser's own (plain bullets,
empty hints, duplicate fronts, empty sections). Pure Python; imports no third-party library.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from anki_export.records import Guide, GuideWarning, NoteRecord, answer_text

#: Characters of text on the back of a card above which it is hard to recall as one answer
#: (about 200 words; the longest answer in the seed guide has 364).
LONG_ANSWER = 1200


def review_guide(guide: Guide) -> Iterator[GuideWarning]:
    """Warnings about notes that would make poor flashcards, in source order."""
    return review_notes(guide.notes)


def review_notes(notes: Iterable[NoteRecord]) -> Iterator[GuideWarning]:
    """`review_guide` for some of a guide's notes."""
    for note in notes:
        length = len(answer_text(note))
        if length > LONG_ANSWER:
            yield GuideWarning(
                note.location,
                f"the answer is {length:,} characters long (more than {LONG_ANSWER:,}), "
                f"which makes a poor flashcard; split it into several notes "
                f"({note.front.text[:60]!r})",
            )
