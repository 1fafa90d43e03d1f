"""Transport 1: the collection file, through Anki's own engine (the `anki` package).

The only module that imports `anki`; it is imported only when a sync uses a collection file, so
that the base install and `export-deck`'s start-up do without it (`pip install
'anki-export-deck[sync]'`). Anki refuses to open a collection another process has open (Anki
desktop): that is reported at once, before anything is read or changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection as Names
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from anki.collection import Collection, ImportAnkiPackageRequest
from anki.decks import DeckId
from anki.errors import AnkiException, DBError
from anki.models import NotetypeId

from anki_export.errors import SyncError
from anki_export.notetypes import NOTE_TYPES
from anki_export.records import MediaFile
from anki_export.sync.state import CollectionState, read_notes


class CollectionFile:
    """An open collection file; `close` saves and closes it."""

    def __init__(self, path: Path) -> None:
        self.where = str(path)
        if not path.is_file():
            raise SyncError(f"{path}: no such Anki collection")
        try:
            self._col = Collection(str(path))
        except DBError as e:
            if "already open" in str(e):
                raise SyncError(
                    f"{path}: Anki has this collection open; close Anki, or sync through "
                    "AnkiConnect (--ankiconnect)"
                ) from None
            raise SyncError(f"{path}: cannot open the collection: {e}") from None
        except AnkiException as e:
            raise SyncError(f"{path}: cannot open the collection: {e}") from None

    @contextlib.contextmanager
    def _failing(self) -> Iterator[None]:
        """Anki's own errors (a damaged collection, a full disk) as a `SyncError`."""
        try:
            yield
        except AnkiException as e:
            raise SyncError(f"{self.where}: Anki's engine failed: {e}") from None

    def _query(self, sql: str) -> list[Any]:
        db = self._col.db
        assert db is not None, "the collection is open"
        return db.all(sql)

    def read(self, root: str, media: Names[str], note_ids: Mapping[int, str]) -> CollectionState:
        with self._failing():
            # Every note of our note types is read by GUID, so `note_ids` adds nothing here.
            names = {d.id: d.name for d in self._col.decks.all_names_and_ids()}
            model_ids = [t.model_id for t in NOTE_TYPES.values()]
            type_mods = {}
            for mid in model_ids:
                model = self._col.models.get(NotetypeId(mid))
                if model is not None:
                    type_mods[mid] = int(model["mod"])
            return CollectionState(
                notes=read_notes(self._query, model_ids, names, root),
                type_mods=type_mods,
                media=frozenset(name for name in media if self._col.media.have(name)),
            )

    def store_media(self, files: Sequence[MediaFile]) -> None:
        with self._failing():
            for file in files:
                self._col.media.write_data(file.name, file.data)

    def import_package(self, package: Path) -> None:
        with self._failing():
            options = self._col._backend.get_import_anki_package_presets()
            self._col.import_anki_package(
                ImportAnkiPackageRequest(package_path=str(package), options=options)
            )
            self._col.models._clear_cache()  # the importer does not clear Python's note type cache

    def move_cards(self, card_ids: Sequence[int], deck: str) -> None:
        with self._failing():
            deck_id = self._col.decks.id(deck)
            assert deck_id is not None, "created if missing"
            self._col.set_deck(_ids(card_ids), DeckId(deck_id))

    def set_suspended(self, card_ids: Sequence[int], suspended: bool) -> None:
        with self._failing():
            if suspended:
                self._col.sched.suspend_cards(_ids(card_ids))
            else:
                self._col.sched.unsuspend_cards(_ids(card_ids))

    def set_tag(self, note_ids: Sequence[int], tag: str, present: bool) -> None:
        with self._failing():
            if present:
                self._col.tags.bulk_add(_ids(note_ids), tag)
            else:
                self._col.tags.bulk_remove(_ids(note_ids), tag)

    def delete_notes(self, note_ids: Sequence[int]) -> None:
        with self._failing():
            self._col.remove_notes(_ids(note_ids))

    def close(self) -> None:
        self._col.close()


def _ids(ids: Sequence[int]) -> Any:
    # Anki's id types are NewType(int): plain ints are what they hold.
    return list(ids)
