"""Incremental rebuilds: what the last export made of each chunk of a guide, so that an edit costs
what it changed, not what the guide holds.

A chunk is a run of lines from one heading in column 0 to the next (`parse.scan_guide`). For each,
the snapshot keeps the scanner's state entering and leaving it and what its notes became: fields,
tags, deck, fingerprint, card templates, GUID, note id and `mod`, with its sections and warnings.
A rebuild (`rebuild`) scans only the chunks whose text or entering state changed, matches only
their notes against the ledger, and writes the package from the kept rows and the new ones.

It is only ever a shortcut to the very same result as a full export, and declines (returns None,
and the full export runs) whenever it could not be sure of that:
- the snapshot is missing, damaged, or made by other code, libraries or options;
- the ID ledger is not byte for byte the one the snapshot's export wrote;
- a chunk holds an image (its file may have changed), or a code block runs past its chunk;
- two notes share a front (matching them depends on the whole guide's order);
- the root deck's name changed, or the guide has an error of any kind (the full export reports it).
Tests compare its decks, ledgers, warnings and reports with full exports after random edits.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import marshal
import struct
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from . import identity
from .atomic import atomic_output
from .build import (
    CollectionJson,
    GenankiFacts,
    HtmlCheck,
    card_ords,
    card_rows_of,
    collection_json,
    deck_id,
    note_row,
    write_rows,
)
from .cache import CACHE_DIR_NAME, cache_key
from .errors import AnkiExportError
from .ledger import (
    Ledger,
    LedgerEntry,
    entry_from_json,
    entry_line,
    ledger_lines,
    lines_by_guid,
    note_types_of,
    sort_key,
)
from .lint import review_guide, review_notes
from .match import content_words, match_keys, weights_from_counts
from .parse import (
    ChunkScan,
    ChunkScanner,
    Scan,
    ScanState,
    chunk_digest,
    chunk_starts,
    decode_guide,
    empty_section_warnings,
    guide_lines,
)
from .planning import plan_note_types, plan_notes, removed_entries
from .records import (
    DeckSpec,
    GuideWarning,
    Kind,
    NoteSpec,
    Section,
    SourceLocation,
)
from .render import note_spec
from .report import ChangeReport

_MAGIC = b"anki-export snapshot 2\n"
_HEAD = struct.Struct(">I")
_DIGEST = 32
_GROUP = 64  # chunks per checked block: a large guide's snapshot is never one more copy
# Libraries whose version can change what a chunk made (genanki: its facts are kept here).
_LIBRARIES = ("mistune", "pygments", "genanki")


class _Kept(NamedTuple):
    """A note of a chunk as the snapshot keeps it (its identity is kept beside it)."""

    kind: str
    note_type: str
    front: str  # normalised, as in the ledger
    section: tuple[str, ...]
    deck: tuple[str, ...]
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    fingerprint: str
    ords: tuple[int, ...]  # card templates


class _Written(NamedTuple):
    """A note as the package gets it."""

    guid: str
    note_id: int
    mod: int
    note_type: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: tuple[str, ...]
    ords: tuple[int, ...]


#: Above this many notes no snapshot is kept: it would cost a full export a quarter more memory
#: (100k notes: 291 -> 369 MB), and the render cache already serves such guides' rebuilds.
MAX_NOTES = 50_000


def snapshot_path(output: Path) -> Path:
    """`build/x.apkg` -> `build/.cache/x.apkg.snapshot`."""
    return output.parent / CACHE_DIR_NAME / f"{output.name}.snapshot"


def snapshot_key(*, allow_html: bool, deck_name: str | None) -> str:
    """Everything besides the guide and its ledger that shapes an export."""
    options = {"allow_html": "yes" if allow_html else "no", "deck_name": deck_name or ""}
    return cache_key(options, _LIBRARIES)


@dataclass(frozen=True, slots=True)
class _Chunk:
    """What one chunk made, as kept in the snapshot."""

    digest: bytes
    state: ScanState
    exit: ScanState
    notes: list[_Kept]
    idents: list[tuple[str, int, int]]  # (GUID, note id, mod) of each note
    sections: list[tuple[int, tuple[str, ...]]]  # (line - chunk start, path)
    contents: list[tuple[str, ...]]
    warnings: list[tuple[int, str]]
    lint: list[tuple[int, str]]
    description: tuple[str, str] | None
    #: How many of its notes' fronts each content word is in (for `match` weights).
    words: dict[str, int]

    def encode(self) -> tuple[Any, ...]:
        return (
            self.digest,
            (self.state.title, self.state.stack),
            (self.exit.title, self.exit.stack),
            [tuple(note) for note in self.notes],  # marshal takes no tuple subclass
            self.idents,
            self.sections,
            self.contents,
            self.warnings,
            self.lint,
            self.description,
            self.words,
        )

    @classmethod
    def decode(cls, value: tuple[Any, ...]) -> _Chunk:
        digest, state, exit_, notes, *rest = value
        kept = [_Kept._make(note) for note in notes]
        return cls(digest, ScanState(*state), ScanState(*exit_), kept, *rest)


@dataclass(frozen=True, slots=True)
class Snapshot:
    key: str
    root: str
    ledger_digest: bytes
    facts: GenankiFacts
    decks: tuple[tuple[tuple[str, ...], str], ...]
    type_mods: tuple[tuple[str, int], ...]
    col: CollectionJson
    chunks: tuple[_Chunk, ...]


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """A rebuild's result, ready to write."""

    root: str
    decks: tuple[DeckSpec, ...]
    kinds: Counter[Kind]
    per_deck: Counter[str]
    notes: int
    warnings: tuple[GuideWarning, ...]
    report: ChangeReport
    snapshot: Callable[[bytes], Snapshot]
    write_deck: Callable[[Path], None]
    ledger_lines: Callable[[], Iterator[str]]


