"""Nothing lost under failure: a full disk or a kill at the last step, and exports racing."""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from anki_export.errors import BuildError
from anki_export.lock import locked
from anki_export.memo import Memo, memo_key, memo_path
from anki_export.pipeline import export_deck

from .conftest import ROOT, WriteGuide

TIMESTAMP = 1767225600
GUIDE = "# R\n\n## S\n\n- **Why `x`?**\n    - *Hint:* Because _y_.\n- **Term:** text\n"
EDITED = GUIDE.replace("Because", "Since")


def _memo(out: Path) -> Path:
    return memo_path(out.parent / "guide.md", out)  # in build/: beside the deck, whatever the guide


def _whole(memo: Path) -> bool:
    """The memo is there, and every entry in it reads back intact."""
    with Memo(memo, memo_key({})) as store:
        return len(store) > 0 and all(store.get(e) is not None for e in store.entries())


def _state(out: Path) -> dict[str, bytes]:
    """Every file the export of `out` owns, by name."""
    files = [*out.parent.iterdir(), *_memo(out).parent.iterdir()]
    return {p.name: p.read_bytes() for p in files if p.is_file()}


def _leftovers(out: Path) -> list[str]:
    """Temporary files and folders beside the deck and the cache."""
    folders = (out.parent, _memo(out).parent)
    return sorted(p.name for folder in folders for p in folder.iterdir() if p.name.endswith(".tmp"))


def _valid_deck(out: Path, notes: int) -> None:
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        data = archive.read("collection.anki2")
    db = out.parent / f"{out.name}.check.anki2"
    db.write_bytes(data)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count() FROM notes").fetchone() == (notes,)
    finally:
        conn.close()
        db.unlink()


@pytest.fixture
def built(write_guide: WriteGuide, tmp_path: Path) -> tuple[Path, Path]:
    """A guide exported once (deck and cache in place), then edited."""
    guide = write_guide(GUIDE)
    out = tmp_path / "build" / "guide.apkg"
    export_deck(guide, out, timestamp=TIMESTAMP)
    assert _memo(out).exists()
    guide.write_text(EDITED, encoding="utf-8")
    return guide, out


def test_full_disk_at_the_last_step_keeps_deck_and_cache(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    guide, out = built
    before = _state(out)

    def full_disk(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(BuildError, match=f"{out}: cannot write the deck: No space left"):
        export_deck(guide, out, timestamp=TIMESTAMP + 1)
    assert _state(out) == before and _leftovers(out) == []
    monkeypatch.undo()
    export_deck(guide, out, timestamp=TIMESTAMP + 1)
    assert _state(out)[out.name] != before[out.name]
    _valid_deck(out, 2)


_KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from anki_export.pipeline import export_deck

    real_replace = os.replace

    def replace(src, dst):
        if str(dst).endswith(sys.argv[3]):
            os.kill(os.getpid(), signal.SIGKILL)
        real_replace(src, dst)

    os.replace = replace
    # Nothing held back to append: the memo is written anew, its rename the last step.
    import anki_export.memo
    anki_export.memo._HELD = 0
    export_deck(Path(sys.argv[1]), Path(sys.argv[2]), timestamp=int(sys.argv[4]))
    """
)


@pytest.mark.parametrize("killed_at", [".apkg", ".memo"])
def test_killed_at_the_last_step_keeps_a_usable_deck_and_cache(
    built: tuple[Path, Path], killed_at: str
) -> None:
    guide, out = built
    before = _state(out)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", _KILLER, str(guide), str(out), killed_at, str(TIMESTAMP + 1)]
    proc = subprocess.run(args, env=env, capture_output=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    after = _state(out)
    assert _leftovers(out)  # the kill left its temporary files behind ...
    if killed_at == ".apkg":
        assert after[out.name] == before[out.name]
    _valid_deck(out, 2)
    assert after["guide.apkg.memo"] == before["guide.apkg.memo"]
    assert _whole(_memo(out))
    export_deck(guide, out, timestamp=TIMESTAMP + 2)
    assert _leftovers(out) == []  # ... the next export removes them
    _valid_deck(out, 2)


def _big_guide(notes: int) -> str:
    parts = ["# Big\n"]
    for n in range(notes):
        if n % 20 == 0:
            parts.append(f"\n## Section {n // 20}\n")
        parts.append(f"- **Question {n} about _{n}_?**\n    - *Hint:* answer `{n}`.\n")
    return "".join(parts)


def _export_process(guide: Path, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": str(TIMESTAMP)}
    return subprocess.Popen(
        [sys.executable, "-m", "anki_export", str(guide), "-o", str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_an_export_waits_for_the_lock(write_guide: WriteGuide, tmp_path: Path) -> None:
    guide = write_guide(GUIDE)
    out = tmp_path / "build" / "guide.apkg"
    with locked(guide):
        proc = _export_process(guide, out)
        time.sleep(1.5)
        assert proc.poll() is None and not out.exists()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    _valid_deck(out, 2)


def test_two_exports_of_one_guide_at_once(write_guide: WriteGuide, tmp_path: Path) -> None:
    guide = write_guide(_big_guide(1500))
    out = tmp_path / "build" / "guide.apkg"
    for edit in range(3):
        guide.write_text(_big_guide(1500).replace("answer", f"answer {edit}"), "utf-8")
        procs = [_export_process(guide, out) for _ in range(2)]
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
        _valid_deck(out, 1500)
        assert _whole(_memo(out))
        assert _leftovers(out) == []
