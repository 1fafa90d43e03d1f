"""The sync scenario both transports are tested with, on the seed guide and Anki's engine.

First sync; study every card with the real scheduler and edit two notes inside Anki; edit the
guide (5 hints edited, 5 questions reworded, 2 moved, 3 removed, 4 added; one of the edited
hints is a note also edited in Anki); sync again; check ids, history, decks, retirements and the
kept Anki-side edits; a third sync changes nothing; the .apkg of the same guide adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anki.collection import Collection
from anki.dbproxy import DBProxy
from anki.notes import NoteId

from anki_export.pipeline import export_deck
from anki_export.sync import SyncKind, SyncResult
from anki_export.sync.state import REMOVED_TAG

from .ankiengine import (
    CardState,
    card_states,
    check_database,
    import_apkg,
    render_problems,
    study_all,
)
from .test_regenerate import ADDITIONS, MOVES, REMOVALS, REWORDS, edit_guide

T0 = 1_700_000_000
#: Notes edited inside Anki: one the guide leaves alone, one whose hint the guide edits too.
EDITED_IN_ANKI = ("Describe how to manage dependencies", "What are Python decorators")
MY_HINT = "My own words, written in Anki."
SECOND_SYNC = {
    SyncKind.ADDED: 4,
    SyncKind.UPDATED: 5 + 5 + 2 - 1,
    SyncKind.MOVED: 2,
    SyncKind.RETIRED: 3,
    SyncKind.RESTORED: 0,
    SyncKind.DELETED: 0,
    SyncKind.KEPT: 2,
}


def db(col: Collection) -> DBProxy:
    assert col.db is not None, "the collection is open"
    return col.db


def note_by_front(col: Collection, start: str) -> NoteId:
    """The id of the one note whose Front starts with `start` (as text)."""
    pattern = start.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = db(col).list("select id from notes where flds like ? escape '\\'", pattern)
    assert len(rows) == 1, (start, rows)
    return NoteId(int(rows[0]))


def as_html(markdown: str) -> str:
    return re.sub(r"`([^`]*)`", r"<code>\1</code>", markdown)


def rows(col: Collection) -> tuple[list[Any], list[Any], int]:
    """Every note and card with its modification time and sync state, and the revlog's size:
    equal before and after means nothing was touched."""
    notes = db(col).all("select id, guid, mod, usn, tags, flds from notes order by id")
    cards = db(col).all(
        "select id, did, odid, mod, usn, queue, type, ivl, due from cards order by id"
    )
    return notes, cards, int(db(col).scalar("select count() from revlog"))


@dataclass(frozen=True)
class Studied:
    """The collection after the first sync, studied and edited in Anki."""

    states: dict[str, CardState]
    note_ids: dict[str, int]


def study_and_edit(path: Path, root: str) -> Studied:
    """Study every card with the real scheduler, then edit two notes' hints inside Anki.

    Only the cards under `root` are the scenario's (the collection may hold other decks).
    """
    col = Collection(str(path))
    try:
        assert study_all(col) >= 78
        for start in EDITED_IN_ANKI:
            note = col.get_note(note_by_front(col, start))
            note["Hint"] = MY_HINT
            col.update_note(note)
        ids = {str(g): int(i) for i, g in db(col).all("select id, guid from notes")}
        states = {g: s for g, s in card_states(col).items() if s.deck.startswith(root)}
        assert len(states) == 78 and all(s.reps == 1 for s in states.values())
        return Studied(states, ids)
    finally:
        col.close()


def edit(guide: Path) -> None:
    guide.write_text(edit_guide(guide.read_text("utf-8")), "utf-8")


def check_second_sync(path: Path, studied: Studied, result: SyncResult, root: str) -> None:
    """Everything the second sync must have done, and nothing else."""
    assert result.counts == SECOND_SYNC, result.counts
    kept = [w for w in result.warnings if "edited inside Anki" in w.message]
    assert len(kept) == 2 and all(w.location.line > 0 for w in kept)
    assert str(kept[0]).startswith(f"{result.guide}:{kept[0].location.line}: warning: ")
    col = Collection(str(path))
    try:
        assert len(col.find_notes(f'"deck:{root}"')) == len(col.find_cards(f'"deck:{root}"')) == 82
        now = card_states(col)
        ids = {str(g): NoteId(i) for i, g in db(col).all("select id, guid from notes")}
        removed = {note_by_front(col, text) for text in REMOVALS}
        moved = {note_by_front(col, text): heading for text, heading in MOVES}
        for guid, before in studied.states.items():
            after = now[guid]
            nid = ids[guid]
            assert nid == studied.note_ids[guid] and after.id == before.id
            assert (after.ivl, after.due, after.type, after.reps, after.revlog_rows) == (
                before.ivl,
                before.due,
                before.type,
                before.reps,
                before.revlog_rows,
            ), "scheduling and history are kept"
            if nid in removed:
                assert after.queue == -1 and REMOVED_TAG in col.get_note(nid).tags
            else:
                assert after.queue == before.queue
            if nid in moved:
                assert after.deck.endswith("::" + moved[nid].lstrip("# ")), after.deck
            else:
                assert after.deck == before.deck
        for start in EDITED_IN_ANKI:
            assert col.get_note(note_by_front(col, start))["Hint"] == MY_HINT
        for _old, new in REWORDS:
            # The old note, reworded in place.
            assert note_by_front(col, as_html(new)) in studied.note_ids.values()
        for heading, question in ADDITIONS:
            card = col.get_card(col.get_note(note_by_front(col, question)).card_ids()[0])
            assert col.decks.name(card.did).endswith(heading.lstrip("# ")), heading
            assert col.decks.name(card.did).startswith(root)
        assert render_problems(col) == []
        check_database(col)
    finally:
        col.close()


def snapshot(path: Path) -> tuple[list[Any], list[Any], int]:
    col = Collection(str(path))
    try:
        return rows(col)
    finally:
        col.close()


def check_no_op(path: Path, before: tuple[list[Any], list[Any], int], result: SyncResult) -> None:
    assert result.up_to_date
    assert {c.kind for c in result.changes} == {SyncKind.KEPT}
    assert snapshot(path) == before, "a sync with nothing to do changes nothing"


def check_apkg_adds_nothing(path: Path, guide: Path, out: Path, root: str) -> Sequence[int]:
    """Import the .apkg of the same guide: no note is added or updated."""
    export_deck(guide, out, timestamp=T0 + 7300)
    col = Collection(str(path))
    try:
        log = import_apkg(col, out)
        assert log.new == () and log.updated == (), log.summary
        assert len(col.find_notes(f'"deck:{root}"')) == 82
        return log.ids("duplicate")
    finally:
        col.close()
