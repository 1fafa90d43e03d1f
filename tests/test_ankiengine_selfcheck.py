"""Self-check of tests/ankiengine.py against Anki's real engine, with a tiny genanki deck."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import genanki
import pytest
from anki.collection import Collection

from tests.ankiengine import (
    LOG_CATEGORIES,
    card_states,
    card_states_by_ord,
    check_database,
    deck_names,
    import_apkg,
    notes_by_guid,
    open_collection,
    render_problems,
    study_all,
)

MODEL_ID = 1_607_392_319
ROOT_DECK_ID = 2_059_400_110
SUB_DECK_ID = 2_059_400_111
T1 = 1_700_000_000.0  # note `mod` of the first build
T2 = T1 + 3600.0  # a later build
GUIDS = ("selfcheck-guid-0", "selfcheck-guid-1", "selfcheck-guid-2")
FIELDS = {"Front": "Q", "Back": "A"}


def basic_model(
    model_id: int = MODEL_ID,
    name: str = "SelfCheck Basic",
    qfmt: str = "{{Front}}",
    extra_templates: tuple[dict[str, str], ...] = (),
) -> genanki.Model:
    return genanki.Model(
        model_id,
        name,
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[
            {"name": "Card 1", "qfmt": qfmt, "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"},
            *extra_templates,
        ],
        css=".card { font-family: arial; }",
    )


def build_deck(
    path: Path,
    timestamp: float,
    backs: tuple[str, str, str] = ("A0", "A1", "A2"),
    model: genanki.Model | None = None,
    guids: tuple[str, ...] = GUIDS,
) -> Path:
    """Notes 0 and 1 go to `Root`, note 2 to `Root::Sub`."""
    model = model or basic_model()
    root = genanki.Deck(ROOT_DECK_ID, "Root")
    sub = genanki.Deck(SUB_DECK_ID, "Root::Sub")
    for i, guid in enumerate(guids):
        note = genanki.Note(model=model, fields=[f"Q{i}", backs[i]], guid=guid, tags=["selfcheck"])
        (root if i < 2 else sub).add_note(note)
    genanki.Package([root, sub]).write_to_file(str(path), timestamp=timestamp)
    return path


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    collection = open_collection(tmp_path / "col")
    try:
        yield collection
    finally:
        collection.close()


def test_fresh_import(col: Collection, tmp_path: Path) -> None:
    log = import_apkg(col, build_deck(tmp_path / "v1.apkg", T1))

    assert log.summary == {"new": 3}
    assert log.found_notes == 3
    assert set(log.counts) == set(LOG_CATEGORIES)
    assert log.first_fields("new") == ["Q0", "Q1", "Q2"]
    assert [n.fields for n in log.new] == [("Q0", "A0"), ("Q1", "A1"), ("Q2", "A2")]
    assert sorted(log.ids("new")) == sorted(col.find_notes(""))

    assert deck_names(col) == {"Root", "Root::Sub"}
    assert deck_names(col, include_default=True) == {"Default", "Root", "Root::Sub"}
    notes = notes_by_guid(col)
    assert set(notes) == set(GUIDS)
    view = notes[GUIDS[2]]
    assert view.notetype == "SelfCheck Basic"
    assert view.field_names == ("Front", "Back")
    assert view.fields == {"Front": "Q2", "Back": "A2"}
    assert view.tags == ("selfcheck",)
    assert view.decks == ("Root::Sub",)
    assert notes[GUIDS[0]].decks == ("Root",)

    assert render_problems(col) == []
    text, ok = check_database(col)
    assert ok, text

    states = card_states(col)
    assert set(states) == set(GUIDS)
    assert all(s.reps == 0 and s.revlog_rows == 0 and s.type == 0 for s in states.values())


def test_study_then_newer_reimport_updates_notes_and_keeps_history(
    col: Collection, tmp_path: Path
) -> None:
    first = import_apkg(col, build_deck(tmp_path / "v1.apkg", T1))

    assert study_all(col) == 3
    studied = card_states(col)
    assert {g: s.deck for g, s in studied.items()} == {
        GUIDS[0]: "Root",
        GUIDS[1]: "Root",
        GUIDS[2]: "Root::Sub",
    }
    for state in studied.values():
        assert state.revlog_rows == 1
        assert state.reps == 1
        assert (state.type, state.queue) == (2, 2)  # graduated straight to review
        assert state.ivl >= 1
    assert study_all(col) == 0  # nothing is due any more today

    # One field changed, later timestamp: genanki stamps every note with the package
    # timestamp, so all three notes are newer and Anki updates all three.
    log = import_apkg(col, build_deck(tmp_path / "v2.apkg", T2, backs=("A0", "A1 changed", "A2")))
    assert log.summary == {"updated": 3}
    assert sorted(log.ids("updated")) == sorted(first.ids("new"))
    assert [n.fields for n in log.updated] == [
        ("Q0", "A0"),
        ("Q1", "A1 changed"),
        ("Q2", "A2"),
    ]
    assert notes_by_guid(col)[GUIDS[1]].fields["Back"] == "A1 changed"
    assert card_states(col) == studied  # review history, ivl, due and deck untouched
    assert render_problems(col) == []
    assert check_database(col)[1]


def test_reimport_with_same_timestamp_is_duplicate(col: Collection, tmp_path: Path) -> None:
    v1 = build_deck(tmp_path / "v1.apkg", T1)
    import_apkg(col, v1)
    study_all(col)
    before_notes, before_cards = notes_by_guid(col), card_states(col)

    again = import_apkg(col, v1)
    assert again.summary == {"duplicate": 3}

    # Same `mod` but a changed field: still a duplicate, and the change is NOT applied.
    log = import_apkg(col, build_deck(tmp_path / "v1b.apkg", T1, backs=("A0", "A1 new", "A2")))
    assert log.summary == {"duplicate": 3}
    assert log.updated == ()
    assert notes_by_guid(col) == before_notes
    assert card_states(col) == before_cards


def test_render_problems_detects_unknown_field(col: Collection, tmp_path: Path) -> None:
    import_apkg(col, build_deck(tmp_path / "ok.apkg", T1))
    broken = basic_model(model_id=MODEL_ID + 1, name="SelfCheck Broken", qfmt="{{Nope}}")
    log = import_apkg(
        col,
        build_deck(tmp_path / "bad.apkg", T1, model=broken, guids=("broken-guid",)),
    )
    assert log.summary == {"new": 1}

    problems = render_problems(col)
    assert len(problems) == 1
    assert "'broken-guid'" in problems[0]
    assert "SelfCheck Broken" in problems[0]
    assert "there is no field called 'Nope'" in problems[0]


def test_card_states_needs_one_card_per_note(col: Collection, tmp_path: Path) -> None:
    reverse = {"name": "Card 2", "qfmt": "{{Back}}", "afmt": "{{FrontSide}}<hr id=answer>{{Front}}"}
    model = basic_model(model_id=MODEL_ID + 2, name="SelfCheck Both", extra_templates=(reverse,))
    import_apkg(col, build_deck(tmp_path / "two.apkg", T1, model=model, guids=("two-guid",)))

    by_ord = card_states_by_ord(col)
    assert sorted(by_ord) == [("two-guid", 0), ("two-guid", 1)]
    assert notes_by_guid(col)["two-guid"].decks == ("Root", "Root")
    with pytest.raises(ValueError, match="several cards"):
        card_states(col)
    assert study_all(col) == 2


def test_render_problems_detects_blank_front_after_update(col: Collection, tmp_path: Path) -> None:
    import_apkg(col, build_deck(tmp_path / "v1.apkg", T1))
    # A newer build empties note 0's first field: Anki logs it as `updated` (not
    # `empty_first_field`) and keeps its card, whose front now renders blank.
    root = genanki.Deck(ROOT_DECK_ID, "Root")
    root.add_note(genanki.Note(model=basic_model(), fields=["", "A0"], guid=GUIDS[0]))
    path = tmp_path / "v2.apkg"
    genanki.Package([root]).write_to_file(str(path), timestamp=T2)

    log = import_apkg(col, path)
    assert log.summary == {"updated": 1}
    problems = render_problems(col)
    assert len(problems) == 1
    assert GUIDS[0] in problems[0]
    assert "The front of this card is blank" in problems[0]


def test_study_all_goes_past_default_daily_limit(col: Collection, tmp_path: Path) -> None:
    # Anki's default preset allows 20 new cards a day; study_all must answer all of them.
    guids = tuple(f"many-{i}" for i in range(30))
    deck = genanki.Deck(ROOT_DECK_ID, "Root")
    for i, guid in enumerate(guids):
        deck.add_note(genanki.Note(model=basic_model(), fields=[f"Q{i}", "A"], guid=guid))
    path = tmp_path / "many.apkg"
    genanki.Package(deck).write_to_file(str(path), timestamp=T1)
    import_apkg(col, path)

    assert study_all(col) == 30
    assert {s.revlog_rows for s in card_states(col).values()} == {1}
    # 30 answers take a few ms. Anki moves a clashing revlog id 1 ms on without touching the
    # card's last review time ("lrt", seconds); when that crosses a second, Check Database
    # "adds last review time" and reports ok=False. study_all gives each answer its own ms.
    assert col.db is not None
    mismatched = col.db.all(
        "select c.id from cards c where json_extract(c.data, '$.lrt')"
        " != (select max(r.id) / 1000 from revlog r where r.cid = c.id)"
    )
    assert mismatched == []
    text, ok = check_database(col)
    assert ok, text
