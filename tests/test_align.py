"""Places: a section's old notes in order from the ledger, and the changed stretches of a diff."""

from __future__ import annotations

from anki_export.identity.align import changed_stretches, section_order
from anki_export.identity.ledger import LedgerEntry
from anki_export.identity.words import names


def entry(guid: str, note_id: int, after: str | None, section: str = "S") -> LedgerEntry:
    return LedgerEntry(guid, note_id, "question", "question", (section,), guid, "f", 1, after=after)


def test_order_follows_the_after_chain_not_the_note_ids() -> None:
    entries = [entry("c", 1, "b"), entry("a", 3, ""), entry("b", 2, "a"), entry("x", 9, "", "T")]
    order = section_order(entries)
    assert [e.guid for e in order[("S",)]] == ["a", "b", "c"]
    assert [e.guid for e in order[("T",)]] == ["x"]


def test_a_broken_chain_or_an_old_ledger_falls_back_on_note_ids() -> None:
    entries = [entry("c", 1, None), entry("a", 3, None), entry("b", 2, "gone")]
    assert [e.guid for e in section_order(entries)[("S",)]] == ["c", "b", "a"]
    cycle = [entry("a", 1, "b"), entry("b", 2, "a")]
    assert sorted(e.guid for e in section_order(cycle)[("S",)]) == ["a", "b"]
    removed = [entry("a", 1, ""), LedgerEntry("r", 2, "q", "q", ("S",), "r", "f", 1, True)]
    assert [e.guid for e in section_order(removed)[("S",)]] == ["a"]


def test_stretches_are_what_lies_between_the_notes_kept_exactly() -> None:
    old = ["a", "b", "c", "d", "e"]
    # b reworded, d removed, a new note after e.
    new: list[str | None] = ["a", None, "c", "e", None]
    assert changed_stretches(old, new) == [
        (range(1, 2), range(1, 2)),
        (range(3, 4), range(3, 3)),
        (range(5, 5), range(4, 5)),
    ]
    # Two neighbours swapped and both reworded: one stretch of two.
    assert changed_stretches(["a", "b", "c", "d"], ["a", None, None, "d"]) == [
        (range(1, 3), range(1, 3))
    ]


def test_names_are_capitalised_inside_a_sentence_or_inside_a_word() -> None:
    assert names("Explain how Docker deploys APIs. What are the benefits?") == {"docker", "api"}
    assert names("How would you design a warehouse for Reejig's team?") == {"reejig"}
    assert names("What is Kubernetes (K8s)?") == {"kubernet", "k8s"}
    assert names("Why? Because") == frozenset()
