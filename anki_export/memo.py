"""The render cache: what each list item of a guide made last time, so a rebuild reads only edits.

Entries are keyed by an item's exact Markdown; the file as a whole by everything else that shapes
what an item makes (anki_export's own code, its libraries' versions, options). A SHA-256 digest
guards the contents, so a stale, damaged or foreign cache is ignored and rebuilt, never trusted;
deleting it only costs time. Imports no third-party library and neither mistune nor genanki.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import marshal
import os
import struct
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from anki_export import records
from anki_export.atomic import atomic_output
from anki_export.read import items as markdown
from anki_export.read.items import ItemReading

CACHE_DIR_NAME = ".cache"
# The file: magic, the key's hex digest and a newline, then chunks of entries, each a 4-byte
# length, the SHA-256 of its body and a marshal body: a list of (SHA-256 of the item's source,
# marshal bytes of the encoded reading). Each reading stays bytes until it is used: a few
# hundred bytes instead of a tree of Python objects, which at 100k items is a hundred MB.
_MAGIC = b"anki-export item cache 4\n"
_CHUNK_HEAD = struct.Struct(">I")
_DIGEST_SIZE = 32
_CHUNK = 2048
# Libraries whose version can change what an item renders to (installed or not).
RENDERING_LIBRARIES = ("mistune", "pygments")


def cache_path(output: Path) -> Path:
    """`build/x.apkg` -> `build/.cache/x.apkg.items`."""
    return output.parent / CACHE_DIR_NAME / f"{output.name}.items"


class ItemCache:
    """`read_item` with a memory: reads an item only when no valid entry holds it."""

    def __init__(
        self,
        path: Path,
        options: Mapping[str, str] | None = None,
        *,
        read: Callable[[str], ItemReading] = markdown.read_item,
    ) -> None:
        """Load the cache at `path`; a missing, stale or damaged file leaves it empty.

        :param path: the cache file (see `cache_path`).
        :param options: whatever else changes what an item makes (renderer options).
        :param read: the reader the cache stands in front of.
        """
        self.path = path
        self.options = dict(options or {})
        self._read = read
        self._key: str | None = None
        self._old = _load(path, lambda: self.key)  # entries not used yet, still encoded
        self._new: dict[str, ItemReading] = {}  # entries this run used
        self.hits = 0
        self.misses = 0

    @property
    def key(self) -> str:
        """The digest of everything outside an item that shapes what it makes."""
        if self._key is None:
            self._key = _key(self.options)
        return self._key

    def read_item(
        self, source: str, read: Callable[[str], ItemReading] | None = None
    ) -> ItemReading:
        """`markdown.read_item(source)`, from the cache when it holds this exact source.

        :param read: the reader to use on a miss instead of the one the cache was made with.
        """
        reading = self._new.get(source)
        if reading is not None:
            return reading
        encoded = self._old.pop(_digest(source), None)
        if encoded is not None:
            try:
                reading = _decode(marshal.loads(encoded))
            except (KeyError, TypeError, ValueError, IndexError, EOFError):
                reading = None
        if isinstance(reading, ItemReading):
            self.hits += 1
        else:
            self.misses += 1
            reading = (read or self._read)(source)
        self._new[source] = reading
        return reading

    def save(self) -> None:
        """Write the entries this run used (and only them), atomically; skip if unchanged.

        :raises BuildError: the file cannot be written (the previous one is left as it was).
        """
        if not self.misses and not self._old:
            return
        with atomic_output(self.path, "the render cache") as f:
            f.write(_MAGIC + self.key.encode("ascii") + b"\n")
            entries = list(self._new.items())
            # In chunks, so that a large cache is never held in memory as one more copy.
            for start in range(0, len(entries), _CHUNK):
                chunk = [
                    (_digest(s), marshal.dumps(_encode(r, {})))
                    for s, r in entries[start : start + _CHUNK]
                ]
                body = marshal.dumps(chunk)
                f.write(_CHUNK_HEAD.pack(len(body)) + hashlib.sha256(body).digest())
                f.write(body)


def _digest(source: str) -> bytes:
    # Keys by digest: the sources themselves would double the memory of a large guide's cache.
    return hashlib.sha256(source.encode("utf-8")).digest()


def _load(path: Path, key: Callable[[], str]) -> dict[bytes, bytes]:
    """Every entry of the file, or none if anything in it is stale or damaged."""
    entries: dict[bytes, bytes] = {}
    try:
        with path.open("rb") as f:
            if f.read(len(_MAGIC)) != _MAGIC or f.readline(80) != key().encode("ascii") + b"\n":
                return {}
            while head := f.read(_CHUNK_HEAD.size + _DIGEST_SIZE):
                if len(head) != _CHUNK_HEAD.size + _DIGEST_SIZE:
                    return {}
                (size,) = _CHUNK_HEAD.unpack_from(head)
                body = f.read(size)
                if hashlib.sha256(body).digest() != head[_CHUNK_HEAD.size :]:
                    return {}
                entries.update(marshal.loads(body))
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return entries


def _key(options: Mapping[str, str]) -> str:
    return cache_key(options)


def cache_key(options: Mapping[str, str], libraries: Sequence[str] = RENDERING_LIBRARIES) -> str:
    """Everything outside an item that shapes what it makes: this package's code, Python, the
    `libraries`' installations and `options`."""
    parts = [f"python {sys.version_info[:2]}", f"marshal {marshal.version}"]
    package = Path(__file__).parent
    for module in sorted(package.rglob("*.py")):
        parts.append(
            f"{module.relative_to(package)} {hashlib.sha256(module.read_bytes()).hexdigest()}"
        )
    parts += [f"{name} {version}" for name, version in _library_versions(libraries)]
    parts += [f"option {name}={value}" for name, value in sorted(options.items())]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _library_versions(libraries: Sequence[str]) -> list[tuple[str, str]]:
    """Which installation of each rendering library is in use: its files change on an upgrade.

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


def _encode(value: Any, same: dict[str, str]) -> Any:
    """Records as plain marshal-able values: a dataclass becomes [class name, *fields].

    Equal strings become one object (`same`), which marshal stores once and loads as one: a
    fragment's HTML is its text whenever the text needs no escaping.
    """
    kind = type(value)
    if kind is str:
        return same.setdefault(value, value)
    if value is None:
        return value
    fields = _FIELDS.get(kind)
    if fields is None:
        if kind is tuple:
            return tuple(_encode(v, same) for v in value)
        if kind in (int, float, bool):
            return value
        if not (dataclasses.is_dataclass(value) and isinstance(kind, type)):
            raise TypeError(f"cannot cache a {kind.__name__}")
        fields = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
    return [kind.__name__, *[_encode(getattr(value, name), same) for name in fields]]


_FIELDS: dict[type, tuple[str, ...]] = {}
_CLASSES: dict[str, Any] = {}


def _decode(value: Any) -> Any:
    kind = type(value)
    if kind is list:
        if not _CLASSES:
            for module in (markdown, records):
                for name, obj in vars(module).items():
                    if isinstance(obj, type) and dataclasses.is_dataclass(obj):
                        _CLASSES[name] = obj
        return _CLASSES[value[0]](*map(_decode, value[1:]))
    if kind is tuple:
        return tuple(map(_decode, value))
    return value
