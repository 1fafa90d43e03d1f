"""A progress line on a terminal for builds that take more than about a second.

Drawn on stderr by a background thread, and only when stderr is a terminal: never in pipes,
files or CI logs. Whoever writes to the terminal meanwhile does so inside `hidden()`.
Standard library only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TextIO

#: Seconds before the line appears: quick builds show nothing at all.
DELAY = 1.0
_FRAMES = "|/-\\"


class Progress:
    """`with Progress(sys.stderr) as p: p.update("source/x.md (1/3)")`."""

    def __init__(self, stream: TextIO, *, enabled: bool = True, delay: float = DELAY) -> None:
        self.stream = stream
        self.enabled = enabled and _is_terminal(stream)
        self.delay = delay
        self._label = ""
        self._start = time.monotonic()
        self._shown = 0  # the width of the line on the terminal, 0 when none is
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Progress:
        if self.enabled:
            self._start = time.monotonic()
            self._thread = threading.Thread(target=self._run, name="progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.clear()

    def update(self, label: str) -> None:
        """What is being built now, e.g. `building source/x.md (2/5)`."""
        with self._lock:
            self._label = label

    def clear(self) -> None:
        """Erase the line, so that other output starts at the left margin."""
        with self._lock:
            self._erase()

    @contextmanager
    def hidden(self) -> Iterator[None]:
        """Erase the line and keep it away while the caller writes to the terminal."""
        with self._lock:
            self._erase()
            yield

    # Spaces over the old line, not the escape that erases it ("\x1b[K"): Windows' console
    # shows that as "←[K" unless a program turns its escapes on, and Python does not.
    def _erase(self) -> None:
        if self._shown:
            self.stream.write(f"\r{' ' * self._shown}\r")
            self.stream.flush()
            self._shown = 0

    def _run(self) -> None:
        frame = 0
        while not self._stop.wait(0.1):
            elapsed = time.monotonic() - self._start
            if elapsed < self.delay:
                continue
            with self._lock:
                if not self._label:
                    continue
                line = f"{_FRAMES[frame % len(_FRAMES)]} {self._label} {elapsed:.0f} s"
                self.stream.write(f"\r{line}{' ' * (self._shown - len(line))}")
                self.stream.flush()
                self._shown = max(self._shown, len(line))
            frame += 1


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
