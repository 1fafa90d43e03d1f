"""Live sync through the real Anki desktop app and the real AnkiConnect add-on (transport 2).

One headless Anki (../shared/anki-desktop, started once for the module on a free port) serves
every test; each test uses its own guide and root deck. The scenario test runs last: it stops
and starts Anki to study the cards with Anki's engine, then stops it to check the collection.
The tests skip, saying why, only where Anki desktop is not installed; `.ci/run` installs it and
sets ANKI_EXPORT_REQUIRE_ANKI_DESKTOP, so that in CI they run or fail.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from anki.collection import Collection
from click.testing import CliRunner

from anki_export.cli import main
from anki_export.errors import SyncError
from anki_export.identity.ledger import ledger_path
from anki_export.sync import SyncKind, locate, sync_deck
from anki_export.sync.ankiconnect import AnkiConnect
from anki_export.sync.state import REMOVED_TAG

from .conftest import ROOT
from .syncscenario import (
    T0,
    check_apkg_adds_nothing,
    check_second_sync,
    edit,
    note_by_front,
    study_and_edit,
)

# One Anki desktop for the module: without a group, xdist's workers would each start one.
pytestmark = pytest.mark.xdist_group("anki-desktop")

DESKTOP = ROOT.parent / "shared" / "anki-desktop"
SEED_ROOT = "Reejig Senior Data Engineer Interview Preparation"


@dataclass
class Desktop:
    """A headless Anki desktop on `base`, with AnkiConnect on `port`."""

    base: Path
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def collection(self) -> Path:
        return self.base / "User 1" / "collection.anki2"

    def start(self) -> None:
        run = subprocess.run(
            [DESKTOP / "start.sh", self.base, str(self.port)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, f"start.sh failed ({run.returncode}): {run.stderr[-2000:]}"

    def stop(self) -> None:
        subprocess.run([DESKTOP / "stop.sh", self.base], capture_output=True, timeout=60)


def _installed() -> str | None:
    """Why Anki desktop cannot run here, or None."""
    venv = Path(os.environ.get("ANKI_VENV", Path.home() / ".cache" / "anki-desktop" / "venv"))
    if not (DESKTOP / "start.sh").is_file():
        return f"no {DESKTOP}/start.sh (the shared Anki desktop scripts)"
    if not (venv / "bin" / "anki").is_file():
        return f"Anki desktop is not installed in {venv}: run {DESKTOP}/setup.sh (.ci/run does)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    reason = _installed()
    if reason is not None:
        if os.environ.get("ANKI_EXPORT_REQUIRE_ANKI_DESKTOP"):
            pytest.fail(reason)
        pytest.skip(reason)
    anki = Desktop(tmp_path_factory.mktemp("anki-desktop"), _free_port())
    try:
        anki.start()
        yield anki
    finally:
        anki.stop()


SMALL = """\
# Small Guide

## One

*   **What does a B-tree index make fast?**
    *   *Answer Hint:* Range scans and lookups.
*   **What is a covering index?**
    *   *Answer Hint:* One that holds every column a query needs.

## Two

*   **What is MVCC?**
    *   *Answer Hint:* Readers see a snapshot; writers make new versions.
