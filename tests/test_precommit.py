"""The pre-commit hooks (.pre-commit-hooks.yaml), run by `pre-commit try-repo` on a scratch
repository: pre-commit installs this project into a virtualenv of its own, as a team's would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from anki_export.cli import main

from .conftest import ROOT

GUIDE = "# G\n\n## S\n\n- **What is a join?**\n    - *Answer Hint:* Rows of two tables, matched.\n"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _try_repo(repo: Path, hook: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo` of this project's hook (each run installs it afresh: about 15 s)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_manifest_is_valid() -> None:
    manifest = ROOT / ".pre-commit-hooks.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(manifest)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_the_check_hook_fails_until_the_guide_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One `try-repo` (each installs the project afresh, about 15 s): the hook passes once the
    guide is built; before, its command (`export-deck --check`, as the manifest says) fails."""
    repo = tmp_path / "guides"
    (repo / "source").mkdir(parents=True)
    (repo / ".gitignore").write_text("build/\n", "utf-8")
    (repo / "source" / "guide.md").write_text(GUIDE, "utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "a guide")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    manifest = (ROOT / ".pre-commit-hooks.yaml").read_text("utf-8")
    assert "entry: export-deck --check" in manifest

    stale = CliRunner().invoke(main, ["--check"])
    assert stale.exit_code == 1 and "out of date" in stale.output

    assert CliRunner().invoke(main, ["--quiet"]).exit_code == 0  # what the other hook runs
    _git(repo, "add", "source/guide.anki-ids.json")
    _git(repo, "commit", "-qm", "its ID ledger")
    fresh = _try_repo(repo, "export-deck-check")
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert "Passed" in fresh.stdout
