"""The render cache: what the list items that were slow to render made last time.

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
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from . import markdown, records
from .markdown import ItemReading

CACHE_DIR_NAME = ".cache"
_MAGIC = b"anki-export item cache 1\n"
_DIGEST_SIZE = 32
# Items that render faster than this are cheaper to render again than to store and load.
MIN_COST_SECONDS = 0.0001
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
        min_cost: float = MIN_COST_SECONDS,
        read: Callable[[str], ItemReading] = markdown.read_item,
    ) -> None:
        """Load the cache at `path`; a missing, stale or damaged file leaves it empty.

        :param path: the cache file (see `cache_path`).
        :param options: whatever else changes what an item makes (renderer options).
        :param min_cost: store only items that took at least this many seconds to read.
        :param read: the reader the cache stands in front of.
        """
        self.path = path
        self.options = dict(options or {})
        self.min_cost = min_cost
        self._read = read
        self._key: str | None = None
        self._old = _load(path, lambda: self.key)
        self._new: dict[str, Any] = {}
        self.hits = 0
        self.misses = 0

    @property
    def key(self) -> str:
        """The digest of everything outside an item that shapes what it makes."""
        if self._key is None:
            self._key = _key(self.options)
        return self._key

    def read_item(self, source: str) -> ItemReading:
        """`markdown.read_item(source)`, from the cache when it holds this exact source."""
        encoded = self._old.get(source)
        if encoded is not None:
            try:
                reading = _decode(encoded)
            except (KeyError, TypeError, ValueError, IndexError):
                reading = None
            if isinstance(reading, ItemReading):
                self._new[source] = encoded
                self.hits += 1
                return reading
        self.misses += 1
        start = time.perf_counter()
        reading = self._read(source)
        if time.perf_counter() - start >= self.min_cost:
            self._new[source] = _encode(reading)
        return reading

    def save(self) -> None:
        """Write the entries this run used (and only them), atomically; skip if unchanged.

        :raises OSError: the file cannot be written (the previous one is left as it was).
        """
        if self._new.keys() == self._old.keys():
            return
        body = marshal.dumps((self.key, self._new))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_MAGIC + hashlib.sha256(body).digest() + body)
            os.replace(tmp_name, self.path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise


def _load(path: Path, key: Callable[[], str]) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    head = len(_MAGIC)
    body = data[head + _DIGEST_SIZE :]
    if data[:head] != _MAGIC or hashlib.sha256(body).digest() != data[head : head + _DIGEST_SIZE]:
        return {}
    try:
        stored_key, entries = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return {}
    if stored_key != key() or not isinstance(entries, dict):
        return {}
    return entries


def _key(options: Mapping[str, str]) -> str:
    """Everything outside an item that shapes what it makes."""
    parts = [f"python {sys.version_info[:2]}", f"marshal {marshal.version}"]
    package = Path(__file__).parent
    for module in sorted(package.glob("*.py")):
        parts.append(f"{module.name} {hashlib.sha256(module.read_bytes()).hexdigest()}")
    parts += [f"{name} {version}" for name, version in _library_versions()]
    parts += [f"option {name}={value}" for name, value in sorted(options.items())]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _library_versions() -> list[tuple[str, str]]:
    """Which installation of each rendering library is in use: its files change on an upgrade.

    A stat of the package's `__init__`, not `importlib.metadata`, whose import alone costs more
    than a small guide's whole build.
    """
    versions = []
    for name in RENDERING_LIBRARIES:
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


def _encode(value: Any) -> Any:
    """Records as plain marshal-able values: a dataclass becomes [class name, *fields]."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return [type(value).__name__, *(_encode(getattr(value, f.name)) for f in fields)]
    if isinstance(value, tuple):
        return tuple(_encode(v) for v in value)
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


_CLASSES: dict[str, Any] = {}


def _decode(value: Any) -> Any:
    if type(value) is list:
        if not _CLASSES:
            for module in (markdown, records):
                for name, obj in vars(module).items():
                    if isinstance(obj, type) and dataclasses.is_dataclass(obj):
                        _CLASSES[name] = obj
        return _CLASSES[value[0]](*[_decode(v) for v in value[1:]])
    if type(value) is tuple:
        return tuple(_decode(v) for v in value)
    return value