# --- writing and reading --------------------------------------------------------------------


def save(path: Path, snapshot: Snapshot) -> None:
    """Write the snapshot atomically (`BuildError` if it cannot be)."""
    meta = marshal.dumps(
        (
            snapshot.root,
            snapshot.ledger_digest,
            (
                snapshot.facts.schema,
                snapshot.facts.col,
                dict(snapshot.facts.requirements),
                snapshot.facts.invalid_tag_pattern,
            ),
            snapshot.decks,
            snapshot.type_mods,
            (snapshot.col.decks, snapshot.col.models),
            len(snapshot.chunks),
        )
    )
    with atomic_output(path, "the rebuild snapshot") as f:
        f.write(_MAGIC + snapshot.key.encode("ascii") + b"\n")
        _block(f.write, meta)
        chunks = snapshot.chunks
        for start in range(0, len(chunks), _GROUP):
            _block(f.write, marshal.dumps([c.encode() for c in chunks[start : start + _GROUP]]))


def _block(write: Callable[[bytes], object], body: bytes) -> None:
    write(_HEAD.pack(len(body)) + hashlib.sha256(body).digest() + body)


def load(path: Path, key: str) -> Snapshot | None:
    """The snapshot at `path` if it is whole and was made with `key`, else None."""
    try:
        with path.open("rb") as f:
            if f.read(len(_MAGIC)) != _MAGIC or f.readline(80) != key.encode("ascii") + b"\n":
                return None
            blocks = iter(lambda: _read_block(f), None)
            meta = next(blocks, None)
            if meta is None:
                return None
            root, ledger_digest, facts, decks, type_mods, col, count = meta
            chunks: list[_Chunk] = []
            for group in blocks:
                chunks.extend(_Chunk.decode(c) for c in group)
            if len(chunks) != count:
                return None
            return Snapshot(
                key,
                root,
                ledger_digest,
                GenankiFacts(*facts),
                decks,
                type_mods,
                CollectionJson(*col),
                tuple(chunks),
            )
    except (OSError, EOFError, ValueError, TypeError, _Damaged):
        return None


class _Damaged(Exception):
    pass


def _read_block(f: BinaryIO) -> Any:
    head = f.read(_HEAD.size + _DIGEST)
    if not head:
        return None
    if len(head) != _HEAD.size + _DIGEST:
        raise _Damaged
    (size,) = _HEAD.unpack_from(head)
    body = f.read(size)
    if len(body) != size or hashlib.sha256(body).digest() != head[_HEAD.size :]:
        raise _Damaged
    return marshal.loads(body)


