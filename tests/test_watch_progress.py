"""--watch, driven for real (a process, a saved guide, Ctrl-C), and the progress line, which
shows on a terminal for long builds and never in a pipe."""

from __future__ import annotations

import io
import os
import pty
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

from anki_export.cli.progress import Progress
from anki_export.cli.watch import guide_files, watch_files

from .conftest import WITH_CTRL_C

EXE = shutil.which("export-deck", path=str(Path(sys.executable).parent)) or "export-deck"
TIMEOUT = 30.0


class Lines:
    """Collect a pipe's lines in a thread, so that the test can wait for one without blocking."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        self._stream = stream
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        for line in self._stream:
            self._queue.put(line)

    def wait_for(self, text: str, timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            self.lines.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} within {timeout} s; got {self.lines!r}")

    def drain(self) -> list[str]:
        """Every line, once the process has ended (and closed the pipe)."""
        self._thread.join(TIMEOUT)
        self._stream.close()
        while not self._queue.empty():
            self.lines.append(self._queue.get())
        return self.lines


def test_watch_rebuilds_on_save_reports_errors_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    guide = tmp_path / "guide.md"
    guide.write_text("# W\n\n- **One?**\n", "utf-8")
    proc = subprocess.Popen(
        [*WITH_CTRL_C, EXE, "guide.md", "--watch"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    out, err = Lines(proc.stdout), Lines(proc.stderr)
    try:
        out.wait_for("build/guide.apkg: 1 note")
        err.wait_for("watching 1 guide for changes")

        # A burst of saves makes one rebuild.
        for n in range(2, 5):
            guide.write_text("# W\n\n" + "".join(f"- **Q{i}?**\n" for i in range(n)), "utf-8")
            time.sleep(0.01)
        assert "4 notes" in out.wait_for("build/guide.apkg: ")
        assert (tmp_path / "build" / "guide.apkg").exists()

        # An error is printed, and the watch goes on.
        guide.write_text("", "utf-8")
        err.wait_for("Error: guide.md: the guide is empty")
        assert proc.poll() is None
        guide.write_text("# W\n\n- **Back?**\n- **Again?**\n", "utf-8")
        assert "2 notes" in out.wait_for("build/guide.apkg: ")
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(TIMEOUT)
    lines = err.drain()
    assert code == 0
    assert lines[-1] == "stopped watching\n"
    assert not any("Traceback" in line or "KeyboardInterrupt" in line for line in lines)
    assert [line for line in out.drain() if line.startswith("build/")] == [
        "build/guide.apkg: 1 note (1 open question) in 0 subdecks of 'W'; "
        "first export (no ID ledger yet)\n",
        "build/guide.apkg: 4 notes (4 open questions) in 0 subdecks of 'W'; "
        "4 added, 1 removed, 0 unchanged\n",
        "build/guide.apkg: 2 notes (2 open questions) in 0 subdecks of 'W'; "
        "2 added, 4 removed, 0 unchanged\n",
    ]


def test_guide_files_are_the_guide_and_its_local_images(tmp_path: Path) -> None:
    guide = tmp_path / "g.md"
    guide.write_text(
        '- **Q?** ![a](img/a.png) ![b](<b c.svg> "t") ![w](https://x.org/w.png)\n'
        '  <img src="d.gif" alt=""> ![e](/abs.png) ![f](data:image/png;base64,xx)\n',
        "utf-8",
    )
    assert guide_files(guide) == [guide, tmp_path / "img/a.png", tmp_path / "d.gif"]


def test_watch_files_debounces_a_burst_into_one_call(tmp_path: Path) -> None:
    watched = tmp_path / "a.md"
    watched.write_text("0", "utf-8")
    calls: list[set[Path]] = []
    stop = threading.Event()

    def rebuild(changed: set[Path]) -> None:
        calls.append(changed)

    thread = threading.Thread(
        target=watch_files,
        args=(lambda: [watched], rebuild),
        kwargs={"interval": 0.02, "debounce": 0.6, "stop": stop},
    )
    thread.start()
    try:
        time.sleep(0.1)
        for n in range(5):
            watched.write_text("x" * (n + 2), "utf-8")
            time.sleep(0.03)
        _wait(lambda: bool(calls))
        time.sleep(0.8)
    finally:
        stop.set()
        thread.join(TIMEOUT)
    assert calls == [{watched}]


def _wait(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_on_a_terminal_and_clears_itself() -> None:
    stream = _Terminal()
    with Progress(stream, delay=0) as progress:
        progress.update("building a-long-name.md (1/2)")
        time.sleep(0.35)
        progress.update("g.md (2/2)")
        time.sleep(0.35)
    text = stream.getvalue()
    lines = [line for line in text.split("\r") if line.strip()]
    assert "building a-long-name.md (1/2)" in lines[0] and "g.md (2/2)" in lines[-1]
    # Every line covers what is left of a longer one before it; the end blanks the widest.
    widest = max(len(line.rstrip()) for line in lines)
    assert all(len(line) == widest for line in lines[1:])
    assert text.endswith("\r" + " " * widest + "\r")
    assert "\x1b" not in text  # Windows' console shows escapes as they are


def test_progress_is_silent_off_a_terminal_quiet_or_quick() -> None:
    for stream, enabled, delay in [
        (io.StringIO(), True, 0.0),
        (_Terminal(), False, 0.0),
        (_Terminal(), True, 5.0),
    ]:
        with Progress(stream, enabled=enabled, delay=delay) as progress:
            progress.update("building")
            time.sleep(0.25)
        assert stream.getvalue() == ""


@pytest.fixture(scope="module")
def big_guide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A guide that takes well over a second to build (8,000 notes, with emphasis inside, which
    the plain-text fast path leaves to mistune)."""
    lines = ["# Big", ""]
    for s in range(80):
        lines.append(f"## Section {s}")
        for q in range(100):
            lines.append(f"- **What is *item* {s}-{q} about, exactly?**")
            lines.append(f"    - *Answer Hint:* thing {q} of _section_ {s}, with `code`.")
    path = tmp_path_factory.mktemp("big") / "big.md"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_a_long_build_shows_progress_on_a_terminal_only(big_guide: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    args = [EXE, big_guide.name, "--dry-run"]
    start = time.monotonic()
    piped = subprocess.run(
        args, cwd=big_guide.parent, capture_output=True, text=True, check=False, env=env
    )
    assert time.monotonic() - start > 1.2, "the guide must take more than the delay to build"
    assert piped.returncode == 0 and piped.stderr == ""

    main_fd, term_fd = pty.openpty()
    try:
        proc = subprocess.Popen(
            args, cwd=big_guide.parent, stdout=subprocess.DEVNULL, stderr=term_fd, env=env
        )
        os.close(term_fd)
        chunks = []
        while True:
            try:
                chunk = os.read(main_fd, 4096)
            except OSError:  # EIO: the process closed its end of the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.wait(TIMEOUT) == 0
    finally:
        os.close(main_fd)
    shown = b"".join(chunks).decode()
    assert "building big.md" in shown and re.search(r"\r +\r$", shown)
