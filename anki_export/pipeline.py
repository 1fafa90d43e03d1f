"""The pipeline: guide file -> records -> notes -> .apkg, and the result it reports.

This is the library's main entry point (`export_deck`); the CLI only wires options to it.
It imports no third-party library itself.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from anki_export.errors import AnkiExportError, BuildError, OptionsError, choice
from anki_export.identity.assign import plan_note_types, plan_notes, removed_entries
from anki_export.identity.ledger import (
    Ledger,
    dump_ledger,
    ledger_file_lines,
    ledger_path,
    read_ledger,
    write_lines,
)
from anki_export.identity.match import match_notes
from anki_export.identity.renamed import renamed_ledger, taken_over
from anki_export.identity.report import Change, ChangeReport
from anki_export.lock import locked
from anki_export.memo import Memo, memo_key, memo_path
from anki_export.notes import render_notes
from anki_export.read.guide import parse_guide
from anki_export.read.review import review_guide
from anki_export.records import Guide
from anki_export.results import ExportResult, PlannedExport, result_of
from anki_export.write.apkg import write_package
from anki_export.write.formats import OutputFormat, dump_csv, dump_json, write_text

# The formats Anki imports: only their exports move the ID ledger forward.
_CHANGES_ANKI = frozenset({OutputFormat.APKG, OutputFormat.CSV})

SOURCE_DIR = Path("source")
BUILD_DIR = Path("build")


def build_time() -> int:
    """Seconds since the epoch for this build; `SOURCE_DATE_EPOCH` wins when set."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value:
        try:
            return int(value)
        except ValueError:
            raise AnkiExportError(
                f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}"
            ) from None
    return int(time.time())


def default_output(
    guide: Path, build_dir: Path = BUILD_DIR, format: OutputFormat = OutputFormat.APKG
) -> Path:
    """`source/x.md` -> `build/x.apkg` (or `.csv`, `.json`)."""
    return build_dir / f"{guide.stem}{format.suffix}"


def find_guides(source_dir: Path = SOURCE_DIR) -> list[Path]:
    """Every `*.md` directly in `source_dir`, sorted by name.

    :raises AnkiExportError: the folder is missing or holds no guide.
    """
    if not source_dir.is_dir():
        raise AnkiExportError(
            f"{source_dir}: no such folder; run export-deck in a folder with a source/ folder of "
            "guides, or name a guide: export-deck GUIDE.md"
        )
    guides = sorted(p for p in source_dir.glob("*.md") if p.is_file())
    if not guides:
        raise AnkiExportError(f"{source_dir}: no *.md guides in this folder")
    return guides


