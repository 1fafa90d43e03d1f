"""Live sync: apply a guide to a real Anki collection instead of writing an `.apkg` to import.

`sync_deck` plans the guide as an export does (same GUIDs, ids and `mod` times), reads the
collection through one of two transports (`engine`: the collection file through Anki's engine,
the only user of the `anki` package, imported only when used; `ankiconnect`: Anki desktop's
add-on over urllib), and applies what `plan` decides. No click here.

Its modules are imported when a name is first used, not with the package: `export-deck`
defines its sync options (`choices`) in every run, and a build never syncs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from anki_export.sync.choices import Removed

if TYPE_CHECKING:
    from anki_export.sync.plan import SyncChange, SyncKind, SyncPlan
    from anki_export.sync.run import SyncResult, sync_deck

__all__ = ["Removed", "SyncChange", "SyncKind", "SyncPlan", "SyncResult", "sync_deck"]

_LAZY = {
    "SyncChange": "plan",
    "SyncKind": "plan",
    "SyncPlan": "plan",
    "SyncResult": "run",
    "sync_deck": "run",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
