"""anki-export: turn a Markdown study guide into an Anki deck that re-imports in place.

The library API: `export_deck` does what the `export-deck` command does for one guide and
returns an `ExportResult`; `parse_guide` (guide -> records) and `build_package` (records ->
deck) are its stages, for code that filters notes or adds its own; `sync_deck` applies a guide
to an Anki collection directly. Every error is an
`AnkiExportError`. See the README, "Library API".
"""

from .build import write_package
from .errors import (
    AnkiExportError,
    BuildError,
    GuideError,
    OptionsError,
    SourceReadError,
    SyncError,
)
from .export import ExportResult, build_package, check_export, export_deck
from .formats import JSON_SCHEMA_VERSION, OutputFormat, dump_csv, dump_json
from .parse import parse_guide
from .records import (
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
from .render import render_notes
from .report import Change, ChangeKind, ChangeReport
from .sync import Removed, SyncChange, SyncKind, SyncResult, sync_deck

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