def plan_export(
    guide: Path,
    *,
    deck_name: str | None = None,
    timestamp: int | None = None,
    text: str | None = None,
    use_ledger: bool = True,
    guide_id: str | None = None,
    allow_html: bool = False,
    memo: Memo | None = None,
    workers: int | None = 1,
    links: Mapping[int, str | None] | None = None,
    confirm: Callable[[Change], bool] | None = None,
) -> PlannedExport:
    """Parse a guide, match its notes against its ID ledger and decide ids and `mod` times.

    A note whose rendered content is unchanged keeps its recorded `mod`, so that Anki leaves it
    alone; a changed note gets the build time, and always more than its recorded `mod` (Anki
    updates a note only when the incoming `mod` is newer); a new note gets the build time.

    :param text: the guide's text, when it is not to be read from `guide` (standard input).
    :param use_ledger: read the ID ledger beside the guide (False: GUIDs from the text alone).
    :param guide_id: what new GUIDs derive from instead of the guide's file stem.
    :param allow_html: pass raw HTML in the guide through instead of escaping it.
    :param memo: what the guide's chunks read to last time (see `memo.Memo`).
    :param workers: processes to read the guide's list items with (see `read.guide.parse_guide`);
        None: one per core when the guide is large enough for it to pay.
    :param links: answers to possible rewordings (`ChangeKind.POSSIBLE_REWORDING` in the
        report), by the line the new note starts on: the old note's GUID, so that the note keeps
        it and its history, or None for a new note. Answers are kept in the ledger.
    :param confirm: asked about each possible rewording left unanswered (True: it is the old
        note reworded) before anything is written; without it, such a note is written as new
        and the question stays in the ledger and the report until answered.
    :raises AnkiExportError: the guide or its ledger cannot be read, or the guide has no notes.
    """
    parsed = parse_guide(guide, text, allow_html=allow_html, memo=memo, workers=workers)
    own = ledger_path(guide)
    old = read_ledger(own) if use_ledger else Ledger()
    renamed = None
    if use_ledger and text is None and not old.entries and not own.exists():
        renamed = renamed_ledger(guide, parsed.notes)
        if renamed is not None:
            old = renamed[1]
    planned = functools.partial(
        plan_records, parsed, old, deck_name=deck_name, timestamp=timestamp, guide_id=guide_id
    )
    result = planned(links=links)
    if confirm is not None and result.report.questions:
        answers = {c.line: c.old_guid if confirm(c) else None for c in result.report.questions}
        result = planned(links={**(links or {}), **answers})
    if renamed is not None:
        warnings = (taken_over(guide, renamed[0]), *result.warnings)
        result = replace(result, warnings=warnings, renamed_from=renamed[0])
    return result


def plan_records(
    parsed: Guide,
    old: Ledger,
    *,
    deck_name: str | None = None,
    timestamp: int | None = None,
    guide_id: str | None = None,
    links: Mapping[int, str | None] | None = None,
) -> PlannedExport:
    """`plan_export` for records already parsed (and perhaps filtered or added to).

    :param links: answers to possible rewordings, by the line the new note starts on: the old
        note's GUID (it is that note reworded) or None (it is a new note); see `match_notes`.
    """
    now = build_time() if timestamp is None else timestamp
    if guide_id and parsed.title == parsed.path.stem:
        # No `#` title and no real file name to fall back on (standard input).
        parsed = replace(parsed, title=guide_id)
    identities = match_notes(guide_id or parsed.identity, parsed.notes, old, links)
    plan = render_notes(parsed, deck_name, [i.guid for i in identities])

    notes, entries, changes, unchanged = plan_notes(
        plan.notes, identities, {e.note_id for e in old.entries}, now, plan.root
    )
    matched = {i.entry.guid for i in identities if i.entry is not None}
    removed, gone = removed_entries(old.entries, matched, plan.root)
    entries += removed
    changes += gone
    type_entries = plan_note_types(old.note_types, now)
    plan = replace(plan, notes=tuple(notes), type_mods={k: t.mod for k, t in type_entries.items()})
    report = ChangeReport(
        changes=tuple(changes),
        unchanged=unchanged,
        first_export=not old.entries,
    )
    warnings = sorted([*parsed.warnings, *review_guide(parsed)], key=lambda w: w.location.line)
    return PlannedExport(
        parsed.path, plan, Ledger(tuple(entries), type_entries), report, tuple(warnings)
    )


