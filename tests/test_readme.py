"""The README's commands are the ones CI and users run: every Usage and API example runs."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .ankiengine import open_collection
from .conftest import ROOT, WITH_CTRL_C

README = (ROOT / "README.md").read_text("utf-8")


def shell_blocks(markdown: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", markdown, re.S)


def test_quick_start_has_the_two_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert [b.strip() for b in shell_blocks(quick)] == [
        "pip install -e . && export-deck",
        "pip install -e '.[test]' && pytest",
    ]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    test_command = "pip install -e '.[test]' && pytest"
    assert test_command in README
    assert [ln for ln in ci.splitlines() if "pytest" in ln and not ln.startswith("#")] == [
        test_command
    ]


def section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


@pytest.fixture
def readme_folder(tmp_path: Path, seed: Path) -> Path:
    """What the Usage examples expect: source/guide.md and notes.md."""
    (tmp_path / "source").mkdir()
    shutil.copy(seed, tmp_path / "source" / "guide.md")
    (tmp_path / "notes.md").write_text("# Notes\n\n- **What is a note?**\n", "utf-8")
    return tmp_path


def test_every_usage_example_runs(readme_folder: Path) -> None:
    commands = [
        line
        for block in shell_blocks(section("Usage"))
        for line in block.splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(commands) >= 10
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    # The --sync examples go to a fresh profile "User 1" in this Anki data folder.
    open_collection(readme_folder / "Anki2" / "User 1").close()
    env["ANKI_BASE"] = str(readme_folder / "Anki2")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for command in commands:
        if "| jq " in command and not shutil.which("jq"):
            continue
        if "--sync" in command and "--profile" not in command:
            continue  # through AnkiConnect: tests/test_sync_ankiconnect.py, with Anki desktop
        if "--watch" in command:
            _run_watch(command, readme_folder, env)
            continue
        proc = subprocess.run(
            ["bash", "-c", f"set -o pipefail; {command}"],
            cwd=readme_folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, f"{command}\n{proc.stdout}\n{proc.stderr}"
        assert "Traceback" not in proc.stderr, command
    assert (readme_folder / "build" / "guide.apkg").exists()
    assert (readme_folder / "decks" / "notes.apkg").exists()
    assert (readme_folder / "build" / "guide.csv").exists()
    assert (readme_folder / "piped.apkg").exists()
    assert json.loads((readme_folder / "summary.json").read_text("utf-8"))["ok"] is True


def _run_watch(command: str, cwd: Path, env: dict[str, str]) -> None:
    proc = subprocess.Popen(
        [*WITH_CTRL_C, "bash", "-c", f"exec {command}"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    seen: list[str] = []
    reader = threading.Thread(target=lambda: seen.extend(proc.stderr or ()), daemon=True)
    reader.start()
    deadline = time.monotonic() + 60
    while not any("watching" in line for line in seen):
        assert time.monotonic() < deadline and proc.poll() is None, seen
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(30) == 0
    reader.join(30)
    proc.stderr.close()
    assert seen[-1] == "stopped watching\n"


def test_library_api_example_runs(
    readme_folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", section("Library API"), re.S)
    monkeypatch.chdir(readme_folder)
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("build/guide.apkg: 78 notes (57 questions")
    assert out[1].startswith("57 {'Reejig Senior Data Engineer Interview Preparation': 0,")
    assert out[-1] == "missing.md: no such file"
    assert (readme_folder / "build" / "sql.apkg").exists()
    assert (readme_folder / "build" / "guide.csv").exists()
