"""The render cache: same notes with or without it; stale, damaged or missing means rebuilt."""

from __future__ import annotations

import errno
import marshal
import os
from pathlib import Path

import pytest

from anki_export import memo as cache_module
from anki_export.memo import ItemCache, _digest, cache_path
from anki_export.pipeline import export_deck
from anki_export.read.scan import parse_guide

from .conftest import WriteGuide

GUIDE = (
    "# R\n\n## S\n\n"
    "- **What is `SELECT *`?**\n    - *Hint:* All **columns**, with _emphasis_.\n"
    "- **Term:** a definition\n"
    "- **List:**\n    - one\n    - two\n"
    "- Plain question?\n"
    "- **Code?**\n    - *Hint:* like this:\n\n          ```python\n          x = 1\n          ```\n"
)


def _cached_parse(path: Path, store: Path, **options: str) -> tuple[object, ItemCache]:
    items = ItemCache(store, options)
    guide = parse_guide(path, cache=items)
    return guide, items


def test_cached_guide_equals_uncached_and_second_run_hits(
    write_guide: WriteGuide, tmp_path: Path
) -> None:
    path = write_guide(GUIDE)
    store = tmp_path / "c.items"
    first, items = _cached_parse(path, store)
    assert first == parse_guide(path)
    assert items.hits == 0 and items.misses == 5
    items.save()
    second, items = _cached_parse(path, store)
    assert second == first
    assert (items.hits, items.misses) == (5, 0)


def test_an_edit_misses_only_the_edited_item_and_unused_entries_are_dropped(
    write_guide: WriteGuide, tmp_path: Path
) -> None:
    path = write_guide(GUIDE)
    store = tmp_path / "c.items"
    _cached_parse(path, store)[1].save()
    path.write_text(GUIDE.replace("Plain question?", "Plain question, edited?"), "utf-8")
    guide, items = _cached_parse(path, store)
    assert (items.hits, items.misses) == (4, 1)
    assert guide == parse_guide(path)
    items.save()
    reloaded = ItemCache(store)
    assert len(reloaded._old) == 5
    assert _digest("Plain question?") not in reloaded._old
    assert _digest("Plain question, edited?") in reloaded._old


def test_other_options_code_or_library_versions_miss(
    write_guide: WriteGuide, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_guide(GUIDE)
    store = tmp_path / "c.items"
    _cached_parse(path, store)[1].save()
    assert _cached_parse(path, store, allow_html="yes")[1].hits == 0
    monkeypatch.setattr(cache_module, "_library_versions", lambda: [("mistune", "99")])
    assert _cached_parse(path, store)[1].hits == 0


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # one bit flipped
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b"",
        lambda b: b"\x00" * 100,
        lambda b: b"not a cache at all",
        lambda b: b[:30] + os.urandom(len(b) - 30),
    ],
)
def test_damaged_cache_is_ignored_and_rewritten(
    write_guide: WriteGuide, tmp_path: Path, damage: object
) -> None:
    path = write_guide(GUIDE)
    store = tmp_path / "c.items"
    _cached_parse(path, store)[1].save()
    assert callable(damage)
    store.write_bytes(damage(store.read_bytes()))
    guide, items = _cached_parse(path, store)
    assert items.hits == 0 and guide == parse_guide(path)
    items.save()
    assert _cached_parse(path, store)[1].hits == 5


def test_entries_of_unknown_shape_are_misses(write_guide: WriteGuide, tmp_path: Path) -> None:
    path = write_guide("- Question?\n")
    items = ItemCache(tmp_path / "c.items")
    items._old = {
        _digest("Question?"): marshal.dumps(["NoSuchShape", 1]),
        _digest("x"): marshal.dumps(["Fragment"]),
    }
    assert parse_guide(path, cache=items) == parse_guide(path)
    assert items.hits == 0


def test_export_writes_the_same_deck_with_cache_without_it_and_after_deleting_it(
    write_guide: WriteGuide, tmp_path: Path
) -> None:
    path = write_guide(GUIDE)
    out = tmp_path / "build" / "g.apkg"
    export_deck(path, out, timestamp=1767225600, cache=False)
    plain = out.read_bytes()
    assert not cache_path(out).exists()
    export_deck(path, out, timestamp=1767225600)
    assert cache_path(out).exists() and out.read_bytes() == plain
    export_deck(path, out, timestamp=1767225600)
    assert out.read_bytes() == plain
    cache_path(out).unlink()
    export_deck(path, out, timestamp=1767225600)
    assert out.read_bytes() == plain


def test_cache_that_cannot_be_written_does_not_fail_the_export(
    write_guide: WriteGuide, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_guide(GUIDE)
    out = tmp_path / "build" / "g.apkg"
    export_deck(path, out, timestamp=1767225600)
    before = cache_path(out).read_bytes()
    path.write_text(GUIDE.replace("Plain question?", "Edited?"), "utf-8")
    real_replace = os.replace

    def full_disk(src: object, dst: object) -> None:
        if str(dst).endswith(".items"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", full_disk)
    export_deck(path, out, timestamp=1767225600)
    assert cache_path(out).read_bytes() == before
    assert [p.name for p in cache_path(out).parent.iterdir() if p.suffix == ".tmp"] == []


def test_large_cache_in_chunks_and_repeated_items(write_guide: WriteGuide, tmp_path: Path) -> None:
    text = "".join(f"- **Question {n}?**\n" for n in range(5000))
    path = write_guide(text + "- **Question 7?**\n")
    store = tmp_path / "c.items"
    guide, items = _cached_parse(path, store)
    assert (items.hits, items.misses) == (0, 5000)  # the repeated item is read once
    items.save()
    again, items = _cached_parse(path, store)
    assert again == guide and (items.hits, items.misses) == (5000, 0)
    data = bytearray(store.read_bytes())
    data[len(data) // 2] ^= 0xFF  # damage one chunk of three
    store.write_bytes(bytes(data))
    assert _cached_parse(path, store)[1].hits == 0
