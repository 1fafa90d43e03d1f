"""Write a file so that readers see the old file or the new one, never a half-written one.

Every output of anki-export (decks, ID ledgers, CSV/JSON, preview pages) goes through here:
a temporary file beside the target, flushed to disk, then renamed over it. Standard library only.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from anki_export.errors import BuildError


@contextmanager
def atomic_output(path: Path, what: str = "the file") -> Iterator[BinaryIO]:
    """A binary file to write `path`'s new content to; it replaces `path` when the block ends.

    If the block raises, the temporary file is removed and `path` is left as it was.

    :param path: the file to write; its folder is created if missing.
    :param what: what the file is, for the error message (`"the deck"`).
    :raises BuildError: the file cannot be written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise BuildError(f"{path}: cannot write {what}: {e.strerror or e}") from e
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private; outputs are ordinary files.
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise BuildError(f"{path}: cannot write {what}: {e.strerror or e}") from e
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes, what: str = "the file") -> None:
    """Replace `path` with `data` atomically (see `atomic_output`)."""
    with atomic_output(path, what) as out:
        out.write(data)
