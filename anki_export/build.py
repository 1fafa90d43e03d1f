"""Write a `DeckPlan` as an .apkg file: the only module that imports genanki.

genanki provides the collection schema, the note type and deck JSON and its checks; the rows are
written here, each table in one statement, with the ids and `mod` times the plan chose (genanki
would stamp one clock time on everything). The file is written to a temporary file beside the
target and renamed into place, so a failed build never leaves a half-written deck. Zip entries get
fixed times and a fixed order, so the same plan always gives the same bytes.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from . import identity
from .atomic import atomic_output
from .errors import BuildError
from .notetypes import NOTE_TYPES, NoteType
from .records import DeckPlan, MediaFile, NoteSpec

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


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
    if not plan.decks:
        raise BuildError(f"{output}: a package needs at least one deck")
    models = {kind: _model(note_type) for kind, note_type in NOTE_TYPES.items()}
    decks = {
        spec.path: genanki.Deck(identity.stable_id("deck", spec.name), spec.name, spec.description)
        for spec in plan.decks
    }
    for note in plan.notes:
        if note.deck not in decks:
            name = "::".join(note.deck)
            decks[note.deck] = genanki.Deck(identity.stable_id("deck", name), name)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        # Beside the output, where the next export removes it if this one is killed.
        with tempfile.TemporaryDirectory(
            prefix=f".{output.name}.", suffix=".tmp", dir=output.parent
        ) as scratch:
            db_path = Path(scratch) / "collection.anki2"
            _write_collection(plan, models, decks, db_path, timestamp)
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


def _write_collection(
    plan: DeckPlan,
    models: Mapping[str, Any],
    decks: Mapping[tuple[str, ...], Any],
    db_path: Path,
    timestamp: int,
) -> None:
    """The rows genanki's `Package.write_to_db` would write, each table in one statement.

    genanki re-reads and re-writes the JSON of every deck and note type once per deck (quadratic
    in sections) and inserts rows one call at a time. The rows are made as they are inserted, so
    that a large deck is not held in memory twice.
    """
    root = decks[plan.decks[0].path]
    # Every note type goes into every package, used or not, so that one import of any of our
    # decks gives a collection all three (Anki's CSV importer cannot create note types).
    models_json = {}
    for key, model in models.items():
        data = model.to_json(timestamp, root.deck_id)
        data["mod"] = plan.type_mods.get(key, timestamp)
        models_json[str(model.model_id)] = data

    def numbered() -> Iterator[tuple[int, int, NoteSpec, Any, list[int]]]:
        for n, note in enumerate(plan.notes):
            model = models[note.note_type]
            note_id = note.note_id or timestamp * 1000 + n
            yield note_id, note.mod or timestamp, note, model, _card_ords(model, note.fields)

    def note_rows() -> Iterator[tuple[Any, ...]]:
        for note_id, mod, note, model, _ords in numbered():
            _check_fields(model, note.fields)
            tags = f" {' '.join(note.tags)} "
            fields = "\x1f".join(note.fields)
            sort_field = note.fields[model.sort_field_index]
            yield (note_id, note.guid, model.model_id, mod, -1, tags, fields, sort_field, 0, 0, "")

    def card_rows() -> Iterator[tuple[Any, ...]]:
        for note_id, mod, note, _model, ords in numbered():
            deck_id = decks[note.deck].deck_id
            # Our note types have one template: the card takes its note's id. New cards come
            # up in the guide's order (`due` is the new-card position).
            for offset, card_ord in enumerate(ords):
                yield (
                    *(note_id + offset, note_id, deck_id, card_ord, mod, -1, 0, 0),
                    *(note.position, 0, 0, 0, 0, 0, 0, 0, 0, ""),
                )

    conn = sqlite3.connect(db_path)
    try:
        # A scratch file that is zipped and deleted: no journal, no syncs.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        cursor = conn.cursor()
        cursor.executescript(APKG_SCHEMA)
        cursor.executescript(APKG_COL)
        decks_text, models_text = cursor.execute("SELECT decks, models FROM col").fetchone()
        all_decks = json.loads(decks_text)
        all_decks.update((str(deck.deck_id), deck.to_json()) for deck in decks.values())
        all_models = json.loads(models_text)
        all_models.update(models_json)
        cursor.execute(
            "UPDATE col SET decks = ?, models = ?",
            (json.dumps(all_decks, sort_keys=True), json.dumps(all_models, sort_keys=True)),
        )
        cursor.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", note_rows())
        cursor.executemany(
            "INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", card_rows()
        )
        conn.commit()
    finally:
        conn.close()


def _card_ords(model: Any, fields: tuple[str, ...]) -> list[int]:
    """The templates that make a card for these fields (genanki `Note._front_back_cards`)."""
    ords = []
    for card_ord, any_or_all, required in model._req:
        test = any if any_or_all == "any" else all
        if test(fields[i] for i in required):
            ords.append(card_ord)
    return ords


def _check_fields(model: Any, fields: tuple[str, ...]) -> None:
    """genanki's own checks on a note: the field count, and HTML that looks like a broken tag."""
    if len(fields) != len(model.fields):
        raise ValueError(f"{model.name} has {len(model.fields)} fields, not {len(fields)}")
    for field in fields:
        if "<" in field and genanki.Note._find_invalid_html_tags_in_field(field):
            bad = " ".join(genanki.Note._find_invalid_html_tags_in_field(field))
            warnings.warn(
                "Field contained the following invalid HTML tags. Make sure you are calling "
                f"html.escape() if your field data isn't already HTML-encoded: {bad}",
                stacklevel=2,
            )


def _zip_atomically(db_path: Path, output: Path, media: tuple[MediaFile, ...] = ()) -> None:
    with atomic_output(output, "the deck") as raw, zipfile.ZipFile(raw, "w") as archive:
        # Streamed, so that a large collection is never held in memory twice.
        with (
            db_path.open("rb") as src,
            archive.open(_zip_info("collection.anki2"), "w", force_zip64=True) as dst,
        ):
            shutil.copyfileobj(src, dst, 1 << 20)
        # Anki's package layout: files stored as "0", "1", ... and a JSON map to their names;
        # sorted by name so that the same plan gives the same bytes.
        files = sorted(media, key=lambda f: f.name)
        for number, file in enumerate(files):
            archive.writestr(_zip_info(str(number)), file.data)
        names = {str(number): file.name for number, file in enumerate(files)}
        archive.writestr(_zip_info("media"), json.dumps(names).encode("utf-8"))


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    # Level 1 deflates three times faster than the default 6, for a file about 15% larger.
    # (`compress_level` from Python 3.13, which keeps `_compresslevel` as an alias.)
    info._compresslevel = 1  # type: ignore[attr-defined]
    info.external_attr = 0o644 << 16
    return info
