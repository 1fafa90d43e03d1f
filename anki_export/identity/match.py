"""Give every note of a new export its GUID: the ledger's when it is the same note, else a new one.

Same normalised front and note type -> the same GUID. Otherwise a reworded front takes the GUID of
the most similar unmatched ledger entry of the same note type, if the similarity reaches
`THRESHOLD`. Similarity is a Dice coefficient over content words (stop words dropped, plurals and
-ing/-ed folded), each word weighted by its inverse document frequency over all fronts involved,
so the words that tell questions apart count most. Measured on the seed guide: the closest two
different questions score 0.49; rewordings in tests/test_match.py score 0.82 and more; the
near-misses there (same frame, another subject: "... in FastAPI?" -> "... in Django?") score 0.73
and less. Hence 0.78. Matching is deterministic, independent of the order of notes, and never
gives two notes one GUID. Pure Python.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from anki_export.identity import keys as identity
from anki_export.identity.ledger import Ledger, LedgerEntry
from anki_export.records import NoteRecord

THRESHOLD = 0.78
_IDF_PRIOR = 50

_WORD_RE = re.compile(r"\w+")
_STOP_WORDS = frozenset(
    """a an the and or but of in on for to is are was were be been being what why how who whom
    which when where do does did you your yours we our i me my it its this that these those with
    as at by from about into than then so if not no can could should would will shall may might
    there their they them he she his her""".split()
)
_SUFFIXES = (("ies", "y", 5), ("sses", "ss", 5), ("ing", "", 6), ("ed", "", 5), ("es", "", 5))


@dataclass(frozen=True, slots=True)
class Identity:
    """A record's GUID and the ledger entry it continues (None: a new note)."""

    guid: str
    entry: LedgerEntry | None
    key: tuple[str, str]
    reworded: bool = False


def match_notes(guide: str, records: Sequence[NoteRecord], ledger: Ledger) -> tuple[Identity, ...]:
    """Find each record's GUID, in the order of `records`.

    :param guide: the guide's identity (its file stem), for new GUIDs.
    :param records: the notes of this export, in source order.
    :param ledger: what earlier exports recorded (may be empty).
    """
    return match_keys(guide, [identity.identity_key(r) for r in records], ledger)


def match_keys(
    guide: str,
    keys: Sequence[tuple[str, str]],
    ledger: Ledger,
    *,
    weights: Callable[[], dict[str, float]] | None = None,
    used: set[str] | None = None,
) -> tuple[Identity, ...]:
    """`match_notes` for the notes' identity keys (`identity.identity_key`), in source order.

    :param weights: the word weights for reworded fronts, if not `idf_weights` over `keys` and
        the ledger (a rebuild that matches only its edited notes knows them for the whole guide).
    :param used: every GUID a new note must not take, if not the ledger's.
    """
    keys = list(keys)
    result: list[Identity | None] = [None] * len(keys)

    by_key: dict[tuple[str, str], list[LedgerEntry]] = defaultdict(list)
    for entry in sorted(ledger.entries, key=lambda e: (e.removed, e.note_id, e.guid)):
        by_key[(entry.note_type, entry.front)].append(entry)
    for i, key in enumerate(keys):
        if by_key.get(key):
            entry = by_key[key].pop(0)
            # The ledger's own strings from here on: a large guide's fronts are then held once.
            keys[i] = (entry.note_type, entry.front)
            result[i] = Identity(entry.guid, entry, keys[i])

    unmatched = [i for i in range(len(keys)) if result[i] is None]
    left = [e for entries in by_key.values() for e in entries]
    if unmatched and left:
        if weights is None:
            weights = functools.partial(
                idf_weights, [k[1] for k in keys] + [e.front for e in ledger.entries]
            )
        for i, entry in _fuzzy_pairs([keys[i] for i in unmatched], left, weights()):
            result[unmatched[i]] = Identity(entry.guid, entry, keys[unmatched[i]], reworded=True)

    used = {e.guid for e in ledger.entries} if used is None else set(used)
    occurrences: Counter[tuple[str, str]] = Counter()
    for i, key in enumerate(keys):
        if result[i] is None:
            n = occurrences[key]
            guid = identity.note_guid(guide, key, n)
            while guid in used:
                n += 1
                guid = identity.note_guid(guide, key, n)
            used.add(guid)
            result[i] = Identity(guid, None, key)
        occurrences[key] += 1
    return tuple(r for r in result if r is not None)


def similarity(a: str, b: str, weights: dict[str, float] | None = None) -> float:
    """Weighted Dice similarity (0..1) of two fronts' content words; unit weights by default."""
    wa, wb = content_words(a), content_words(b)
    weight = (lambda w: weights.get(w, 1.0)) if weights else (lambda w: 1.0)
    total = sum(map(weight, wa)) + sum(map(weight, wb))
    return 2 * sum(map(weight, wa & wb)) / total if total else 0.0


def content_words(text: str) -> frozenset[str]:
    """The words that carry a front's meaning, lightly stemmed."""
    return frozenset(_stem(w) for w in _WORD_RE.findall(text.casefold()) if w not in _STOP_WORDS)


def idf_weights(fronts: Iterable[str]) -> dict[str, float]:
    """Inverse document frequency of each content word over `fronts`."""
    df: Counter[str] = Counter()
    count = 0
    for front in fronts:  # one front at a time: a large guide's word sets are never all held
        df.update(content_words(front))
        count += 1
    return weights_from_counts(df, count)


def weights_from_counts(df: Mapping[str, int], count: int) -> dict[str, float]:
    """IDF weights from document frequencies over `count` fronts."""
    # The prior of _IDF_PRIOR documents keeps small guides (and tests with a handful of notes)
    # near uniform weights, where raw IDF would call every shared word common.
    n = count + _IDF_PRIOR
    return {w: math.log(n / (c + 0.5)) for w, c in df.items()}


def _fuzzy_pairs(
    fronts: list[tuple[str, str]], entries: list[LedgerEntry], weights: dict[str, float]
) -> list[tuple[int, LedgerEntry]]:
    """Best-first one-to-one assignment of unmatched fronts to unmatched ledger entries."""
    index: dict[tuple[str, str], set[int]] = defaultdict(set)
    entry_words = [content_words(e.front) for e in entries]
    for j, (entry, words) in enumerate(zip(entries, entry_words, strict=True)):
        for w in words:
            index[(entry.note_type, w)].add(j)
    scored = []
    for i, (note_type, front) in enumerate(fronts):
        words = content_words(front)
        candidates = set().union(*(index.get((note_type, w), set()) for w in words))
        for j in candidates:
            score = similarity(front, entries[j].front, weights)
            if score >= THRESHOLD:
                # Ties break on text and GUID, never on position, so any order of notes
                # gives the same matches.
                scored.append((-score, front, entries[j].guid, i, j))
    scored.sort()
    taken_i: set[int] = set()
    taken_j: set[int] = set()
    pairs = []
    for _, _, _, i, j in scored:
        if i not in taken_i and j not in taken_j:
            taken_i.add(i)
            taken_j.add(j)
            pairs.append((i, entries[j]))
    return pairs


# Words repeat across fronts; a guide's vocabulary is small next to its word count.
@functools.lru_cache(maxsize=1 << 13)
def _stem(word: str) -> str:
    for suffix, replacement, min_len in _SUFFIXES:
        if word.endswith(suffix) and len(word) >= min_len:
            return word[: -len(suffix)] + replacement
    if word.endswith("s") and not word.endswith("ss") and len(word) >= 4:
        return word[:-1]
    return word
