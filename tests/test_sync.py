"""Live sync into a collection file through Anki's engine (transport 1), and the planner's
options: dry run, check, what happens to removed notes, a locked collection, profiles."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from anki.collection import Collection
from click.testing import CliRunner

from anki_export.cli import main
from anki_export.cli.sync_report import sync_details
from anki_export.errors import SyncError
from anki_export.identity.ledger import ledger_path
from anki_export.sync import SyncKind, sync_deck
from anki_export.sync.locate import profile_collection
from anki_export.sync.state import REMOVED_TAG

from .ankiengine import open_collection
from .conftest import WriteGuide
from .syncscenario import (
    T0,
    check_apkg_adds_nothing,
    check_no_op,
    check_second_sync,
    db,
    edit,
    note_by_front,
    snapshot,
    study_and_edit,
)
from .test_regenerate import REMOVALS, item

ROOT = "Reejig Senior Data Engineer Interview Preparation"


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    """A fresh, empty collection file (closed)."""
    col = open_collection(tmp_path / "anki")
    path = Path(col.path)
    col.close()
    return path


def test_sync_scenario_keeps_ids_history_and_anki_edits(
    seed_copy: Path, collection: Path, tmp_path: Path
) -> None:
    first = sync_deck(seed_copy, collection=collection, timestamp=T0)
    assert first.counts[SyncKind.ADDED] == 78 and first.applied
    studied = study_and_edit(collection, ROOT)

    edit(seed_copy)
    second = sync_deck(seed_copy, collection=collection, timestamp=T0 + 3600)
    check_second_sync(collection, studied, second, ROOT)

    before = snapshot(collection)
    ledger = ledger_path(seed_copy).read_bytes()
    third = sync_deck(seed_copy, collection=collection, timestamp=T0 + 7200)
    check_no_op(collection, before, third)
    assert ledger_path(seed_copy).read_bytes() == ledger
    check_apkg_adds_nothing(collection, seed_copy, tmp_path / "same.apkg", ROOT)


def test_apkg_exported_but_never_imported_is_not_an_anki_edit(
    seed_copy: Path, collection: Path, tmp_path: Path
) -> None:
    sync_deck(seed_copy, collection=collection, timestamp=T0)
    text = seed_copy.read_text("utf-8")
    hint = "Be clear and provide simple examples."
    seed_copy.write_text(text.replace(hint, "Draw the Venn diagram."), "utf-8")
    from anki_export.pipeline import export_deck

    export_deck(seed_copy, tmp_path / "never-imported.apkg", timestamp=T0 + 10)
    result = sync_deck(seed_copy, collection=collection, timestamp=T0 + 20)
    assert [c.kind for c in result.changes] == [SyncKind.UPDATED]
    col = Collection(str(collection))
    try:
        assert db(col).scalar("select count() from notes where flds like '%Venn diagram%'") == 1
    finally:
        col.close()


def test_dry_run_and_check_change_nothing(seed_copy: Path, collection: Path) -> None:
    sync_deck(seed_copy, collection=collection, timestamp=T0)
    assert sync_deck(seed_copy, collection=collection, dry_run=True).up_to_date
    edit(seed_copy)
    before, ledger = snapshot(collection), ledger_path(seed_copy).read_bytes()
    dry = sync_deck(seed_copy, collection=collection, timestamp=T0 + 1, dry_run=True)
    assert not dry.up_to_date and not dry.applied
    assert dry.counts[SyncKind.ADDED] == 4 and dry.counts[SyncKind.RETIRED] == 3
    assert snapshot(collection) == before and ledger_path(seed_copy).read_bytes() == ledger
    real = sync_deck(seed_copy, collection=collection, timestamp=T0 + 1)
    assert real.changes == dry.changes
    assert sync_deck(seed_copy, collection=collection, dry_run=True).up_to_date


def test_removed_delete_lists_first_keep_leaves_and_a_restored_note_comes_back(
    seed_copy: Path, collection: Path
) -> None:
    text = seed_copy.read_text("utf-8")
    sync_deck(seed_copy, collection=collection, timestamp=T0)
    col = Collection(str(collection))
    gone = [note_by_front(col, question) for question in REMOVALS]
    col.close()
    for question in REMOVALS:
        seed_copy.write_text(seed_copy.read_text("utf-8").replace(item(text, question), ""))

    kept = sync_deck(seed_copy, collection=collection, removed="keep", timestamp=T0 + 1)
    assert kept.counts[SyncKind.RETIRED] == 0 and kept.up_to_date is False  # the ledger moved
    retired = sync_deck(seed_copy, collection=collection, timestamp=T0 + 2)
    assert retired.counts[SyncKind.RETIRED] == 3

    # The first comes back; two go for good.
    seed_copy.write_text(
        text.replace(item(text, REMOVALS[1]), "").replace(item(text, REMOVALS[2]), "")
    )
    listed: list[tuple[int, ...]] = []
    result = sync_deck(
        seed_copy,
        collection=collection,
        removed="delete",
        timestamp=T0 + 3,
        before=lambda plan: listed.append(plan.delete),
    )
    assert len(listed) == 1 and sorted(listed[0]) == sorted(gone[1:])
    assert result.counts[SyncKind.DELETED] == 2 and result.counts[SyncKind.RESTORED] == 1
    col = Collection(str(collection))
    try:
        assert col.note_count() == 76
        back = col.get_note(gone[0])
        assert REMOVED_TAG not in back.tags
        assert [c.queue for c in back.cards()] == [0], "unsuspended"
    finally:
        col.close()


def test_overwrite_anki_edits_replaces_them(seed_copy: Path, collection: Path) -> None:
    sync_deck(seed_copy, collection=collection, timestamp=T0)
    col = Collection(str(collection))
    nid = note_by_front(col, "Describe how to manage dependencies")
    note = col.get_note(nid)
    written = note["Hint"]
    note["Hint"] = "mine"
    col.update_note(note)
    col.close()
    assert sync_deck(seed_copy, collection=collection).counts[SyncKind.KEPT] == 1
    result = sync_deck(seed_copy, collection=collection, overwrite_anki_edits=True)
    assert [c.kind for c in result.changes] == [SyncKind.UPDATED]
    col = Collection(str(collection))
    try:
        assert col.get_note(nid)["Hint"] == written
    finally:
        col.close()
    assert sync_deck(seed_copy, collection=collection).up_to_date


def test_a_collection_open_elsewhere_is_one_line_and_nothing_changes(
    seed_copy: Path, collection: Path
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(collection)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        with pytest.raises(SyncError) as caught:
            sync_deck(seed_copy, collection=collection, timestamp=T0)
    finally:
        holder.communicate("")
    message = str(caught.value)
    assert "\n" not in message and "Anki has this collection open" in message
    assert "close Anki" in message and "--ankiconnect" in message
    assert not ledger_path(seed_copy).exists()
    col = Collection(str(collection))
    try:
        assert col.note_count() == 0
    finally:
        col.close()


HOLD = """
import sys
from anki.collection import Collection
from click.testing import CliRunner
col = Collection(sys.argv[1])
print("open", flush=True)
sys.stdin.read()
col.close()
"""


def test_profiles_are_found_in_anki_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_copy: Path
) -> None:
    base = tmp_path / "Anki2"
    monkeypatch.setenv("ANKI_BASE", str(base))
    with pytest.raises(SyncError, match="profiles: none"):
        profile_collection(None)
    for name in ("User 1", "Work"):
        open_collection(base / name).close()
    with pytest.raises(SyncError, match="--profile NAME"):
        profile_collection(None)
    assert profile_collection("Work") == base / "Work" / "collection.anki2"
    with pytest.raises(SyncError, match="no such Anki profile"):
        profile_collection("Nobody")
    result = sync_deck(seed_copy, profile="Work", ankiconnect=None, timestamp=T0)
    assert result.collection == str(base / "Work" / "collection.anki2")


def test_missing_media_only_are_copied(tmp_path: Path, collection: Path) -> None:
    guide = tmp_path / "pics.md"
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "d.png").write_bytes(b"\x89PNG\r\n\x1a\n one picture")
    guide.write_text("# Pics\n\n- **What is drawn?**\n  - *Hint:* ![d](img/d.png)\n", "utf-8")
    first = sync_deck(guide, collection=collection, timestamp=T0)
    (name,) = first.media
    col = Collection(str(collection))
    media = Path(col.media.dir()) / name
    col.close()
    assert media.read_bytes() == b"\x89PNG\r\n\x1a\n one picture"
    assert sync_deck(guide, collection=collection).up_to_date
    media.unlink()
    again = sync_deck(guide, collection=collection)
    assert again.media == (name,) and again.changes == () and media.is_file()


def test_a_changed_note_type_is_updated_in_place_without_touching_notes(
    seed_copy: Path, collection: Path
) -> None:
    first = sync_deck(seed_copy, collection=collection, timestamp=T0)
    assert first.note_types == () and len(first.note_types_added) == 3  # created, not updated
    (line,) = [ln for ln in sync_details(first) if "note types" in ln]
    assert line.startswith("  note types added: anki-export ")
    ledger = ledger_path(seed_copy)
    # As after a release that changed the Question template: its fingerprint differs.
    text = ledger.read_text("utf-8")
    key = '"question": {"fingerprint": "'
    assert text.count(key) == 1
    ledger.write_text(text.replace(key, key + "0"), "utf-8")
    before = snapshot(collection)
    result = sync_deck(seed_copy, collection=collection, timestamp=T0 + 60)
    assert result.note_types == ("anki-export Question",) and result.changes == ()
    assert result.note_types_added == ()
    assert sync_details(result) == ["  note types updated: anki-export Question"]
    assert snapshot(collection) == before, "the note carrying the note type is not updated"
    col = Collection(str(collection))
    try:
        question = col.models.by_name("anki-export Question")
        assert question is not None and question["mod"] == T0 + 60
    finally:
        col.close()
    assert sync_deck(seed_copy, collection=collection, timestamp=T0 + 120).up_to_date


def test_cli_sync_usage_errors_check_and_json(seed_copy: Path, collection: Path) -> None:
    runner = CliRunner()
    guide = str(seed_copy)
    usage = {
        ("--collection", str(collection)): "--collection needs --sync",
        ("--sync", "-o", "x.apkg"): "--sync writes to Anki, not to a file: drop -o",
        ("--sync", "--ankiconnect", guide): "--ankiconnect takes a URL (http://host:port)",
        ("--sync", "--profile", "A", "--collection", "c"): "choose one of --collection",
        ("--sync", "-"): "--sync needs guide files",
    }
    for args, message in usage.items():
        result = runner.invoke(main, [guide, *args] if "-" not in args else list(args))
        assert result.exit_code == 2 and message in result.output, (args, result.output)

    missing = runner.invoke(main, [guide, "--sync", "--collection", str(collection) + ".nope"])
    assert missing.exit_code == 1
    assert missing.stderr == f"Error: {collection}.nope: no such Anki collection\n"
    sync = [guide, "--sync", "--collection", str(collection)]
    check = runner.invoke(main, [*sync, "--check"])
    assert check.exit_code == 1 and "out of date (78 added, 3 note types added, 0 unchanged)" in (
        check.stdout
    )
    done = runner.invoke(main, [*sync, "--json"])
    document = json.loads(done.stdout)
    assert done.exit_code == 0 and document["mode"] == "sync" and document["ok"]
    assert document["syncs"][0]["changes"]["added"] == 78
    checked = runner.invoke(main, [*sync, "--check", "--json"])
    assert checked.exit_code == 0 and json.loads(checked.stdout)["syncs"][0]["up_to_date"]


def test_export_deck_starts_without_anki_or_urllib() -> None:
    code = "import sys, anki_export.cli; print({'anki', 'urllib.request'} & set(sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout == "set()\n"


def test_a_note_moved_out_of_the_guides_deck_in_anki_is_left_alone(
    write_guide: WriteGuide, collection: Path
) -> None:
    guide = write_guide("# Mine\n\n## A\n\n- **Left?**\n  - *Hint:* yes\n", "source/mine.md")
    sync_deck(guide, collection=collection, timestamp=T0)
    col = Collection(str(collection))
    (card,) = col.find_cards("")
    col.set_deck([card], col.decks.id("Elsewhere") or 0)
    col.close()
    guide.write_text("# Mine\n\n## B\n\n- **Left?**\n  - *Hint:* no\n", "utf-8")
    result = sync_deck(guide, collection=collection, timestamp=T0 + 1)
    assert [(c.kind, c.reason) for c in result.changes] == [
        (SyncKind.KEPT, "its cards are outside 'Mine' in Anki: left alone")
    ]
    col = Collection(str(collection))
    try:
        assert col.decks.name(col.get_card(card).did) == "Elsewhere"
        assert "yes" in col.get_card(card).note()["Hint"]
    finally:
        col.close()


def test_a_guide_renamed_without_its_ledger_syncs_as_the_same_guide(
    seed_copy: Path, collection: Path
) -> None:
    sync_deck(seed_copy, collection=collection, timestamp=T0)
    old_ledger = ledger_path(seed_copy)
    renamed = seed_copy.rename(seed_copy.with_name("interview.md"))
    dry = sync_deck(renamed, collection=collection, timestamp=T0 + 1, dry_run=True)
    assert old_ledger.exists() and not ledger_path(renamed).exists()
    result = sync_deck(renamed, collection=collection, timestamp=T0 + 1)
    assert result.changes == dry.changes == ()  # nothing to add, update or retire
    assert not old_ledger.exists() and ledger_path(renamed).exists()
    assert sync_deck(renamed, collection=collection, dry_run=True).up_to_date
    col = Collection(str(collection))
    try:
        assert col.note_count() == 78
    finally:
        col.close()
