"""`sync_deck`: apply a guide to a real Anki collection, and the result it reports.

The guide is planned exactly as for an `.apkg` (same GUIDs, note ids and `mod` times from the ID
ledger), the collection is read, `plan.plan_sync` decides, and the plan is applied in one pass:
media, one import of our own package (new and changed notes, note types), card moves, restores,
retirements. The ledger is written last, only after the collection took every change.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from anki_export.errors import choice
from anki_export.identity.ledger import Ledger, dump_ledger, ledger_path, read_ledger, write_ledger
from anki_export.lock import locked
from anki_export.pipeline import build_time, plan_export
from anki_export.records import DeckPlan, GuideWarning, SourceLocation
from anki_export.results import PlannedExport
from anki_export.sync.choices import Removed
from anki_export.sync.locate import open_transport
from anki_export.sync.plan import SyncChange, SyncKind, SyncPlan, plan_sync
from anki_export.sync.state import REMOVED_TAG
from anki_export.sync.transport import Transport
from anki_export.write.apkg import write_package


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What one sync changed (or, for a dry run or a check, would change) in a collection.

    `changes` lists every note added, updated, moved, retired, restored, deleted or kept (an
    edit made inside Anki that was not overwritten); `unchanged` counts the notes left as
    they were. `up_to_date` is whether the collection and the ledger needed nothing.
    """

    guide: Path
    deck: str
    collection: str
    changes: tuple[SyncChange, ...]
    unchanged: int
    note_types: tuple[str, ...]
    media: tuple[str, ...]
    warnings: tuple[GuideWarning, ...]
    ledger: Path
    up_to_date: bool
    applied: bool
    #: Our note types the collection lacked (`note_types`: those it had in an older version).
    note_types_added: tuple[str, ...] = ()

    @property
    def counts(self) -> dict[SyncKind, int]:
        counter = Counter(c.kind for c in self.changes)
        return {kind: counter[kind] for kind in SyncKind}

    @property
    def extras(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """What the sync brought besides notes, each with its names: note types added or
        updated, media files copied (only those that happened)."""
        found = (
            ("note types added", self.note_types_added),
            ("note types updated", self.note_types),
            ("media files copied", self.media),
        )
        return tuple((what, names) for what, names in found if names)

    @property
    def headline(self) -> str:
        """The changes in a few words: `2 added, 1 moved, 75 unchanged` or `up to date`."""
        parts = [f"{n} {kind.value}" for kind, n in self.counts.items() if n]
        parts += [f"{len(names)} {what}" for what, names in self.extras]
        if not parts:
            return "up to date"
        return ", ".join([*parts, f"{self.unchanged} unchanged"])

    def summary(self) -> str:
        """One line for people: where the guide went and what changed."""
        return f"{self.collection}: '{self.deck}' from {self.guide}: {self.headline}"


def sync_deck(
    guide: Path | str,
    *,
    collection: Path | str | None = None,
    profile: str | None = None,
    ankiconnect: str | None = None,
    removed: Removed | str = Removed.SUSPEND,
    overwrite_anki_edits: bool = False,
    dry_run: bool = False,
    deck_name: str | None = None,
    allow_html: bool = False,
    timestamp: int | None = None,
    before: Callable[[SyncPlan], None] | None = None,
) -> SyncResult:
    """Apply a guide to an Anki collection: add, update, move, retire; keep Anki-side edits.

    The collection is a file (`collection`, or `profile` in Anki's data folder), through Anki's
    engine (Anki must be closed), or Anki desktop through AnkiConnect (`ankiconnect`, a URL).
    With none of them: AnkiConnect on its default port if it answers, else the last profile.
    Writes the guide's ID ledger, as an `.apkg` export does; never AnkiWeb (Anki uploads the
    changes on its next sync).

    :param removed: notes removed from the guide: `suspend` (suspend their cards and tag them
        `anki-export::removed`), `delete` or `keep`.
    :param overwrite_anki_edits: replace notes edited inside Anki instead of keeping them.
    :param dry_run: read the collection and report, change nothing (not the ledger either).
    :param before: called with the plan before anything changes (to list deletions).
    :raises AnkiExportError: the guide cannot be read, the collection not reached or changed.
    """
    guide = Path(guide)
    mode = choice(Removed, removed, "--removed")
    now = build_time() if timestamp is None else timestamp
    lock = locked(guide) if guide.is_file() else contextlib.nullcontext()
    with lock:
        planned = plan_export(guide, deck_name=deck_name, timestamp=now, allow_html=allow_html)
        ledger_file = ledger_path(guide)
        # A guide renamed without its ledger plans from the one it left behind (`renamed_from`).
        old = read_ledger(planned.renamed_from or ledger_file)
        transport = open_transport(
            None if collection is None else Path(collection), profile, ankiconnect
        )
        try:
            sync = _plan(transport, planned, old, mode, overwrite_anki_edits)
            stale = _ledger_text(ledger_file) != dump_ledger(sync.ledger)
            if before is not None:
                before(sync)
            if not dry_run:
                _apply(transport, sync, planned.plan, now)
        finally:
            transport.close()
        if not dry_run and stale:
            write_ledger(ledger_file, sync.ledger)
            if planned.renamed_from is not None:
                planned.renamed_from.unlink(missing_ok=True)  # all of it is in the new ledger
    return _result(guide, planned, transport.where, sync, stale, applied=not dry_run)


def _result(
    guide: Path, planned: PlannedExport, where: str, sync: SyncPlan, stale: bool, applied: bool
) -> SyncResult:
    kept = [c for c in sync.changes if c.kind is SyncKind.KEPT]
    notices = tuple(GuideWarning(SourceLocation(guide, c.line), _notice(c)) for c in kept)
    return SyncResult(
        guide=guide,
        deck=planned.plan.root,
        collection=where,
        changes=sync.changes,
        unchanged=sync.unchanged,
        note_types=sync.note_types,
        note_types_added=sync.note_types_added,
        media=tuple(m.name for m in sync.media),
        warnings=planned.warnings + notices,
        ledger=ledger_path(guide),
        up_to_date=not (sync.writes_collection or stale),
        applied=applied,
    )


def _plan(
    transport: Transport, planned: PlannedExport, old: Ledger, removed: Removed, overwrite: bool
) -> SyncPlan:
    """Read what the collection holds of the guide and decide what to change."""
    plan = planned.plan
    ids = {n.note_id: n.guid for n in plan.notes}
    state = transport.read(plan.root, {m.name for m in plan.media}, ids)
    return plan_sync(
        plan.notes,
        planned.ledger,
        old,
        state,
        root=plan.root,
        media=plan.media,
        removed=removed,
        overwrite=overwrite,
    )


def _notice(change: SyncChange) -> str:
    return f"{change.front!r} {change.reason}"


def _ledger_text(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _apply(transport: Transport, sync: SyncPlan, plan: DeckPlan, now: int) -> None:
    """Apply the plan; each step is skipped when it has nothing to do, so that a sync with
    nothing to do changes nothing, not even a modification time."""
    if sync.media:
        transport.store_media(sync.media)
    if sync.deliver:
        package = replace(plan, notes=sync.deliver, media=())
        with tempfile.TemporaryDirectory(prefix="anki-export-sync-") as scratch:
            path = Path(scratch) / "sync.apkg"
            write_package(package, path, timestamp=now)
            transport.import_package(path)
    for deck, card_ids in sync.moves:
        transport.move_cards(card_ids, deck)
    if sync.unsuspend:
        transport.set_suspended(sync.unsuspend, False)
    if sync.untag:
        transport.set_tag(sync.untag, REMOVED_TAG, False)
    if sync.delete:
        transport.delete_notes(sync.delete)
    if sync.suspend:
        transport.set_suspended(sync.suspend, True)
    if sync.tag:
        transport.set_tag(sync.tag, REMOVED_TAG, True)
