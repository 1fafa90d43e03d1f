"""Rebuilds with the memo: after any edit, the very deck, ledger, warnings and report of an
export without it; and a guide read chunk by chunk equals the guide read in one pass."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from anki_export import export_deck
from anki_export.memo import Memo, memo_key, memo_path
from anki_export.read.guide import _assemble, _ChunkReader, parse_guide
from anki_export.read.media import MediaCollector
from anki_export.read.scan import scan_chunk
from anki_export.read.shapes import MarkdownOptions
from anki_export.read.source import guide_lines
from anki_export.records import Guide
from anki_export.results import ExportResult

T0 = 1767225600

GUIDE = """# Snapshot Guide

A guide for **rebuild** tests.

## Table of Contents

*   [SQL](#sql)

---

## 1. SQL

*   **What is a window function?**
    *   *Answer Hint:* A function over a `PARTITION BY` frame.
*   **Why index a foreign key?**
    *   *Answer Hint:* Joins and deletes on the parent.
*   **How do you find duplicate rows?**
*   just a plain bullet

### 1.1 Joins

*   **Hash Join:** builds a hash table of the smaller input.
*   **When is a merge join chosen?**
    *   *Answer Hint:* Both inputs sorted on the key.

        ```sql
        SELECT 1;
        ```

## 2. Python

*   **Key Data Structures:**
    *   list
    *   dict
*   **What does the GIL protect?**
    *   *Answer Hint:* The interpreter's state. ![GIL](gil.png)

## 3. Empty

Nothing here.

## 4. Shell

```bash
# a comment, not a heading
echo hi
```

*   **What does `set -e` do?**
    *   *Answer Hint:* Exit on the first failing command.
"""

EDITS: list[Callable[[str, random.Random], str]] = []


def _edit(fn: Callable[[str, random.Random], str]) -> Callable[[str, random.Random], str]:
    EDITS.append(fn)
    return fn


def _items(text: str) -> list[str]:
    return [ln for ln in text.split("\n") if ln.startswith("*   **")]


@_edit
def change_hint(text: str, rng: random.Random) -> str:
    hints = [ln for ln in text.split("\n") if "*Answer Hint:*" in ln]
    line = rng.choice(hints)
    return text.replace(line, line + f" Also {rng.randrange(1000)}.", 1)


@_edit
def reword(text: str, rng: random.Random) -> str:
    line = rng.choice([ln for ln in _items(text) if ln.endswith("?**")])
    return text.replace(line, line.replace("?**", " exactly?**"), 1)


@_edit
def rewrite(text: str, rng: random.Random) -> str:
    line = rng.choice(_items(text))
    return text.replace(line, f"*   **Which new question {rng.randrange(10**6)} is this?**", 1)


@_edit
def add_note(text: str, rng: random.Random) -> str:
    n = rng.randrange(10**6)
    anchor = rng.choice(_items(text))
    return text.replace(
        anchor, f"*   **Is {n} a new question?**\n    *   *Answer Hint:* Yes.\n{anchor}", 1
    )


@_edit
def remove_note(text: str, rng: random.Random) -> str:
    items = _items(text)
    if len(items) < 3:
        return text
    return text.replace(rng.choice(items) + "\n", "", 1)


@_edit
def move_note(text: str, rng: random.Random) -> str:
    line = rng.choice(_items(text))
    text = text.replace(line + "\n", "", 1)
    return text.replace("## 2. Python\n", f"## 2. Python\n\n{line}\n", 1)


@_edit
def add_section(text: str, rng: random.Random) -> str:
    n = rng.randrange(1000)
    return text + f"\n## {n}. Extra\n\n*   **What is extra {n}?**\n    *   *Answer Hint:* More.\n"


@_edit
def rename_heading(text: str, rng: random.Random) -> str:
    return text.replace("## 2. Python", f"## 2. Python {rng.randrange(100)}", 1)


@_edit
def duplicate(text: str, rng: random.Random) -> str:
    return text + "\n" + rng.choice(_items(text)) + "\n"


@_edit
def plain_bullet(text: str, rng: random.Random) -> str:
    return text.replace("Nothing here.", f"Nothing here.\n\n*   plain {rng.randrange(100)}", 1)


@_edit
def long_answer(text: str, rng: random.Random) -> str:
    return text.replace("Joins and deletes on the parent.", "word " * 300, 1)


@_edit
def retitle(text: str, rng: random.Random) -> str:
    return text.replace("# Snapshot Guide", f"# Snapshot Guide {rng.randrange(10)}", 1)


@_edit
def redraw(text: str, rng: random.Random) -> str:
    """The image file changes (the test writes it), not the guide: its note changes all the same."""
    return text


PNG = b"\x89PNG\r\n\x1a\n"


@_edit
def restore(text: str, rng: random.Random) -> str:
    return GUIDE


def _export(folder: Path, step: int, cache: bool) -> tuple[ExportResult, bytes, bytes]:
    guide = folder / "source" / "guide.md"
    result = export_deck(
        guide, folder / "build" / "guide.apkg", timestamp=T0 + step * 7, cache=cache
    )
    ledger = (folder / "source" / "guide.anki-ids.json").read_bytes()
    return result, (folder / "build" / "guide.apkg").read_bytes(), ledger


def _one_pass(path: Path) -> Guide:
    """The guide read as one chunk, with no memo and no codec: what chunking must not change."""
    lines = guide_lines(path, path.read_text("utf-8"))
    media = MediaCollector(path)
    reader = _ChunkReader(path, lines, MarkdownOptions(), media)
    reading = reader._read_with_images(scan_chunk(path, lines))
    return _assemble(path, [reading], media)


def _memo_is_complete(guide: Path, out: Path) -> None:
    """The memo the export left holds every chunk (but those with images), and reads to the
    same guide as reading without it."""
    with Memo(memo_path(guide, out), memo_key({})) as memo:
        assert parse_guide(guide, memo=memo) == parse_guide(guide)
        assert memo.misses == 0 and memo.hits >= 5


def _lines(result: ExportResult) -> list[tuple[int, str]]:
    return [(w.location.line, w.message) for w in result.warnings]


@pytest.mark.parametrize("seed", range(6))
def test_rebuilds_equal_full_exports(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    work = tmp_path / "work"
    (work / "source").mkdir(parents=True)
    (work / "source" / "guide.md").write_text(GUIDE, encoding="utf-8")
    (work / "source" / "gil.png").write_bytes(PNG)
    _export(work, 0, cache=True)
    text = GUIDE
    for step in range(1, 9):
        edit = rng.choice(EDITS)
        text = edit(text, rng)
        (work / "source" / "guide.md").write_text(text, encoding="utf-8")
        if edit is redraw:
            (work / "source" / "gil.png").write_bytes(PNG + str(step).encode())
        full = tmp_path / f"full{step}"
        shutil.copytree(work, full, ignore=shutil.ignore_patterns("build"))
        expected = _export(full, step, cache=False)
        got = _export(work, step, cache=True)
        assert got[1] == expected[1], f"step {step}: the deck differs"
        assert got[2] == expected[2], f"step {step}: the ledger differs"
        for field in ("notes", "kinds", "decks", "subdecks", "deck", "report"):
            assert getattr(got[0], field) == getattr(expected[0], field), (step, field)
        assert _lines(got[0]) == _lines(expected[0]), f"step {step}: the warnings differ"
        guide = work / "source" / "guide.md"
        _memo_is_complete(guide, work / "build" / "guide.apkg")
        assert parse_guide(guide) == _one_pass(guide), f"step {step}: chunking changed it"