# --- from a full export ---------------------------------------------------------------------


def from_export(
    key: str,
    scan: Scan,
    notes: Sequence[NoteSpec],
    entries: Sequence[LedgerEntry],
    root: str,
    decks: Sequence[DeckSpec],
    type_mods: Mapping[str, int],
    facts: GenankiFacts,
    col: CollectionJson,
) -> Callable[[bytes], Snapshot]:
    """A snapshot of a full export, given the digest of the ledger it wrote.

    :param notes: the written notes, in order; `entries` their ledger entries, in the same
        order.
    """
    guide = scan.guide
    starts = [c.start + 1 for c in scan.chunks]  # 1-based first lines

    def by_chunk(items: Iterable[tuple[int, Any]]) -> list[list[tuple[int, Any]]]:
        """(line, item) pairs per chunk, as (line - chunk's first line, item)."""
        groups: list[list[tuple[int, Any]]] = [[] for _ in starts]
        for line, item in items:
            k = max(bisect.bisect_right(starts, line) - 1, 0)
            groups[k].append((line - starts[k], item))
        return groups

    sections = by_chunk((s.location.line, s.path) for s in scan.sections)
    contents = by_chunk((line + 1, path) for line, path in scan.contents)
    warnings = by_chunk((w.location.line, w.message) for w in scan.scan_warnings)
    lint = by_chunk((w.location.line, w.message) for w in review_guide(guide))
    planned = by_chunk(
        (note.record.location.line, (note, entry))
        for note, entry in zip(notes, entries[: len(notes)], strict=True)
    )
    chunks = []
    for k, chunk in enumerate(scan.chunks):
        reusable = scan.clean or k < len(scan.chunks) - 1
        state_out = scan.chunks[k + 1].state if k + 1 < len(scan.chunks) else scan.end_state
        description = None
        if chunk.state.title is None and state_out.title is not None:
            description = (guide.description.html, guide.description.text)
        chunks.append(
            _chunk(
                chunk.digest if reusable else b"",
                chunk.state,
                state_out,
                [item for _, item in planned[k]],
                facts,
                sections[k],
                [path for _, path in contents[k]],
                warnings[k],
                lint[k],
                description,
            )
        )
    return lambda ledger_digest: Snapshot(
        key,
        root,
        ledger_digest,
        facts,
        tuple((d.path, d.description) for d in decks),
        tuple(sorted(type_mods.items())),
        col,
        tuple(chunks),
    )


def _chunk(
    digest: bytes,
    state: ScanState,
    exit: ScanState,
    planned: Sequence[tuple[NoteSpec, LedgerEntry]],
    facts: GenankiFacts,
    sections: list[tuple[int, tuple[str, ...]]],
    contents: list[tuple[str, ...]],
    warnings: list[tuple[int, str]],
    lint: list[tuple[int, str]],
    description: tuple[str, str] | None,
) -> _Chunk:
    """A chunk as kept, from its notes as planned (with their ledger entries) and the rest with
    lines relative to its first line."""
    kept = [
        _Kept(
            note.record.kind.value,
            note.note_type,
            entry.front,
            note.record.section,
            note.deck,
            note.fields,
            note.tags,
            entry.fingerprint,
            card_ords(facts, note.note_type, note.fields),
        )
        for note, entry in planned
    ]
    idents = [(note.guid, note.note_id, note.mod) for note, _ in planned]
    return _Chunk(
        digest,
        state,
        exit,
        kept,
        idents,
        sections,
        contents,
        warnings,
        lint,
        description,
        _words(note.front for note in kept),
    )


def _words(fronts: Iterable[str]) -> dict[str, int]:
    df: Counter[str] = Counter()
    for front in fronts:
        df.update(content_words(front))
    return dict(df)


# --- the rebuild ----------------------------------------------------------------------------


class _Decline(Exception):
    """The rebuild cannot be sure to give what a full export gives."""


def rebuild(
    guide: Path,
    ledger_file: Path,
    snapshot: Snapshot,
    *,
    now: int,
    deck_name: str | None,
    allow_html: bool,
) -> Rebuilt | None:
    """Rebuild from `snapshot`, reading only what changed; None if a full export must run."""
    try:
        return _rebuild(guide, ledger_file, snapshot, now, deck_name, allow_html)
    except (_Decline, AnkiExportError, OSError, UnicodeDecodeError, ValueError, KeyError):
        return None


