"""The pipeline: guide file -> records -> notes -> .apkg, and the result it reports.

This is the library's main entry point (`export_deck`); the CLI only wires options to it.
It imports no third-party library itself.
"""

from __future__ import annotations

import contextlib
import gc
import glob
import os
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .build import write_package
from .cache import ItemCache, cache_path
from .errors import AnkiExportError
from .lock import locked
from .markdown import read_item
from .parse import parse_guide
from .records import DeckPlan, GuideWarning, Kind
from .render import render_notes

SOURCE_DIR = Path("source")
BUILD_DIR = Path("build")


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What one export wrote."""

    guide: Path
    output: Path
    deck: str
    notes: int
    kinds: tuple[tuple[Kind, int], ...]
    subdecks: int
    warnings: tuple[GuideWarning, ...]

    def summary(self) -> str:
        """One line for people: where the deck went and what is in it."""
        names = {
            Kind.QUESTION: "question",
            Kind.OPEN_QUESTION: "open question",
            Kind.CONCEPT: "concept",
            Kind.LIST: "list",
        }
        parts = [f"{n} {names[k]}{'' if n == 1 else 's'}" for k, n in self.kinds if n]
        return (
            f"{self.output}: {self.notes} notes ({', '.join(parts)}) in "
            f"{self.subdecks} subdecks of '{self.deck}'"
        )


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


def default_output(guide: Path, build_dir: Path = BUILD_DIR) -> Path:
    """`source/x.md` -> `build/x.apkg`."""
    return build_dir / f"{guide.stem}.apkg"


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


def export_deck(
    guide: Path,
    output: Path | None = None,
    *,
    deck_name: str | None = None,
    timestamp: int | None = None,
    cache: bool = True,
) -> ExportResult:
    """Export one guide to an .apkg.

    Exports of one output wait for each other (a lock beside the output's cache), so that they
    never interleave their writes.

    :param guide: the Markdown guide.
    :param output: the .apkg to write; defaults to `build/<guide stem>.apkg`.
    :param deck_name: the root deck's name instead of the guide's first `#` heading.
    :param timestamp: the build time (seconds); defaults to `SOURCE_DATE_EPOCH` or now.
    :param cache: keep what each item rendered to in `<output folder>/.cache/` for the next
        export; False neither reads nor writes it.
    :returns: what was written, with the guide's warnings.
    :raises AnkiExportError: the guide cannot be read or exported, or the deck not written.
    """
    target = output if output is not None else default_output(guide)
    items = cache_path(target)
    with locked(items.with_suffix(".lock")), _without_cycle_collection():
        _remove_leftovers(target)
        reader = ItemCache(items) if cache else None
        parsed = parse_guide(guide, read=reader.read_item if reader else read_item)
        plan = render_notes(parsed, deck_name)
        write_package(plan, target, timestamp=build_time() if timestamp is None else timestamp)
        if reader is not None:
            with contextlib.suppress(OSError):  # the cache only saves time; the deck is written
                reader.save()
    return _result(guide, target, plan, parsed.warnings)


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: an export builds millions of acyclic objects and the
    collector, which finds nothing to free, would traverse them all again and again (a tenth of
    a 100k-note export, half of writing its cache). Whatever it finds is collected afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _remove_leftovers(target: Path) -> None:
    """Temporary files of an export that was killed; only ever called under the output's lock."""
    for final in (target, cache_path(target)):
        for leftover in final.parent.glob(f".{glob.escape(final.name)}.*.tmp"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    leftover.unlink()


def _result(
    guide: Path, output: Path, plan: DeckPlan, warnings: tuple[GuideWarning, ...]
) -> ExportResult:
    counts = Counter(note.record.kind for note in plan.notes)
    return ExportResult(
        guide=guide,
        output=output,
        deck=plan.root,
        notes=len(plan.notes),
        kinds=tuple((kind, counts[kind]) for kind in Kind),
        subdecks=len(plan.decks) - 1,
        warnings=warnings,
    )
