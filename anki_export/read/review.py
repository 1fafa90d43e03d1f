"""Advice about a parsed guide that needs the whole note, not one line: answers too long to learn,
images that would show as text.

Runs on the records (`Guide`) after parsing; the warnings join the parser's own (plain bullets,
empty hints, duplicate fronts, empty sections). Pure Python; imports no third-party library.
"""

from __future__ import annotations

import re
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
        answer = answer_text(note)
        if len(answer) > LONG_ANSWER:
            yield GuideWarning(
                note.location,
                f"the answer is {len(answer):,} characters long (more than {LONG_ANSWER:,}), "
                f"which makes a poor flashcard; split it into several notes "
                f"({note.front.text[:60]!r})",
            )
        for text in (note.front.text, answer):
            if "![" in text:
                yield from (GuideWarning(note.location, why) for why in _literal_images(text))


# Images Markdown shows as text: a path with a space (CommonMark wants it in <...>), and
# Obsidian's `![[file]]` embeds. Both are common in guides written elsewhere.
_SPACED_IMAGE_RE = re.compile(r"!\[[^\]]*\]\(([^()<>]*\s[^()<>]*)\)")
_EMBED_RE = re.compile(r"!\[\[([^\]|]+)(?:\|[^\]]*)?\]\]")


def _literal_images(text: str) -> Iterator[str]:
    """Why an image the author meant is shown as text on the card, for each such image."""
    for m in _SPACED_IMAGE_RE.finditer(text):
        yield (
            f"{m.group()!r} is shown as text, not as an image: Markdown needs a path with "
            f"spaces in angle brackets, ![](<{m.group(1).strip()}>), or %20 for each space"
        )
    for m in _EMBED_RE.finditer(text):
        yield (
            f"{m.group()!r} (an Obsidian embed) is shown as text, not as an image: write it "
            f"as Markdown, ![](<{m.group(1).strip()}>)"
        )
