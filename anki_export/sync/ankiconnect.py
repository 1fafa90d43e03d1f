"""Transport 2: Anki desktop, open, through the AnkiConnect add-on (protocol version 6).

Standard library only (urllib). AnkiConnect shows neither GUIDs nor `mod` times, so the notes are
read from a package AnkiConnect exports of the guide's root deck (a plain collection file, with
GUIDs, `mod` and scheduling). New and changed notes arrive by `importPackage` of our own `.apkg`,
so they keep our GUIDs and ids. Packages pass as file paths: Anki must run on this machine. Never
calls `sync` or GUI actions.
"""

from __future__ import annotations

import base64
import glob
import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from anki_export.errors import SyncError
from anki_export.notetypes import NOTE_TYPES
from anki_export.records import MediaFile
from anki_export.sync.choices import DEFAULT_URL
from anki_export.sync.state import AnkiNote, CollectionState, read_notes

VERSION = 6
_TIMEOUT = 120.0


class AnkiConnect:
    """A client for one AnkiConnect URL."""

    def __init__(self, url: str = DEFAULT_URL) -> None:
        if not url.startswith(("http://", "https://")):
            raise SyncError(f"{url}: not an AnkiConnect URL (http://host:port)")
        self.where = url

    def answers(self) -> bool:
        """Whether AnkiConnect answers at all (a quick probe: Anki desktop may be closed)."""
        try:
            return bool(self._call("version", timeout=1.0) == VERSION)
        except SyncError:
            return False

    def _call(self, action: str, timeout: float = _TIMEOUT, **params: Any) -> Any:
        # Here, not at the top: urllib.request (with http.client and email) would add a fifth
        # to export-deck's start-up, which imports this module to list the --sync options.
        import urllib.error
        import urllib.request

        body = json.dumps({"action": action, "version": VERSION, "params": params}).encode()
        request = urllib.request.Request(
            self.where, body, {"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                reply = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, OSError, ValueError) as e:
            reason = getattr(e, "reason", e)
            raise SyncError(
                f"{self.where}: AnkiConnect does not answer ({reason}); start Anki desktop with "
                "the AnkiConnect add-on, or sync the collection file with Anki closed"
            ) from None
        if not isinstance(reply, dict) or set(reply) != {"result", "error"}:
            raise SyncError(f"{self.where}: not an AnkiConnect version {VERSION} reply to {action}")
        if reply["error"] is not None:
            raise SyncError(f"{self.where}: AnkiConnect {action}: {reply['error']}")
        return reply["result"]

    def _multi(self, actions: Sequence[tuple[str, dict[str, Any]]]) -> list[Any]:
        if not actions:
            return []
        calls = [{"action": a, "version": VERSION, "params": p} for a, p in actions]
        results = []
        for (action, _), reply in zip(actions, self._call("multi", actions=calls), strict=True):
            if reply.get("error") is not None:
                raise SyncError(f"{self.where}: AnkiConnect {action}: {reply['error']}")
            results.append(reply["result"])
        return results

    def read(
        self, root: str, media: Collection[str], note_ids: Mapping[int, str]
    ) -> CollectionState:
        notes: dict[str, AnkiNote] = {}
        type_mods: dict[int, int] = {}
        with tempfile.TemporaryDirectory(prefix="anki-export-sync-") as scratch:
            package = Path(scratch) / "read.apkg"
            if self._call("exportPackage", deck=root, path=str(package), includeSched=True):
                try:
                    notes, type_mods = _read_package(package, root)
                except (OSError, zipfile.BadZipFile, sqlite3.Error, KeyError, ValueError) as e:
                    raise SyncError(
                        f"{self.where}: cannot read the deck AnkiConnect exported: {e}"
                    ) from None
        outside = [nid for nid in note_ids if note_ids[nid] not in notes]
        notes.update(self._outside(outside, note_ids))
        names = sorted(media)
        found = self._multi([("getMediaFilesNames", {"pattern": glob.escape(n)}) for n in names])
        return CollectionState(
            notes, type_mods, frozenset(n for n, hit in zip(names, found, strict=True) if hit)
        )

    def _outside(self, ids: Sequence[int], guids: Mapping[int, str]) -> dict[str, AnkiNote]:
        """Notes of ours (by id) with no card under the root deck: they are left alone."""
        if not ids:
            return {}
        # notesInfo on an id that is not there takes a fifth of a second: ask which ones are.
        present = self._call("findNotes", query="nid:" + ",".join(map(str, ids)))
        if not present:
            return {}
        models = {t.name: t.model_id for t in NOTE_TYPES.values()}
        found = {}
        for info in self._call("notesInfo", notes=present):
            if not info or info["modelName"] not in models:
                continue
            fields = sorted(info["fields"].values(), key=lambda f: f["order"])
            nid = int(info["noteId"])
            found[guids[nid]] = AnkiNote(
                nid,
                guids[nid],
                models[info["modelName"]],
                0,
                tuple(info["tags"]),
                tuple(f["value"] for f in fields),
                (),
                in_root=False,
            )
        return found

    def store_media(self, files: Sequence[MediaFile]) -> None:
        for file in files:
            data = base64.b64encode(file.data).decode("ascii")
            self._call("storeMediaFile", filename=file.name, data=data)

    def import_package(self, package: Path) -> None:
        if not self._call("importPackage", path=str(package.resolve())):
            raise SyncError(f"{self.where}: AnkiConnect importPackage: no collection is open")

    def move_cards(self, card_ids: Sequence[int], deck: str) -> None:
        self._call("changeDeck", cards=list(card_ids), deck=deck)

    def set_suspended(self, card_ids: Sequence[int], suspended: bool) -> None:
        self._call("suspend" if suspended else "unsuspend", cards=list(card_ids))

    def set_tag(self, note_ids: Sequence[int], tag: str, present: bool) -> None:
        self._call("addTags" if present else "removeTags", notes=list(note_ids), tags=tag)

    def delete_notes(self, note_ids: Sequence[int]) -> None:
        self._call("deleteNotes", notes=list(note_ids))

    def close(self) -> None:
        pass  # nothing is held between calls


def _read_package(package: Path, root: str) -> tuple[dict[str, AnkiNote], dict[int, int]]:
    """Our notes and note types from a package AnkiConnect exported (legacy layout)."""
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        member = next((n for n in ("collection.anki21", "collection.anki2") if n in names), None)
        if member is None:
            raise SyncError(f"{package}: AnkiConnect exported a package this version cannot read")
        db_file = package.with_suffix(".anki2")  # sqlite reads files, not zip members
        db_file.write_bytes(archive.read(member))
    db = sqlite3.connect(db_file)
    try:
        decks_json, models_json = db.execute("select decks, models from col").fetchone()
        decks = {int(k): str(v["name"]) for k, v in json.loads(decks_json).items()}
        models = json.loads(models_json)
        mids = [t.model_id for t in NOTE_TYPES.values()]
        type_mods = {m: int(models[str(m)]["mod"]) for m in mids if str(m) in models}
        notes = read_notes(lambda sql: db.execute(sql).fetchall(), mids, decks, root)
    finally:
        db.close()
    return notes, type_mods
