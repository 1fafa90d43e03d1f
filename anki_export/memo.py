"""The memo: what each chunk of a guide read to at the last export, so a rebuild reads only edits.

One store per output, holding entries keyed by a digest of everything a chunk's reading depends
on (its text and entering state), and one for genanki's part of the package (`write.apkg`,
keyed by genanki's installation and the decks); the file as a whole is keyed by everything
else (anki_export's own code, Python, the rendering libraries' installations, options). Every
entry carries a SHA-256 of its key and body, so a stale, damaged or foreign memo is ignored,
never trusted and never an error; deleting it only costs time. Standard library and platformdirs
only.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import struct
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

from anki_export.atomic import AtomicFile
from anki_export.errors import BuildError

CACHE_DIR_NAME = ".cache"
BUILD_DIR_NAME = "build"
SUFFIX = ".memo"
# The file: magic, the key's hex digest and a newline, then entries in no particular order, each
# a header (body length, entry key, SHA-256 of entry key and body) and its body.
_MAGIC = b"anki-export memo 1\n"
_HEAD = struct.Struct(">I32s32s")
# New entries up to this many bytes are held until `save`, to be appended to the old file.
_HELD = 4 << 20
# Libraries whose version can change what a chunk reads to (installed or not).
RENDERING_LIBRARIES = ("mistune", "pygments")


def memo_path(guide: Path, output: Path) -> Path:
    """Where the memo of the export of `guide` to `output` lives.

    A deck in a `build/` folder keeps it beside itself (`build/.cache/x.apkg.memo`), so that
    deleting `build/` deletes it too; a deck anywhere else keeps it in the user's cache folder
    (`$XDG_CACHE_HOME/anki-export` on Linux), named by the guide's and the output's paths, so
    that no litter is left in a folder of the user's.
    """
    if BUILD_DIR_NAME in output.resolve().parent.parts:
        return output.parent / CACHE_DIR_NAME / f"{output.name}{SUFFIX}"
    import platformdirs  # only here: most exports write to build/

    where = f"{guide.resolve()}\n{output.resolve()}".encode()
    name = f"{output.name}-{hashlib.sha256(where).hexdigest()[:16]}{SUFFIX}"
    return Path(platformdirs.user_cache_dir("anki-export", appauthor=False)) / name


def memo_key(options: Mapping[str, str], libraries: Sequence[str] = RENDERING_LIBRARIES) -> str:
    """Everything outside a chunk that shapes what it reads to: this package's code, Python,
    the `libraries`' installations and `options`."""
    parts = [f"python {sys.version_info[:2]}", f"marshal {marshal.version}"]
    package = Path(__file__).parent
    for module in sorted(package.rglob("*.py")):
        digest = hashlib.sha256(module.read_bytes()).hexdigest()
        parts.append(f"{module.relative_to(package).as_posix()} {digest}")
    parts += [f"{name} {version}" for name, version in library_versions(libraries)]
    parts += [f"option {name}={value}" for name, value in sorted(options.items())]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def library_versions(libraries: Sequence[str]) -> list[tuple[str, str]]:
    """Which installation of each library is in use: its files change on an upgrade.

    A stat of the package's `__init__`, not `importlib.metadata`, whose import alone costs more
    than a small guide's whole build.
    """
    versions = []
    for name in libraries:
        try:
            spec = importlib.util.find_spec(name)
            origin = spec.origin if spec is not None else None
            stat = os.stat(origin) if origin else None
        except (ImportError, ValueError, OSError):
            stat = None
        if stat is None:
            versions.append((name, "missing"))
        else:
            versions.append((name, f"{origin} {stat.st_size} {stat.st_mtime_ns}"))
    return versions


