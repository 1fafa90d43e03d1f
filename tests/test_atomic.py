"""Atomic writes: the old file or the new one, never half of one, and no stray temp files."""

from __future__ import annotations

from pathlib import Path

import pytest

from anki_export.atomic import atomic_output, write_atomically
from anki_export.errors import BuildError


def test_replaces_the_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.txt"
    write_atomically(target, b"one")
    write_atomically(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_an_error_while_writing_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(target) as out:
        out.write(b"half")
        raise RuntimeError("killed half way")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_an_unwritable_target_is_a_build_error(tmp_path: Path) -> None:
    (tmp_path / "a-folder").mkdir()
    with pytest.raises(BuildError, match="a-folder: cannot write the deck"):
        write_atomically(tmp_path / "a-folder", b"x", "the deck")
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(BuildError, match="cannot write"):
        write_atomically(tmp_path / "file" / "below-a-file", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder", "file"]
