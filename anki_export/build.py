"""Write a `DeckPlan` as an .apkg file: the only module that imports genanki.

The file is written to a temporary file beside the target and renamed into place, so a failed
build never leaves a half-written deck. Zip entries get fixed times and a fixed order, and ids
derive from the plan, so the same plan and timestamps always give the same bytes.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import genanki

from . import identity
from .atomic import atomic_output
from .errors import BuildError
from .notetypes import NOTE_TYPES, NoteType
from .records import DeckPlan, MediaFile

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_PLACEHOLDER_IDS = 1 << 60


def write_package(plan: DeckPlan, output: Path, *, timestamp: int) -> None:
    """Write the decks and notes of `plan` to `output` atomically.

    Each note gets its own `note_id` and `mod` from the plan (Anki's importer updates a note
    only when the incoming `mod` is newer than its own); where the plan leaves them 0, and for
    note types missing from `plan.type_mods`, `timestamp` decides.

    :param plan: decks and notes to write.
    :param output: the .apkg path; its folder is created if missing.
    :param timestamp: the build time, seconds since the epoch.
    :raises BuildError: the file cannot be written.
    """
    models = {kind: _model(note_type) for kind, note_type in NOTE_TYPES.items()}
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
    # Every note type goes into every package, used or not, so that one import of any of our
    # decks gives a collection all three (Anki's CSV importer cannot create note types).
    first_deck = next(iter(decks.values()))
    for model in models.values():
        first_deck.add_model(model)
    package = genanki.Package(list(decks.values()))
    try:
        with tempfile.TemporaryDirectory(prefix="anki-export-") as scratch:
            db_path = Path(scratch) / "collection.anki2"
            _write_collection(package, db_path, plan, timestamp)
            _zip_atomically(db_path, output, plan.media)
    except OSError as e:
        raise BuildError(f"{output}: cannot write the deck: {e.strerror or e}") from e


def _model(note_type: NoteType) -> Any:
    # genanki mutates the dicts it is given, so each call builds fresh ones.
    return genanki.Model(
        note_type.model_id,
        note_type.name,
        fields=[{"name": name} for name in note_type.fields],
        templates=[
            {
                "name": note_type.template.name,
                "qfmt": note_type.template.front,
                "afmt": note_type.template.back,
            }
        ],
        css=note_type.css,
        sort_field_index=0,
    )


def _write_collection(package: Any, db_path: Path, plan: DeckPlan, timestamp: int) -> None:
    conn = sqlite3.connect(db_path)
    try:
        cursor = conn.cursor()
        # genanki stamps one time and a clock-based id sequence on everything; write with
        # placeholder ids far above any real one, then give each note (and its one card) the
        # id and mod time the plan chose, so that the same plan always gives the same bytes.
        package.write_to_db(cursor, timestamp, itertools.count(_PLACEHOLDER_IDS))
        rows = []
        for n, note in enumerate(plan.notes):
            note_id = note.note_id or timestamp * 1000 + n
            rows.append((note_id, note.mod or timestamp, note.guid))
        cursor.execute("CREATE TEMP TABLE plan (id INTEGER, mod INTEGER, guid TEXT PRIMARY KEY)")
        cursor.executemany("INSERT INTO plan VALUES (?, ?, ?)", rows)
        cursor.execute(
            "UPDATE cards SET (id, nid, mod) = (SELECT plan.id, plan.id, plan.mod FROM plan "
            "JOIN notes ON notes.guid = plan.guid WHERE notes.id = cards.nid)"
        )
        cursor.execute(
            "UPDATE notes SET (id, mod) = (SELECT plan.id, plan.mod FROM plan "
            "WHERE plan.guid = notes.guid)"
        )
        models = json.loads(cursor.execute("SELECT models FROM col").fetchone()[0])
        for key, note_type in NOTE_TYPES.items():
            models[str(note_type.model_id)]["mod"] = plan.type_mods.get(key, timestamp)
        cursor.execute("UPDATE col SET models = ?", (json.dumps(models, sort_keys=True),))
        conn.commit()
        cursor.execute("VACUUM")
    finally:
        conn.close()


def _zip_atomically(db_path: Path, output: Path, media: tuple[MediaFile, ...] = ()) -> None:
    with atomic_output(output, "the deck") as raw:
        with zipfile.ZipFile(raw, "w") as archive:
            _add(archive, "collection.anki2", db_path.read_bytes())
            # Anki's package layout: files stored as "0", "1", ... and a JSON map to their
            # names; sorted by name so that the same plan gives the same bytes.
            files = sorted(media, key=lambda f: f.name)
            for number, file in enumerate(files):
                _add(archive, str(number), file.data)
            names = {str(number): file.name for number, file in enumerate(files)}
            _add(archive, "media", json.dumps(names).encode("utf-8"))


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)
