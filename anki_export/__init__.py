"""anki-export: turn a Markdown study guide into an Anki deck that re-imports in place.

The library API: `export_deck` does what the `export-deck` command does for one guide;
`parse_guide`, `render_notes` and `write_package` are its stages.
"""

from .build import write_package
from .errors import AnkiExportError, BuildError, GuideError, SourceReadError
from .export import ExportResult, export_deck
from .parse import parse_guide
from .render import render_notes

__version__ = "0.1.0"

__all__ = [
    "AnkiExportError",
    "BuildError",
    "ExportResult",
    "GuideError",
    "SourceReadError",
    "__version__",
    "export_deck",
    "parse_guide",
    "render_notes",
    "write_package",
]
