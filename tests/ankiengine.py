"""Helpers for tests that run Anki's real engine (the ``anki`` package, Rust backend). No mocks.

Typical use::

    col = open_collection(tmp_path)
    try:
        log = import_apkg(col, deck_path)
        assert log.summary == {"new": 3}
        assert render_problems(col) == []
    finally:
        col.close()

Facts these helpers rely on are recorded in ``/work/shared/docs/anki-engine.md``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

# anki.collection must be imported before anki.cards (else a circular import fails).
import anki.collection
import anki.lang
from anki.cards import Card
from anki.collection import Collection, ImportAnkiPackageRequest
from anki.dbproxy import DBProxy
from anki.decks import DeckConfigId, DeckId
from anki.import_export_pb2 import ImportResponse
from anki.scheduler.v3 import Scheduler as V3Scheduler
from anki.scheduler_pb2 import CardAnswer

__all__ = [
    "LOG_CATEGORIES",
    "CardState",
    "ImportLog",
    "LoggedNote",
    "NoteView",
    "card_states",
    "card_states_by_ord",
    "check_database",
    "deck_names",
    "import_apkg",
    "notes_by_guid",
    "open_collection",
    "render_problems",
    "study_all",
]

#: Every per-note list of Anki's import log, in the order Anki's import dialog shows them.
LOG_CATEGORIES: Final[tuple[str, ...]] = (
    "new",
    "updated",
    "duplicate",
    "conflicting",
    "first_field_match",
    "missing_notetype",
    "missing_deck",
    "empty_first_field",
)

#: Every template problem Anki renders into a card links to this page.
TEMPLATE_ERROR_MARKER: Final = "templates/errors.html"
#: Shown (with the link above) when a card's question renders empty.
BLANK_FRONT_MARKER: Final = "The front of this card is blank"

_DEFAULT_DECK_ID: Final = 1
#: Anki replaces a daily limit above 9999 with the default (20 new / 200 reviews), silently.
_MAX_DAILY_LIMIT: Final = 9999

_lang_set = False


# --------------------------------------------------------------------------------------------
# Collection


def open_collection(folder: Path) -> Collection:
    """Create a fresh, empty collection file in ``folder`` and open it.

    The file is ``collection.anki2`` (``collection-2.anki2`` … if that name is taken, so one
    folder can hold several collections). The caller must ``col.close()`` it. The first call
    also runs ``anki.lang.set_lang("en")``, which some APIs (e.g. ``col.find_dupes``) need.
    """
    global _lang_set
    if not _lang_set:
        anki.lang.set_lang("en")
        _lang_set = True
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "collection.anki2"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"collection-{n}.anki2"
    return Collection(str(path))


def _db(col: Collection) -> DBProxy:
    if col.db is None:
        raise RuntimeError("the collection is closed")
    return col.db


# --------------------------------------------------------------------------------------------
# Import


@dataclass(frozen=True)
class LoggedNote:
    """One note as listed in Anki's import log (the id is the note's id in the collection)."""

    id: int
    fields: tuple[str, ...]

    @property
    def first_field(self) -> str:
        return self.fields[0] if self.fields else ""


@dataclass(frozen=True)
class ImportLog:
    """Anki's import log for one package, one tuple of notes per category."""

    new: tuple[LoggedNote, ...] = ()
    updated: tuple[LoggedNote, ...] = ()
    duplicate: tuple[LoggedNote, ...] = ()
    conflicting: tuple[LoggedNote, ...] = ()
    first_field_match: tuple[LoggedNote, ...] = ()
    missing_notetype: tuple[LoggedNote, ...] = ()
    missing_deck: tuple[LoggedNote, ...] = ()
    empty_first_field: tuple[LoggedNote, ...] = ()
    #: How many notes the package held.
    found_notes: int = 0

    def notes(self, category: str) -> tuple[LoggedNote, ...]:
        """The notes of one category of ``LOG_CATEGORIES``."""
        if category not in LOG_CATEGORIES:
            raise ValueError(f"unknown import log category {category!r}")
        notes: tuple[LoggedNote, ...] = getattr(self, category)
        return notes

    def ids(self, category: str) -> list[int]:
        """Note ids of one category, in log order."""
        return [n.id for n in self.notes(category)]

    def first_fields(self, category: str) -> list[str]:
        """First fields of one category, in log order."""
        return [n.first_field for n in self.notes(category)]

    @property
    def counts(self) -> dict[str, int]:
        """Count of every category (zeros included), e.g. ``{"new": 3, "updated": 0, ...}``."""
        return {c: len(self.notes(c)) for c in LOG_CATEGORIES}

    @property
    def summary(self) -> dict[str, int]:
        """Only the non-zero counts, for precise asserts: ``assert log.summary == {"new": 3}``."""
        return {c: n for c, n in self.counts.items() if n}


