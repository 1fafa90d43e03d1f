"""Which collection a sync goes to: a file, a profile in Anki's data folder, or AnkiConnect.

Anki keeps its profiles in one folder per user (`ANKI_BASE` when set, else `~/.local/share/Anki2`
on Linux, `~/Library/Application Support/Anki2` on macOS, `%APPDATA%\\Anki2` on Windows); each
profile is a subfolder holding `collection.anki2`, and `prefs21.db` names the last one used.
Standard library only; `anki` is imported only when a collection file is opened.
"""

from __future__ import annotations

import io
import os
import sqlite3
import sys
from pathlib import Path

from anki_export.errors import SyncError
from anki_export.sync.ankiconnect import AnkiConnect
from anki_export.sync.choices import DEFAULT_URL
from anki_export.sync.transport import Transport

COLLECTION_FILE = "collection.anki2"


def anki_base() -> Path:
    """Anki's data folder on this system (`ANKI_BASE` overrides it, as it does for Anki)."""
    if os.environ.get("ANKI_BASE"):
        return Path(os.environ["ANKI_BASE"])
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", home / "AppData" / "Roaming")) / "Anki2"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "Anki2"
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "Anki2"


def profile_collection(profile: str | None, base: Path | None = None) -> Path:
    """The collection file of `profile` (None: the profile Anki loaded last, or the only one).

    :raises SyncError: no such profile, or several and none was named.
    """
    base = anki_base() if base is None else base
    profiles = sorted(p.parent.name for p in base.glob(f"*/{COLLECTION_FILE}"))
    if profile is None:
        profile = _last_profile(base)
        if profile not in profiles:
            if len(profiles) != 1:
                found = ", ".join(profiles) or "none"
                raise SyncError(
                    f"{base}: cannot tell which Anki profile to sync to (profiles: {found}); "
                    "name one with --profile NAME or the file with --collection PATH"
                )
            profile = profiles[0]
    path = base / profile / COLLECTION_FILE
    if not path.is_file():
        found = ", ".join(profiles) or "none"
        raise SyncError(f"{path}: no such Anki profile (profiles in {base}: {found})")
    return path


def _last_profile(base: Path) -> str | None:
    import pickle  # only when a profile is looked up

    class NoObjects(pickle.Unpickler):
        """Anki's preferences are a pickled dict of plain values; anything else is refused."""

        def find_class(self, module: str, name: str) -> object:
            raise pickle.UnpicklingError(f"{module}.{name} is not a plain value")

    prefs = base / "prefs21.db"
    if not prefs.is_file():
        return None
    try:
        with sqlite3.connect(f"{prefs.as_uri()}?mode=ro", uri=True) as db:
            row = db.execute("select cast(data as blob) from profiles where name = '_global'")
            data = row.fetchone()
        if data is None:
            return None
        value = NoObjects(io.BytesIO(data[0])).load()
    except (sqlite3.Error, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return None
    name = value.get("last_loaded_profile_name") if isinstance(value, dict) else None
    return name if isinstance(name, str) else None


def open_transport(
    collection: Path | None = None,
    profile: str | None = None,
    ankiconnect: str | None = None,
) -> Transport:
    """Connect to the collection named, or choose: AnkiConnect on its default port if it
    answers (Anki desktop is open), else the last profile's collection file.

    :raises SyncError: nothing to connect to, or the `anki` package is missing.
    """
    if ankiconnect is not None:
        return AnkiConnect(ankiconnect)
    if collection is None and profile is None:
        client = AnkiConnect(DEFAULT_URL)
        if client.answers():
            return client
    path = collection if collection is not None else profile_collection(profile)
    try:
        from anki_export.sync.engine import CollectionFile
    except ImportError:
        raise SyncError(
            f"{path}: syncing a collection file needs Anki's engine: pip install "
            "'anki-export-deck[sync]' (or keep Anki open with AnkiConnect and use --ankiconnect)"
        ) from None
    return CollectionFile(path)
