"""The export-deck command, run on real guides in temporary folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from anki_export.cli import main

from .conftest import ROOT, WriteGuide


@pytest.fixture
def project(tmp_path: Path, seed: Path) -> Path:
    """A folder laid out like the repository: source/ with the seed guide and one more."""
    (tmp_path / "source").mkdir()
    shutil.copy(seed, tmp_path / "source" / seed.name)
    (tmp_path / "source" / "small.md").write_text("# Small\n\n- **Q?**\n", "utf-8")
    return tmp_path


def run(*args: str, cwd: Path) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def test_no_arguments_builds_every_guide_in_source(project: Path) -> None:
    code, out, err = run(cwd=project)
    assert code == 0, err
    assert out.splitlines() == [
        "build/reejig-senior-data-engineer-interview.apkg: 78 notes (57 questions, "
        "10 open questions, 7 concepts, 4 lists) in 15 subdecks of "
        "'Reejig Senior Data Engineer Interview Preparation'; first export (no ID ledger yet)",
        "build/small.apkg: 1 note (1 open question) in 0 subdecks of 'Small'; "
        "first export (no ID ledger yet)",
    ]
    code, out, _ = run(cwd=project)
    assert code == 0 and out.count("; no changes\n") == 2
    assert err == ""
    assert zipfile.is_zipfile(project / "build" / "small.apkg")


def test_one_guide_with_output_and_deck_name(project: Path) -> None:
    code, out, _ = run("source/small.md", "-o", "out/x.apkg", "--deck-name", "Mine", cwd=project)
    assert code == 0
    assert out == (
        "out/x.apkg: 1 note (1 open question) in 0 subdecks of 'Mine'; "
        "first export (no ID ledger yet)\n"
    )
    assert (project / "out" / "x.apkg").exists()


def test_warnings_go_to_stderr_with_file_and_line(write_guide: WriteGuide, tmp_path: Path) -> None:
    write_guide("# R\n\n- **Q?**\n- just a note\n")
    code, out, err = run("guide.md", cwd=tmp_path)
    assert code == 0
    assert out.startswith("build/guide.apkg: 1 note (")
    assert err.startswith("guide.md:4: warning: list item makes no note")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "Error: guide.md: the guide is empty"),
        (b"# R\n\n\xff\n", "Error: guide.md:3: is not UTF-8"),
        (b"\x00\x01", "Error: guide.md:1: is a binary file"),
        (b"# R\n\nprose\n", "Error: guide.md: nothing to export"),
    ],
)
def test_bad_guides_exit_1_with_one_line_and_write_nothing(
    write_guide: WriteGuide, tmp_path: Path, content: bytes, expected: str
) -> None:
    write_guide(content)
    code, out, err = run("guide.md", cwd=tmp_path)
    assert code == 1
    assert out == ""
    assert err.startswith(expected) and len(err.splitlines()) == 1
    assert "Traceback" not in err
    assert not (tmp_path / "build").exists()


def test_missing_guide_and_missing_source_folder(tmp_path: Path) -> None:
    code, _, err = run("nope.md", cwd=tmp_path)
    assert (code, err) == (1, "Error: nope.md: no such file\n")
    code, _, err = run(cwd=tmp_path)
    assert code == 1 and err.startswith("Error: source: no such folder")


def test_a_failing_guide_does_not_stop_the_others(project: Path) -> None:
    (project / "source" / "broken.md").write_bytes(b"\xff\xff")
    code, out, err = run(cwd=project)
    assert code == 1
    assert err.startswith("Error: source/broken.md:1: is not UTF-8")
    assert len(out.splitlines()) == 2


def test_usage_errors_exit_2(project: Path) -> None:
    code, _, err = run("-o", "x.apkg", cwd=project)
    assert code == 2 and "-o x.apkg names a file, but 2 guides need a folder" in err
    code, _, _ = run("--no-such-option", cwd=project)
    assert code == 2


def test_help_documents_every_option(project: Path) -> None:
    code, out, _ = run("--help", cwd=project)
    assert code == 0
    for text in ("source/*.md", "build/<name>.apkg", "--output", "--deck-name", "Exit status"):
        assert text in out


def test_installed_command_and_python_dash_m(project: Path) -> None:
    """The console script and `python -m anki_export`, as real processes."""
    exe = shutil.which("export-deck", path=str(Path(sys.executable).parent))
    assert exe, "export-deck is not installed next to this Python"
    proc = subprocess.run([exe], cwd=project, capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stdout.count(".apkg: ") == 2, proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "anki_export", "--version"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and proc.stdout.startswith("export-deck, version ")


_BUILD_IMPORTS = """
import sys
from anki_export.cli import main
try:
    main([sys.argv[1], "-o", sys.argv[2], "--quiet"])
except SystemExit as e:
    assert not e.code, e.code
print(sorted(m for m in sys.modules if m.startswith("anki_export.sync")))
"""


def test_a_build_does_not_import_the_sync(write_guide: WriteGuide, tmp_path: Path) -> None:
    path = write_guide("# T\n\n## S\n\n- **Q?**\n    - *Answer Hint:* A.\n")
    args = [sys.executable, "-c", _BUILD_IMPORTS, str(path), str(tmp_path / "t.apkg")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    # Its options' choices only: the sync's modules cost every run's start-up otherwise.
    assert proc.stdout.strip() == "['anki_export.sync', 'anki_export.sync.choices']"
    assert (tmp_path / "t.apkg").is_file()
