"""The memo: same guide with or without it; stale, damaged, foreign or missing means read again."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from anki_export import memo as memo_module
from anki_export.cli import main
from anki_export.memo import Memo, memo_key, memo_path
from anki_export.pipeline import check_export, export_deck
from anki_export.read.guide import parse_guide
from anki_export.records import Guide

from .conftest import ROOT, WriteGuide

GUIDE = (
    "# R\n\nAbout **R**.\n\n## S\n\n"
    "- **What is `SELECT *`?**\n    - *Hint:* All **columns**, with _emphasis_.\n"
    "- **Term:** a definition\n\n"
    "## T\n\n"
    "- **List:**\n    - one\n    - two\n"
    "- Plain question?\n\n"
    "### U\n\n"
    "- **Code?**\n    - *Hint:* like this:\n\n          ```python\n          x = 1\n          ```\n"
)
CHUNKS = 4  # the title with its description, then S, T and U


def _parse(path: Path, store: Path, save: bool = True, **options: str) -> tuple[Guide, Memo]:
    """The guide read with the memo at `store`, and the memo (closed), saved if `save`."""
    with Memo(store, memo_key(options)) as memo:
        guide = parse_guide(path, memo=memo, allow_html=bool(options))
        if save:
            memo.save()
    return guide, memo


def test_memoised_guide_equals_plain_and_a_second_read_hits(
    write_guide: WriteGuide, tmp_path: Path
) -> None:
    path = write_guide(GUIDE)
    store = tmp_path / "g.memo"
    first, memo = _parse(path, store)
    assert first == parse_guide(path)
    assert (memo.hits, memo.misses) == (0, CHUNKS)
    second, memo = _parse(path, store)
    assert second == first
    assert (memo.hits, memo.misses) == (CHUNKS, 0)


def test_an_edit_misses_its_chunk_and_lines_below_move(
    write_guide: WriteGuide, tmp_path: Path
) -> None:
    path = write_guide(GUIDE)
    store = tmp_path / "g.memo"
    _parse(path, store)
    # Two lines more in the first section: the chunks below are reused at their new lines.
    path.write_text(GUIDE.replace("- **Term:**", "- Another?\n- **Term:**"), "utf-8")
    guide, memo = _parse(path, store)
    assert (memo.hits, memo.misses) == (CHUNKS - 1, 1)
    assert guide == parse_guide(path)
    with Memo(store, memo_key({})) as memo:
        # Appended: the edited chunk's old entry stays while it is outweighed.
        assert len(memo) == CHUNKS + 1


def test_edits_append_until_unused_entries_outweigh_used_ones(
    write_guide: WriteGuide, tmp_path: Path
) -> None:
    path = write_guide(GUIDE)
    store = tmp_path / "g.memo"
    _parse(path, store)
    sizes = []
    for n in range(12):
        path.write_text(GUIDE.replace("Plain question?", f"Plain question {n}?"), "utf-8")
        guide, memo = _parse(path, store)
        assert (memo.hits, memo.misses) == (CHUNKS - 1, 1)
        assert guide == parse_guide(path)
        sizes.append(store.stat().st_size)
    assert sizes[1] > sizes[0]  # an append
    assert any(b < a for a, b in zip(sizes, sizes[1:], strict=False))  # and a rewrite
    assert max(sizes) < 3 * sizes[0]
    with Memo(store, memo_key({})) as memo:
        assert len(memo) < 2 * CHUNKS


def test_an_append_cut_short_is_read_around_and_written_over(
    write_guide: WriteGuide, tmp_path: Path
) -> None:
    path = write_guide(GUIDE)
    store = tmp_path / "g.memo"
    _parse(path, store)
    whole = store.stat().st_size
    path.write_text(GUIDE.replace("Plain question?", "Edited?"), "utf-8")
    _parse(path, store)
    appended = store.read_bytes()
    assert len(appended) > whole
    store.write_bytes(appended[: (whole + len(appended)) // 2])  # killed while appending
    guide, memo = _parse(path, store)
    assert guide == parse_guide(path)
    assert (memo.hits, memo.misses) == (CHUNKS - 1, 1)
    assert store.read_bytes() == appended  # the same entry, over the cut-off one
    assert _parse(path, store)[1].hits == CHUNKS


def test_other_options_or_library_versions_miss(
    write_guide: WriteGuide, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_guide(GUIDE)
    store = tmp_path / "g.memo"
    _parse(path, store)
    assert _parse(path, store)[1].hits == CHUNKS
    assert _parse(path, store, save=False, allow_html="yes")[1].hits == 0
    real = memo_module.library_versions
    key = memo_key({})

    def upgraded(libraries: Sequence[str]) -> list[tuple[str, str]]:
        return [(name, f"{version} upgraded") for name, version in real(libraries)]

    monkeypatch.setattr(memo_module, "library_versions", upgraded)
    assert memo_key({}) != key
    assert _parse(path, store, save=False)[1].hits == 0
    monkeypatch.undo()
    assert _parse(path, store)[1].hits == CHUNKS


Damage = Callable[[bytes], bytes]
DAMAGES: list[Damage] = [
    lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # one bit flipped in the last entry
    lambda b: b[: len(b) // 2],  # truncated
    lambda b: b"",
    lambda b: b"\x00" * 100,
    lambda b: b"not a memo at all",
    lambda b: b[:30] + os.urandom(len(b) - 30),
]


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_memo_is_read_around_and_rewritten(
    write_guide: WriteGuide, tmp_path: Path, damage: Damage
) -> None:
    path = write_guide(GUIDE)
    store = tmp_path / "g.memo"
    _parse(path, store)
    store.write_bytes(damage(store.read_bytes()))
    guide, memo = _parse(path, store)
    assert guide == parse_guide(path)
    assert memo.hits < CHUNKS
    assert _parse(path, store)[1].hits == CHUNKS


def test_an_entry_that_does_not_load_is_read_again(write_guide: WriteGuide, tmp_path: Path) -> None:
    path = write_guide(GUIDE)
    store = tmp_path / "g.memo"
    _parse(path, store)
    with Memo(store, memo_key({})) as memo:
        first = memo.entries()[0]
    # A well-formed entry (its checksum is right) whose body is not a reading.
    with Memo(store, memo_key({})) as forged:
        forged.put(first, b"\x00not marshal")
        for entry in forged.entries():
            forged.get(entry)
        forged.save()
    assert _parse(path, store)[0] == parse_guide(path)


def test_a_chunk_with_an_image_is_never_memoised(write_guide: WriteGuide, tmp_path: Path) -> None:
    path = write_guide(GUIDE + "\n## Pictures\n\n- **Q?**\n    - *Hint:* ![x](x.png)\n")
    (path.parent / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    store = tmp_path / "g.memo"
    _parse(path, store)
    _, memo = _parse(path, store)
    assert (memo.hits, memo.misses) == (CHUNKS, 0)  # the picture's chunk is not even looked up


def test_a_code_block_running_past_a_heading_joins_the_chunks(
    write_guide: WriteGuide, tmp_path: Path
) -> None:
    text = "# R\n\n## A\n\n- **Q1?**\n\n```\n# not a heading\n```\n\n## B\n\n- **Q2?**\n"
    path = write_guide(text)
    store = tmp_path / "g.memo"
    first, memo = _parse(path, store)
    assert [s.path for s in first.sections] == [("A",), ("B",)]
    second, memo = _parse(path, store)
    # The chunk cut at "# not a heading" is remembered as running on: read with the next one.
    assert second == first and (memo.hits, memo.misses) == (4, 0)


def test_export_writes_the_same_deck_with_memo_without_it_and_after_deleting_it(
    write_guide: WriteGuide, tmp_path: Path
) -> None:
    path = write_guide(GUIDE)
    out = tmp_path / "build" / "g.apkg"
    export_deck(path, out, timestamp=1767225600, cache=False)
    plain = out.read_bytes()
    store = memo_path(path, out)
    assert store == out.parent / ".cache" / "g.apkg.memo" and not store.exists()
    export_deck(path, out, timestamp=1767225600)
    assert store.exists() and out.read_bytes() == plain
    export_deck(path, out, timestamp=1767225600)
    assert out.read_bytes() == plain
    store.unlink()
    export_deck(path, out, timestamp=1767225600)
    assert out.read_bytes() == plain


def test_a_deck_outside_build_keeps_its_memo_in_the_user_cache(
    write_guide: WriteGuide, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = write_guide(GUIDE)
    out = tmp_path / "decks" / "g.apkg"
    store = memo_path(path, out)
    assert store.parent == tmp_path / "xdg" / "anki-export"
    assert store != memo_path(path, tmp_path / "other" / "g.apkg")  # one per output
    export_deck(path, out, timestamp=1767225600)
    assert store.is_file() and sorted(os.listdir(out.parent)) == ["g.apkg"]
    with Memo(store, memo_key({})) as memo:
        assert len(memo) == CHUNKS + 1  # and genanki's part of the package


def test_no_cache_neither_reads_nor_writes_the_memo(
    write_guide: WriteGuide, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = write_guide(GUIDE)
    out = tmp_path / "decks" / "g.apkg"
    result = CliRunner().invoke(main, [str(path), "-o", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert out.is_file() and not (tmp_path / "xdg").exists()


def test_a_memo_that_cannot_be_written_does_not_fail_the_export(
    write_guide: WriteGuide, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_guide(GUIDE)
    out = tmp_path / "build" / "g.apkg"
    export_deck(path, out, timestamp=1767225600)
    # Every chunk edited, twice: the second time the memo is written anew (a few edits are
    # appended in place), and renaming the new file over the old one fails.
    path.write_text(GUIDE.replace("- ", "-   ").replace("About", "All about"), "utf-8")
    export_deck(path, out, timestamp=1767225600)
    store = memo_path(path, out)
    before = store.read_bytes()
    path.write_text(GUIDE.replace("- ", "-  ").replace("About", "Just about"), "utf-8")
    real_replace = os.replace

    def full_disk(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if str(dst).endswith(".memo"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", full_disk)
    export_deck(path, out, timestamp=1767225600)
    assert store.read_bytes() == before
    assert [p.name for p in store.parent.iterdir() if p.suffix == ".tmp"] == []


_REBUILD = """
import sys
from pathlib import Path
from anki_export import export_deck
export_deck(Path(sys.argv[1]), Path(sys.argv[2]), timestamp=1767225600)
print(sorted(m for m in ("genanki", "mistune", "anki_export.identity.score") if m in sys.modules))
"""


def test_a_rebuild_imports_neither_genanki_mistune_nor_the_fuzzy_match_unless_it_must(
    write_guide: WriteGuide, tmp_path: Path
) -> None:
    path = write_guide(GUIDE)
    out = tmp_path / "build" / "g.apkg"

    def rebuild() -> str:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        args = [sys.executable, "-c", _REBUILD, str(path), str(out)]
        proc = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
        return proc.stdout.strip()

    assert rebuild() == "['genanki', 'mistune']"  # cold: no old note to compare a new one with
    deck = out.read_bytes()
    assert rebuild() == "[]"  # from the memo: the same deck
    assert out.read_bytes() == deck
    added = GUIDE + "\n## New section\n\n- **Q?**\n"
    path.write_text(added, "utf-8")
    # A new deck (genanki makes its JSON); a note added and none gone: nothing to compare.
    assert rebuild() == "['genanki', 'mistune']"
    path.write_text(added.replace("Plain question?", "Edited?"), "utf-8")
    # A chunk to read, genanki's part still kept; a front gone and one new: maybe a rewording.
    assert rebuild() == "['anki_export.identity.score', 'mistune']"


_CHECK = """
import sys
from pathlib import Path
from anki_export import check_export
fresh, _ = check_export(Path(sys.argv[1]), Path(sys.argv[2]), timestamp=1767225600)
print(fresh, sorted(m for m in ("genanki", "mistune") if m in sys.modules))
"""


def test_a_check_reads_the_memo_and_writes_nothing(write_guide: WriteGuide, tmp_path: Path) -> None:
    path = write_guide(GUIDE)
    out = tmp_path / "build" / "g.apkg"
    export_deck(path, out, timestamp=1767225600)
    store = memo_path(path, out)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (store, out)}

    def check() -> str:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        args = [sys.executable, "-c", _CHECK, str(path), str(out)]
        return subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout

    assert check().strip() == "True []"  # everything from the memo
    path.write_text(GUIDE.replace("Plain question?", "Edited?"), "utf-8")
    assert check().strip() == "False ['mistune']"  # the edited chunk is read, not kept
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (store, out)} == before
    assert sorted(os.listdir(store.parent)) == [store.name]
    assert check_export(path, out, timestamp=1767225600, cache=False)[0] is False
