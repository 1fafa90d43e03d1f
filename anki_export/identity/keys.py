"""Stable identity: note GUIDs, deck ids and tags, derived only from what must not change.

A GUID depends on the guide's identity, the note type and the normalised front text — never on the
answer, the position or the build time — so editing a hint updates the note in Anki instead of
adding another. Pure Python; imports no third-party library.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from anki_export.records import Concept, Kind, ListNote, NoteRecord, Question

_NUMBERING_RE = re.compile(r"^\s*\d+(?:[.)]\d+)*[.)]\s+")
_TAG_UNSAFE_RE = re.compile(r"[^\w]+")
# The base91 alphabet Anki and genanki use for GUIDs (no quote, backslash or space).
_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)

_PAIR_BASE = len(_BASE91) ** 2
_BASE91_PAIRS = [high + low for high in _BASE91 for low in _BASE91]


# By the record's class: a dict look-up, as this runs for every note more than once.
_NOTE_TYPE_KEYS: dict[type, str] = {
    Question: Kind.QUESTION.value,
    Concept: Kind.CONCEPT.value,
    ListNote: Kind.LIST.value,
}


def note_type_key(note: NoteRecord) -> str:
    """The note type a record is stored as; open questions share the question type."""
    return _NOTE_TYPE_KEYS[type(note)]


def normalise_front(text: str) -> str:
    """Front text as identity: Unicode-normalised, case-folded, whitespace collapsed."""
    # str.split() splits where the regex \s+ would (both use str.isspace), four times faster.
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def identity_key(note: NoteRecord) -> tuple[str, str]:
    """What makes two notes of one guide "the same note"."""
    return note_type_key(note), normalise_front(note.front.text)


def note_guid(guide: str, key: tuple[str, str], occurrence: int = 0) -> str:
    """A 10-character GUID from the guide's identity and a note's identity key.

    :param guide: the guide's identity (its file stem).
    :param key: `identity_key(note)`.
    :param occurrence: 0 for the first note with this key in the guide, 1 for the second, ...
    """
    parts = ["anki-export", guide, *key]
    if occurrence:
        parts.append(str(occurrence))
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return base91(int.from_bytes(digest[:8], "big"))


def base91(number: int) -> str:
    """A number in genanki's base 91 (most significant digit first, no leading zeros)."""
    # Two digits at a time: half the divisions, on every note of a first export.
    pairs = []
    while number:
        number, rem = divmod(number, _PAIR_BASE)
        pairs.append(_BASE91_PAIRS[rem])
    # The last pair may start with a zero digit; the number itself has none in front.
    return "".join(reversed(pairs)).lstrip(_BASE91[0]) or _BASE91[0]


def stable_id(*parts: str) -> int:
    """A positive 53-bit id (exact in JSON and JavaScript) from text, e.g. a deck name."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return (int.from_bytes(digest[:8], "big") >> 11) | (1 << 40)


def tag_component(name: str) -> str:
    """A heading as one tag component: no numbering, lower case, words joined by hyphens."""
    text = strip_numbering(unicodedata.normalize("NFKC", name)).casefold()
    slug = _TAG_UNSAFE_RE.sub("-", text).strip("-_")
    return slug or "section"


def strip_numbering(name: str) -> str:
    """`4. Technical Questions` -> `Technical Questions`."""
    return _NUMBERING_RE.sub("", name).strip()


def deck_component(text: str) -> str:
    """Text as one deck-name component: a `::` in it would split it into two decks in Anki."""
    text = " ".join(text.split())
    while "::" in text:
        text = text.replace("::", ":\u2236")
    return text