def export_deck(
    guide: Path | str,
    output: Path | str | TextIO | None = None,
    *,
    format: OutputFormat | str = OutputFormat.APKG,
    deck_name: str | None = None,
    timestamp: int | None = None,
    dry_run: bool = False,
    text: str | None = None,
    use_ledger: bool = True,
    guide_id: str | None = None,
    allow_html: bool = False,
    cache: bool = True,
    workers: int | None = 1,
    links: Mapping[int, str | None] | None = None,
    confirm: Callable[[Change], bool] | None = None,
) -> ExportResult:
    """Export one guide, as `export-deck` does: write the deck and update the ID ledger.

    Exports of one guide wait for each other (a lock on the guide file), so that they never
    interleave their writes of the deck, the ledger or the memo.

    :param output: the file to write, or a text stream for `csv` and `json` (e.g. `sys.stdout`);
        defaults to `build/<guide stem>.<format>`.
    :param format: `apkg` (an Anki package), `csv` (Anki's text-import format: notes only; the
        note types must already be in the collection), `json` (the records, for scripts) or
        `html` (the preview page: every card's front and back, to check before importing).
    :param deck_name: the root deck's name instead of the guide's first `#` heading.
    :param timestamp: the build time (seconds); defaults to `SOURCE_DATE_EPOCH` or now.
    :param dry_run: compute the result and the change report, write nothing.
    :param use_ledger: read the ID ledger beside the guide and, for `apkg` and `csv`, write it
        back. `json` and `html` never write the ledger (they change nothing in Anki).
    :param cache: keep what each chunk of the guide read to for the next export (in
        `build/.cache/` for an output in a `build/` folder, else in the user's cache folder:
        see `memo.memo_path`); False neither reads nor writes it.
    :param text, guide_id, allow_html, workers, links, confirm: as for `plan_export`.
    :returns: what was (or would be) written: output, counts per kind and deck, warnings and
        the change report.
    :raises AnkiExportError: the guide cannot be read or exported, or the deck not written.
    """
    guide, output = Path(guide), _path(output)
    fmt = choice(OutputFormat, format, "format")
    now = build_time() if timestamp is None else timestamp
    target = output if output is not None else default_output(guide, format=fmt)
    ledger = ledger_path(guide) if use_ledger else None
    plan = functools.partial(
        plan_export, guide, deck_name=deck_name, timestamp=now, text=text, use_ledger=use_ledger
    )
    plan = functools.partial(plan, guide_id=guide_id, allow_html=allow_html, workers=workers)
    plan = functools.partial(plan, links=links, confirm=confirm)
    if dry_run:
        return result_of(plan(), target, fmt, written=False, ledger=ledger)
    # A missing guide has nothing to lock: parsing it reports the error.
    lock = locked(guide) if text is None and guide.is_file() else contextlib.nullcontext()
    with lock, _memo(guide, target, ledger, cache and text is None, allow_html) as memo:
        planned = plan(memo=memo)
        _write(planned, fmt, target, now, memo)
        if ledger is not None and fmt in _CHANGES_ANKI:
            _write_ledger(planned, ledger)
    return result_of(planned, target, fmt, written=True, ledger=ledger)


def _write_ledger(planned: PlannedExport, ledger: Path) -> None:
    write_lines(ledger, ledger_file_lines(planned.ledger))
    if planned.renamed_from is not None:
        planned.renamed_from.unlink(missing_ok=True)  # every entry of it is in the new ledger


@contextlib.contextmanager
def _memo(
    guide: Path, target: Path | TextIO, ledger: Path | None, use: bool, allow_html: bool
) -> Iterator[Memo | None]:
    """The memo of exporting `guide` to `target` (None for a stream, or if not `use`d), saved
    if the export succeeds; and no leftovers of a killed export beside the deck or the memo."""
    if not isinstance(target, Path):
        yield None
        return
    store = memo_path(guide, target) if use else None
    _remove_leftovers(target, store, ledger)
    if store is None:
        yield None
        return
    with Memo(store, _memo_key(allow_html)) as memo:
        yield memo
        with contextlib.suppress(BuildError):  # the memo only saves time; the deck is written
            memo.save()


def _memo_key(allow_html: bool) -> str:
    """The key an export's memo is made under: an export and a check of it must agree."""
    return memo_key({"allow_html": "yes"} if allow_html else {})