@dataclass(frozen=True, slots=True)
class _Scanned:
    """A chunk scanned again, its digest and the scanner's state entering it."""

    digest: bytes
    state: ScanState
    scan: ChunkScan
    lint: list[GuideWarning]

    @property
    def exit(self) -> ScanState:
        return self.scan.exit


def _rebuild(
    guide: Path,
    ledger_file: Path,
    snap: Snapshot,
    now: int,
    deck_name: str | None,
    allow_html: bool,
) -> Rebuilt:
    ledger_bytes = ledger_file.read_bytes()
    if hashlib.sha256(ledger_bytes).digest() != snap.ledger_digest:
        raise _Decline
    text = decode_guide(guide, guide.read_bytes())
    if "\x1f" in text:
        raise _Decline
    lines = guide_lines(text)
    del text
    starts = chunk_starts(lines)
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    known = {(c.digest, c.state): c for c in snap.chunks if c.digest}

    # Each chunk in order, with its first line (1-based): kept as it was, or scanned again.
    scanner = ChunkScanner(guide, lines, allow_html)
    state = ScanState(None, ())
    parts: list[tuple[int, _Chunk | _Scanned]] = []
    ends = [*starts[1:], len(lines)]
    k = 0
    while k < len(starts):
        start = starts[k]
        part: _Chunk | _Scanned | None = None
        # A heading in column 0 inside a code block is none: the chunk then runs on to the next.
        while part is None:
            if k == len(starts):
                raise _Decline  # a code block open at the end of the guide
            end = ends[k]
            k += 1
            digest = chunk_digest(lines[start:end])
            part = known.get((digest, state)) if digest else None
            if part is None and (scanned := scanner.scan(start, end, state)) is not None:
                part = _Scanned(digest, state, scanned, list(review_notes(scanned.notes)))
        parts.append((start + 1, part))
        state = part.exit
    root = identity.deck_component(deck_name or state.title or guide.stem) or guide.stem
    if root != snap.root:
        raise _Decline
    fragment = scanner.description()
    if scanner.media.problems:
        raise _Decline  # the full export reports them
    if fragment is not None:
        description = (fragment.html, fragment.text)
    else:
        description = next(
            (p.description for _, p in parts if isinstance(p, _Chunk) and p.description),
            ("", ""),
        )
    return _Plan(guide, snap, now, root, parts, description, scanner).rebuilt(
        ledger_bytes.decode("utf-8")
    )


