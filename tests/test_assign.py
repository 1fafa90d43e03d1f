"""Planning against the ledger: a rebuild keeps an unchanged note's entry without making it
anew, and that shortcut never gives another ledger than making every entry would."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from anki_export.identity import assign
from anki_export.identity.ledger import LedgerEntry, dump_ledger, write_ledger
from anki_export.identity.match import Identity
from anki_export.pipeline import plan_export
from anki_export.records import NoteSpec

from .test_memo import EDITS, GUIDE, PNG, T0


def _never_kept(entry: LedgerEntry, note: NoteSpec, ident: Identity, after: str) -> bool:
    return False


@pytest.mark.parametrize("seed", range(4))
def test_kept_entries_are_the_entries_planning_would_make(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    guide = tmp_path / "guide.md"
    (tmp_path / "gil.png").write_bytes(PNG)
    text = GUIDE
    kept = 0
    real = assign._kept

    def counted(entry: LedgerEntry, note: NoteSpec, ident: Identity, after: str) -> bool:
        nonlocal kept
        found = real(entry, note, ident, after)
        kept += found
        return found

    for step in range(12):
        guide.write_text(text, encoding="utf-8")
        with monkeypatch.context() as patched:
            patched.setattr(assign, "_kept", counted)
            shortcut = plan_export(guide, timestamp=T0 + step)
        with monkeypatch.context() as patched:
            patched.setattr(assign, "_kept", _never_kept)
            every = plan_export(guide, timestamp=T0 + step)
        assert dump_ledger(shortcut.ledger) == dump_ledger(every.ledger), f"step {step}"
        assert shortcut.report == every.report
        write_ledger(guide.with_name("guide.anki-ids.json"), shortcut.ledger)
        text = rng.choice(EDITS)(text, rng)
    assert kept > 50  # the shortcut was taken, not just never wrong
