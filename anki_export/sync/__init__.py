"""Live sync: apply a guide to a real Anki collection instead of writing an `.apkg` to import.

`sync_deck` plans the guide as an export does (same GUIDs, ids and `mod` times), reads the
collection through one of two transports (`engine`: the collection file through Anki's engine,
the only user of the `anki` package, imported only when used; `ankiconnect`: Anki desktop's
add-on over urllib), and applies what `plan` decides. No click here.
"""

from anki_export.sync.plan import Removed, SyncChange, SyncKind, SyncPlan
from anki_export.sync.run import SyncResult, sync_deck

__all__ = ["Removed", "SyncChange", "SyncKind", "SyncPlan", "SyncResult", "sync_deck"]
