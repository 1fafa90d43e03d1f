"""The builder writes exactly the rows genanki's own `Package.write_to_db` would write."""

from __future__ import annotations

import dataclasses
import itertools
import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import genanki

from anki_export.identity import keys as identity
from anki_export.notes import render_notes
from anki_export.notetypes import NOTE_TYPES
from anki_export.read.guide import parse_guide
from anki_export.records import DeckPlan
from anki_export.write import apkg as build

from .conftest import WriteGuide

TIMESTAMP = 1767225600


def _genanki_db(plan: DeckPlan, path: Path) -> None:
    """The builder as it was: genanki objects written one by one by genanki itself."""
    models = {kind: build._model(note_type) for kind, note_type in NOTE_TYPES.items()}
    decks: dict[tuple[str, ...], Any] = {}
    for spec in plan.decks:
        decks[spec.path] = genanki.Deck(
            identity.stable_id("deck", spec.name), spec.name, spec.description
        )
    for note in plan.notes:
        deck = decks.get(note.deck)
        if deck is None:
            name = "::".join(note.deck)
            deck = decks[note.deck] = genanki.Deck(identity.stable_id("deck", name), name)
        deck.add_note(
            genanki.Note(
                model=models[note.note_type],
                fields=list(note.fields),
                tags=list(note.tags),
                guid=note.guid,
                due=note.position,
            )
        )
    conn = sqlite3.connect(path)
    cursor = conn.cursor()
    genanki.Package(list(decks.values())).write_to_db(
        cursor, TIMESTAMP, itertools.count(TIMESTAMP * 1000)
    )
    conn.commit()
    conn.close()


def _rows(path: Path) -> dict[str, Any]:
    """The collection, without what we choose differently from genanki on purpose: note and
    card ids and `mod` times (ours come from the plan), and note types' `mod` and default deck.
    Cards are named by their note's GUID."""
    conn = sqlite3.connect(path)
    try:
        out: dict[str, Any] = {
            "notes": sorted(
                conn.execute(
                    "SELECT guid, mid, usn, tags, flds, sfld, csum, flags, data FROM notes"
                ).fetchall()
            ),
            "cards": sorted(
                conn.execute(
                    "SELECT n.guid, c.did, c.ord, c.usn, c.type, c.queue, c.due, c.ivl, c.factor,"
                    " c.reps, c.lapses, c.left, c.odue, c.odid, c.flags, c.data"
                    " FROM cards c JOIN notes n ON n.id = c.nid"
                ).fetchall()
            ),
            "revlog": conn.execute("SELECT * FROM revlog").fetchall(),
            "graves": conn.execute("SELECT * FROM graves").fetchall(),
        }
        decks, models, *rest = conn.execute(
            "SELECT decks, models, id, crt, mod, scm, ver, dty, usn, ls, conf, dconf, tags FROM col"
        ).fetchone()
        # genanki writes some note type keys twice (int and str); JSON readers keep the last.
        types = {
            key: {k: v for k, v in model.items() if k not in ("mod", "did")}
            for key, model in json.loads(models).items()
        }
        out["col"] = (json.loads(decks), types, rest)
        out["schema"] = conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
        return out
    finally:
        conn.close()


def _package_rows(apkg: Path, scratch: Path) -> dict[str, Any]:
    with zipfile.ZipFile(apkg) as archive:
        assert archive.namelist() == ["collection.anki2", "media"]
        archive.extract("collection.anki2", scratch)
    return _rows(scratch / "collection.anki2")


def test_seed_rows_match_genanki(seed: Path, tmp_path: Path) -> None:
    plan = render_notes(parse_guide(seed))
    build.write_package(plan, tmp_path / "deck.apkg", timestamp=TIMESTAMP)
    _genanki_db(plan, tmp_path / "genanki.anki2")
    ours = _package_rows(tmp_path / "deck.apkg", tmp_path / "ours")
    assert ours == _rows(tmp_path / "genanki.anki2")
    assert len(ours["notes"]) == 78 and len(ours["cards"]) == 78


def test_unplanned_and_empty_decks(write_guide: WriteGuide, tmp_path: Path) -> None:
    text = "# R\n\n## A\n\n### B\n\n- **Q1**\n\n## C\n\n- **Q2**\n- Q3?\n"
    plan = render_notes(parse_guide(write_guide(text)))
    # A deck the plan does not list (the builder creates it) and a listed deck with no notes.
    moved = dataclasses.replace(plan.notes[1], deck=("R", "Elsewhere"))
    plan = DeckPlan(plan.root, plan.decks, (plan.notes[0], moved, plan.notes[2]))
    build.write_package(plan, tmp_path / "deck.apkg", timestamp=TIMESTAMP)
    _genanki_db(plan, tmp_path / "genanki.anki2")
    ours = _package_rows(tmp_path / "deck.apkg", tmp_path / "ours")
    theirs = _rows(tmp_path / "genanki.anki2")
    # Ours carries all three note types, used or not (so that a CSV import finds them).
    assert set(ours["col"][1]) > set(theirs["col"][1])
    ours["col"] = (ours["col"][0], {k: ours["col"][1][k] for k in theirs["col"][1]}, ours["col"][2])
    assert ours == theirs
