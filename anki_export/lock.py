"""One export of a guide at a time: an exclusive advisory lock on the guide file itself.

Two exports of one guide at once would race on the deck, the ID ledger and the memo; the
second waits for the first. Locking the guide (opened read-only) creates no file, so a failed
export leaves nothing behind, and editors, which do not take advisory locks, are not held up.
The OS drops the lock when its holder dies, so a killed export never leaves a stale lock behind.
Standard library only (fcntl on POSIX, msvcrt on Windows).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from anki_export.errors import BuildError


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the existing file `path` for the `with` block; wait for it.

    :raises BuildError: the lock file cannot be created or locked.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as e:
        raise BuildError(f"{path}: cannot lock the guide: {e.strerror or e}") from e
    try:
        try:
            _lock(fd)
        except OSError as e:
            raise BuildError(f"{path}: cannot lock the guide: {e.strerror or e}") from e
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


if sys.platform == "win32":
    import msvcrt

    # Windows' byte-range locks are mandatory: nobody, not even this process through another
    # handle, may read a locked byte (LockFile's documentation). A lock on the guide's first
    # byte would fail the export's own reading of it, and any editor's. Locks may lie past the
    # end of a file, so the lock is on one byte no guide reaches, as SQLite keeps its lock bytes
    # at 1 GiB; under 2 GiB, for C runtimes that seek with 32-bit offsets.
    _LOCK_BYTE = 1 << 30

    def _lock(fd: int) -> None:
        os.lseek(fd, _LOCK_BYTE, os.SEEK_SET)
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for 10 s, then raises
                return
            except OSError:
                continue

    def _unlock(fd: int) -> None:
        os.lseek(fd, _LOCK_BYTE, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
