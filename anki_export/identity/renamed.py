"""A guide renamed without its ID ledger: find the ledger it left behind, and take it over.

New GUIDs derive from the guide's file stem, and the ledger is found by that stem. Renamed
alone (`mv old.md new.md`), a guide would find no ledger and give every note a new GUID:
Anki would import the whole guide again beside the old notes, with none of their history. So a
guide without a ledger takes over the ledger of its folder whose guide is gone and that mostly
holds the same notes, by identity key (a renamed guide and its ledger do), if only one does. The
export then writes the ledger under the new name and removes the old file. Pure Python.
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path

from anki_export.errors import AnkiExportError
from anki_export.identity import keys as identity
from anki_export.identity.ledger import SUFFIX, Ledger, ledger_path, read_ledger
from anki_export.records import GuideWarning, NoteRecord, SourceLocation


def renamed_ledger(guide: Path, notes: Sequence[NoteRecord]) -> tuple[Path, Ledger] | None:
    """The ledger `guide` left behind when it was renamed, and its content; None unless exactly
    one ledger of its folder has no guide and mostly holds the same notes as `notes`.

    Only for a guide that has no ledger of its own. Several guides renamed at once each find
    their own.
    """
    own = ledger_path(guide)
    orphans = [
        path
        for path in sorted(guide.parent.glob(f"*{glob.escape(SUFFIX)}"))
        if path != own and not _has_guide(path)
    ]
    if not orphans:
        return None  # as on every first export: no note's key is worth making
    keys = [identity.identity_key(note) for note in notes]
    found = [(p, ledger) for p in orphans if (ledger := _same_notes(p, keys)) is not None]
    return found[0] if len(found) == 1 else None  # none, or no telling which


def _same_notes(path: Path, keys: Sequence[tuple[str, str]]) -> Ledger | None:
    """The ledger at `path` if it mostly holds the notes of these identity keys, else None."""
    try:
        ledger = read_ledger(path)
    except AnkiExportError:
        return None  # not ours to take over
    live = {(e.note_type, e.front) for e in ledger.entries if not e.removed}
    known = sum(1 for key in keys if key in live)
    # Most of the notes on both sides: a renamed guide, perhaps edited a little too; not a new
    # guide that reuses a few questions of a deleted one (which would take over its ledger and
    # report all the rest as removed).
    if not known or 2 * known < max(len(keys), len(live)):
        return None
    return ledger


def taken_over(guide: Path, orphan: Path) -> GuideWarning:
    """The warning that `guide` took over the ledger `orphan` (`renamed_ledger`)."""
    return GuideWarning(
        SourceLocation(guide),
        f"has no ID ledger of its own, but {orphan.name} has no guide and knows its notes: "
        f"taken over as this guide's (renamed?), so that its notes keep their GUIDs; "
        f"{ledger_path(guide).name} replaces it once written",
    )


def _has_guide(ledger: Path) -> bool:
    """Whether a file named as the guide of `ledger` is beside it (any suffix)."""
    stem = ledger.name[: -len(SUFFIX)]
    return any(
        not path.name.endswith(SUFFIX) for path in ledger.parent.glob(f"{glob.escape(stem)}.*")
    )
