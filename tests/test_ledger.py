"""The ID ledger file: written one note per line, read back exactly, damage reported clearly."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
        LedgerEntry(
            "g3",
            3,
            "question",
            "question",
            ("A",),
            "why y?",
            "f3",
            30,
            text="Why *Y*?",
            back="0a1b20c3d4",
            after="g2",
            maybe="g1",
            maybe_score=0.5,
        ),
    ),
    {"question": TypeEntry("t", 5)},
)


def test_round_trip_one_note_per_line_sorted_by_front(tmp_path: Path) -> None:
    path = tmp_path / "g.anki-ids.json"
    assert write_ledger(path, LEDGER) is True
    text = path.read_text("utf-8")
    notes = text.split('"notes": [\n', 1)[1].splitlines()[:2]
    assert [json.loads(n.rstrip(","))["guid"] for n in notes] == ["g2", "g1"]
    assert text.count("\n") == 7 + len(LEDGER.entries), "one line per note"
    assert json.loads(text)["format"] == 2
    assert set(read_ledger(path).entries) == set(LEDGER.entries)
    assert read_ledger(path).note_types == LEDGER.note_types
    written = path.stat().st_mtime_ns
    assert write_ledger(path, LEDGER) is False, "same content: the file is left alone"
    assert path.stat().st_mtime_ns == written and [p.name for p in tmp_path.iterdir()] == [
        path.name
    ]


def test_a_reformatted_ledger_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "g.anki-ids.json"
    path.write_text(json.dumps(json.loads(dump_ledger(LEDGER)), indent=4), "utf-8")
    entries = read_ledger(path).entries
    assert set(entries) == set(LEDGER.entries)
    assert not any(e.line for e in entries), "read as any JSON: no line to write back as it was"


def test_a_ledger_as_written_is_read_line_by_line(tmp_path: Path) -> None:
    """The line reader, not its fallback: it keeps each entry's line to write back unchanged.

    `read_ledger` falls back to reading any JSON when the line reader fails, so a bug in the
    line reader would give the same entries, only slower; this is the test that sees it."""
    path = tmp_path / "g.anki-ids.json"
    write_ledger(path, LEDGER)
    entries = read_ledger(path).entries
    on_disk = path.read_text("utf-8").split('"notes": [\n', 1)[1].splitlines()[: len(entries)]
    assert [e.line for e in entries] == [line.removesuffix(",") for line in on_disk]


def test_empty_and_missing_ledgers(tmp_path: Path) -> None:
    path = tmp_path / "g.anki-ids.json"
    assert read_ledger(path) == Ledger()
    write_ledger(path, Ledger())
    assert read_ledger(path).entries == ()


@pytest.mark.parametrize(
    "damage",
    [
        lambda t: t[: len(t) // 2],
        lambda t: t.replace('"format": 2', '"format": 99'),
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


def test_a_ledger_with_a_merge_conflict_says_how_to_resolve_it(tmp_path: Path) -> None:
    """The usual advice for a damaged ledger, deleting it, would lose reworded notes' GUIDs."""
    path = tmp_path / "g.anki-ids.json"
    write_ledger(path, LEDGER)
    lines = path.read_text("utf-8").splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if '"guid": "g1"' in line)
    theirs = lines[at].replace('"mod": ', '"mod": 1')
    lines[at : at + 1] = ["<<<<<<< HEAD\n", lines[at], "=======\n", theirs, ">>>>>>> other\n"]
    path.write_text("".join(lines), "utf-8")
    with pytest.raises(AnkiExportError) as info:
        read_ledger(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{at + 1}: unresolved merge conflict: ")
    assert "keep either side's lines" in message and "delete" not in message


FORMAT_1 = """{
  "about": "anki-export ID ledger",
  "format": 1,
  "note_types": {"question": {"fingerprint": "t", "mod": 5}},
  "notes": [
    {"front": "what is x?", "kind": "question", "note_type": "question", "section": [], \
"guid": "g1", "id": 1, "fingerprint": "f1", "mod": 10}
  ]
}
"""


def test_a_format_1_ledger_reads_with_what_it_lacks_unknown(tmp_path: Path) -> None:
    path = tmp_path / "g.anki-ids.json"
    path.write_text(FORMAT_1, "utf-8")
    (entry,) = read_ledger(path).entries
    assert (entry.guid, entry.front, entry.mod) == ("g1", "what is x?", 10)
    assert (entry.text, entry.back, entry.after, entry.maybe) == ("", None, None, "")
    write_ledger(path, read_ledger(path))
    assert '"format": 2' in path.read_text("utf-8")
    assert read_ledger(path).entries == (entry,)


_TEXT = st.text(st.characters(codec="utf-8"), max_size=30)  # no lone surrogates


@settings(max_examples=300, deadline=None)
@given(
    front=_TEXT,
    section=st.lists(_TEXT, max_size=3),
    numbers=st.tuples(st.integers(0, 2**53), st.integers(0, 2**40)),
    text=_TEXT,
    back=st.none() | _TEXT,
    after=st.none() | _TEXT,
    maybe=st.tuples(_TEXT, st.floats(0, 1)),
    removed=st.booleans(),
)
def test_each_line_is_what_json_dumps_writes_of_the_entry(
    front: str,
    section: list[str],
    numbers: tuple[int, int],
    text: str,
    back: str | None,
    after: str | None,
    maybe: tuple[str, float],
    removed: bool,
) -> None:
    """The lines are put together by hand, for speed: they must be json.dumps's to the byte."""
    note_id, mod = numbers
    entry = LedgerEntry(
        "g", note_id, "question", "question", tuple(section), front, "f", mod, removed,
        text, back, after, maybe[0], maybe[1] if maybe[0] else 0.0,
    )  # fmt: skip
    item: dict[str, object] = {
        "front": front,
        "kind": "question",
        "note_type": "question",
        "section": section,
        "guid": "g",
        "id": note_id,
        "fingerprint": "f",
        "mod": mod,
    }
    item.update({"text": text} if text else {})
    item.update({"back": back} if back is not None else {})
    item.update({"after": after} if after is not None else {})
    item.update({"maybe": [maybe[0], maybe[1]]} if maybe[0] else {})
    item.update({"removed": True} if removed else {})
    (line,) = [ln for ln in dump_ledger(Ledger((entry,))).split("\n") if ln.startswith("    {")]
    assert line == "    " + json.dumps(item, ensure_ascii=False)
