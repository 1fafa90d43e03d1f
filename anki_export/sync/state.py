"""What a collection holds of one guide's notes, read the same way from both transports.

Both read a collection's `notes` and `cards` tables (Anki's own file, or the package AnkiConnect
exports of the guide's root deck), so that the planner sees one shape. Standard library only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: The tag a note retired from the guide gets in Anki (and loses when it comes back).
REMOVED_TAG = "anki-export::removed"

Query = Callable[[str], Sequence[Sequence[Any]]]


@dataclass(frozen=True, slots=True)
class AnkiCard:
    """One card: its id, its home deck (the deck it returns to from a filtered deck) and
    whether it is suspended."""

    id: int
    deck: str
    suspended: bool


@dataclass(frozen=True, slots=True)
class AnkiNote:
    """One note of our note types as the collection holds it."""

    id: int
    guid: str
    model_id: int
    mod: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]
    cards: tuple[AnkiCard, ...]
    #: Whether any of its cards lives under the guide's root deck (else we leave it alone).
    in_root: bool = True


@dataclass(frozen=True, slots=True)
class CollectionState:
    """Our notes in a collection (by GUID), our note types' `mod` (by model id, absent: not in
    the collection) and which of the guide's media files the collection already has."""

    notes: Mapping[str, AnkiNote] = field(default_factory=dict)
    type_mods: Mapping[int, int] = field(default_factory=dict)
    media: frozenset[str] = frozenset()


def under(deck: str, root: str) -> bool:
    """Whether the deck named `deck` is `root` or one of its subdecks."""
    return deck == root or deck.startswith(root + "::")


def read_notes(
    query: Query, model_ids: Iterable[int], deck_names: Mapping[int, str], root: str
) -> dict[str, AnkiNote]:
    """Every note of the given note types with a card under `root`, keyed by GUID.

    :param query: runs SQL on the collection and returns its rows.
    :param deck_names: deck id -> full name (`A::B`).
    """
    mids = ",".join(str(int(m)) for m in model_ids)
    cards: dict[int, list[AnkiCard]] = {}
    card_rows = query(
        "select c.id, c.nid, c.did, c.odid, c.queue from cards c join notes n on n.id = c.nid "
        f"where n.mid in ({mids}) order by c.nid, c.ord"
    )
    for cid, nid, did, odid, queue in card_rows:
        home = deck_names.get(int(odid or did), "")
        cards.setdefault(int(nid), []).append(AnkiCard(int(cid), home, int(queue) == -1))
    notes = {}
    for nid, guid, mid, mod, tags, flds in query(
        f"select id, guid, mid, mod, tags, flds from notes where mid in ({mids})"
    ):
        mine = tuple(cards.get(int(nid), ()))
        notes[str(guid)] = AnkiNote(
            id=int(nid),
            guid=str(guid),
            model_id=int(mid),
            mod=int(mod),
            tags=tuple(str(tags).split()),
            fields=tuple(str(flds).split("\x1f")),
            cards=mine,
            in_root=any(under(c.deck, root) for c in mine),
        )
    return notes
