"""Give every note of a new export its GUID: the ledger's when it is the same note, else a new one.

Same normalised front and note type -> the same GUID, wherever the note moved. Otherwise a note
is compared, as a person would, with the notes that disappeared: by its back (an unchanged or
lightly edited hint, definition or items is the strongest sign of a rewording; a replaced back
vetoes the pair however alike the fronts), by its place (`align`: inside the same changed
stretch of its section) and by its words (`words`: stemmed, typo-tolerant, IDF-weighted), all
weighed together by `score`. A pair scoring `score.AUTO` or more keeps the old GUID; a pair
between `score.ASK` and `score.AUTO` is a question for the user (`Suggestion`), never decided
silently: the note is new until it is answered (`links`).

Candidates come from the note's changed stretch (a window of it, if long) and from an inverted
index of rare front words and back-sketch hashes, a bounded number per note, so matching grows
linearly with the guide. Deterministic, one-to-one, independent of the order of notes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from anki_export.errors import AnkiExportError
from anki_export.identity import keys as identity
from anki_export.identity.ledger import Ledger, LedgerEntry
from anki_export.records import NoteRecord, answer_text

__all__ = ["Identity", "Suggestion", "match_notes"]

_NEAR = 0.15  # a pair inside one changed stretch of one section
_IN_PLACE = 0.25  # ...the k-th of k new notes in the k-th old one's place: one replaced the other
_ALL_PAIRS = 24 * 24  # a changed stretch this small has every pair scored; a longer one a window
_WINDOW = 6


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A plausible but uncertain rewording: the old note, and how alike the two are (0..1)."""

    entry: LedgerEntry
    score: float


@dataclass(frozen=True, slots=True)
class Identity:
    """A record's GUID and the ledger entry it continues (None: a new note).

    `maybe` is an unanswered question: the new note may be a rewording of that old note.
    """

    guid: str
    entry: LedgerEntry | None
    key: tuple[str, str]
    reworded: bool = False
    maybe: Suggestion | None = None
    #: The user said this note is the old one (`links`), even if that one was removed.
    linked: bool = False


def match_notes(
    guide: str,
    records: Sequence[NoteRecord],
    ledger: Ledger,
    links: Mapping[int, str | None] | None = None,
) -> tuple[Identity, ...]:
    """Find each record's GUID, in the order of `records`.

    :param guide: the guide's identity (its file stem), for new GUIDs.
    :param records: the notes of this export, in source order.
    :param ledger: what earlier exports recorded (may be empty).
    :param links: answers to earlier questions, by the line a note starts on: the GUID of the
        old note it rewords, or None for "a new note, not a rewording".
    :raises AnkiExportError: a link names a line where no note starts, or a GUID not in the
        ledger, or one GUID twice.
    """
    keys = [identity.identity_key(r) for r in records]
    result: list[Identity | None] = [None] * len(keys)
    linked, answered_new = _apply_links(records, keys, ledger, links or {}, result)

    by_key: dict[tuple[str, str], list[LedgerEntry]] = defaultdict(list)
    for entry in sorted(ledger.entries, key=lambda e: (e.removed, e.note_id, e.guid)):
        if entry.guid not in linked:
            by_key[(entry.note_type, entry.front)].append(entry)
    shared: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (key, count) in enumerate(zip(keys, _key_counts(keys), strict=True)):
        if result[i] is not None or not (entries := by_key.get(key)):
            continue
        if count > 1 or len(entries) > 1:
            shared[key].append(i)  # paired below, all of the key's notes and entries at once
            continue
        entry = entries.pop()
        # The ledger's own strings from here on: a large guide's fronts are then held once.
        keys[i] = (entry.note_type, entry.front)
        result[i] = Identity(entry.guid, entry, keys[i])
    for key, indices in shared.items():
        for i, entry in _pair_same_front(records, indices, by_key[key]):
            keys[i] = (entry.note_type, entry.front)
            result[i] = Identity(entry.guid, entry, keys[i])

    unmatched = [i for i in range(len(keys)) if result[i] is None and i not in answered_new]
    left = {e.guid: e for entries in by_key.values() for e in entries}
    if unmatched and left:
        _match_fuzzy(records, keys, ledger, result, unmatched, left)
    _ask_again(result, left, answered_new)
    _new_guids(guide, keys, ledger, result)
    return tuple(r for r in result if r is not None)


