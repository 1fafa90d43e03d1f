"""Reading a guide's items in worker processes gives the very same records and deck as one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from anki_export.pipeline import export_deck
from anki_export.read.items import read_item
from anki_export.read.parallel import (
    MIN_PARALLEL_ITEMS,
    ItemReader,
    dump_readings,
    load_readings,
    read_items,
)

from .conftest import ROOT

T0 = 1767225600


def _item(n: int) -> str:
    if n % 7 == 0:
        return f"**Term {n}:** a *definition* with `code {n}` and **bold**."
    if n % 11 == 0:
        return f"**List {n}:**\n\n- one\n- two `{n}`"
    return (
        f"**How would you *partition* table_{n} by `date`?**\n\n"
        f"- *Answer Hint:* By **day**, with `PARTITION BY {n}`; see [docs](https://x.org/{n})."
    )


def _guide(notes: int) -> str:
    parts = ["# Parallel\n\nA guide with **many** notes.\n"]
    for n in range(notes):
        if n % 20 == 0:
            parts.append(f"\n## Section {n // 20}\n\n```sh\n# not a heading {n}\n```\n")
        body = _item(n).replace("\n\n- ", "\n    - ").replace("\n- ", "\n    - ")
        parts.append(f"- {body}\n")
    return "".join(parts)


def test_workers_read_what_one_process_reads() -> None:
    sources = [_item(n) for n in range(300)]
    assert list(read_items(sources, workers=2)) == list(read_items(sources, workers=1))
    with_html = list(read_items(sources, allow_html=True, workers=3))
    assert with_html == list(read_items(sources, allow_html=True))


def test_the_workers_do_read_their_share() -> None:
    """A pool whose workers all failed (a worker that cannot import the reader, say) would
    still give every reading, read here instead: only the tally of the workers' batches shows
    that they read any."""
    sources = [_item(n) for n in range(2000)]
    expected = list(read_items(sources, workers=1))
    with ItemReader(False, 2, expect=len(sources)) as reader:
        if reader._pool is None:
            pytest.skip("this machine cannot start a process pool (ItemReader._start)")
        assert list(reader.read(sources)) == expected
        # The workers are given the last batches first and this process waits for them.
        assert reader.worker_batches >= 2


def test_readings_cross_the_process_boundary_unchanged() -> None:
    sources = [_item(n) for n in range(40)]
    sources += ["just a plain bullet", "**Q?**\n\n- *Hint:* ![x](missing.png)", "**Twice?**"]
    readings = [read_item(s) for s in sources]
    assert {type(r.shape).__name__ for r in readings} >= {
        "QuestionShape",
        "ConceptShape",
        "ListShape",
        "NoNote",
    }
    assert load_readings(dump_readings(readings)) == readings


def test_a_worker_that_dies_costs_time_not_readings() -> None:
    """A worker killed (the out-of-memory killer, a user's kill) while the guide is read: its
    batches are read here instead, and the readings are the same."""
    sources = [_item(n) for n in range(2000)]
    expected = list(read_items(sources, workers=1))
    with ItemReader(False, 2, expect=len(sources)) as reader:
        assert reader._pool is not None
        processes = reader._pool._processes
        while not processes:
            time.sleep(0.01)
        for pid in list(processes):
            os.kill(pid, signal.SIGKILL)
        assert list(reader.read(sources)) == expected


def test_the_command_with_a_pool_writes_the_deck_of_one_process(tmp_path: Path) -> None:
    """`python -m anki_export` reads a guide this large with a pool (its main module guarded
    against the workers' import of it); the library, by default, in its caller's process."""
    guide = tmp_path / "big.md"
    guide.write_text(_guide(MIN_PARALLEL_ITEMS + 100), "utf-8")
    alone = tmp_path / "alone.apkg"
    export_deck(guide, alone, timestamp=T0, use_ledger=False, cache=False)
    pooled = tmp_path / "pooled.apkg"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": str(T0)}
    done = subprocess.run(
        [sys.executable, "-m", "anki_export", str(guide), "-o", str(pooled), "--no-cache", "-v"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert f"{MIN_PARALLEL_ITEMS + 100} notes" in done.stdout
    # Neither read a ledger: GUIDs from the text, mod times from the build time.
    assert pooled.read_bytes() == alone.read_bytes()