def _logged(notes: Sequence[ImportResponse.Note]) -> tuple[LoggedNote, ...]:
    return tuple(LoggedNote(id=n.id.nid, fields=tuple(n.fields)) for n in notes)


def import_apkg(col: Collection, path: Path | str) -> ImportLog:
    """Import an .apkg with the options Anki desktop's import dialog starts from.

    Those come from the backend (``get_import_anki_package_presets``): update notes and note
    types "if newer", don't merge note types, no scheduling, no deck presets. Clears the Python
    note type cache afterwards, so templates and CSS read afterwards are the imported ones.
    """
    options = col._backend.get_import_anki_package_presets()
    request = ImportAnkiPackageRequest(package_path=str(path), options=options)
    log = col.import_anki_package(request).log
    col.models._clear_cache()
    return ImportLog(
        new=_logged(log.new),
        updated=_logged(log.updated),
        duplicate=_logged(log.duplicate),
        conflicting=_logged(log.conflicting),
        first_field_match=_logged(log.first_field_match),
        missing_notetype=_logged(log.missing_notetype),
        missing_deck=_logged(log.missing_deck),
        empty_first_field=_logged(log.empty_first_field),
        found_notes=log.found_notes,
    )


# --------------------------------------------------------------------------------------------
# Rendering and Check Database


def _html_to_text(fragment: str) -> str:
    text = re.sub(r"<style>.*?</style>", "", fragment, flags=re.DOTALL)
    text = re.sub(r"<br\s*/?>", " | ", text)
    text = re.sub(r"<[^>]+>", "", text)
    # Anki wraps names in Unicode isolation marks (U+2068/U+2069); drop them for readability.
    text = html.unescape(text).replace("\u2068", "").replace("\u2069", "")
    return " ".join(text.split())


def _has_template_problem(rendered: str) -> bool:
    return TEMPLATE_ERROR_MARKER in rendered or BLANK_FRONT_MARKER in rendered


def render_problems(col: Collection) -> list[str]:
    """Render every card's question and answer; describe each card showing a template problem.

    Anki doesn't raise for template problems: it writes a message into the card's HTML, and
    every such message links to ``templates/errors.html``. An empty list means all cards render.
    """
    problems: list[str] = []
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        rendered = {"question": card.question(), "answer": card.answer()}
        bad = {side: html_ for side, html_ in rendered.items() if _has_template_problem(html_)}
        if not bad:
            continue
        note = card.note()
        notetype = note.note_type()
        nt_name = notetype["name"] if notetype else "?"
        sides = "; ".join(f"{side}: {_html_to_text(h)}" for side, h in bad.items())
        problems.append(
            f"card {card.id} (note guid {note.guid!r}, note type {nt_name!r}, card "
            f"{card.template()['name']!r}, deck {col.decks.name(card.did)!r}, "
            f"first field {note.fields[0] if note.fields else ''!r}): {sides}"
        )
    return problems


