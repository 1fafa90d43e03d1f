"""The README's two commands are the ones CI and users run."""

from __future__ import annotations

import re

from .conftest import ROOT

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
