"""The ID ledger file: written one note per line, read back exactly, damage reported clearly."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from anki_export.errors import AnkiExportError
from anki_export.identity.ledger import (
    Ledger,
    LedgerEntry,
    TypeEntry,
    dump_ledger,
    read_ledger,
    write_ledger,
)

LEDGER = Ledger(
    (
        LedgerEntry("g2", 2, "concept", "concept", ("A", "B"), "term", "f2", 20),
        LedgerEntry("g1", 1, "question", "question", (), "what is x?", "f1", 10, removed=True),
    ),
    {"question": TypeEntry("t", 5)},
)


def test_round_trip_one_note_per_line_sorted_by_front(tmp_path: Path) -> None:
    path = tmp_path / "g.anki-ids.json"
    assert write_ledger(path, LEDGER) is True
    text = path.read_text("utf-8")
    notes = text.split('"notes": [\n', 1)[1].splitlines()[:2]
    assert [json.loads(n.rstrip(","))["guid"] for n in notes] == ["g2", "g1"]
    assert json.loads(text)["format"] == 1
    assert set(read_ledger(path).entries) == set(LEDGER.entries)
    assert read_ledger(path).note_types == LEDGER.note_types
    assert write_ledger(path, LEDGER) is False, "same content: the file is left alone"


def test_a_reformatted_ledger_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "g.anki-ids.json"
    path.write_text(json.dumps(json.loads(dump_ledger(LEDGER)), indent=4), "utf-8")
    assert set(read_ledger(path).entries) == set(LEDGER.entries)


def test_empty_and_missing_ledgers(tmp_path: Path) -> None:
    path = tmp_path / "g.anki-ids.json"
    assert read_ledger(path) == Ledger()
    write_ledger(path, Ledger())
    assert read_ledger(path).entries == ()


@pytest.mark.parametrize(
    "damage",
    [
        lambda t: t[: len(t) // 2],
        lambda t: t.replace('"format": 1', '"format": 99'),
        lambda t: t.replace('"guid": "g1"', '"gid": "g1"'),
        lambda t: "{",
        lambda t: "",
    ],
)
def test_a_damaged_ledger_is_a_clear_error(tmp_path: Path, damage: Callable[[str], str]) -> None:
    path = tmp_path / "g.anki-ids.json"
    write_ledger(path, LEDGER)
    path.write_text(damage(path.read_text("utf-8")), "utf-8")
    with pytest.raises(AnkiExportError, match=r"g\.anki-ids\.json: not a valid ID ledger"):
        read_ledger(path)
