"""What the command line offers a sync before any sync runs: the choices for removed notes and
AnkiConnect's address. Apart so that `export-deck` can define its options without importing the
sync itself, which a build never uses."""

from __future__ import annotations

from enum import Enum

DEFAULT_URL = "http://127.0.0.1:8765"


class Removed(str, Enum):
    """What a sync does with notes removed from the guide."""

    SUSPEND = "suspend"
    DELETE = "delete"
    KEEP = "keep"