class Memo:
    """Entries of the last export (read on demand) and of this one.

    A rebuild after an edit or two appends its few new entries to the file; the file is written
    anew (entries streamed to a new file as they are made, then those reused copied from the
    old one) when there is none, or when entries no longer used would outweigh those in use.
    Neither way holds many entries in memory.
    """

    def __init__(self, path: Path, key: str, *, writable: bool = True) -> None:
        """Open the memo at `path`; a missing, stale or damaged file gives an empty memo.

        :param key: `memo_key` of this export; a file made under another key is ignored.
        :param writable: False: only read it (`put` keeps nothing, `save` writes nothing).
        """
        self.path = path
        self.key = key
        self.writable = writable
        self._file: BinaryIO | None = None
        self._index: dict[bytes, tuple[int, int, bytes]] = {}
        self._kept: dict[bytes, tuple[int, int, bytes]] = {}
        self._new: AtomicFile | None = None
        self._written: set[bytes] = set()
        # New entries held back while they are few, to be appended to the old file.
        self._pending: list[tuple[bytes, bytes, bytes]] = []
        self._pending_size = 0
        self._end = 0  # where the old file's last whole entry ends
        self._broken = False
        self.hits = 0
        self.misses = 0
        self._open()

    def _open(self) -> None:
        try:
            f = self.path.open("rb")
        except OSError:
            return
        head = self._head()
        if f.read(len(head)) != head:
            f.close()
            return
        self._file = f
        # Only the headers: bodies are read when asked for, so the memo costs no memory until
        # it is used, and a rebuild holds just what it reuses.
        offset = len(head)
        length = os.fstat(f.fileno()).st_size
        while len(header := f.read(_HEAD.size)) == _HEAD.size:
            size, entry, digest = _HEAD.unpack(header)
            if offset + _HEAD.size + size > length:
                break  # cut short (an append that was killed): appends go over it
            # A later entry under the same key was appended after the earlier one went bad.
            self._index[entry] = (offset + _HEAD.size, size, digest)
            offset = f.seek(size, os.SEEK_CUR)
        self._end = offset

    def _head(self) -> bytes:
        return _MAGIC + self.key.encode("ascii") + b"\n"

    def __enter__(self) -> Memo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        """How many entries the last export left."""
        return len(self._index)

    def entries(self) -> list[bytes]:
        """The keys of the entries the last export left, in the order it wrote them."""
        return list(self._index)

    def get(self, entry: bytes) -> bytes | None:
        """The body stored under `entry`, or None if there is none or it is damaged."""
        found = self._index.get(entry)
        body = self._read(found) if found is not None else None
        if found is None or body is None or hashlib.sha256(entry + body).digest() != found[2]:
            self.misses += 1
            return None
        self.hits += 1
        self._kept[entry] = found
        return body

    def put(self, entry: bytes, body: bytes) -> None:
        """Keep `body` under `entry` for the next export. Never fails: a memo that cannot be
        written is given up (it only saves time)."""
        if entry in self._written or self._broken or not self.writable:
            return
        digest = hashlib.sha256(entry + body).digest()
        if self._new is None and self._pending_size + len(body) <= _HELD:
            self._pending.append((entry, body, digest))
            self._pending_size += len(body)
            self._written.add(entry)
            return
        try:
            self._write_pending()
            self._write(entry, body, digest)
        except (BuildError, OSError):
            self._give_up()

    def save(self) -> None:
        """Make the entries this export used (and only them) the memo; skip if unchanged.

        :raises BuildError: the file cannot be written (the previous one is left as it was).
        """
        if self._broken:
            raise BuildError(f"{self.path}: cannot write the memo")
        if not self.writable:
            self.close()
            return
        if self._new is None and not self._pending and self._kept.keys() == self._index.keys():
            self.close()
            return
        if self._new is None and self._appendable():
            self._append()
            return
        try:
            self._write_pending()
            for entry, found in self._kept.items():
                body = self._read(found)
                if body is not None and entry not in self._written:
                    self._write(entry, body, found[2])
        except OSError as e:
            self._give_up()
            raise BuildError(f"{self.path}: cannot write the memo: {e.strerror or e}") from e
        if self._file is not None:
            # Windows cannot replace a file that is open.
            self._file.close()
            self._file = None
        new, self._new = self._new, None
        if new is not None:
            new.commit()

    def _appendable(self) -> bool:
        """Whether the old file (of this key) may take the new entries at its end: entries
        no longer used would not outweigh those in use."""
        if self._file is None:
            return False
        kept = sum(found[1] for found in self._kept.values())
        unused = sum(found[1] for found in self._index.values()) - kept
        return unused <= kept + self._pending_size

    def _append(self) -> None:
        """Write the new entries over the end of the old file (cut short, if it was)."""
        assert self._file is not None
        self._file.close()
        self._file = None
        entries, self._pending = self._pending, []
        try:
            # No rename and no fsync: an append cut short is cut off by the next `_open`, and
            # an entry that is damaged anyway fails its digest and is read again.
            with self.path.open("r+b") as f:
                f.truncate(self._end)
                f.seek(self._end)
                for entry, body, digest in entries:
                    f.write(_HEAD.pack(len(body), entry, digest))
                    f.write(body)
        except OSError as e:
            self._broken = True
            raise BuildError(f"{self.path}: cannot write the memo: {e.strerror or e}") from e

    def _write_pending(self) -> None:
        entries, self._pending = self._pending, []
        for entry, body, digest in entries:
            self._write(entry, body, digest)

    def close(self) -> None:
        """Let go of the old file, and of the new one unless `save` made it the memo."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._new is not None:
            self._new.discard()
            self._new = None

    def _read(self, found: tuple[int, int, bytes]) -> bytes | None:
        if self._file is None:
            return None
        offset, size, _ = found
        self._file.seek(offset)
        data = self._file.read(size)
        return data if len(data) == size else None

    def _write(self, entry: bytes, body: bytes, digest: bytes) -> None:
        if self._new is None:
            self._new = AtomicFile(self.path, "the memo")
            self._new.file.write(self._head())
        self._new.file.write(_HEAD.pack(len(body), entry, digest))
        self._new.file.write(body)
        self._written.add(entry)

    def _give_up(self) -> None:
        self._broken = True
        if self._new is not None:
            self._new.discard()
            self._new = None
