"""Watch guides (and the local images they use) and call back when they are saved.

A polling loop over a handful of files' modification times and sizes: no dependency, the same
on every platform and file system (network drives, containers, editors that save by renaming
a temporary file), and cheap at a few files. A burst of saves is debounced into one rebuild.
Standard library only; Ctrl-C (KeyboardInterrupt) is for the caller to handle.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

#: How often files are looked at, and how long they must stay still before a rebuild.
INTERVAL = 0.2
DEBOUNCE = 0.3

_MD_IMAGE_RE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*)?\)")
_HTML_IMAGE_RE = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.I)
_URL_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")

Snapshot = dict[Path, tuple[int, int] | None]


def guide_files(guide: Path) -> list[Path]:
    """The guide and the local image files it refers to (which need not exist yet)."""
    files = [guide]
    try:
        text = guide.read_text("utf-8", errors="replace")
    except OSError:
        return files
    for m in [*_MD_IMAGE_RE.finditer(text), *_HTML_IMAGE_RE.finditer(text)]:
        ref = m.group(1).split("#", 1)[0].split("?", 1)[0]
        if ref and not _URL_RE.match(ref) and not ref.startswith("/"):
            files.append(guide.parent / ref)
    return files


def snapshot(files: Iterable[Path]) -> Snapshot:
    """Each file's (modification time in ns, size), None if it does not exist."""
    state: Snapshot = {}
    for path in files:
        try:
            st = path.stat()
        except OSError:
            state[path] = None
        else:
            state[path] = (st.st_mtime_ns, st.st_size)
    return state


def watch_files(
    files: Callable[[], Iterable[Path]],
    rebuild: Callable[[set[Path]], None],
    *,
    interval: float = INTERVAL,
    debounce: float = DEBOUNCE,
    stop: threading.Event | None = None,
) -> None:
    """Call `rebuild(changed files)` whenever watched files change, until `stop` is set.

    :param files: the files to watch, asked again after every rebuild and poll (a guide may
        start using an image, a folder may gain a guide).
    :param rebuild: called with the files that changed once none has changed for `debounce`
        seconds; its errors are its own to report.
    """
    stop = stop or threading.Event()
    last = snapshot(files())
    changed: set[Path] = set()
    quiet_since = 0.0
    while not stop.wait(interval):
        now = snapshot(files())
        moved = {p for p in now.keys() | last.keys() if now.get(p) != last.get(p)}
        last = now
        if moved:
            changed |= moved
            quiet_since = time.monotonic()
            continue
        if changed and time.monotonic() - quiet_since >= debounce:
            # `last` is what this build reads: a save during the build shows at the next poll.
            batch, changed = changed, set()
            rebuild(batch)
