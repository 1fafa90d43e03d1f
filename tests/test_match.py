"""The matcher: rewordings keep their GUID, near-misses do not, any order gives the same answer."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anki_export.identity import keys as identity
from anki_export.identity.ledger import Ledger, LedgerEntry
from anki_export.identity.match import THRESHOLD, idf_weights, match_notes, similarity
from anki_export.read.guide import parse_guide
from anki_export.records import Fragment, Question, SourceLocation

REWORDINGS = [
    (
        "Why choose FastAPI for API development? What are its key advantages?",
        "Why would you choose FastAPI for API development, and what are its key advantages?",
    ),
    (
        "What are generators in Python and why are they useful for data processing?",
        "What are Python generators, and why are they useful when processing data?",
    ),
    (
        "Explain the difference between `__init__` and `__new__` in Python classes.",
        "What is the difference between __init__ and __new__ in a Python class?",
    ),
    (
        "How do you handle authentication and authorization in FastAPI?",
        "How do you handle authentication in FastAPI?",
    ),
    (
        "How do you optimize SQL queries for performance when dealing with large tables?",
        "How do you optimize SQL queries on large tables?",
    ),
    (
        "Describe common table expressions (CTEs). Why are they useful?",
        "What are common table expressions (CTEs), and why are they useful?",
    ),
]
NEAR_MISSES = [
    (
        "What is the difference between WHERE and HAVING clauses?",
        "What is the difference between UNION and UNION ALL?",
    ),
    (
        "How do you handle authentication and authorization in FastAPI?",
        "How do you handle authentication and authorization in Django?",
    ),
    ("What are window functions in SQL?", "What are aggregate functions in SQL?"),
    ("How would you test a FastAPI application?", "How would you deploy a FastAPI application?"),
    (
        "Explain the concepts of normalization and denormalization in database design.",
        "Explain the concepts of sharding and replication in database design.",
    ),
]


def record(front: str, line: int = 1, section: tuple[str, ...] = ("S",)) -> Question:
    return Question(
        Fragment(front, front), None, None, section, SourceLocation(Path("g.md"), line), front
    )


def entry(front: str, guid: str, note_id: int = 1, removed: bool = False) -> LedgerEntry:
    return LedgerEntry(
        guid=guid,
        note_id=note_id,
        kind="question",
        note_type="question",
        section=("S",),
        front=identity.normalise_front(front),
        fingerprint="x",
        mod=1,
        removed=removed,
    )


def corpus_weights(seed: Path) -> dict[str, float]:
    fronts = [n.front.text for n in parse_guide(seed).notes]
    pairs = [f for p in REWORDINGS + NEAR_MISSES for f in p]
    return idf_weights(identity.normalise_front(f) for f in fronts + pairs)


def test_threshold_separates_rewordings_from_near_misses_and_seed_questions(seed: Path) -> None:
    weights = corpus_weights(seed)
    norm = identity.normalise_front
    reworded = [similarity(norm(a), norm(b), weights) for a, b in REWORDINGS]
    missed = [similarity(norm(a), norm(b), weights) for a, b in NEAR_MISSES]
    seed_fronts = [norm(n.front.text) for n in parse_guide(seed).notes]
    distinct = [similarity(a, b, weights) for a, b in itertools.combinations(seed_fronts, 2)]
    assert min(reworded) >= THRESHOLD > max(missed) > max(distinct)
    # Margins measured when the threshold was chosen (see match.py's docstring).
    assert min(reworded) >= 0.8 and max(missed) <= 0.75 and max(distinct) < 0.5


@pytest.mark.parametrize(("old", "new"), REWORDINGS)
def test_rewording_keeps_the_guid(old: str, new: str) -> None:
    ledger = Ledger((entry(old, "OLD"), entry("Something else entirely?", "OTHER", 2)))
    (ident,) = match_notes("g", [record(new)], ledger)
    assert (ident.guid, ident.reworded) == ("OLD", True)


@pytest.mark.parametrize(("old", "new"), NEAR_MISSES)
def test_near_miss_gets_a_new_guid(old: str, new: str) -> None:
    ledger = Ledger((entry(old, "OLD"),))
    (ident,) = match_notes("g", [record(new)], ledger)
    assert ident.entry is None and ident.guid != "OLD"


def test_exact_match_wins_over_fuzzy_and_no_guid_is_given_twice() -> None:
    a = "How do you optimize SQL queries for performance when dealing with large tables?"
    b = "How do you optimize SQL queries on large tables?"
    ledger = Ledger((entry(a, "A"),))
    first, second = match_notes("g", [record(b, 1), record(a, 2)], ledger)
    assert second.guid == "A" and not second.reworded
    assert first.entry is None and first.guid != "A"


def test_new_guid_never_collides_with_a_ledger_guid() -> None:
    text_guid = identity.note_guid("g", ("question", "what is x?"))
    ledger = Ledger((entry("Something unrelated?", text_guid),))
    (ident,) = match_notes("g", [record("What is X?")], ledger)
    assert ident.guid != text_guid


def test_empty_ledger_gives_text_guids() -> None:
    records = [record("What is X?"), record("What is X?", 2), record("Y?", 3)]
    guids = [i.guid for i in match_notes("g", records, Ledger())]
    assert guids == [
        identity.note_guid("g", ("question", "what is x?")),
        identity.note_guid("g", ("question", "what is x?"), 1),
        identity.note_guid("g", ("question", "y?")),
    ]


FRONTS = [b for _, b in REWORDINGS] + [b for _, b in NEAR_MISSES] + ["Brand new question?"]
LEDGER = Ledger(
    tuple(entry(a, f"G{i}", note_id=i) for i, (a, _) in enumerate(REWORDINGS + NEAR_MISSES))
)


@settings(max_examples=60, deadline=None)
@given(st.permutations(FRONTS))
def test_any_order_of_records_gives_the_same_guids(order: list[str]) -> None:
    baseline = match_notes("g", [record(f) for f in FRONTS], LEDGER)
    expected = {f: i.guid for f, i in zip(FRONTS, baseline, strict=True)}
    got = match_notes("g", [record(f, n) for n, f in enumerate(order)], LEDGER)
    assert {f: i.guid for f, i in zip(order, got, strict=True)} == expected
    assert len({i.guid for i in got}) == len(got)
