"""Write a `DeckPlan` as an .apkg file: the only module that imports genanki.

genanki provides the collection schema, the note type and deck JSON and its checks; it is
imported only when used, and a rebuild finds what it made in the memo (`package_facts`). The rows
are written here, each table in one statement, with the ids and `mod` times the plan chose
(genanki would stamp one clock time on everything). The file is written to a temporary file
beside the target and renamed into place, so a failed build never leaves a half-written deck.
Zip entries get fixed times and a fixed order, so the same rows always give the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import re
import shutil
import sqlite3
import tempfile
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anki_export.atomic import atomic_output
from anki_export.errors import BuildError
from anki_export.identity import keys as identity
from anki_export.memo import Memo, library_versions
from anki_export.notetypes import NOTE_TYPES, NoteType
from anki_export.records import DeckPlan, DeckSpec, MediaFile, NoteSpec

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class GenankiFacts:
    """What genanki contributes besides note type and deck JSON, as plain values."""

    schema: str
    col: str
    #: Per note type key: which fields each template needs (genanki `Model._req`).
    requirements: Mapping[str, tuple[tuple[int, str, tuple[int, ...]], ...]]
    #: genanki's pattern for text that looks like a broken HTML tag.
    invalid_tag_pattern: str


@dataclass(frozen=True, slots=True)
class CollectionJson:
    """The `col` row's deck and note type JSON of one package."""

    decks: str
    models: str


def genanki_facts() -> GenankiFacts:
    import genanki
    from genanki.apkg_col import APKG_COL
    from genanki.apkg_schema import APKG_SCHEMA

    requirements = {
        key: tuple((o, kind, tuple(req)) for o, kind, req in _model(note_type)._req)
        for key, note_type in NOTE_TYPES.items()
    }
    return GenankiFacts(
        APKG_SCHEMA, APKG_COL, requirements, genanki.Note._INVALID_HTML_TAG_RE.pattern
    )


def package_facts(
    decks: Sequence[DeckSpec], type_mods: Mapping[str, int], memo: Memo | None = None
) -> tuple[GenankiFacts, CollectionJson]:
    """genanki's part of a package of these decks and note type `mod`s: its facts and the
    `col` row's JSON.

    Kept in the memo under everything they depend on (genanki's installation, the decks and the
    mods; the memo's own key covers our code), so that a rebuild need not import genanki, which
    costs a small guide's export a fifth of its time. Made or found, they come through the same
    bytes (`_dump_facts`), so both ways give one package.
    """
    entry = hashlib.sha256(
        repr(
            (
                "genanki facts",
                library_versions(["genanki"]),
                [(d.path, d.description) for d in decks],
                sorted(type_mods.items()),
            )
        ).encode("utf-8")
    ).digest()
    body = memo.get(entry) if memo is not None else None
    found = _load_facts(body) if body is not None else None
    if found is not None:
        return found
    facts = genanki_facts()
    body = _dump_facts(facts, collection_json(facts, decks, type_mods))
    if memo is not None:
        memo.put(entry, body)
    found = _load_facts(body)
    if found is None:
        raise AssertionError("genanki's facts do not load again")  # a bug, not input
    return found


def _dump_facts(facts: GenankiFacts, col: CollectionJson) -> bytes:
    requirements = tuple(sorted(facts.requirements.items()))
    return marshal.dumps(
        (facts.schema, facts.col, requirements, facts.invalid_tag_pattern, col.decks, col.models)
    )


def _load_facts(body: bytes) -> tuple[GenankiFacts, CollectionJson] | None:
    try:
        schema, col, requirements, pattern, decks, models = marshal.loads(body)
        return GenankiFacts(schema, col, dict(requirements), pattern), CollectionJson(decks, models)
    except (EOFError, TypeError, ValueError):
        return None  # damaged or from other code: made again


