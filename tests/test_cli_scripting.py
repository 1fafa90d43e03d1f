"""export-deck for scripts and terminals: several guides, folders, stdin, formats, --json,
--quiet/--verbose, exit codes, and stdout/stderr separation. Real guides in tmp_path; the
installed command runs as a process where streams matter."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from anki_export.cli import main

EXE = shutil.which("export-deck", path=str(Path(sys.executable).parent)) or "export-deck"
NOTES = "# Notes\n\n## A\n- **What?**\n  - Hint: x\n- plain\n\n## Empty\n"


@pytest.fixture
def work(tmp_path: Path, seed: Path) -> Path:
    """source/guide.md (the seed), notes.md (one note, two warnings), more/extra.md."""
    (tmp_path / "source").mkdir()
    shutil.copy(seed, tmp_path / "source" / "guide.md")
    (tmp_path / "notes.md").write_text(NOTES, "utf-8")
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "extra.md").write_text("# Extra\n- **Why?**\n", "utf-8")
    return tmp_path


def run(cwd: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """The installed command as a real process: real pipes for stdin, stdout and stderr."""
    proc = subprocess.run(
        [EXE, *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"},
    )
    return proc.returncode, proc.stdout, proc.stderr


def invoke(cwd: Path, *args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), input=stdin)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def test_several_guides_and_folders_into_one_output_folder(work: Path) -> None:
    code, out, err = invoke(work, "source", "notes.md", "more/", "-o", "decks")
    assert code == 0, err
    assert sorted(p.name for p in (work / "decks").iterdir()) == [
        "extra.apkg",
        "guide.apkg",
        "notes.apkg",
    ]
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "decks/guide.apkg",
        "decks/notes.apkg",
        "decks/extra.apkg",
    ]
    # Each guide keeps its own ID ledger beside it.
    assert (work / "source" / "guide.anki-ids.json").exists()
    assert (work / "more" / "extra.anki-ids.json").exists()


def test_without_o_several_guides_go_to_build(work: Path) -> None:
    code, _, err = invoke(work, "notes.md", "more/extra.md")
    assert code == 0, err
    assert {p.name for p in (work / "build").iterdir()} == {".cache", "notes.apkg", "extra.apkg"}


def test_one_guide_into_a_folder_with_a_trailing_slash(work: Path) -> None:
    code, out, _ = invoke(work, "notes.md", "-o", "out/", "--format", "csv")
    assert code == 0 and out.startswith("out/notes.csv: 1 note")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("notes.md", "more", "-o", "x.apkg"), "-o x.apkg names a file, but 2 guides"),
        (("--quiet", "--verbose"), "--quiet and --verbose cannot be used together"),
        (("-", "notes.md"), "'-' (a guide on standard input) must be the only GUIDE"),
        (("-",), "needs -o FILE for an .apkg"),
        (("notes.md", "-o", "-"), "an .apkg is a binary file"),
        (("notes.md", "-f", "csv", "-o", "-", "--json"), "--json prints the summary on stdout"),
        (("--check", "-"), "--check compares files"),
        (("--watch", "--json"), "--watch cannot be used with --check, --json or -"),
        (("--format", "pdf"), "'pdf' is not one of 'apkg', 'csv', 'json'"),
    ],
)
def test_usage_errors_exit_2(work: Path, args: tuple[str, ...], message: str) -> None:
    code, out, err = invoke(work, *args)
    assert (code, out) == (2, "")
    assert message in err


def test_same_name_from_two_folders_is_a_usage_error(work: Path) -> None:
    (work / "more" / "notes.md").write_text(NOTES, "utf-8")
    code, _, err = invoke(work, "notes.md", "more")
    assert code == 2 and "would both be written to build/notes.apkg" in err


def test_exit_codes_and_stream_separation_as_a_process(work: Path) -> None:
    code, out, err = run(work, "notes.md")
    assert code == 0
    assert out == "build/notes.apkg: 1 note (1 question) in 1 subdeck of 'Notes'; " + (
        "first export (no ID ledger yet)\n"
    )
    assert err == (
        "notes.md:6: warning: list item makes no note: it is not a question (wholly bold, or "
        "ending in '?'), a **Concept:** with text, or a **List:** label with items\n"
        "notes.md:8: warning: section 'Empty' makes no notes: no question, **Concept:** or "
        "**List:** under its heading\n"
    )
    (work / "bad.md").write_bytes(b"\xff")
    code, out, err = run(work, "notes.md", "bad.md")
    assert code == 1 and out.startswith("build/notes.apkg: ")
    assert "Error: bad.md:1: is not UTF-8" in err and "Traceback" not in err
    code, out, err = run(work, "--no-such-option")
    assert code == 2 and out == "" and "No such option" in err


def test_stdin_to_an_apkg_writes_no_ledger(work: Path) -> None:
    code, out, err = run(work, "-", "-o", "piped.apkg", "--deck-name", "Piped", stdin=NOTES)
    assert code == 0, err
    assert out == "piped.apkg: 1 note (1 question) in 1 subdeck of 'Piped'; no ID ledger\n"
    assert err.startswith("<stdin>:6: warning: list item makes no note")
    assert zipfile.is_zipfile(work / "piped.apkg")
    assert not list(work.rglob("*.anki-ids.json"))


def test_stdin_to_stdout_as_json_and_csv(work: Path) -> None:
    code, out, err = run(work, "-", "--format", "json", stdin=NOTES)
    assert code == 0, err
    data = json.loads(out)  # stdout holds the records and nothing else
    assert data["guide"] == "<stdin>" and data["deck"] == "Notes"
    assert [n["front"]["text"] for n in data["notes"]] == ["What?"]
    assert err.endswith("<stdout>: 1 note (1 question) in 1 subdeck of 'Notes'; no ID ledger\n")
    # Without a file name, GUIDs come from --deck-name (or "stdin"), not from the text's title.
    _, again, _ = run(work, "-", "--format", "json", stdin=NOTES)
    _, named, _ = run(work, "-", "--format", "json", "--deck-name", "Other", stdin=NOTES)
    guid = data["notes"][0]["guid"]
    assert json.loads(again)["notes"][0]["guid"] == guid
    assert json.loads(named)["notes"][0]["guid"] != guid

    code, out, _ = run(work, "-", "--format", "csv", "-q", stdin=NOTES)
    assert code == 0 and out.startswith("#separator:Tab\n#html:true\n")
    assert len(out.splitlines()) == 7


_WIDE = "# Über ≈\n\n## 日本語\n- **What is ≈ in “Anki”?**\n  - Hint: ≠ → ok\n"


def test_a_narrow_stdout_gets_utf_8_not_a_traceback(work: Path) -> None:
    """On Windows, stdout redirected to a file or a pipe (pre-commit's) is the ANSI code page:
    the report's "≈" and the guide's text must neither crash the command nor be lost."""
    (work / "wide.md").write_text(_WIDE, "utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    args = [EXE, "wide.md", "-o", "build/wide.apkg"]
    done = subprocess.run(args, cwd=work, env=env, capture_output=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "Über ≈" in done.stdout.decode("utf-8")
    (work / "wide.md").write_text(_WIDE.replace("What is", "What does"), "utf-8")
    done = subprocess.run(args, cwd=work, env=env, capture_output=True, check=False, timeout=60)
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    assert "≈ reworded" in done.stdout.decode("utf-8")
    for fmt in ("json", "csv"):
        args = [EXE, "wide.md", "--format", fmt, "-o", "-", "-q"]
        done = subprocess.run(args, cwd=work, env=env, capture_output=True, check=False, timeout=60)
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        assert "What does ≈ in “Anki”?" in done.stdout.decode("utf-8")  # data stays data


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
def test_a_terminal_that_cannot_show_a_character_shows_a_question_mark(work: Path) -> None:
    import pty

    (work / "wide.md").write_text(_WIDE, "utf-8")
    leader, follower = pty.openpty()
    # Not ascii: click itself writes UTF-8 to a stream it takes for misconfigured.
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    try:
        done = subprocess.run(
            [EXE, "wide.md", "-o", "build/wide.apkg"],
            cwd=work,
            env=env,
            stdout=follower,
            stderr=subprocess.PIPE,
            check=False,
            timeout=60,
        )
        os.close(follower)
        shown = b""
        with contextlib.suppress(OSError):  # EIO once all is read and the writer is gone
            while chunk := os.read(leader, 4096):
                shown += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "'Über ?'" in shown.decode("cp1252")


def test_bad_stdin_exits_1(work: Path) -> None:
    code, out, err = run(work, "-", "-o", "x.apkg", stdin="")
    assert (code, out) == (1, "") and err == "Error: <stdin>: the guide is empty\n"


def test_format_json_and_csv_to_files(work: Path) -> None:
    code, out, _ = invoke(work, "--format", "json")
    assert code == 0 and out.startswith("build/guide.json: 78 notes")
    assert len(json.loads((work / "build" / "guide.json").read_text("utf-8"))["notes"]) == 78
    assert not (work / "source" / "guide.anki-ids.json").exists()  # json writes no ledger
    code, out, _ = invoke(work, "-f", "csv", "source/guide.md", "-o", "g.csv")
    assert code == 0 and out.startswith("g.csv: 78 notes")
    text = (work / "g.csv").read_text("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    assert len(rows) == 6 + 78
    assert (work / "source" / "guide.anki-ids.json").exists()  # csv goes into Anki: it does


def test_check_and_dry_run_with_csv(work: Path) -> None:
    code, out, _ = invoke(work, "notes.md", "-f", "csv", "--dry-run")
    assert code == 0 and "dry run, nothing written" in out and not (work / "build").exists()
    assert invoke(work, "notes.md", "-f", "csv")[0] == 0
    code, out, _ = invoke(work, "notes.md", "-f", "csv", "--check")
    assert (code, out) == (0, "build/notes.csv: up to date\n")
    (work / "notes.md").write_text(NOTES.replace("x", "y"), "utf-8")
    code, out, _ = invoke(work, "notes.md", "-f", "csv", "--check")
    assert code == 1 and out.startswith("build/notes.csv: out of date (1 changed")


def test_json_summary_is_all_that_stdout_holds(work: Path) -> None:
    (work / "bad.md").write_text("# Bad\n\nprose only\n", "utf-8")
    code, out, err = run(work, "notes.md", "bad.md", "--json")
    assert code == 1
    summary = json.loads(out)
    assert (summary["schema_version"], summary["mode"]) == (1, "export")
    assert (summary["exit_code"], summary["ok"]) == (1, False)
    (export,) = summary["exports"]
    assert export["guide"] == "notes.md" and export["output"] == "build/notes.apkg"
    assert export["format"] == "apkg" and export["written"] is True
    assert export["notes"] == 1
    assert export["kinds"] == {"question": 1, "open-question": 0, "concept": 0, "list": 0}
    assert export["decks"] == {"Notes": 0, "Notes::A": 1}
    assert export["ledger"] == "notes.anki-ids.json"
    assert export["changes"]["first_export"] is True
    assert [(w["file"], w["line"]) for w in export["warnings"]] == [
        ("notes.md", 6),
        ("notes.md", 8),
    ]
    assert summary["errors"] == [
        {"file": "bad.md", "line": None, "message": summary["errors"][0]["message"]}
    ]
    assert summary["errors"][0]["message"].startswith("nothing to export")
    # Warnings and errors still go to stderr, as always.
    assert "notes.md:6: warning:" in err and "Error: bad.md: nothing to export" in err

    (work / "notes.md").write_text(NOTES.replace("What?", "What now?"), "utf-8")
    code, out, _ = run(work, "notes.md", "--json", "--dry-run")
    changes = json.loads(out)["exports"][0]["changes"]
    assert code == 0 and json.loads(out)["mode"] == "dry-run"
    assert changes["first_export"] is False
    # Same hint, same place: the same note reworded; the old front as it was written.
    assert [(c["kind"], c["front"], c["old_front"]) for c in changes["details"]] == [
        ("reworded", "What now?", "What?"),
    ]
    code, out, _ = run(work, "notes.md", "--json", "--check")
    assert code == 1 and json.loads(out)["exports"][0]["up_to_date"] is False


def test_quiet_and_verbose(work: Path) -> None:
    code, out, err = invoke(work, "notes.md", "-q")
    assert (code, out) == (0, "")
    assert err.count(": warning: ") == 2  # warnings are always printed
    code, out, _ = invoke(work, "notes.md", "--verbose", "-f", "csv")
    lines = out.splitlines()
    assert lines[0].startswith("build/notes.csv: 1 note")
    assert lines[1:4] == [
        "  deck 'Notes': 0 notes",
        "  deck 'Notes::A': 1 note",
        "  ID ledger: notes.anki-ids.json",
    ]
    assert "import any .apkg from export-deck once" in lines[4]
    assert lines[5].startswith("  took ") and lines[5].endswith(" s")


def test_version_and_help(work: Path) -> None:
    for flag in ("--version", "-V"):
        code, out, _ = run(work, flag)
        assert code == 0 and out.startswith("export-deck, version 0.1.0")
    code, out, _ = invoke(work, "--help")
    for text in ("--format", "csv", "json", "--json", "--watch", "--quiet", "--verbose"):
        assert text in out
    assert "cannot create note types" in out and "Exit status" in out


def test_json_summary_even_when_there_is_nothing_to_build(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, "--json")
    assert code == 1 and err.startswith("Error: source: no such folder")
    summary = json.loads(out)
    assert (summary["ok"], summary["exports"]) == (False, [])
    assert summary["errors"][0]["message"].startswith("source: no such folder")
