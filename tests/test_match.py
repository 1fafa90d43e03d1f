"""The matcher: rewordings keep their GUID, near-misses do not, any order gives the same answer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anki_export.identity import keys as identity
from anki_export.identity.ledger import Ledger, LedgerEntry
from anki_export.identity.match import match_notes
from anki_export.identity.words import (
    back_sketch,
    content_words,
    front_counts,
    front_similarity,
    idf,
    idf_of,
    sketch_similarity,
    sketch_tokens,
    stem,
)
from anki_export.records import Fragment, Question, SourceLocation

from .conftest import ROOT

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


def record(
    front: str, line: int = 1, section: tuple[str, ...] = ("S",), hint: str | None = None
) -> Question:
    back = Fragment(hint, hint) if hint is not None else None
    return Question(
        Fragment(front, front), back, None, section, SourceLocation(Path("g.md"), line), front
    )


def entry(
    front: str, guid: str, note_id: int = 1, removed: bool = False, hint: str = ""
) -> LedgerEntry:
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
        text=front,
        back=back_sketch(hint),
    )


def test_words_fold_stems_possessives_and_typos() -> None:
    assert content_words("Automated").keys() == content_words("automate").keys()
    assert content_words("Reejig's mission").keys() == content_words("Reejig mission").keys()
    weights: dict[str, float] = {}
    a, b = content_words("authentication in FastAPI"), content_words("authenitcation in FastAPI")
    assert front_similarity(a, b, weights) == 1.0
    short = content_words("data"), content_words("date")
    assert front_similarity(*short, weights) == 0.0, "a short word has no typo allowance"


_STEMS = """
from anki_export.identity.words import stem
print(stem("automated"), stem("generators"))
"""


def test_stems_do_not_depend_on_pystemmer_being_installed(tmp_path: Path) -> None:
    """snowballstemmer's `stemmer()` hands over to PyStemmer (module `Stemmer`) where that is
    installed, whose version need not be snowballstemmer's; stems make the back sketches the
    ledger keeps, so they must be the same on every machine of a guide's team."""
    # A stand-in that stems nothing: PyStemmer itself is not a dependency of the tests.
    (tmp_path / "Stemmer.py").write_text(
        "algorithms = lambda: ['english']\n"
        "class Stemmer:\n"
        "    def __init__(self, language): pass\n"
        "    def stemWord(self, word): return 'PyStemmer'\n",
        "utf-8",
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-c", _STEMS], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == [stem("automated"), stem("generators")] == ["autom", "generat"]


def test_back_sketches_compare_backs_as_word_sets() -> None:
    hint = "Containerization for consistent environments, dependency management, portability."
    same = back_sketch(hint)
    assert same == back_sketch(hint.upper()) and len(same) <= 5 * 24
    assert sketch_similarity(same, back_sketch(hint + " Scalability."), {}) > 0.8
    assert sketch_similarity(same, back_sketch("Declarative plans, remote state."), {}) == 0.0
    assert back_sketch("") == ""


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


def test_an_open_question_that_gains_a_hint_is_the_same_note() -> None:
    ledger = Ledger((entry("How did you size the cluster?", "OLD"),))
    (same,) = match_notes("g", [record("How did you size the cluster?", hint="By load.")], ledger)
    assert same.guid == "OLD" and not same.reworded


def test_the_back_decides_between_a_rewording_and_a_subject_swap() -> None:
    old = "Explain how Docker can be used to deploy data pipelines and APIs. What are the benefits?"
    hint = "Containerization for consistent environments, dependency management, portability."
    ledger = Ledger((entry(old, "OLD", hint=hint),))
    swap = old.replace("Docker", "Terraform")
    (other,) = match_notes(
        "g", [record(swap, hint="Declarative plans, remote state, modules.")], ledger
    )
    assert other.entry is None and other.maybe is None
    reworded = "How does Docker help deploy data pipelines and APIs, and why use it?"
    (kept,) = match_notes("g", [record(reworded, hint=hint)], ledger)
    assert (kept.guid, kept.reworded) == ("OLD", True)


# Words with several spellings of one stem, stop words, numbers, case and possessives.
_SAMPLE_WORDS = st.sampled_from(
    "automate automated automation Automates run running runs the a of is Python python's "
    "generator generators 42 042 data Data's SQL queries query querying é über naïve".split()
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(_SAMPLE_WORDS, max_size=8).map(" ".join), max_size=12),
    st.lists(st.lists(_SAMPLE_WORDS, max_size=5).map(" ".join), min_size=1, max_size=3),
)
def test_front_counts_weigh_the_wanted_words_as_idf_does(
    texts: list[str], notes: list[str]
) -> None:
    words = [content_words(n) for n in notes]
    wanted = {w for note in words for w in note}
    df, count = front_counts(texts, wanted)
    df.update(w for note in words for w in note)
    full = idf([*(content_words(t) for t in texts), *words])
    assert idf_of(df, count + len(words), wanted) == {w: full[w] for w in wanted}


@given(st.text())
def test_sketch_tokens_are_the_sketch_in_slices(sketch: str) -> None:
    assert sketch_tokens(sketch) == tuple(sketch[i : i + 5] for i in range(0, len(sketch), 5))