def collection_json(
    facts: GenankiFacts, decks: Sequence[DeckSpec], type_mods: Mapping[str, int]
) -> CollectionJson:
    """The deck and note type JSON genanki writes into the `col` row (its defaults included).

    Every note type goes in, used or not, so that one import of any of our decks gives a
    collection all three (Anki's CSV importer cannot create note types).
    """
    import genanki

    specs = {
        d.path: genanki.Deck(identity.stable_id("deck", d.name), d.name, d.description)
        for d in decks
    }
    root_id = identity.stable_id("deck", decks[0].name)
    models_json = {}
    for key, note_type in NOTE_TYPES.items():
        data = _model(note_type).to_json(type_mods[key], root_id)
        data["mod"] = type_mods[key]
        models_json[str(note_type.model_id)] = data
    # genanki's defaults, as its empty collection holds them.
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(facts.schema)
        conn.executescript(facts.col)
        decks_text, models_text = conn.execute("SELECT decks, models FROM col").fetchone()
    finally:
        conn.close()
    all_decks = json.loads(decks_text)
    all_decks.update((str(deck.deck_id), deck.to_json()) for deck in specs.values())
    all_models = json.loads(models_text)
    all_models.update(models_json)
    return CollectionJson(
        json.dumps(all_decks, sort_keys=True), json.dumps(all_models, sort_keys=True)
    )


def package_decks(plan: DeckPlan) -> tuple[DeckSpec, ...]:
    """The plan's decks, and any deck a note names that the plan does not list."""
    decks = {spec.path: spec for spec in plan.decks}
    for note in plan.notes:
        if note.deck not in decks:
            decks[note.deck] = DeckSpec(note.deck)
    return tuple(decks.values())


def write_package(
    plan: DeckPlan, output: Path, *, timestamp: int, memo: Memo | None = None
) -> None:
    """Write the decks and notes of `plan` to `output` atomically.

    Each note gets its own `note_id` and `mod` from the plan (Anki's importer updates a note
    only when the incoming `mod` is newer than its own); where the plan leaves them 0, and for
    note types missing from `plan.type_mods`, `timestamp` decides.

    :param plan: decks and notes to write.
    :param output: the .apkg path; its folder is created if missing.
    :param timestamp: the build time, seconds since the epoch.
    :param memo: where genanki's part of the package (`package_facts`) is kept between exports.
    :raises BuildError: the file cannot be written.
    """
    if not plan.decks:
        raise BuildError(f"{output}: a package needs at least one deck")
    mods = {key: plan.type_mods.get(key, timestamp) for key in NOTE_TYPES}
    facts, col = package_facts(package_decks(plan), mods, memo)
    check = HtmlCheck(facts)

    def numbered() -> Iterator[tuple[int, int, NoteSpec]]:
        for n, note in enumerate(plan.notes):
            yield note.note_id or timestamp * 1000 + n, note.mod or timestamp, note

    def note_rows() -> Iterator[Row]:
        for note_id, mod, note in numbered():
            expected = len(NOTE_TYPES[note.note_type].fields)
            if len(note.fields) != expected:
                raise ValueError(f"{note.note_type} has {expected} fields, not {len(note.fields)}")
            check(note.fields)
            yield note_row(note_id, note.guid, note.note_type, mod, note.tags, note.fields)

    def card_rows() -> Iterator[Row]:
        for note_id, mod, note in numbered():
            ords = card_ords(facts, note.note_type, note.fields)
            yield from card_rows_of(note_id, deck_id(note.deck), ords, mod, note.position)

    write_rows(output, facts, col, note_rows(), card_rows(), plan.media)


def note_row(
    note_id: int,
    guid: str,
    note_type: str,
    mod: int,
    tags: Sequence[str],
    fields: Sequence[str],
) -> Row:
    """A `notes` row as genanki writes it (no checksum, sort field first)."""
    return (
        note_id,
        guid,
        NOTE_TYPES[note_type].model_id,
        mod,
        -1,
        f" {' '.join(tags)} ",
        "\x1f".join(fields),
        fields[0],
        0,
        0,
        "",
    )


