"""The words of a note, as the matcher compares them: stemmed content words and back sketches.

A front becomes its content words (stop words dropped, possessives and plurals folded by the
Snowball English stemmer); two fronts are compared by an IDF-weighted Dice coefficient in which
a word with a one-letter typo still counts. A back (hint, definition, items) becomes a *sketch*:
the smallest hashes of its stemmed words, short enough for one ledger line, from which the
weighted overlap of two backs is estimated. Imports snowballstemmer (pure Python) and nothing
else from outside the standard library.
"""

from __future__ import annotations

import functools
import math
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Set
from typing import Any

SKETCH_SIZE = 24
_HASH_BITS = 20
_HASH_WIDTH = 5  # hex digits of one hash
_IDF_PRIOR = 50
_SKETCH_CHARS = 4000

_WORD_RE = re.compile(r"\w+")
# Greedy: `_HASH_WIDTH` characters at a time, as slicing takes them.
_HASH_RE = re.compile(f".{{1,{_HASH_WIDTH}}}", re.DOTALL)
_STOP_WORDS = frozenset(
    """a an the and or but of in on for to is are was were be been being what why how who whom
    which when where do does did you your yours we our i me my it its this that these those with
    as at by from about into than then so if not no can could should would will shall may might
    there their they them he she his her s t e g eg ie etc""".split()
)


@functools.lru_cache(maxsize=1 << 15)
def stem(word: str) -> str:
    """A case-folded word's stem: "automated" and "automate" give one stem."""
    if word.isdigit():
        return word  # numbers have no stem, and a large guide has many
    return str(_stemmer().stemWord(word))


@functools.cache
def _stemmer() -> Any:
    # Made when first needed: snowballstemmer imports every language's stemmer (25 ms), and an
    # export in which no note changed stems no word. Its own class, not `stemmer("english")`,
    # which hands over to PyStemmer where that is installed: stems make the back sketches kept
    # in the ledger, and a guide's team must get the same ones whatever else they installed.
    from snowballstemmer.english_stemmer import EnglishStemmer

    return EnglishStemmer()


def content_words(text: str) -> dict[str, str]:
    """The words that carry a text's meaning: stem -> the word as written (case-folded).

    A possessive's "s" is a word of its own here, and a stop word: "Reejig's" is "Reejig".
    """
    words: dict[str, str] = {}
    for word in _WORD_RE.findall(text.casefold()):
        if word not in _STOP_WORDS:
            words.setdefault(stem(word), word)
    return words


_SENTENCE_ENDS = frozenset('.?!:;("')


@functools.lru_cache(maxsize=1 << 12)
def names(text: str) -> frozenset[str]:
    """The stems of the words a text names things with: capitalised inside a sentence
    ("Docker", "Reejig"), or with a capital or digit after the first letter ("FastAPI", "K8s",
    "SQL"). Swapping one of these for another changes the subject of a question."""
    found = set()
    before = "."  # what precedes the current word, but for spaces: the text starts a sentence
    end = 0
    for match in _WORD_RE.finditer(text):
        word = match.group()
        between = text[end : match.start()].strip()
        before = between[-1] if between else before if end == 0 else " "
        end = match.end()
        inner = any(c.isupper() or c.isdigit() for c in word[1:])
        initial = word[0].isupper() and before not in _SENTENCE_ENDS
        if (inner or initial) and word.casefold() not in _STOP_WORDS and len(word) > 1:
            found.add(stem(word.casefold()))
    return frozenset(found)


