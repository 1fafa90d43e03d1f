"""The floor under any rebuild: a fresh process that writes a deck whose rows are already made.

A rebuild after one edit still starts Python, imports the writer, inserts every note and card
row into a new collection and zips it: the deck's bytes must be those of a cold export, so no
part of the old deck can be kept. `floor_main` does only that, with the rows of the cold
export's own deck (`dump_rows`), and must give that deck byte for byte; the time it takes is
what no memo can save.
"""

from __future__ import annotations

import marshal
import sqlite3
import tempfile
import zipfile
from pathlib import Path


def dump_rows(deck: Path, rows: Path) -> None:
    """Keep the rows and `col` JSON of an exported `deck` in `rows`, for `floor_main`."""
    from anki_export.write.apkg import genanki_facts

    with tempfile.TemporaryDirectory() as scratch, zipfile.ZipFile(deck) as archive:
        archive.extract("collection.anki2", scratch)
        conn = sqlite3.connect(Path(scratch) / "collection.anki2")
        try:
            notes = conn.execute("SELECT * FROM notes ORDER BY rowid").fetchall()
            cards = conn.execute("SELECT * FROM cards ORDER BY rowid").fetchall()
            decks, models = conn.execute("SELECT decks, models FROM col").fetchone()
        finally:
            conn.close()
    facts = genanki_facts()
    requirements = tuple(sorted(facts.requirements.items()))
    head = (facts.schema, facts.col, requirements, facts.invalid_tag_pattern, decks, models)
    rows.write_bytes(marshal.dumps((*head, notes, cards)))


def floor_main(rows: Path, output: Path) -> None:
    """Write the deck of `rows` (from `dump_rows`) to `output`, as an export writes one."""
    from anki_export.write.apkg import CollectionJson, GenankiFacts, write_rows

    schema, col, requirements, pattern, decks, models, notes, cards = marshal.loads(
        rows.read_bytes()
    )
    facts = GenankiFacts(schema, col, dict(requirements), pattern)
    write_rows(output, facts, CollectionJson(decks, models), notes, cards)
