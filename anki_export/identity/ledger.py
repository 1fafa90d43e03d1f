"""The ID ledger: a small JSON file beside each guide that remembers every note's identity.

For each note it keeps the GUID, note id, kind, section, normalised front, a fingerprint of the
rendered note and the `mod` time at which that content last changed, and what matching a
rewording needs: the front as written, a word sketch of the back, the note before it in its
section and an unanswered "did you reword?" question; for each note type, a fingerprint and
`mod`. It is sorted and stable (no churn when nothing changed) and meant to be committed with
the guide, like a lock file. Format 1 ledgers are read too, and written as format 2.
Pure Python; imports no third-party library.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from anki_export.atomic import write_if_changed
from anki_export.errors import AnkiExportError

FORMAT = 2
_READS = frozenset({1, FORMAT})
SUFFIX = ".anki-ids.json"
_ABOUT = (
    "anki-export ID ledger: keeps this guide's note GUIDs stable when questions are reworded "
    "or moved. Commit it with the guide; deleting it is safe (GUIDs then come from the text)."
)


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """What the last export knew about one note."""

    guid: str
    note_id: int
    kind: str
    note_type: str
    section: tuple[str, ...]
    front: str
    fingerprint: str
    mod: int
    removed: bool = False
    #: The front as the guide wrote it (plain text); "" in a format 1 ledger.
    text: str = ""
    #: `words.back_sketch` of the back; None when unknown (a format 1 ledger).
    back: str | None = None
    #: The GUID of the note before this one in its section ("" for the first); None: unknown.
    after: str | None = None
    #: An unanswered question: this note may be a rewording of the note with this GUID.
    maybe: str = ""
    maybe_score: float = 0.0
    #: Its line in the ledger file it was read from, written again as it is while the entry is
    #: unchanged (most of a large guide's ledger). Not an argument: `replace` drops it.
    line: str = field(default="", init=False, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class TypeEntry:
    fingerprint: str
    mod: int


@dataclass(frozen=True, slots=True)
class Ledger:
    entries: tuple[LedgerEntry, ...] = ()
    note_types: Mapping[str, TypeEntry] = field(default_factory=dict)


def ledger_path(guide: Path) -> Path:
    """`source/x.md` -> `source/x.anki-ids.json`."""
    return guide.with_name(guide.stem + SUFFIX)


def read_ledger(path: Path) -> Ledger:
    """Read a ledger; a missing file is an empty ledger.

    :raises AnkiExportError: the file exists but is not a ledger this version understands.
    """
    try:
        try:
            return _read_lines(path)
        except (ValueError, KeyError, TypeError, AttributeError):
            # Not laid out as `dump_ledger` writes it (edited by hand?): read it as any JSON.
            data = json.loads(path.read_text("utf-8"))
            sections: dict[tuple[str, ...], tuple[str, ...]] = {}
            return _ledger(data, (entry_from_json(item, sections) for item in data["notes"]))
    except FileNotFoundError:
        return Ledger()
    except (OSError, UnicodeDecodeError) as e:
        raise AnkiExportError(f"{path}: cannot read the ID ledger: {e}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        if (line := _conflict_line(path)) is not None:
            # Deleting it, the usual way out, would lose the GUIDs of reworded notes.
            raise AnkiExportError(
                f"{path}:{line}: unresolved merge conflict: in each conflict keep either side's "
                "lines (or `git checkout --ours` the file) and export again: notes keep their "
                "GUIDs (a reworded one may be asked about) and the export rewrites the entries"
            ) from None
        raise AnkiExportError(
            f"{path}: not a valid ID ledger ({e}); restore it from version control, or delete "
            "it to derive GUIDs from the text again"
        ) from None


def _conflict_line(path: Path) -> int | None:
    """The line of the first git merge-conflict marker in the file, if there is one."""
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            return next((n for n, line in enumerate(f, 1) if line.startswith("<<<<<<< ")), None)
    except OSError:
        return None


def _read_lines(path: Path) -> Ledger:
    """Read a ledger laid out as `dump_ledger` writes it, one note per line, without holding
    the whole file or its JSON tree (tens of MB for a large guide) in memory at once."""
    with path.open(encoding="utf-8") as f:
        data = _head("".join(itertools.islice(f, 5)))
        current = data.get("format") == FORMAT  # lines of an older format are written anew
        entries: list[LedgerEntry] = []
        sections: dict[tuple[str, ...], tuple[str, ...]] = {}
        batch: list[str] = []
        for line in f:
            if line.startswith("  ]"):
                if line.rstrip() != "  ]" or next(f, "").rstrip() != "}" or next(f, None):
                    raise ValueError("unexpected text after the notes")
                _add_entries(batch, sections, current, entries)
                return _ledger(data, entries)
            batch.append(line.rstrip().removesuffix(","))
            if len(batch) == _BATCH:
                _add_entries(batch, sections, current, entries)
                batch = []
    raise ValueError("the notes are not closed")


# Lines decoded a batch at a time: one `json.loads` of many is a third quicker than one each.
_BATCH = 1024


def _add_entries(
    lines: list[str],
    sections: dict[tuple[str, ...], tuple[str, ...]],
    keep_lines: bool,
    entries: list[LedgerEntry],
) -> None:
    items = json.loads(f"[{','.join(lines)}]")
    if len(items) != len(lines):
        raise ValueError("not one note per line")
    for text, item in zip(lines, items, strict=True):
        entry = entry_from_json(item, sections)
        if keep_lines:
            object.__setattr__(entry, "line", text)
        entries.append(entry)


def _head(head: str) -> Any:
    """The JSON of the lines before the notes (`head` ends where the notes begin)."""
    if not head.endswith(_NOTES_OPEN):
        raise ValueError("not one note per line")
    return json.loads(head[: -len("[\n")] + "[]}")


_NOTES_OPEN = '  "notes": [\n'


def note_types_of(text: str) -> Mapping[str, TypeEntry]:
    """The note types of a ledger's text as `dump_ledger` writes it.

    :raises ValueError: the text is not laid out so, or not a ledger this version reads.
    """
    end = text.find(_NOTES_OPEN)
    if end < 0:
        raise ValueError("not one note per line")
    return _ledger(_head(text[: end + len(_NOTES_OPEN)]), ()).note_types


def _ledger(data: Mapping[str, Any], entries: Iterable[LedgerEntry]) -> Ledger:
    if data.get("format") not in _READS:
        raise ValueError(f"unknown format {data.get('format')!r}")
    types = {
        name: TypeEntry(str(v["fingerprint"]), int(v["mod"]))
        for name, v in data.get("note_types", {}).items()
    }
    return Ledger(tuple(entries), types)


def entry_from_json(
    item: Mapping[str, Any], sections: dict[tuple[str, ...], tuple[str, ...]]
) -> LedgerEntry:
    """One entry from its JSON; `sections` shares equal section tuples between entries."""
    section = tuple(map(str, item["section"]))
    back, after, maybe = item.get("back"), item.get("after"), item.get("maybe")
    # Positional: this runs for every line of a large guide's ledger on every export.
    return LedgerEntry(
        str(item["guid"]),
        int(item["id"]),
        sys.intern(str(item["kind"])),
        sys.intern(str(item["note_type"])),
        # Notes of one section share one tuple: 100k notes, a few thousand sections.
        sections.setdefault(section, section),
        str(item["front"]),
        str(item["fingerprint"]),
        int(item["mod"]),
        bool(item.get("removed", False)),
        str(item.get("text", "")),
        None if back is None else str(back),
        None if after is None else str(after),
        str(maybe[0]) if maybe else "",
        float(maybe[1]) if maybe else 0.0,
    )


def dump_ledger(ledger: Ledger) -> str:
    """The ledger as sorted, indented JSON (the exact text written to disk)."""
    return "".join(ledger_file_lines(ledger))


def ledger_file_lines(ledger: Ledger) -> Iterator[str]:
    """The ledger's text line by line, so that a large one is never held as one string."""
    entries = sorted(ledger.entries, key=sort_key)
    return ledger_lines(ledger.note_types, map(entry_line, entries))


