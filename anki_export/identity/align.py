"""Where a note stood: the old notes of each section in guide order, aligned with the new ones.

Like a diff, per section: the notes that kept their front exactly are the common lines; what lies
between them are the changed stretches, and a rewording is looked for first inside its stretch
(a whole reworded section, a swap, a note reworded next to a removed one). Imports only the
standard library and the ledger's records.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Sequence

from anki_export.identity.ledger import LedgerEntry

Section = tuple[str, ...]


def section_order(entries: Iterable[LedgerEntry]) -> dict[Section, list[LedgerEntry]]:
    """The live entries of each section in the order of the guide they were written from.

    The order follows each entry's `after` (the GUID of the note before it in its section);
    where that chain is missing or broken (a ledger from an earlier version, a merge), the
    remaining entries follow in the order of their note ids, which were given in guide order.
    """
    by_section: dict[Section, list[LedgerEntry]] = defaultdict(list)
    for entry in entries:
        if not entry.removed:
            by_section[entry.section].append(entry)
    ordered = {}
    for section, members in by_section.items():
        members.sort(key=lambda e: (e.note_id, e.guid))
        following: dict[str, list[LedgerEntry]] = defaultdict(list)
        for entry in members:
            if entry.after is not None:
                following[entry.after].append(entry)
        chain: list[LedgerEntry] = []
        seen: set[str] = set()
        here = ""
        while following.get(here):
            entry = following[here].pop(0)
            if entry.guid in seen:
                break
            seen.add(entry.guid)
            chain.append(entry)
            here = entry.guid
        chain += [e for e in members if e.guid not in seen]
        ordered[section] = chain
    return ordered


def changed_stretches(old: Sequence[str], new: Sequence[str | None]) -> list[tuple[range, range]]:
    """The stretches of `old` and `new` between their common items, as index ranges.

    :param old: the GUIDs of a section's old notes, in order.
    :param new: the GUID each new note of the section kept exactly, or None (not matched yet).
    """
    # Unmatched new notes are each unlike anything: distinct objects never compare equal.
    keys: list[object] = [k if k is not None else object() for k in new]
    matcher = difflib.SequenceMatcher(None, list(old), keys, autojunk=False)
    return [
        (range(i1, i2), range(j1, j2))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