def card_rows_of(
    note_id: int, deck_id: int, ords: Iterable[int], mod: int, position: int
) -> list[Row]:
    """The `cards` rows of one note: new cards, due in the guide's order.

    Our note types have one template: the card takes its note's id.
    """
    return [
        (
            *(note_id + offset, note_id, deck_id, card_ord, mod, -1, 0, 0),
            *(position, 0, 0, 0, 0, 0, 0, 0, 0, ""),
        )
        for offset, card_ord in enumerate(ords)
    ]


def card_ords(facts: GenankiFacts, note_type: str, fields: Sequence[str]) -> tuple[int, ...]:
    """The templates that make a card for these fields (genanki `Note._front_back_cards`)."""
    ords = []
    for card_ord, any_or_all, required in facts.requirements[note_type]:
        test = any if any_or_all == "any" else all
        if test(fields[i] for i in required):
            ords.append(card_ord)
    return tuple(ords)


class HtmlCheck:
    """genanki's check on a note's fields: HTML that looks like a broken tag is warned about."""

    def __init__(self, facts: GenankiFacts) -> None:
        self._find = re.compile(facts.invalid_tag_pattern).findall

    def __call__(self, fields: Iterable[str]) -> None:
        for field in fields:
            if "<" in field and (bad := self._find(field)):
                warnings.warn(
                    "Field contained the following invalid HTML tags. Make sure you are calling "
                    f"html.escape() if your field data isn't already HTML-encoded: {' '.join(bad)}",
                    stacklevel=3,
                )


@functools.lru_cache(maxsize=4096)
def deck_id(path: tuple[str, ...]) -> int:
    """The id of the deck at `path` (root first), as `collection_json` gives it."""
    return identity.stable_id("deck", "::".join(path))


def write_rows(
    output: Path,
    facts: GenankiFacts,
    col: CollectionJson,
    note_rows: Iterable[Row],
    card_rows: Iterable[Row],
    media: Sequence[MediaFile] = (),
) -> None:
    """Write a package of these `notes` and `cards` rows to `output` atomically.

    The rows are inserted as they come, so that a large deck is not held in memory twice; the
    same rows in the same order give the same bytes.

    :raises BuildError: the file cannot be written.
    """
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        # Beside the output, where the next export removes it if this one is killed.
        with tempfile.TemporaryDirectory(
            prefix=f".{output.name}.", suffix=".tmp", dir=output.parent
        ) as scratch:
            db_path = Path(scratch) / "collection.anki2"
            _write_collection(db_path, facts, col, note_rows, card_rows)
            _zip_atomically(db_path, output, media)
    except OSError as e:
        raise BuildError(f"{output}: cannot write the deck: {e.strerror or e}") from e


def _write_collection(
    db_path: Path,
    facts: GenankiFacts,
    col: CollectionJson,
    note_rows: Iterable[Row],
    card_rows: Iterable[Row],
) -> None:
    """The rows genanki's `Package.write_to_db` would write, each table in one statement.

    genanki re-reads and re-writes the JSON of every deck and note type once per deck (quadratic
    in sections) and inserts rows one call at a time.
    """
    conn = sqlite3.connect(db_path)
    try:
        # A scratch file that is zipped and deleted: no journal, no syncs.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        cursor = conn.cursor()
        cursor.executescript(facts.schema)
        cursor.executescript(facts.col)
        cursor.execute("UPDATE col SET decks = ?, models = ?", (col.decks, col.models))
        cursor.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", note_rows)
        cursor.executemany(
            "INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", card_rows
        )
        conn.commit()
    finally:
        conn.close()


def _model(note_type: NoteType) -> Any:
    import genanki

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


def _zip_atomically(db_path: Path, output: Path, media: Sequence[MediaFile] = ()) -> None:
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
