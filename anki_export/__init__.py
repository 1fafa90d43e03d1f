"""anki-export: turn a Markdown study guide into an Anki deck that re-imports in place.

The library API: `export_deck` does what the `export-deck` command does for one guide and
returns an `ExportResult`; `parse_guide` (guide -> records) and `build_package` (records ->
deck) are its stages, for code that filters notes or adds its own; `sync_deck` applies a guide
to an Anki collection directly. Every error is an
`AnkiExportError`. See the README, "Library API".
"""

from typing import TYPE_CHECKING, Any

from anki_export.errors import (
    AnkiExportError,
    BuildError,
    GuideError,
    OptionsError,
    SourceReadError,
    SyncError,
)
from anki_export.identity.report import Change, ChangeKind, ChangeReport
from anki_export.notes import render_notes
from anki_export.pipeline import build_package, check_export, export_deck
from anki_export.read.guide import parse_guide
from anki_export.records import (
    Concept,
    DeckPlan,
    Fragment,
    Guide,
    GuideWarning,
    Kind,
    ListNote,
    NoteRecord,
    Question,
    Section,
    SourceLocation,
)
from anki_export.results import ExportResult
from anki_export.sync.choices import Removed
from anki_export.write.apkg import write_package
from anki_export.write.formats import JSON_SCHEMA_VERSION, OutputFormat, dump_csv, dump_json

if TYPE_CHECKING:
    from anki_export.sync import SyncChange, SyncKind, SyncResult, sync_deck

__version__ = "0.1.0"

__all__ = [
    "JSON_SCHEMA_VERSION",
    "AnkiExportError",
    "BuildError",
    "Change",
    "ChangeKind",
    "ChangeReport",
    "Concept",
    "DeckPlan",
    "ExportResult",
    "Fragment",
    "Guide",
    "GuideError",
    "GuideWarning",
    "Kind",
    "ListNote",
    "NoteRecord",
    "OptionsError",
    "OutputFormat",
    "Question",
    "Removed",
    "Section",
    "SourceLocation",
    "SourceReadError",
    "SyncChange",
    "SyncError",
    "SyncKind",
    "SyncResult",
    "__version__",
    "build_package",
    "check_export",
    "dump_csv",
    "dump_json",
    "export_deck",
    "parse_guide",
    "render_notes",
    "sync_deck",
    "write_package",
]


def __getattr__(name: str) -> Any:
    # The sync's names come with their first use: a build never syncs (see `anki_export.sync`).
    if name in ("SyncChange", "SyncKind", "SyncResult", "sync_deck"):
        from anki_export import sync

        value = getattr(sync, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