def swapped_names(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether one text names something the other does not, in place of something else (a
    typo of a name is the same name)."""
    added, removed = differences(a, b)
    return added > 0 and removed > 0


def differences(a: Iterable[str], b: Iterable[str]) -> tuple[int, int]:
    """How many words `a` has that `b` lacks, and `b` has that `a` lacks (typos aside)."""
    sa, sb = set(a), set(b)
    added = [w for w in sa - sb if not any(_is_typo(w, v) for v in sb - sa)]
    removed = [w for w in sb - sa if not any(_is_typo(w, v) for v in sa - sb)]
    return len(added), len(removed)


def idf(documents: Iterable[Iterable[str]]) -> dict[str, float]:
    """Inverse document frequency of each token over `documents` (token collections)."""
    df: Counter[str] = Counter()
    count = 0
    for tokens in documents:
        df.update(set(tokens))
        count += 1
    return idf_of(df, count)


def idf_of(
    df: Mapping[str, int], count: int, wanted: Iterable[str] | None = None
) -> dict[str, float]:
    """`idf` from document counts: `df` of each token over `count` documents; only for the
    tokens `wanted` (those counted at least once), if given."""
    # The prior keeps small guides near uniform weights, where raw IDF would call every shared
    # word common.
    n = count + _IDF_PRIOR
    if wanted is None:
        return {w: math.log(n / (c + 0.5)) for w, c in df.items()}
    return {w: math.log(n / (c + 0.5)) for w in wanted if (c := df.get(w, 0))}


def front_counts(texts: Iterable[str], wanted: Set[str]) -> tuple[Counter[str], int]:
    """How many of `texts` have each stem of `wanted` among their `content_words`, and how many
    texts there are: what `idf` counts, for these stems only.

    The words of each text are counted as written, without building its `content_words`; each
    distinct word is stemmed once. Only for a wanted stem written two ways ("automate",
    "automated") are the texts looked at again, as one text may hold both.
    """
    documents = []
    written: Counter[str] = Counter()
    for text in texts:
        words = set(_WORD_RE.findall(text.casefold()))
        words -= _STOP_WORDS
        written.update(words)
        documents.append(words)
    spellings: dict[str, list[str]] = {}
    for word in written:
        if (stemmed := stem(word)) in wanted:
            spellings.setdefault(stemmed, []).append(word)
    df: Counter[str] = Counter()
    for stemmed, spelling in spellings.items():
        if len(spelling) == 1:
            df[stemmed] = written[spelling[0]]
        else:
            spelt = set(spelling)
            df[stemmed] = sum(1 for document in documents if not spelt.isdisjoint(document))
    return df, len(documents)


def front_similarity(
    a: Mapping[str, str], b: Mapping[str, str], weights: Mapping[str, float]
) -> float:
    """Weighted Dice coefficient (0..1) of two texts' `content_words`.

    Words left over on both sides are paired when one is a typo of the other (one edit in a word
    of five letters or more, two in one of nine or more), so "authenitcation" is "authentication".
    """
    weight = functools.partial(_weight, weights)
    total = sum(map(weight, a)) + sum(map(weight, b))
    if not total:
        return 0.0
    shared = sum(weight(w) for w in a if w in b) + _typo_shared(a, b, weight)
    return min(1.0, 2 * shared / total)


def _typo_shared(
    a: Mapping[str, str], b: Mapping[str, str], weight: Callable[[str], float]
) -> float:
    """The weight of the leftover words of `a` and `b` that are typos of each other."""
    # Only words long enough to hold a typo, and by first and last letter: a typo rarely
    # changes both ends of a word, so only words sharing one are compared.
    by_end: dict[str, list[str]] = {}
    for wb in sorted(w for w in b if w not in a and len(b[w]) >= 5):
        by_end.setdefault("^" + b[wb][0], []).append(wb)
        by_end.setdefault("$" + b[wb][-1], []).append(wb)
    shared = 0.0
    taken: set[str] = set()
    for wa in sorted(w for w in a if w not in b and len(a[w]) >= 5) if by_end else ():
        raw = a[wa]
        for wb in by_end.get("^" + raw[0], []) + by_end.get("$" + raw[-1], []):
            if wb not in taken and _is_typo(raw, b[wb]):
                taken.add(wb)
                shared += (weight(wa) + weight(wb)) / 2
                break
    return shared


def _weight(weights: Mapping[str, float], word: str) -> float:
    return weights.get(word, 1.0)


def _is_typo(a: str, b: str) -> bool:
    if a[0] != b[0] and a[-1] != b[-1]:
        return False  # a typo rarely changes both ends of a word; this keeps the search cheap
    shorter = min(len(a), len(b))
    allowed = 2 if shorter >= 9 else 1 if shorter >= 5 else 0
    return allowed > 0 and abs(len(a) - len(b)) <= allowed and _edits(a, b, allowed) <= allowed


def _edits(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a transposition is one edit), cut off above `limit`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def back_sketch(text: str) -> str:
    """A back's sketch: the `SKETCH_SIZE` smallest hashes of its stemmed words, as hex digits.

    Empty for an empty back. Deterministic (CRC-32, not Python's salted `hash`).
    """
    # The opening of a very long back says enough about it, and costs no more than a short one.
    words = set(_WORD_RE.findall(text[:_SKETCH_CHARS].casefold()))
    # Hashes of one width in hex sort as their numbers do: no numbers are made.
    return "".join(sorted(set(map(_stem_hash, words - _STOP_WORDS)))[:SKETCH_SIZE])


@functools.lru_cache(maxsize=1 << 15)
def _stem_hash(word: str) -> str:
    """A word's stem's hash, in `_HASH_WIDTH` hex digits."""
    return f"{zlib.crc32(stem(word).encode('utf-8')) & ((1 << _HASH_BITS) - 1):0{_HASH_WIDTH}x}"


@functools.lru_cache(maxsize=1 << 14)
def sketch_tokens(sketch: str) -> tuple[str, ...]:
    """The hashes of a sketch, as strings (a short last one as it is)."""
    return tuple(_HASH_RE.findall(sketch))


def sketch_similarity(a: str, b: str, weights: Mapping[str, float]) -> float:
    """Estimated weighted Jaccard similarity (0..1) of two backs from their sketches.

    Bottom-k estimate: among the k smallest hashes of both sketches together, the weighted share
    found in both. Exact for backs of up to `SKETCH_SIZE` distinct words.
    """
    ta, tb = set(sketch_tokens(a)), set(sketch_tokens(b))
    union = sorted(ta | tb)[:SKETCH_SIZE]
    total = sum(weights.get(t, 1.0) for t in union)
    if not total:
        return 0.0
    return sum(weights.get(t, 1.0) for t in union if t in ta and t in tb) / total
