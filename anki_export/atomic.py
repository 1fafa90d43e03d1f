"""Write a file so that readers see the old file or the new one, never a half-written one.

Every output of anki-export (decks, ID ledgers, CSV/JSON, preview pages, the memo) goes through
here: a temporary file beside the target, flushed to disk, then renamed over it. Standard library
only.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from anki_export.errors import BuildError


class AtomicFile:
    """A temporary file beside `path` that either replaces it (`commit`) or vanishes (`discard`).

    For writers that fill a file over a while (the memo, as chunks are read); others use
    `atomic_output`.
    """

    def __init__(self, path: Path, what: str = "the file") -> None:
        """Create the temporary file (and `path`'s folder, if missing).

        :raises BuildError: it cannot be created.
        """
        self.path = path
        self.what = what
        # Folders made for it, removed again if it is discarded: a failed export leaves nothing.
        self._made = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as e:
            raise self._error(e) from e
        self.tmp = Path(name)
        self.file: BinaryIO = os.fdopen(fd, "wb")

    def commit(self) -> None:
        """Flush the file to disk and rename it over `path`.

        :raises BuildError: it cannot be written (it is then removed, `path` left as it was).
        """
        try:
            with self.file:
                self.file.flush()
                os.fsync(self.file.fileno())
            # mkstemp makes the file private; outputs are ordinary files.
            os.chmod(self.tmp, 0o644)
            os.replace(self.tmp, self.path)
        except OSError as e:
            self.discard()
            raise self._error(e) from e

    def discard(self) -> None:
        """Remove the temporary file (and the folders made for it); `path` is left as it was."""
        self.file.close()
        self.tmp.unlink(missing_ok=True)
        for folder in self._made:
            try:
                folder.rmdir()
            except OSError:
                break  # not empty: something else lives there now

    def _error(self, e: OSError) -> BuildError:
        return BuildError(f"{self.path}: cannot write {self.what}: {e.strerror or e}")


@contextmanager
def atomic_output(path: Path, what: str = "the file") -> Iterator[BinaryIO]:
    """A binary file to write `path`'s new content to; it replaces `path` when the block ends.

    If the block raises, the temporary file is removed and `path` is left as it was.

    :param path: the file to write; its folder is created if missing.
    :param what: what the file is, for the error message (`"the deck"`).
    :raises BuildError: the file cannot be written.
    """
    out = AtomicFile(path, what)
    with _discarded_on_error(out):
        yield out.file
    out.commit()


@contextmanager
def _discarded_on_error(out: AtomicFile) -> Iterator[None]:
    """Remove `out`'s temporary file if the block raises; an OSError becomes a BuildError."""
    try:
        yield
    except OSError as e:
        out.discard()
        raise out._error(e) from e
    except BaseException:
        out.discard()
        raise


def write_if_changed(path: Path, chunks: Iterable[bytes], what: str = "the file") -> bool:
    """Replace `path` atomically with the `chunks` joined, unless it already holds exactly that.

    The chunks are written out as they come (a large file is never held whole) and compared by
    digest with the file's content; a file found unchanged is left alone, mtime and all.

    :returns: whether `path` was written.
    :raises BuildError: the file cannot be written.
    """
    old = _digest(path)
    new = hashlib.sha256()
    out = AtomicFile(path, what)
    with _discarded_on_error(out):
        for chunk in chunks:
            new.update(chunk)
            out.file.write(chunk)
    if new.digest() == old:
        out.discard()
        return False
    out.commit()
    return True


def _digest(path: Path) -> bytes | None:
    """The SHA-256 of a file's content; None if it cannot be read (a missing file)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.digest()


def write_atomically(path: Path, data: bytes, what: str = "the file") -> None:
    """Replace `path` with `data` atomically (see `atomic_output`)."""
    with atomic_output(path, what) as out:
        out.write(data)
