"""The operations a sync needs from a collection, whichever way it is reached.

`engine.CollectionFile` (Anki's engine on the collection file) and `ankiconnect.AnkiConnect`
(Anki desktop's add-on) implement them. Standard library only.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from anki_export.records import MediaFile
from anki_export.sync.state import CollectionState


class Transport(Protocol):
    """A connection to one collection; `close` it when done."""

    #: Where the collection is, for messages: a file path or AnkiConnect's URL.
    where: str

    def read(
        self, root: str, media: Collection[str], note_ids: Mapping[int, str]
    ) -> CollectionState:
        """Our notes (by GUID) with cards under `root`, and those of `note_ids` (id -> GUID)
        elsewhere; our note types' `mod`; which of the `media` file names the collection has."""
        ...

    def store_media(self, files: Sequence[MediaFile]) -> None: ...

    def import_package(self, package: Path) -> None:
        """Import an .apkg as Anki desktop's dialog does by default (update notes if newer)."""
        ...

    def move_cards(self, card_ids: Sequence[int], deck: str) -> None:
        """Move cards to the deck named `deck` (created if missing), keeping their scheduling."""
        ...

    def set_suspended(self, card_ids: Sequence[int], suspended: bool) -> None: ...

    def set_tag(self, note_ids: Sequence[int], tag: str, present: bool) -> None: ...

    def delete_notes(self, note_ids: Sequence[int]) -> None: ...

    def close(self) -> None: ...