def check_database(col: Collection) -> tuple[str, bool]:
    """Run Tools > Check Database (``col.fix_integrity()``) and return its ``(text, ok)``.

    ``ok`` is False when it had to fix something; ``text`` says what. A clean collection gives
    ``("Database rebuilt and optimized.", True)``.

    Raises AssertionError if the check changed the number of notes or cards (it deletes or
    creates them when the data is inconsistent, e.g. cards without a note).
    """
    notes_before, cards_before = col.note_count(), int(col.card_count())
    text, ok = col.fix_integrity()
    notes_after, cards_after = col.note_count(), int(col.card_count())
    if (notes_before, cards_before) != (notes_after, cards_after):
        raise AssertionError(
            f"Check Database changed the collection: notes {notes_before} -> {notes_after}, "
            f"cards {cards_before} -> {cards_after}; ok={ok}; report: {text!r}"
        )
    return text, ok


# --------------------------------------------------------------------------------------------
# Studying


def _prepare_deck_for_study(col: Collection, did: DeckId, done_configs: set[int]) -> None:
    """Raise the deck preset's daily limits and empty its learning steps (once per preset)."""
    conf = col.decks.config_dict_for_deck_id(did)
    conf_id = int(conf["id"])
    if conf_id in done_configs:
        return
    done_configs.add(conf_id)
    conf["new"]["perDay"] = _MAX_DAILY_LIMIT
    conf["new"]["delays"] = []
    conf["rev"]["perDay"] = _MAX_DAILY_LIMIT
    col.decks.update_config(conf)
    # Anki silently stores the default instead of an out-of-range value: make sure it took.
    stored = col.decks.get_config(DeckConfigId(conf_id))
    if stored is None or (
        stored["new"]["perDay"],
        stored["new"]["delays"],
        stored["rev"]["perDay"],
    ) != (_MAX_DAILY_LIMIT, [], _MAX_DAILY_LIMIT):
        raise AssertionError(f"study_all: deck preset {conf_id} was not updated: {stored!r}")


def _unstudied_new_cards(col: Collection, did: int, answered: set[int]) -> int:
    """New, unsuspended cards that sit directly in deck ``did`` and were not answered yet."""
    ids = _db(col).list("select id from cards where did = ? and queue = 0", did)
    return sum(1 for cid in ids if int(cid) not in answered)


def study_all(col: Collection) -> int:
    """Answer every due card once with "Good" through the real (v3) scheduler.

    For every normal deck: select it, raise its preset's new/review daily limits and empty its
    learning steps (so a new card graduates at once and is not due again today), then answer
    what ``col.sched.get_queued_cards()`` hands out. A daily limit can't exceed 9999, so when a
    deck still holds new cards after that, today's limit is extended (like Custom Study does).
    Suspended or buried cards are skipped, as the scheduler skips them. Returns the number of
    answers. Raises AssertionError if a card is handed out twice; the loop is bounded by the
    number of cards.
    """
    sched = col.sched
    if not isinstance(sched, V3Scheduler):
        raise TypeError(f"study_all needs the v3 scheduler, not {type(sched).__name__}")
    done_configs: set[int] = set()
    decks = [d for d in col.decks.all_names_and_ids() if not col.decks.is_filtered(DeckId(d.id))]
    for deck in decks:
        _prepare_deck_for_study(col, DeckId(deck.id), done_configs)

    answered: set[int] = set()
    budget = int(col.card_count())
    last_ms = int(_db(col).scalar("select coalesce(max(id), 0) from revlog"))
    for deck in decks:
        col.decks.select(DeckId(deck.id))
        for _ in range(budget + 2):  # each pass answers a card or ends the deck
            queued = sched.get_queued_cards(fetch_limit=1)
            if not queued.cards:
                if not _unstudied_new_cards(col, deck.id, answered):
                    break
                sched.extend_limits(_MAX_DAILY_LIMIT, _MAX_DAILY_LIMIT)
                queued = sched.get_queued_cards(fetch_limit=1)
                if not queued.cards:
                    break
            top = queued.cards[0]
            if top.card.id in answered:
                raise AssertionError(
                    f"study_all: card {top.card.id} was queued again in deck {deck.name!r} "
                    f"(queue {top.queue}); it should have graduated"
                )
            card = Card(col)
            card._load_from_backend_card(top.card)
            card.start_timer()
            answer = sched.build_answer(card=card, states=top.states, rating=CardAnswer.GOOD)
            # Answers come faster than one a millisecond. On a clash Anki bumps the revlog id by
            # 1 ms but keeps the card's last review time: if the bump crosses a second, Check
            # Database later "adds last review time" and reports a problem. Distinct times
            # avoid that.
            last_ms = max(answer.answered_at_millis, last_ms + 1)
            answer.answered_at_millis = last_ms
            sched.answer_card(answer)
            answered.add(card.id)
        else:
            raise AssertionError(f"study_all: more answers than the {budget} cards")
    return len(answered)