def _key_counts(keys: Sequence[tuple[str, str]]) -> list[int]:
    counts = Counter(keys)
    return [counts[key] for key in keys]


def _pair_same_front(
    records: Sequence[NoteRecord], indices: list[int], entries: list[LedgerEntry]
) -> list[tuple[int, LedgerEntry]]:
    """Pair notes that share one front (and note type) with the ledger's entries of that front,
    as a person would tell them apart: by section and back together, then by section, then by
    back, and only then in order. Taken entries leave `entries`.

    By order alone, two "What is it used for?" in two sections swapped their GUIDs, and each
    card's history went to the other's answer, when the sections changed places.
    """
    from anki_export.identity.words import back_sketch

    sketches = {i: back_sketch(answer_text(records[i])) for i in indices}
    tests: tuple[Callable[[int, LedgerEntry], bool], ...] = (
        lambda i, e: e.section == records[i].section and e.back == sketches[i],
        lambda i, e: e.section == records[i].section,
        lambda i, e: e.back == sketches[i],
        lambda i, e: True,
    )
    pairs = []
    free = list(indices)
    for test in tests:
        for i in list(free):
            entry = next((e for e in entries if test(i, e)), None)
            if entry is not None:
                pairs.append((i, entry))
                free.remove(i)
                entries.remove(entry)
    return pairs


def _apply_links(
    records: Sequence[NoteRecord],
    keys: list[tuple[str, str]],
    ledger: Ledger,
    links: Mapping[int, str | None],
    result: list[Identity | None],
) -> tuple[set[str], set[int]]:
    """Pair the notes the user linked; returns the GUIDs taken and the notes said to be new."""
    if not links:
        return set(), set()
    at_line = {r.location.line: i for i, r in enumerate(records)}
    by_guid = {e.guid: e for e in ledger.entries}
    taken: set[str] = set()
    answered_new: set[int] = set()
    for line, guid in sorted(links.items()):
        if line not in at_line:
            raise AnkiExportError(f"--link {line}: no note starts on line {line} of the guide")
        i = at_line[line]
        if guid is None:
            answered_new.add(i)
            continue
        entry = by_guid.get(guid)
        if entry is None:
            raise AnkiExportError(f"--link {line}={guid}: no note with GUID {guid} in the ledger")
        if entry.note_type != keys[i][0]:
            raise AnkiExportError(
                f"--link {line}={guid}: that note is a {entry.note_type}, this one a {keys[i][0]}"
            )
        if guid in taken:
            raise AnkiExportError(f"--link: GUID {guid} is linked to two notes")
        if any(k == (entry.note_type, entry.front) for k in keys):
            raise AnkiExportError(
                f"--link {line}={guid}: that note is still in the guide, with its front as it was"
            )
        taken.add(guid)
        result[i] = Identity(guid, entry, keys[i], entry.front != keys[i][1], linked=True)
    return taken, answered_new


def _new_guids(
    guide: str, keys: list[tuple[str, str]], ledger: Ledger, result: list[Identity | None]
) -> None:
    if all(r is not None and r.entry is not None for r in result):
        return  # every note continues one of the ledger (a rebuild, as a rule)
    used = {e.guid for e in ledger.entries}
    occurrences: Counter[tuple[str, str]] = Counter()
    for i, key in enumerate(keys):
        current = result[i]
        if current is None or current.entry is None:
            n = occurrences[key]
            guid = identity.note_guid(guide, key, n)
            while guid in used:
                n += 1
                guid = identity.note_guid(guide, key, n)
            used.add(guid)
            maybe = current.maybe if current is not None else None
            result[i] = Identity(guid, None, key, maybe=maybe)
        occurrences[key] += 1