"""


def test_auto_choice_takes_ankiconnect_when_it_answers_else_the_profile(
    desktop: Desktop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    guide = tmp_path / "source" / "auto.md"
    guide.parent.mkdir()
    guide.write_text(SMALL.replace("# Small Guide", "# Auto Guide"), "utf-8")
    monkeypatch.setattr(locate, "DEFAULT_URL", desktop.url)
    result = sync_deck(guide, dry_run=True)
    assert result.collection == desktop.url and result.counts[SyncKind.ADDED] == 3

    monkeypatch.setattr(locate, "DEFAULT_URL", f"http://127.0.0.1:{_free_port()}")
    monkeypatch.setenv("ANKI_BASE", str(desktop.base))
    with pytest.raises(SyncError) as caught:  # the last profile, which Anki holds open
        sync_deck(guide)
    assert str(caught.value) == (
        f"{desktop.collection}: Anki has this collection open; close Anki, or sync through "
        "AnkiConnect (--ankiconnect)"
    )
    assert not ledger_path(guide).exists()


def test_cli_dry_run_check_and_removed_delete_through_ankiconnect(
    desktop: Desktop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    guide = Path("source/small.md")
    guide.parent.mkdir()
    guide.write_text(SMALL, "utf-8")
    runner = CliRunner()
    sync = ["--sync", "--ankiconnect", desktop.url]
    check = runner.invoke(main, [*sync, "--check"])
    assert check.exit_code == 1 and "out of date (3 added" in check.output
    first = runner.invoke(main, [*sync, "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["syncs"][0]["changes"]["added"] == 3
    assert runner.invoke(main, [*sync, "--check"]).exit_code == 0

    guide.write_text(SMALL.split("*   **What is MVCC?**")[0], "utf-8")
    dry = runner.invoke(main, [*sync, "--dry-run", "--removed", "delete"])
    assert dry.exit_code == 0 and "1 deleted, 2 unchanged (dry run, nothing changed)" in dry.output
    assert runner.invoke(main, [*sync, "--check"]).exit_code == 1
    done = runner.invoke(main, [*sync, "--removed", "delete"])
    assert done.exit_code == 0, done.output
    assert "deleting 1 note(s) removed from the guide:\n  x Small Guide::Two: 'what is mvcc?'" in (
        done.stderr
    )
    assert runner.invoke(main, [*sync, "--check"]).exit_code == 0

    # A card the user moved out of the guide's deck: its note is left alone.
    client = AnkiConnect(desktop.url)
    (card,) = client._call("findCards", query='"deck:Small Guide" "covering index"')
    client._call("changeDeck", cards=[card], deck="Elsewhere")
    guide.write_text(SMALL.split("*   **What is MVCC?**")[0].replace("holds every", "has each"))
    moved = runner.invoke(main, [*sync, "--dry-run", "--json"])
    (kept,) = json.loads(moved.stdout)["syncs"][0]["changes"]["details"]
    assert kept["kind"] == "kept" and kept["reason"].startswith("its cards are outside")


def test_scenario_through_ankiconnect_keeps_ids_history_and_anki_edits(
    desktop: Desktop, seed_copy: Path, tmp_path: Path
) -> None:
    first = sync_deck(seed_copy, ankiconnect=desktop.url, timestamp=T0)
    assert first.counts[SyncKind.ADDED] == 78
    desktop.stop()
    studied = study_and_edit(desktop.collection, SEED_ROOT)
    desktop.start()

    edit(seed_copy)
    second = sync_deck(seed_copy, ankiconnect=desktop.url, timestamp=T0 + 3600)
    before = anki_side(desktop)
    third = sync_deck(seed_copy, ankiconnect=desktop.url, timestamp=T0 + 7200)
    assert third.up_to_date and {c.kind for c in third.changes} == {SyncKind.KEPT}
    assert anki_side(desktop) == before, "a sync with nothing to do changes nothing"
    desktop.stop()

    check_second_sync(desktop.collection, studied, second, SEED_ROOT)
    col = Collection(str(desktop.collection))
    try:
        retired = col.get_note(note_by_front(col, "How do you handle test data management"))
        assert REMOVED_TAG in retired.tags
    finally:
        col.close()
    check_apkg_adds_nothing(desktop.collection, seed_copy, tmp_path / "same.apkg", SEED_ROOT)


def anki_side(desktop: Desktop) -> tuple[object, ...]:
    """Our notes (with their mod times) and every card's mod time, as Anki desktop holds them
    (it holds the collection open: Anki's engine cannot read it meanwhile)."""
    client = AnkiConnect(desktop.url)
    state = client.read(SEED_ROOT, (), {})
    cards = sorted(c.id for note in state.notes.values() for c in note.cards)
    return state.notes, client._call("cardsModTime", cards=cards)