# --------------------------------------------------------------------------------------------
# Reading the collection


@dataclass(frozen=True)
class CardState:
    """Scheduling state of one card, to compare before and after a re-import."""

    id: int
    ord: int
    deck: str
    ivl: int
    due: int
    type: int
    queue: int
    reps: int
    revlog_rows: int


def card_states_by_ord(col: Collection) -> dict[tuple[str, int], CardState]:
    """Every card, keyed by its note's GUID and its template ordinal."""
    rows = _db(col).all(
        "select n.guid, c.id, c.ord, c.did, c.ivl, c.due, c.type, c.queue, c.reps,"
        " (select count() from revlog r where r.cid = c.id)"
        " from cards c join notes n on n.id = c.nid order by n.guid, c.ord"
    )
    states: dict[tuple[str, int], CardState] = {}
    for guid, cid, ord_, did, ivl, due, type_, queue, reps, revlog_rows in rows:
        states[(str(guid), int(ord_))] = CardState(
            id=int(cid),
            ord=int(ord_),
            deck=col.decks.name(DeckId(int(did))),
            ivl=int(ivl),
            due=int(due),
            type=int(type_),
            queue=int(queue),
            reps=int(reps),
            revlog_rows=int(revlog_rows),
        )
    return states


def card_states(col: Collection) -> dict[str, CardState]:
    """Each note's only card, keyed by the note's GUID.

    Raises ValueError if a note has more than one card (use ``card_states_by_ord`` then).
    """
    states: dict[str, CardState] = {}
    for (guid, _ord), state in card_states_by_ord(col).items():
        if guid in states:
            raise ValueError(
                f"note {guid!r} has several cards; use card_states_by_ord() for such notes"
            )
        states[guid] = state
    return states


def deck_names(col: Collection, *, include_default: bool = False) -> set[str]:
    """Names of all decks, "::" between levels.

    Every collection has the deck "Default" (id 1); like Anki's deck list, this leaves it out
    while it holds no cards, unless ``include_default`` is true.
    """
    names: set[str] = set()
    for deck in col.decks.all_names_and_ids():
        if deck.id == _DEFAULT_DECK_ID and not include_default:
            if not _db(col).scalar("select 1 from cards where did = ? limit 1", deck.id):
                continue
        names.add(deck.name)
    return names


@dataclass(frozen=True)
class NoteView:
    """A note as the learner's collection holds it."""

    guid: str
    notetype: str
    field_names: tuple[str, ...]
    fields: dict[str, str] = field(hash=False)
    tags: tuple[str, ...]
    #: Deck of each of its cards, in template order.
    decks: tuple[str, ...]


def notes_by_guid(col: Collection) -> dict[str, NoteView]:
    """Every note, keyed by GUID."""
    views: dict[str, NoteView] = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        notetype = note.note_type()
        if notetype is None:
            raise AssertionError(f"note {note.guid!r} has no note type")
        names = tuple(str(f["name"]) for f in notetype["flds"])
        cards = sorted(note.cards(), key=lambda c: c.ord)
        views[note.guid] = NoteView(
            guid=note.guid,
            notetype=str(notetype["name"]),
            field_names=names,
            fields=dict(zip(names, note.fields, strict=True)),
            tags=tuple(note.tags),
            decks=tuple(col.decks.name(c.did) for c in cards),
        )
    return views