def _remove_leftovers(*finals: Path | None) -> None:
    """Temporary files of an export that was killed; only ever called under the output's lock."""
    for final in finals:
        if final is None:
            continue
        for leftover in final.parent.glob(f".{glob.escape(final.name)}.*.tmp"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    leftover.unlink()


def build_package(
    guide: Guide,
    output: Path | str | TextIO,
    *,
    format: OutputFormat | str = OutputFormat.APKG,
    deck_name: str | None = None,
    timestamp: int | None = None,
    ledger: Path | None = None,
) -> ExportResult:
    """Write records (from `parse_guide`, perhaps filtered or added to) as a deck.

    GUIDs derive from the guide's identity (its file stem), the note type and the front, as on
    a first export; with `ledger`, notes it knows keep its GUIDs. The ledger is only read.

    :raises AnkiExportError: the ledger cannot be read or the deck not written.
    """
    target = Path(output) if isinstance(output, str) else output
    fmt = choice(OutputFormat, format, "format")
    now = build_time() if timestamp is None else timestamp
    old = read_ledger(ledger) if ledger is not None else Ledger()
    planned = plan_records(guide, old, deck_name=deck_name, timestamp=now)
    _write(planned, fmt, target, now)
    return result_of(planned, target, fmt, written=True, ledger=ledger)


def check_export(
    guide: Path,
    output: Path | None = None,
    *,
    format: OutputFormat | str = OutputFormat.APKG,
    deck_name: str | None = None,
    timestamp: int | None = None,
    allow_html: bool = False,
    cache: bool = True,
    workers: int | None = 1,
) -> tuple[bool, ExportResult]:
    """Whether the deck and the ID ledger are what an export would write now.

    Writes nothing, not even the memo: it is only read (`cache`), so that a check after an
    export (a pre-commit hook) takes a rebuild's time, not a cold export's.

    :param cache, workers: as for `export_deck`.
    :returns: (up to date, the result with the change report an export would give).
    """
    fmt = choice(OutputFormat, format, "format")
    now = build_time() if timestamp is None else timestamp
    target = output if output is not None else default_output(guide, format=fmt)
    store = memo_path(guide, target) if cache else None
    memo = Memo(store, _memo_key(allow_html), writable=False) if store is not None else None
    with memo if memo is not None else contextlib.nullcontext():
        planned = plan_export(
            guide,
            deck_name=deck_name,
            timestamp=now,
            allow_html=allow_html,
            memo=memo,
            workers=workers,
        )
        ledger_file = ledger_path(guide)
        result = result_of(planned, target, fmt, written=False, ledger=ledger_file)
        try:
            changes_anki = fmt in _CHANGES_ANKI
            if changes_anki and ledger_file.read_text("utf-8") != dump_ledger(planned.ledger):
                return False, result
            current = target.read_bytes()
        except (OSError, UnicodeDecodeError):
            return False, result
        if planned.report.questions:
            return False, result  # a possible rewording nobody answered: not ready to import
        with tempfile.TemporaryDirectory(prefix="anki-export-check-") as scratch:
            fresh = Path(scratch) / target.name
            _write(planned, fmt, fresh, now, memo)
            return fresh.read_bytes() == current, result


def _path(output: Path | str | TextIO | None) -> Path | TextIO | None:
    return Path(output) if isinstance(output, str) else output


def _write(
    planned: PlannedExport,
    fmt: OutputFormat,
    target: Path | TextIO,
    now: int,
    memo: Memo | None = None,
) -> None:
    if fmt is OutputFormat.APKG:
        if not isinstance(target, Path):
            raise OptionsError("an .apkg is a binary file: write it to a file, not a stream")
        write_package(planned.plan, target, timestamp=now, memo=memo)
        return
    if fmt is OutputFormat.HTML:
        if not isinstance(target, Path):
            raise OptionsError("the preview page embeds images: write it to a file, not a stream")
        from anki_export.write.preview import write_preview  # only its users pay to import it

        write_preview(planned.plan, target)
        return
    if fmt is OutputFormat.CSV:
        text = dump_csv(planned.plan)
    else:
        text = dump_json(planned.plan, planned.guide)
    if isinstance(target, Path):
        write_text(text, target)
    else:
        target.write(text)
        target.flush()