class _Plan:
    """`export.plan_records` for a rebuild: kept notes keep their identity; new ones are planned."""

    def __init__(
        self,
        guide: Path,
        snap: Snapshot,
        now: int,
        root: str,
        parts: list[tuple[int, _Chunk | _Scanned]],
        description: tuple[str, str],
        scanner: ChunkScanner,
    ) -> None:
        self.guide = guide
        self.snap = snap
        self.now = now
        self.root = root
        self.parts = parts
        self.description = description
        self.scanner = scanner

    def rebuilt(self, ledger_text: str) -> Rebuilt:
        snap, root, now = self.snap, self.root, self.now
        root_tag = identity.tag_component(root)
        # Every note: (kept note, its identity) for a kept chunk's; a NoteSpec for a new one.
        notes: list[tuple[_Kept, tuple[str, int, int]] | NoteSpec] = []
        new: list[NoteSpec] = []
        keys: list[tuple[str, str]] = []
        kept_chunks: set[int] = set()
        for _, part in self.parts:
            if isinstance(part, _Chunk):
                kept_chunks.add(id(part))
                for kept, kept_ident in zip(part.notes, part.idents, strict=True):
                    notes.append((kept, kept_ident))
                    keys.append((kept.note_type, kept.front))
            else:
                for record in part.scan.notes:
                    spec = note_spec(record, "", len(notes), root, root_tag)
                    notes.append(spec)
                    new.append(spec)
                    keys.append(identity.identity_key(record))
        if not notes or len(set(keys)) != len(keys):
            raise _Decline  # nothing to export, or notes whose matching depends on order

        # The ledger is the one the snapshot's export wrote: the entries of the notes of kept
        # chunks are theirs as they are; the rest are what the new notes are matched against.
        types, old_lines = note_types_of(ledger_text), lines_by_guid(ledger_text)
        candidates: list[LedgerEntry] = []
        fronts: list[str] = []
        note_ids: set[int] = set()
        own: set[str] = set()
        old_keys: set[tuple[str, str]] = set()
        for chunk in snap.chunks:
            is_kept = id(chunk) in kept_chunks
            for kept, (guid, note_id, mod) in zip(chunk.notes, chunk.idents, strict=True):
                note_ids.add(note_id)
                fronts.append(kept.front)
                own.add(guid)
                old_keys.add((kept.note_type, kept.front))
                if not is_kept:
                    candidates.append(
                        LedgerEntry(
                            guid,
                            note_id,
                            kept.kind,
                            kept.note_type,
                            kept.section,
                            kept.front,
                            kept.fingerprint,
                            mod,
                        )
                    )
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        for guid, line in old_lines.items():
            if guid not in own:
                entry = entry_from_json(json.loads(line), shared)
                if not entry.removed:
                    raise _Decline
                candidates.append(entry)
                note_ids.add(entry.note_id)
                fronts.append(entry.front)
        if len(old_keys) != len(own) or not own <= old_lines.keys():
            raise _Decline  # the last export had two notes with one front
        candidates.sort(key=sort_key)
        before = {e.guid: e for e in candidates}

        def weights() -> dict[str, float]:
            # Over this guide's fronts and the ledger's, as `match_notes` weighs them; each
            # kept chunk counted its own fronts' words when it was made.
            df: Counter[str] = Counter()
            for _, part in self.parts:
                if isinstance(part, _Chunk):
                    df.update(part.words)
                else:
                    df.update(_words(identity.identity_key(r)[1] for r in part.scan.notes))
            for chunk in snap.chunks:
                df.update(chunk.words)
            df.update(_words(e.front for e in candidates if e.removed))
            return weights_from_counts(df, len(keys) + len(fronts))

        identities = match_keys(
            self.guide.stem,
            [identity.identity_key(s.record) for s in new],
            Ledger(tuple(candidates), types),
            weights=weights,
            used=set(old_lines),
        )
        specs = [
            NoteSpec(i.guid, s.note_type, s.fields, s.tags, s.deck, s.position, s.record)
            for s, i in zip(new, identities, strict=True)
        ]
        planned, entries, changes, unchanged = plan_notes(specs, identities, note_ids, now, root)
        matched = {i.entry.guid for i in identities if i.entry is not None}
        gone, gone_changes = removed_entries(candidates, matched, root)
        type_entries = plan_note_types(types, now)
        report = ChangeReport(
            tuple(changes + gone_changes), unchanged + len(notes) - len(new), first_export=False
        )

        warnings, kept_sections = self._warnings(notes)
        decks = (
            DeckSpec((root,), self.description[0]),
            *(DeckSpec((root, *s.path)) for s in kept_sections),
        )
        type_mods = {k: t.mod for k, t in type_entries.items()}

        facts = snap.facts
        check = HtmlCheck(facts)
        final: list[_Written] = []
        kinds: Counter[Kind] = Counter()
        per_deck: Counter[str] = Counter()
        planned_notes = iter(planned)
        for item in notes:
            if not isinstance(item, NoteSpec):
                kept, ident = item
                final.append(
                    _Written(*ident, kept.note_type, kept.fields, kept.tags, kept.deck, kept.ords)
                )
                kinds[Kind(kept.kind)] += 1
            else:
                note = next(planned_notes)
                check(note.fields)
                ords = card_ords(facts, note.note_type, note.fields)
                final.append(
                    _Written(
                        note.guid,
                        note.note_id,
                        note.mod,
                        note.note_type,
                        note.fields,
                        note.tags,
                        note.deck,
                        ords,
                    )
                )
                kinds[note.record.kind] += 1
            per_deck["::".join(final[-1].deck)] += 1

        deck_key = tuple((d.path, d.description) for d in decks)
        type_key = tuple(sorted(type_mods.items()))
        same_col = deck_key == snap.decks and type_key == snap.type_mods
        col = snap.col if same_col else collection_json(facts, decks, type_mods, now)
        media = self.scanner.media_files()

        def write_deck(output: Path) -> None:
            note_rows = (
                note_row(n.note_id, n.guid, n.note_type, n.mod, n.tags, n.fields) for n in final
            )
            card_rows = (
                row
                for position, n in enumerate(final)
                for row in card_rows_of(n.note_id, deck_id(n.deck), n.ords, n.mod, position)
            )
            write_rows(output, facts, col, note_rows, card_rows, media)

        # The entries' lines in file order: kept notes' as they were, the others' made anew
        # unless their entry is the very one the ledger holds. Asked for twice (to compare with
        # the file, then to write it), made once.
        @functools.cache
        def entry_lines() -> list[str]:
            rows = []
            for item in notes:
                if not isinstance(item, NoteSpec):
                    kept, (guid, _, _) = item
                    rows.append(((kept.front, kept.note_type, guid), old_lines[guid]))
            for entry in [*entries, *gone]:
                line = old_lines[entry.guid] if before.get(entry.guid) == entry else None
                rows.append((sort_key(entry), line or entry_line(entry)))
            rows.sort(key=lambda r: r[0])
            return [line for _, line in rows]

        def ledger_text_lines() -> Iterator[str]:
            return ledger_lines(type_entries, entry_lines())

        chunks = []
        planned_iter = iter(zip(planned, entries[: len(planned)], strict=True))
        for first, part in self.parts:
            if isinstance(part, _Chunk):
                chunks.append(part)
                continue
            chunks.append(
                _chunk(
                    part.digest,
                    part.state,
                    part.exit,
                    [next(planned_iter) for _ in part.scan.notes],
                    facts,
                    [(s.location.line - first, s.path) for s in part.scan.sections],
                    list(part.scan.contents),
                    [(w.location.line - first, w.message) for w in part.scan.warnings],
                    [(w.location.line - first, w.message) for w in part.lint],
                    self.description if part.state.title is None and part.exit.title else None,
                )
            )

        def snapshot(ledger_digest: bytes) -> Snapshot:
            return Snapshot(
                snap.key, root, ledger_digest, facts, deck_key, type_key, col, tuple(chunks)
            )

        return Rebuilt(
            root=root,
            decks=decks,
            kinds=kinds,
            per_deck=per_deck,
            notes=len(notes),
            warnings=warnings,
            report=report,
            write_deck=write_deck,
            ledger_lines=ledger_text_lines,
            snapshot=snapshot,
        )

    def _warnings(
        self, notes: list[tuple[_Kept, tuple[str, int, int]] | NoteSpec]
    ) -> tuple[tuple[GuideWarning, ...], list[Section]]:
        """The warnings in a full export's order, and the sections that hold notes."""
        guide = self.guide
        scan_warnings: list[GuideWarning] = []
        lint: list[GuideWarning] = []
        sections: list[Section] = []
        contents: set[tuple[str, ...]] = set()
        for first, part in self.parts:
            if isinstance(part, _Chunk):
                scan_warnings += [_warning(guide, first + r, m) for r, m in part.warnings]
                lint += [_warning(guide, first + r, m) for r, m in part.lint]
                sections += [
                    Section(path, SourceLocation(guide, first + r)) for r, path in part.sections
                ]
                contents.update(part.contents)
            else:
                scan_warnings += part.scan.warnings
                lint += part.lint
                sections += part.scan.sections
                contents.update(part.scan.contents)
        paths = {
            item.record.section if isinstance(item, NoteSpec) else item[0].section for item in notes
        }
        used = {path[:depth] for path in paths for depth in range(len(path) + 1)}
        kept = [s for s in sections if s.path in used]
        warnings = [*scan_warnings, *self.scanner.media.warnings]
        warnings += empty_section_warnings(sections, kept, contents)
        warnings.sort(key=lambda w: w.location.line)
        return tuple(sorted([*warnings, *lint], key=lambda w: w.location.line)), kept


def _warning(guide: Path, line: int, message: str) -> GuideWarning:
    return GuideWarning(SourceLocation(guide, line), message)
