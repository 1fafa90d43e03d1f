"""Note types: what must never change, and CSS that works offline, on phones and at night."""

from __future__ import annotations

import re

import pytest

from anki_export.notetypes import CSS, NOTE_TYPES
from anki_export.write.preview import render_template

# Anki matches note types by id and will not update notes whose type renamed a field or template:
# these values are frozen from the first release on. Template text and CSS may change.
FROZEN = {
    "question": (
        1170116433,
        "anki-export Question",
        ("Front", "Hint", "Notes", "Section"),
        "Question",
    ),
    "concept": (1515801781, "anki-export Concept", ("Front", "Back", "Section"), "Concept"),
    "list": (1528374436, "anki-export List", ("Front", "Items", "Section"), "List"),
}


def test_ids_and_names_are_frozen() -> None:
    assert {
        key: (t.model_id, t.name, t.fields, t.template.name) for key, t in NOTE_TYPES.items()
    } == FROZEN


def test_no_external_resources() -> None:
    for note_type in NOTE_TYPES.values():
        text = note_type.css + note_type.template.front + note_type.template.back
        assert not re.search(r"@import|url\(|https?:|<script|<link", text, re.IGNORECASE)


def test_night_mode_for_every_colour() -> None:
    assert ".card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {" in CSS
    light = CSS[: CSS.index(".card.nightMode")]
    night = CSS[CSS.index(".card.nightMode") :]
    light_vars = set(re.findall(r"(--ae-[a-z-]+):", light))
    assert light_vars and light_vars == set(re.findall(r"(--ae-[a-z-]+):", night[:1000]))
    # Outside the variables, no rule names a colour of its own (code colours come in pairs).
    rules = CSS[CSS.index(".ae-card {") : CSS.index(".ae-code .")]
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b", rules)
    assert ".nightMode .ae-code .k,\n.night_mode .ae-code .k {" in CSS


@pytest.mark.parametrize("key", sorted(NOTE_TYPES))
def test_templates_use_only_their_own_fields(key: str) -> None:
    note_type = NOTE_TYPES[key]
    fields = {name: f"<{name}>" for name in note_type.fields}
    front = render_template(note_type.template.front, fields)
    back = render_template(note_type.template.back, {**fields, "FrontSide": front})
    assert "<Front>" in front and back.startswith(front)
    assert '<hr id="answer">' in back
