"""Render stage: fields per note type, decks, tags, positions, and the seed golden file."""

from __future__ import annotations

import json
from pathlib import Path

from anki_export.notes import render_notes
from anki_export.notetypes import NOTE_TYPES
from anki_export.read.guide import parse_guide

from .conftest import WriteGuide

GOLDEN = Path(__file__).parent / "golden" / "seed-notes.json"


def test_fields_follow_note_types(write_guide: WriteGuide) -> None:
    text = (
        "# R\n\n## 7. Ask\n\n- **Open?**\n- **Q?**\n  - *Hint:* h\n  - extra\n"
        "- **T:** d\n- **L:**\n  - a\n"
    )
    plan = render_notes(parse_guide(write_guide(text)))
    open_q, q, concept, listing = plan.notes
    assert dict(zip(NOTE_TYPES["question"].fields, open_q.fields, strict=True)) == {
        "Front": "Open?",
        "Hint": "",
        "Notes": "",
        "Section": "7. Ask",
    }
    assert q.fields[1] == "h" and "extra" in q.fields[2]
    assert concept.note_type == "concept" and concept.fields[:2] == ("T", "d")
    assert listing.note_type == "list"
    assert listing.fields[0] == 'L <span class="ae-of">(Ask)</span>'
    assert [n.position for n in plan.notes] == [0, 1, 2, 3]
    assert [n.tags[0] for n in plan.notes] == [
        "anki-export::open-question",
        "anki-export::question",
        "anki-export::concept",
        "anki-export::list",
    ]


def test_decks_root_first_with_description(write_guide: WriteGuide) -> None:
    plan = render_notes(
        parse_guide(write_guide("# R\n\nAbout *this*.\n\n## A\n\n### B\n\n- **Q**\n"))
    )
    assert [d.name for d in plan.decks] == ["R", "R::A", "R::A::B"]
    assert plan.decks[0].description == "<p>About <em>this</em>.</p>"
    assert plan.notes[0].deck == ("R", "A", "B")


def test_root_level_notes_show_the_root_as_section(write_guide: WriteGuide) -> None:
    plan = render_notes(parse_guide(write_guide("# Root & Co\n\n- **Q**\n")))
    assert plan.notes[0].fields[-1] == "Root &amp; Co"


def golden_view(seed: Path) -> list[dict[str, object]]:
    plan = render_notes(parse_guide(seed))
    return [
        {
            "line": n.record.location.line,
            "kind": n.record.kind.value,
            "guid": n.guid,
            "deck": "::".join(n.deck),
            "tags": list(n.tags),
            "fields": dict(zip(NOTE_TYPES[n.note_type].fields, n.fields, strict=True)),
        }
        for n in plan.notes
    ]


def test_seed_golden(seed: Path, update_golden: bool) -> None:
    """The seed guide's notes, reviewed in the diff; rewrite with `pytest --update-golden`."""
    actual = golden_view(seed)
    if update_golden:
        GOLDEN.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert actual == json.loads(GOLDEN.read_text("utf-8"))
