"""Shared fixtures: the seed guide, a guide-writing helper and the golden-file switch."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Put before a command that a test stops with SIGINT (Ctrl-C): it runs the command with SIGINT's
#: default action. A test run started in the background by a non-interactive shell ignores
#: SIGINT, every process it starts inherits that, and Python then never raises
#: KeyboardInterrupt; the command (exec'd, so the same process) would never stop.
WITH_CTRL_C = [
    sys.executable,
    "-c",
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execvp(sys.argv[1], sys.argv[1:])",
]
SEED = ROOT / "source" / "reejig-senior-data-engineer-interview.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

WriteGuide = Callable[..., Path]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*.json from the current output (review the diff!)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def seed() -> Path:
    return SEED


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """The seed guide copied to tmp_path/source/, so that exports never touch the repository."""
    path = tmp_path / "source" / SEED.name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(SEED.read_bytes())
    return path


@pytest.fixture
def write_guide(tmp_path: Path) -> WriteGuide:
    """Write Markdown text (or bytes) to a guide file in tmp_path and return its path."""

    def write(content: str | bytes, name: str = "guide.md") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write