def sort_key(entry: LedgerEntry) -> tuple[str, str, str]:
    """The order of entries in the file."""
    return entry.front, entry.note_type, entry.guid


def entry_line(entry: LedgerEntry) -> str:
    """One entry's line in the file (without the comma that separates it from the next)."""
    return entry.line or f"    {_entry_json(entry)}"


def ledger_lines(note_types: Mapping[str, TypeEntry], entry_lines: Iterable[str]) -> Iterator[str]:
    """The file's text from its note types and its entries' lines in `sort_key` order."""
    types = {
        name: {"fingerprint": t.fingerprint, "mod": t.mod} for name, t in sorted(note_types.items())
    }
    yield "{\n"
    yield f'  "about": {_json(_ABOUT)},\n'
    yield f'  "format": {FORMAT},\n'
    yield f'  "note_types": {_json(types)},\n'
    yield _NOTES_OPEN
    # One note per line: a reworded or edited note shows up as a one-line diff.
    separator = ""
    for line in entry_lines:
        yield separator + line
        separator = ",\n"
    yield "\n  ]\n}\n" if separator else "  ]\n}\n"


def lines_by_guid(text: str) -> dict[str, str]:
    """Each entry's line in a ledger's text as `dump_ledger` writes it, by GUID."""
    found = {}
    for line in text.split("\n"):
        at = line.find(_GUID_KEY)
        if line.startswith("    {") and at > 0:
            start = at + len(_GUID_KEY)
            # A GUID has no quote (base91 without it); the front and section before it are
            # JSON strings, whose quotes are escaped, so the first match is the key.
            found[line[start : line.index('"', start)]] = line.removesuffix(",")
    return found


