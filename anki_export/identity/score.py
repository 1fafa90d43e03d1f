"""How alike a new note and an old one are: the scores `match` pairs notes by.

A note is compared (`Compared`) by its front's content words, its back's sketch and the front as
written. `score` weighs the front words and back hashes by their IDF over the guide (`weights`)
and adds the bonus of the note's place; `candidates` finds, through an inverted index of rare
front words and back-sketch hashes, the few old notes worth scoring against each new one. Pure
Python; the thresholds `AUTO` and `ASK` are what `match` decides by.
"""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from anki_export.identity.ledger import Ledger, LedgerEntry
from anki_export.identity.words import (
    back_sketch,
    content_words,
    differences,
    front_counts,
    front_similarity,
    idf_of,
    names,
    sketch_similarity,
    sketch_tokens,
    swapped_names,
)
from anki_export.records import NoteRecord, answer_text

AUTO = 0.7
ASK = 0.45
_FRONT, _BACK = 0.4, 0.6  # how much the front and the back weigh when both notes have a back
_REPLACED = 0.3  # a back this unlike the old one is another answer: another question
_KEPT = 0.8  # a back this like the old one is the old answer, lightly edited at most
_SAME_FRONT = 0.9  # ...unless the fronts are this alike: then it is asked
_FEW_SWAPPED = 2  # this many words swapped for others, and nothing else, may be another subject
_RARE = 64  # an index token shared by more old notes than this finds no candidates
_PER_NOTE = 12  # candidates per note from the index
_IDF_SAMPLE = 4096  # fronts enough to weigh words by


@dataclass(frozen=True, slots=True)
class Compared:
    """What the matcher compares of one note, new or old."""

    note_type: str
    words: dict[str, str]
    sketch: str  # "" when the note has no back, or it is unknown
    text: str  # the front as written ("" if unknown), for `words.names` when it is needed


def weights(
    records: Sequence[NoteRecord],
    ledger: Ledger,
    new: Mapping[int, Compared],
    old: Mapping[str, Compared],
) -> tuple[dict[str, float], dict[str, float]]:
    """The weights of front words and back hashes: `idf` over the whole guide, so that what
    tells its notes apart counts most.

    Only for the words and hashes of the notes to pair, as no others are looked up. A large
    guide's weights come from a sample of its fronts and backs, chosen by their text and GUID
    (so that any order of notes gives the same), which estimates them as well at a fraction of
    the cost.
    """
    stride = max(1, len(records) // _IDF_SAMPLE)
    notes = [*new.values(), *old.values()]
    words = {w for note in notes for w in note.words}
    df, sampled = front_counts(
        (
            r.front.text
            for i, r in enumerate(records)
            if i not in new and zlib.crc32(r.front.text.encode("utf-8")) % stride == 0
        ),
        words,
    )
    for note in notes:
        df.update(note.words.keys())
    front = idf_of(df, sampled + len(notes), words)
    hashes = {t for note in notes for t in sketch_tokens(note.sketch)}
    hash_df: Counter[str] = Counter()
    documents = 0
    for entry in ledger.entries:
        if entry.back and zlib.crc32(entry.guid.encode("utf-8")) % stride == 0:
            hash_df.update(hashes.intersection(sketch_tokens(entry.back)))
            documents += 1
    for note in new.values():
        hash_df.update(set(sketch_tokens(note.sketch)))
    return front, idf_of(hash_df, documents + len(new), hashes)


def score(
    a: Compared,
    b: Compared,
    front_weights: Mapping[str, float],
    back_weights: Mapping[str, float],
    bonus: float,
) -> float:
    """How sure we are that old note `b` became new note `a` (0..1 and a little more).

    :param bonus: for the place: `_NEAR`, `_IN_PLACE` or nothing.
    """
    if a.note_type != b.note_type:
        return 0.0
    front = front_similarity(a.words, b.words, front_weights)
    back = sketch_similarity(a.sketch, b.sketch, back_weights) if a.sketch and b.sketch else None
    if back is None:
        # No back on one side (an open question, perhaps one that gains a hint now): the words
        # and the place are all there is.
        score = front + bonus
    elif back < _REPLACED:
        # Another answer: another question, however alike the fronts; only a front changed
        # no more than a typo's worth is worth asking about.
        return min(AUTO - 0.01, front + bonus) if front >= _SAME_FRONT else 0.0
    else:
        score = _FRONT * front + _BACK * back + bonus
    if (back is None or back < _KEPT) and _swapped(a, b):
        # A subject swapped for another ("the ONET data" -> "the BLS data") without the answer
        # to show it is the same question: worth asking, never a silent merge.
        return min(AUTO - 0.01, score)
    return score


def _swapped(a: Compared, b: Compared) -> bool:
    """A named thing replaced by another, or a word or two swapped for others and nothing else
    changed ("window functions" -> "aggregate functions"): without the same answer to vouch for
    it, that names another subject as often as it rewords."""
    if swapped_names(names(a.text), names(b.text)):
        return True
    added, removed = differences(a.words, b.words)
    return 1 <= added <= _FEW_SWAPPED and 1 <= removed <= _FEW_SWAPPED


def candidates(
    new: Mapping[int, Compared], old: Mapping[str, Compared], near: Mapping[tuple[int, str], float]
) -> list[tuple[int, str]]:
    """The pairs worth scoring: those of a changed stretch, and for each new note the old notes
    that share the most rare words or back hashes with it (at most `_PER_NOTE`)."""
    index: dict[tuple[str, str], list[str]] = defaultdict(list)
    for g in sorted(old):
        note = old[g]
        for token in _tokens(note):
            index[(note.note_type, token)].append(g)
    pairs = set(near)
    for i, note in new.items():
        shared: Counter[str] = Counter()
        for token in _tokens(note):
            posting = index.get((note.note_type, token), ())
            if len(posting) <= _RARE:
                shared.update(posting)
        best = sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:_PER_NOTE]
        pairs.update((i, g) for g, _ in best)
    return sorted(pairs)


def compared_new(note_type: str, record: NoteRecord) -> Compared:
    """A new note, as `score` compares it."""
    text = record.front.text
    return Compared(note_type, content_words(text), back_sketch(answer_text(record)), text)


def compared_old(entry: LedgerEntry) -> Compared:
    """An old note (a ledger entry), as `score` compares it."""
    return Compared(
        entry.note_type, content_words(entry.text or entry.front), entry.back or "", entry.text
    )


def _tokens(note: Compared) -> Iterator[str]:
    yield from ("f" + w for w in note.words)
    yield from ("b" + t for t in sketch_tokens(note.sketch))
