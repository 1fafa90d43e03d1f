"""The builder: .apkg contents read back with zipfile + sqlite3, determinism, atomic writes."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from anki_export.errors import BuildError
from anki_export.notes import render_notes
from anki_export.notetypes import NOTE_TYPES
from anki_export.read.guide import parse_guide
from anki_export.records import DeckPlan
from anki_export.write.apkg import write_package

T0 = 1_700_000_000


@pytest.fixture
def plan(seed: Path) -> DeckPlan:
    return render_notes(parse_guide(seed))


def read_collection(apkg: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(apkg) as archive:
        assert archive.namelist() == ["collection.anki2", "media"]
        assert json.loads(archive.read("media")) == {}
        db = tmp_path / "read.anki2"
        db.write_bytes(archive.read("collection.anki2"))
    return sqlite3.connect(db)


def test_rows_match_the_plan(plan: DeckPlan, tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    write_package(plan, out, timestamp=T0)
    con = read_collection(out, tmp_path)
    rows = con.execute("select guid, mid, mod, tags, flds from notes order by id").fetchall()
    assert [r[0] for r in rows] == [n.guid for n in plan.notes]
    by_guid = {n.guid: n for n in plan.notes}
    for guid, mid, mod, tags, flds in rows:
        note = by_guid[guid]
        assert mid == NOTE_TYPES[note.note_type].model_id
        assert mod == T0
        assert tags.split() == list(note.tags)
        assert tuple(flds.split("\x1f")) == note.fields
    cards = con.execute("select c.due, n.guid from cards c join notes n on n.id = c.nid").fetchall()
    assert sorted(cards) == [(n.position, n.guid) for n in plan.notes]

    models = json.loads(con.execute("select models from col").fetchone()[0])
    assert {
        int(k): (m["name"], [f["name"] for f in m["flds"]], [t["name"] for t in m["tmpls"]])
        for k, m in models.items()
    } == {t.model_id: (t.name, list(t.fields), [t.template.name]) for t in NOTE_TYPES.values()}
    decks = json.loads(con.execute("select decks from col").fetchone()[0])
    names = {d["name"] for d in decks.values()}
    assert {d.name for d in plan.decks} <= names
    card_decks = {
        (guid, did)
        for guid, did in con.execute(
            "select n.guid, c.did from cards c join notes n on n.id = c.nid"
        )
    }
    name_of = {int(k): d["name"] for k, d in decks.items()}
    assert {(g, name_of[d]) for g, d in card_decks} == {
        (n.guid, "::".join(n.deck)) for n in plan.notes
    }


def test_same_plan_same_bytes(plan: DeckPlan, tmp_path: Path) -> None:
    a, b = tmp_path / "a.apkg", tmp_path / "b.apkg"
    write_package(plan, a, timestamp=T0)
    write_package(plan, b, timestamp=T0)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_plan_ids_and_mods_override_timestamp(plan: DeckPlan, tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    first = replace(plan.notes[0], note_id=1_600_000_000_123, mod=T0 + 5)
    plan = replace(plan, notes=(first, *plan.notes[1:]), type_mods={"concept": T0 - 9})
    write_package(plan, out, timestamp=T0)
    con = read_collection(out, tmp_path)
    rows = {guid: (nid, mod) for guid, nid, mod in con.execute("select guid, id, mod from notes")}
    assert rows.pop(first.guid) == (1_600_000_000_123, T0 + 5)
    assert {mod for _, mod in rows.values()} == {T0}
    assert sorted(nid for nid, _ in rows.values()) == [T0 * 1000 + n for n in range(1, 78)]
    cards = con.execute("select id, nid, mod from cards").fetchall()
    assert (1_600_000_000_123, 1_600_000_000_123, T0 + 5) in cards
    assert all(cid == nid for cid, nid, _ in cards)
    models = json.loads(con.execute("select models from col").fetchone()[0])
    assert {m["name"]: m["mod"] for m in models.values()} == {
        "anki-export Question": T0,
        "anki-export Concept": T0 - 9,
        "anki-export List": T0,
    }


def test_failed_write_keeps_previous_deck_and_leaves_no_temp_files(
    plan: DeckPlan, tmp_path: Path
) -> None:
    out = tmp_path / "deck.apkg"
    write_package(plan, out, timestamp=T0)
    before = out.read_bytes()
    blocked = tmp_path / "blocked.apkg"
    blocked.mkdir()
    with pytest.raises(BuildError, match="blocked.apkg: cannot write the deck"):
        write_package(plan, blocked, timestamp=T0 + 1)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked.apkg", "deck.apkg"]


def test_output_folder_is_created(plan: DeckPlan, tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper" / "deck.apkg"
    write_package(plan, out, timestamp=T0)
    assert zipfile.is_zipfile(out)