_GUID_KEY = ', "guid": "'


def _entry_json(e: LedgerEntry) -> str:
    """An entry as `json.dumps` writes the object of its fields (in this order, `ensure_ascii`
    off), put together by hand: a cold export of a large guide writes every line, and this
    takes a third less time than building the object to encode (10k lines: 0.076 -> 0.048 s)."""
    text = encode_basestring
    parts = [
        f'"front": {text(e.front)}',
        f'"kind": {text(e.kind)}',
        f'"note_type": {text(e.note_type)}',
        f'"section": [{", ".join(map(text, e.section))}]',
        f'"guid": {text(e.guid)}',
        f'"id": {int(e.note_id)}',
        f'"fingerprint": {text(e.fingerprint)}',
        f'"mod": {int(e.mod)}',
    ]
    # Written only when known, so that a format 1 entry is not made to look like a format 2 one.
    if e.text:
        parts.append(f'"text": {text(e.text)}')
    if e.back is not None:
        parts.append(f'"back": {text(e.back)}')
    if e.after is not None:
        parts.append(f'"after": {text(e.after)}')
    if e.maybe:
        parts.append(f'"maybe": {_json([e.maybe, e.maybe_score])}')
    if e.removed:
        parts.append('"removed": true')
    return "{" + ", ".join(parts) + "}"


# One encoder for every line: `json.dumps` with an option makes a new one each call.
_json = json.JSONEncoder(ensure_ascii=False).encode


def write_ledger(path: Path, ledger: Ledger) -> bool:
    """Write the ledger atomically unless the file already holds exactly this content.

    :returns: whether the file was written.
    :raises BuildError: the file cannot be written.
    """
    return write_lines(path, ledger_file_lines(ledger))


def write_lines(path: Path, lines: Iterable[str]) -> bool:
    """`write_ledger` for the file's text as lines (`ledger_file_lines`), made once.

    :returns: whether the file was written.
    """
    return write_if_changed(path, (line.encode("utf-8") for line in lines), "the ID ledger")