def _ask_again(
    result: list[Identity | None], left: dict[str, LedgerEntry], answered_new: set[int]
) -> None:
    """Questions an earlier export asked and nobody answered stay open while both notes do."""
    for i, ident in enumerate(result):
        if ident is None or ident.entry is None or i in answered_new or ident.maybe:
            continue
        old = left.get(ident.entry.maybe)
        if old is not None:
            del left[old.guid]
            suggestion = Suggestion(old, ident.entry.maybe_score)
            result[i] = Identity(ident.guid, ident.entry, ident.key, ident.reworded, suggestion)


def _match_fuzzy(
    records: Sequence[NoteRecord],
    keys: list[tuple[str, str]],
    ledger: Ledger,
    result: list[Identity | None],
    unmatched: list[int],
    left: dict[str, LedgerEntry],
) -> None:
    """Pair unmatched notes with unmatched ledger entries; `left` keeps the entries not taken."""
    # Imported here: an export in which every note kept its front (most) never needs them.
    from anki_export.identity.score import (
        ASK,
        AUTO,
        candidates,
        compared_new,
        compared_old,
        score,
        weights,
    )

    new = {i: compared_new(keys[i][0], records[i]) for i in unmatched}
    old = {g: compared_old(e) for g, e in left.items()}
    front_weights, back_weights = weights(records, ledger, new, old)
    near = _stretch_pairs(records, ledger, result, set(new), left)
    scored = []
    for i, g in candidates(new, old, near):
        a, b = new[i], old[g]
        alike = score(a, b, front_weights, back_weights, near.get((i, g), 0.0))
        if alike >= ASK:
            # Ties break on text and GUID, never on position: any order of notes gives the
            # same matches.
            scored.append((-alike, keys[i][1], g, i))
    scored.sort()
    for negative, _, g, i in scored:
        if result[i] is not None or g not in left:
            continue
        entry = left.pop(g)
        if -negative >= AUTO:
            result[i] = Identity(entry.guid, entry, keys[i], reworded=True)
        else:
            result[i] = Identity("", None, keys[i], maybe=Suggestion(entry, round(-negative, 2)))


def _stretch_pairs(
    records: Sequence[NoteRecord],
    ledger: Ledger,
    result: list[Identity | None],
    new: set[int],
    left: Mapping[str, LedgerEntry],
) -> dict[tuple[int, str], float]:
    """Pairs of an unmatched note and an unmatched old note in one changed stretch of a section.

    In a long stretch (a large section reworded at once) only old notes at about the same
    relative place are paired, so that the pairs stay a few per note.
    """
    from anki_export.identity.align import changed_stretches, section_order

    # Only the sections with a note to place: one edit in a large guide orders one section.
    wanted = {records[i].section for i in new}
    order = section_order(e for e in ledger.entries if e.section in wanted)
    sections: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        if record.section in wanted:
            sections[record.section].append(i)
    pairs: dict[tuple[int, str], float] = {}
    for section, indices in sections.items():
        olds = [e.guid for e in order.get(section, ())]
        if not olds:
            continue
        kept = [_kept(result[i]) for i in indices]
        for old_range, new_range in changed_stretches(olds, kept):
            a = [indices[k] for k in new_range if indices[k] in new]
            b = [olds[k] for k in old_range if olds[k] in left]
            pairs.update(_pairs_in_stretch(a, b))
    return pairs


def _kept(ident: Identity | None) -> str | None:
    return ident.entry.guid if ident is not None and ident.entry is not None else None


def _pairs_in_stretch(a: list[int], b: list[str]) -> Iterator[tuple[tuple[int, str], float]]:
    """The pairs of a stretch and the place's bonus for each: as many new notes as old ones
    replaced them one by one, as a diff pairs changed lines, so the k-th new note stands in the
    k-th old one's place."""
    same_count = len(a) == len(b)
    if len(a) * len(b) <= _ALL_PAIRS:
        for k, i in enumerate(a):
            for m, g in enumerate(b):
                yield (i, g), _IN_PLACE if same_count and k == m else _NEAR
        return
    for k, i in enumerate(a):
        centre = round(k * len(b) / len(a))
        for m in range(max(0, centre - _WINDOW), min(len(b), centre + _WINDOW + 1)):
            yield (i, b[m]), _IN_PLACE if same_count and k == m else _NEAR
