"""Identity: GUIDs, tags and ids depend on what must not change, and on nothing else."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from hypothesis import example, given
from hypothesis import strategies as st

from anki_export.identity import keys as identity
from anki_export.notes import render_notes
from anki_export.read.guide import parse_guide

from .conftest import WriteGuide

_TAG_RE = re.compile(r"[^\s\"]+")


def guids(write_guide: WriteGuide, text: str, name: str = "guide.md") -> list[str]:
    return [n.guid for n in render_notes(parse_guide(write_guide(text, name))).notes]


def test_guid_ignores_answer_markup_whitespace_case_and_position(
    write_guide: WriteGuide,
) -> None:
    (a,) = guids(write_guide, "- **What is  a JOIN?**\n  - *Hint:* one\n")
    (b,) = guids(write_guide, "# New title\n\n## Moved\n\n- What is *a* join?\n  - Hint: two\n")
    assert a == b


def test_guid_depends_on_guide_kind_and_front(write_guide: WriteGuide) -> None:
    (q,) = guids(write_guide, "- **Term?**\n")
    (c,) = guids(write_guide, "- **Term?:** a concept\n")
    (other,) = guids(write_guide, "- **Term?**\n", name="other.md")
    (reworded,) = guids(write_guide, "- **Term!**\n")
    assert len({q, c, other, reworded}) == 4


def test_duplicates_get_distinct_guids_by_occurrence(write_guide: WriteGuide) -> None:
    first, second = guids(write_guide, "- **Same?**\n- **Same?**\n")
    assert first != second
    (alone,) = guids(write_guide, "- **Same?**\n")
    assert alone == first


def test_guid_shape() -> None:
    guid = identity.note_guid("g", ("question", "x"))
    assert 1 <= len(guid) <= 11 and not set(guid) & set(" \"'\\\t\n")


def _base91(number: int) -> str:
    """Base 91 one digit at a time, as genanki's `guid_for` writes it."""
    chars = []
    while number:
        number, rem = divmod(number, 91)
        chars.append(identity._BASE91[rem])
    return "".join(reversed(chars)) or identity._BASE91[0]


@given(st.text(max_size=30), st.integers(min_value=0, max_value=3))
@example("", 0)
def test_guid_is_base91_of_the_digest(front: str, occurrence: int) -> None:
    parts = ["anki-export", "g", "question", front, *([str(occurrence)] if occurrence else [])]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    expected = _base91(int.from_bytes(digest[:8], "big"))
    assert identity.note_guid("g", ("question", front), occurrence) == expected


@given(st.integers(min_value=0, max_value=2**64 - 1))
@example(0)
@example(90)
@example(91)
@example(8280)
@example(8281)
@example(8281 * 91 + 5)
@example(2**64 - 1)
def test_base91_in_pairs_is_base91_a_digit_at_a_time(number: int) -> None:
    assert identity.base91(number) == _base91(number)


def test_tags_are_valid_anki_tags(write_guide: WriteGuide) -> None:
    guide = parse_guide(
        write_guide("# Root Deck\n\n## 4. Tests & CI/CD\n\n### Ünïcode ::\n\n- **Q**\n")
    )
    (note,) = render_notes(guide).notes
    assert note.tags == ("anki-export::open-question", "root-deck::tests-ci-cd::ünïcode")
    assert all(_TAG_RE.fullmatch(t) for t in note.tags)


def test_deck_name_override_keeps_guids(write_guide: WriteGuide) -> None:
    guide = parse_guide(write_guide("# Root\n\n- **Q?**\n"))
    plain, renamed = render_notes(guide), render_notes(guide, "Other::Name")
    assert plain.notes[0].guid == renamed.notes[0].guid
    assert renamed.root == "Other:\u2236Name"
    assert renamed.notes[0].deck == ("Other:\u2236Name",)


def test_answer_text_never_reaches_the_guid(write_guide: WriteGuide) -> None:
    guide = parse_guide(write_guide("- **Q?**\n  - *Hint:* a\n"))
    note = guide.notes[0]
    edited = replace(guide, notes=(replace(note, source="anything"),))
    assert render_notes(guide).notes[0].guid == render_notes(edited).notes[0].guid
