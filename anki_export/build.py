"""Write a `DeckPlan` as an .apkg file: the only module that imports genanki.

The file is written to a temporary file beside the target and renamed into place, so a failed
build never leaves a half-written deck. Zip entries get fixed times and a fixed order, and ids
derive from the plan, so the same plan and timestamps always give the same bytes.
"""

from __future__ import annotations

import json
import os
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
from .errors import BuildError
from .notetypes import NOTE_TYPES, NoteType
from .records import DeckPlan, NoteSpec

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_package(
    plan: DeckPlan,
    output: Path,
    *,
    timestamp: int,
    note_mod: Mapping[str, int] | None = None,
) -> None:
    """Write the decks and notes of `plan` to `output` atomically.

    :param plan: decks and notes to write.
    :param output: the .apkg path; its folder is created if missing.
    :param timestamp: seconds since the epoch for note types and, by default, notes.
    :param note_mod: a note's `mod` time by GUID, overriding `timestamp` (Anki's importer
        updates a note only when the incoming `mod` is newer than the one it has).
    :raises BuildError: the file cannot be written.
    """
    models = {kind: _model(note_type) for kind, note_type in NOTE_TYPES.items()}
    decks: dict[tuple[str, ...], tuple[Any, list[NoteSpec]]] = {}
    for spec in plan.decks:
        decks[spec.path] = (
            genanki.Deck(identity.stable_id("deck", spec.name), spec.name, spec.description),
            [],
        )
    for note in plan.notes:
        entry = decks.get(note.deck)
        if entry is None:
            name = "::".join(note.deck)
            entry = decks[note.deck] = (genanki.Deck(identity.stable_id("deck", name), name), [])
        entry[1].append(note)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        # Beside the output, where the next export removes it if this one is killed.
        with tempfile.TemporaryDirectory(
            prefix=f".{output.name}.", suffix=".tmp", dir=output.parent
        ) as scratch:
            db_path = Path(scratch) / "collection.anki2"
            _write_collection(models, list(decks.values()), db_path, timestamp, note_mod or {})
            _zip_atomically(db_path, output)
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
    models: Mapping[str, Any],
    decks: list[tuple[Any, list[NoteSpec]]],
    db_path: Path,
    timestamp: int,
    note_mod: Mapping[str, int],
) -> None:
    """The rows genanki's `Package.write_to_db` writes, each table in one statement.

    genanki re-reads and re-writes the JSON of every deck and note type once per deck (quadratic
    in sections) and inserts rows one call at a time; the rows, ids and their order are the same.
    """
    # Ids from a fixed start rather than the clock, so that the same build gives the same file.
    # genanki numbers a note, then its cards, then the next note; the rows are made as they are
    # inserted, so that a large deck is not held in memory twice.
    start = timestamp * 1000
    models_json: dict[str, Any] = {}
    for deck, notes in decks:
        used = {models[note.note_type].model_id: models[note.note_type] for note in notes}
        for model_id, model in used.items():
            models_json[str(model_id)] = model.to_json(timestamp, deck.deck_id)

    def numbered() -> Iterator[tuple[int, Any, NoteSpec, Any, list[int], int]]:
        next_id = start
        for deck, notes in decks:
            for note in notes:
                model = models[note.note_type]
                ords = _card_ords(model, note.fields)
                mod = note_mod.get(note.guid, timestamp)
                yield next_id, deck, note, model, ords, mod
                next_id += 1 + len(ords)

    def note_rows() -> Iterator[tuple[Any, ...]]:
        for note_id, _deck, note, model, _ords, mod in numbered():
            _check_fields(model, note.fields)
            yield (
                note_id, note.guid, model.model_id, mod, -1, f" {' '.join(note.tags)} ",
                "\x1f".join(note.fields), note.fields[model.sort_field_index], 0, 0, "",
            )

    def card_rows() -> Iterator[tuple[Any, ...]]:
        for note_id, deck, note, _model, ords, mod in numbered():
            for offset, card_ord in enumerate(ords, 1):
                yield (
                    note_id + offset, note_id, deck.deck_id, card_ord, mod, -1, 0, 0,
                    note.position, 0, 0, 0, 0, 0, 0, 0, 0, "",
                )

    conn = sqlite3.connect(db_path)
    try:
        # A scratch file that is zipped and deleted: no journal, no syncs.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        cursor = conn.cursor()
        cursor.executescript(APKG_SCHEMA)
        cursor.executescript(APKG_COL)
        (decks_text, models_text) = cursor.execute("SELECT decks, models FROM col").fetchone()
        all_decks = json.loads(decks_text)
        all_decks.update((str(deck.deck_id), deck.to_json()) for deck, _ in decks)
        all_models = json.loads(models_text)
        all_models.update(models_json)
        cursor.execute(
            "UPDATE col SET decks = ?, models = ?", (json.dumps(all_decks), json.dumps(all_models))
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


def _zip_atomically(db_path: Path, output: Path) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w") as archive:
                _add_file(archive, "collection.anki2", db_path)
                _add(archive, "media", b"{}")
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    archive.writestr(_zip_info(name), data)


def _add_file(archive: zipfile.ZipFile, name: str, path: Path) -> None:
    # Streamed, so that a large collection is never held in memory twice.
    with path.open("rb") as src, archive.open(_zip_info(name), "w", force_zip64=True) as dst:
        shutil.copyfileobj(src, dst, 1 << 20)


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    # Level 1 deflates three times faster than the default 6, for a file about 15% larger.
    # (`compress_level` from Python 3.13, which keeps `_compresslevel` as an alias.)
    info._compresslevel = 1  # type: ignore[attr-defined]
    info.external_attr = 0o644 << 16
    return info
