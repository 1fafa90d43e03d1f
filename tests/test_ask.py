"""Possible rewordings: asked on a terminal, listed with the command that answers them elsewhere,
answered once (the answer is kept in the ledger), and `--check` fails while one is open."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from anki_export.cli import command as cli
from anki_export.errors import AnkiExportError
from anki_export.identity.ledger import ledger_path, read_ledger
from anki_export.identity.report import Change, ChangeKind
from anki_export.pipeline import export_deck

EXE = shutil.which("export-deck", path=str(Path(sys.executable).parent)) or "export-deck"
# An open question (no answer to compare) with one phrase for another: likely the same question,
# but not sure enough to decide alone.
OLD = "How did you ensure the pipeline was scalable and maintainable?"
NEW = "How did you make sure the pipeline was scalable and maintainable?"


@pytest.fixture
def work(tmp_path: Path, seed: Path) -> Path:
    """source/guide.md (the seed) exported once, then OLD reworded as NEW."""
    (tmp_path / "source").mkdir()
    guide = tmp_path / "source" / "guide.md"
    shutil.copy(seed, guide)
    assert run(tmp_path)[0] == 0
    guide.write_text(guide.read_text("utf-8").replace(OLD, NEW), "utf-8")
    return tmp_path


def run(cwd: Path, *args: str) -> tuple[int, str, str]:
    """The installed command in a real process, its standard streams pipes (no terminal)."""
    proc = subprocess.run(
        [EXE, *args], cwd=cwd, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
    )
    return proc.returncode, proc.stdout, proc.stderr


def guid_of(apkg: Path, front: str, tmp_path: Path) -> str:
    with zipfile.ZipFile(apkg) as archive:
        db = tmp_path / "peek.anki2"
        db.write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(db) as con:
        rows = con.execute("select guid, flds from notes").fetchall()
    (guid,) = [g for g, flds in rows if flds.split("\x1f")[0] == front]
    return str(guid)


def old_guid(work: Path) -> str:
    entries = read_ledger(ledger_path(work / "source" / "guide.md")).entries
    (entry,) = [e for e in entries if e.text == OLD]
    return entry.guid


def test_without_a_terminal_the_note_is_new_and_the_question_is_listed_until_answered(
    work: Path,
) -> None:
    guid = old_guid(work)
    code, out, err = run(work, "--json")
    assert code == 0, err
    (question,) = [
        c
        for c in json.loads(out)["exports"][0]["changes"]["details"]
        if c["kind"] == "possible-rewording"
    ]
    assert (question["front"], question["old_front"], question["old_guid"]) == (NEW, OLD, guid)
    assert 0 < question["score"] < 1 and question["line"] > 0
    answer = shlex.quote(f"{question['line']}={guid}")
    assert question["link_command"] == f"export-deck source/guide.md --link {answer}"
    apkg = work / "build" / "guide.apkg"
    assert guid_of(apkg, NEW, work) != guid, "not answered: written as a new note"

    # Asked again on every run, and --check fails, until it is answered.
    code, out, _ = run(work)
    assert code == 0 and "? possible rewording" in out and "--link" in out and "--new" in out
    code, out, _ = run(work, "--check")
    assert code == 1 and "possible rewording" in out

    code, out, err = run(work, *shlex.split(question["link_command"])[1:])
    assert code == 0, err
    assert "≈ reworded" in out and f"{OLD!r} -> {NEW!r}" in out
    assert guid_of(apkg, NEW, work) == guid
    assert run(work, "--check")[0] == 0
    code, out, _ = run(work)
    assert "possible rewording" not in out and "no changes" in out


def test_answering_no_keeps_the_new_note_and_is_not_asked_again(work: Path) -> None:
    code, out, _ = run(work, "--json")
    (question,) = [
        c
        for c in json.loads(out)["exports"][0]["changes"]["details"]
        if c["kind"] == "possible-rewording"
    ]
    new_guid = guid_of(work / "build" / "guide.apkg", NEW, work)
    code, out, err = run(work, *shlex.split(question["new_command"])[1:])
    assert code == 0, err
    assert guid_of(work / "build" / "guide.apkg", NEW, work) == new_guid
    code, out, _ = run(work, "--check")
    assert code == 0, out
    assert "possible rewording" not in run(work)[1]


def invoke_on_a_terminal(
    work: Path, monkeypatch: pytest.MonkeyPatch, answers: str
) -> tuple[int, str, str]:
    # CliRunner's streams are not terminals; the question is whether anyone would answer.
    monkeypatch.setattr(cli, "interactive", lambda: True)
    old = Path.cwd()
    os.chdir(work)
    try:
        result = CliRunner().invoke(cli.main, [], input=answers)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("answer", ["y", "n"])
def test_on_a_terminal_each_pair_is_asked_once_before_writing(
    work: Path, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    guid = old_guid(work)
    code, out, err = invoke_on_a_terminal(work, monkeypatch, f"{answer}\n")
    assert code == 0, err
    assert f"was: {OLD}" in err and f"now: {NEW}" in err and "Did you reword" in err
    assert "source/guide.md:" in err and "5. Project-Specific Questions" in err
    kept = guid_of(work / "build" / "guide.apkg", NEW, work) == guid
    assert kept is (answer == "y")
    assert "possible rewording" not in out
    code, _, err = invoke_on_a_terminal(work, monkeypatch, "")
    assert code == 0 and "Did you reword" not in err, "the answer is kept: asked once"


def test_the_library_takes_answers_and_never_prompts(work: Path) -> None:
    guide = work / "source" / "guide.md"
    out = work / "lib.apkg"
    result = export_deck(guide, out, dry_run=True)
    (question,) = result.report.questions
    asked: list[Change] = []

    def confirm(change: Change) -> bool:
        asked.append(change)
        return True

    result = export_deck(guide, out, confirm=confirm)
    assert asked == [question] and not result.report.questions
    assert result.report.counts[ChangeKind.REWORDED] == 1
    assert guid_of(out, NEW, work) == question.old_guid


def test_answers_are_checked(work: Path) -> None:
    guide = work / "source" / "guide.md"
    with pytest.raises(AnkiExportError, match="no note starts on line 3"):
        export_deck(guide, work / "x.apkg", links={3: None}, dry_run=True)
    line = guide.read_text("utf-8").split("\n").index(f"*   **{NEW}**") + 1
    with pytest.raises(AnkiExportError, match="no note with GUID nope"):
        export_deck(guide, work / "x.apkg", links={line: "nope"}, dry_run=True)
    kept = next(e for e in read_ledger(ledger_path(guide)).entries if e.text.startswith("Why"))
    with pytest.raises(AnkiExportError, match="still in the guide"):
        export_deck(guide, work / "x.apkg", links={line: kept.guid}, dry_run=True)
    code, _, err = run(work, "--link", "x=y")
    assert code == 2 and "expected LINE=OLD_GUID" in err
    (work / "other.md").write_text("# Other\n\n- **Why?**\n", "utf-8")
    code, _, err = run(work, "--link", f"{line}={old_guid(work)}", "source/guide.md", "other.md")
    assert code == 2 and "name one GUIDE" in err
