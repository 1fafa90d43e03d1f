"""Read a guide into a `Guide` of typed note records, chunk by chunk, with or without a memo.

A chunk (a heading in column 0 up to the next, see `scan.chunk_starts`) reads to the same
records wherever it stands, given its text and the heading stack it enters with: reading it is a
pure function of those (and the options), so its result can be memoised. Every chunk's reading
goes through the memo's codec, found there or not, so a full export and a rebuild run the very
same code. Guide-wide facts (the title, duplicate fronts, empty sections, "nothing to export")
are worked out over all chunks afterwards. mistune (`items`) is imported only when a chunk must
be read, not for a rebuild from the memo.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from anki_export.errors import GuideError
from anki_export.identity import keys as identity
from anki_export.memo import Memo
from anki_export.read.codec import dump_reading, load_reading
from anki_export.read.media import MediaCollector
from anki_export.read.parallel import ItemReader
from anki_export.read.scan import START, ItemSource, Outline, ScanState, chunk_starts, scan_chunk
from anki_export.read.shapes import (
    ConceptShape,
    ItemReading,
    ListShape,
    MarkdownOptions,
    NoNote,
    QuestionShape,
)
from anki_export.read.source import guide_lines, read_guide_text
from anki_export.records import (
    Concept,
    Fragment,
    Guide,
    GuideWarning,
    ListNote,
    NoteRecord,
    Question,
    Section,
    SourceLocation,
)


@dataclass(frozen=True, slots=True)
class ChunkReading:
    """What one chunk reads to; problems are errors (missing images), warnings are not."""

    exit: ScanState
    description: Fragment | None
    sections: tuple[Section, ...]
    contents: tuple[tuple[str, ...], ...]
    notes: tuple[NoteRecord, ...]
    warnings: tuple[GuideWarning, ...]
    problems: tuple[GuideWarning, ...]
    media: tuple[str, ...]
    clean: bool


def parse_guide(
    path: Path,
    text: str | None = None,
    *,
    allow_html: bool = False,
    memo: Memo | None = None,
    workers: int | None = 1,
) -> Guide:
    """Parse a guide into note records.

    :param path: the guide's path (read unless `text` is given; always used in messages); images
        are looked up in its folder.
    :param text: the guide's text, if already read.
    :param allow_html: pass raw HTML in the guide through to the cards instead of escaping it.
    :param memo: what chunks read to last time (made with the same `allow_html`); chunks with
        images are always read again, as their files may change while their text does not.
    :param workers: processes to read list items with; None: as many as pay off. Workers
        import the caller's main module again (Python's forkserver and spawn do): a script that
        asks for them must guard its work with `if __name__ == "__main__":`.
    :returns: the guide's title, description, sections, notes and images, and warnings.
    :raises SourceReadError: the file cannot be read as UTF-8 text.
    :raises GuideError: the guide is empty, nothing in it makes a note, or images are missing or
        outside the guide's folder (every such problem, in line order).
    """
    lines = guide_lines(path, read_guide_text(path) if text is None else text)
    media = MediaCollector(path)
    reader = _ChunkReader(path, lines, MarkdownOptions(allow_html=allow_html), media)
    readings = reader.read_all(memo, workers)
    return _assemble(path, readings, media)


def _entry(stem: str, state: ScanState, text: str) -> bytes:
    """The memo entry of a chunk: everything reading it depends on but the options."""
    digest = hashlib.sha256(repr((stem, state.title, state.stack)).encode("utf-8"))
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.digest()


#: The memo's body for a chunk whose top-level code block runs on past its end.
_RUNS_ON = b""


@dataclass(frozen=True, slots=True)
class _Pending:
    """A chunk not in the memo: scanned, its items not read yet."""

    start: int
    entry: bytes | None  # None: not to be memoised (it shows images)
    outline: Outline


class _ChunkReader:
    def __init__(
        self, path: Path, lines: list[str], options: MarkdownOptions, media: MediaCollector
    ) -> None:
        self.path = path
        self.lines = lines
        self.options = options
        self.media = media

    def read_all(self, memo: Memo | None, workers: int | None) -> list[ChunkReading]:
        """Every chunk's reading, in order: from the memo, or scanned and then read."""
        # With nothing in the memo every item will be read: workers, if the guide is large
        # enough for them, start now and get ready while the chunks are scanned. (A list
        # item takes two or three lines.)
        expect = len(self.lines) // 3 if memo is None or not len(memo) else 0
        with ItemReader(self.options.allow_html, workers, expect) as reader:
            bounds = [0, *(i for i in chunk_starts(self.lines) if i), len(self.lines)]
            chunks: list[ChunkReading | _Pending] = []
            state, i = START, 0
            while i < len(bounds) - 1:
                i, chunk = self._chunk(bounds, i, state, memo)
                chunks.append(chunk)
                state = chunk.exit if isinstance(chunk, ChunkReading) else chunk.outline.exit
            pending = [c for c in chunks if isinstance(c, _Pending)]
            read = self._read_pending(pending, memo, reader)
            try:
                return [c if isinstance(c, ChunkReading) else next(read) for c in chunks]
            finally:
                read.close()

    def _chunk(
        self, bounds: Sequence[int], i: int, state: ScanState, memo: Memo | None
    ) -> tuple[int, ChunkReading | _Pending]:
        """The chunk that starts at `bounds[i]`: its reading if the memo has it, else its
        outline, to be read; and the index in `bounds` of the next chunk's start."""
        start = bounds[i]
        for j in range(i + 1, len(bounds)):
            chunk = self.lines[start : bounds[j]]
            last = j == len(bounds) - 1
            text = "\n".join(chunk)
            entry = None if "![" in text else _entry(self.path.stem, state, text)
            body = memo.get(entry) if memo is not None and entry is not None else None
            if body == _RUNS_ON and not last:
                continue
            found = self._load(body, start) if body else None
            if found is not None and (found.clean or last):
                return j, found
            outline = scan_chunk(self.path, chunk, state)
            if outline.clean or last:
                return j, _Pending(start, entry, outline)
            # A code block at the top level that runs on past the next heading makes that
            # "heading" code: the chunk goes on to the one after. Remembered, so that a
            # rebuild need not scan it to find out.
            if memo is not None and entry is not None:
                memo.put(entry, _RUNS_ON)
        raise AssertionError("the last chunk ends the guide")  # bounds end with len(lines)

    def _load(self, data: bytes, start: int) -> ChunkReading | None:
        try:
            return ChunkReading(*load_reading(data, self.path, start))
        except ValueError:
            return None  # damaged or from other code: read the chunk again

    def _read_pending(
        self, pending: Sequence[_Pending], memo: Memo | None, reader: ItemReader
    ) -> Generator[ChunkReading, None, None]:
        """Read the items of every chunk not in the memo (in parallel where it pays), then
        finish those chunks and memoise them; in order."""
        plain = [it.source for p in pending if p.entry is not None for it in p.outline.items]
        with contextlib.closing(reader.read(plain)) as readings:
            yield from self._finish_pending(pending, readings, memo)

    def _finish_pending(
        self, pending: Sequence[_Pending], readings: Iterator[ItemReading], memo: Memo | None
    ) -> Iterator[ChunkReading]:
        for p in pending:
            if p.entry is not None:
                reading = self._finish(p.outline, [next(readings) for _ in p.outline.items], ())
            else:
                reading = self._read_with_images(p.outline)
            data = dump_reading(reading)
            if memo is not None and p.entry is not None:
                memo.put(p.entry, data)
            # Through the codec like a reading from the memo: one path, found there or not.
            found = self._load(data, p.start)
            if found is None:
                raise AssertionError("a chunk reading does not load again")  # a bug, not input
            yield found

    def _read_with_images(self, outline: Outline) -> ChunkReading:
        """A chunk that shows images, read here: finding their files is part of reading it."""
        media = self.media
        warnings, problems = len(media.warnings), len(media.problems)
        used: list[str] = []
        items = [self._read_item(it, used) for it in outline.items]
        description = self._description(outline, used)
        found = tuple(media.warnings[warnings:])
        lost = tuple(GuideWarning(*p) for p in media.problems[problems:])
        return self._finish(outline, items, tuple(used), description, found, lost)

    def _read_item(self, item: ItemSource, used: list[str]) -> ItemReading:
        from anki_export.read.items import read_item  # mistune: only for chunks not memoised

        item_lines = item.source.split("\n")
        return read_item(item.source, self._options(item.line, item_lines, used))

    def _description(self, outline: Outline, used: list[str]) -> Fragment | None:
        if not outline.description:
            return None
        options = self._options(outline.description_line, list(outline.description), used)
        return _render_document("\n".join(outline.description), options)

    def _options(self, first: int, lines: list[str], used: list[str]) -> MarkdownOptions:
        """Options whose images resolve with the line they are on (`lines[0]` is line `first` of
        the chunk) and are noted in `used`."""

        def image_source(url: str) -> str | None:
            candidates = {url, unquote(url)}
            offset = next(
                (k for k, text in enumerate(lines) if any(c in text for c in candidates)), 0
            )
            src = self.media.image_source(url, SourceLocation(self.path, first + offset))
            if src is not None:
                used.append(src)
            return src

        return MarkdownOptions(allow_html=self.options.allow_html, image_source=image_source)

    def _finish(
        self,
        outline: Outline,
        items: Sequence[ItemReading],
        used: tuple[str, ...],
        description: Fragment | None = None,
        media_warnings: tuple[GuideWarning, ...] = (),
        problems: tuple[GuideWarning, ...] = (),
    ) -> ChunkReading:
        if description is None and outline.description:
            description = _render_document("\n".join(outline.description), self.options)
        notes: list[NoteRecord] = []
        warnings = list(outline.warnings)
        for item, reading in zip(outline.items, items, strict=True):
            record = _record(item, reading, SourceLocation(self.path, item.line), warnings)
            if record is not None:
                notes.append(record)
        warnings += media_warnings
        return ChunkReading(
            exit=outline.exit,
            description=description,
            sections=outline.sections,
            contents=outline.contents,
            notes=tuple(notes),
            warnings=tuple(warnings),
            problems=problems,
            media=used,
            clean=outline.clean,
        )


def _render_document(source: str, options: MarkdownOptions) -> Fragment:
    from anki_export.read.items import render_document  # mistune: only when not memoised

    return render_document(source, options)


def _record(
    item: ItemSource, reading: ItemReading, location: SourceLocation, warnings: list[GuideWarning]
) -> NoteRecord | None:
    """The note an item makes, if any; what is doubtful about it goes into `warnings`."""
    warnings += (GuideWarning(location, doubt) for doubt in reading.doubts)
    section, source = item.section, item.source
    record: NoteRecord
    match reading.shape:
        case QuestionShape(prompt, hint, notes):
            record = Question(prompt, hint, notes, section, location, source)
        case ConceptShape(term, definition):
            record = Concept(term, definition, section, location, source)
        case ListShape(label, items):
            record = ListNote(label, items, section, location, source)
        case NoNote(reason):
            warnings.append(GuideWarning(location, reason))
            return None
    if not record.front.text:
        warnings.append(GuideWarning(location, "the front of this note would be blank"))
        return None
    return record


def _assemble(path: Path, readings: Sequence[ChunkReading], media: MediaCollector) -> Guide:
    """The guide from its chunks' readings, with the warnings only the whole guide shows."""
    notes = tuple(n for r in readings for n in r.notes)
    problems = sorted((p for r in readings for p in r.problems), key=lambda w: w.location.line)
    if not notes:
        problems.append(
            GuideWarning(
                SourceLocation(path),
                "nothing to export: no list item is a question, a **Concept:** or a "
                "**List:** (see 'Guide format' in the README)",
            )
        )
    if problems:
        raise GuideError([(p.location, p.message) for p in problems])
    every = [s for r in readings for s in r.sections]
    used = {n.section[:depth] for n in notes for depth in range(len(n.section) + 1)}
    sections = tuple(s for s in every if s.path in used)
    contents = {c for r in readings for c in r.contents}
    warnings = [w for r in readings for w in r.warnings]
    warnings += _duplicate_warnings(notes)
    warnings += empty_section_warnings(every, sections, contents)
    warnings.sort(key=lambda w: w.location.line)
    description = next((r.description for r in readings if r.description is not None), None)
    return Guide(
        path=path,
        title=readings[-1].exit.title or path.stem,
        description=description or Fragment("", ""),
        sections=sections,
        notes=notes,
        warnings=tuple(warnings),
        media=media.files({name for r in readings for name in r.media}),
    )


def empty_section_warnings(
    every: Iterable[Section], kept: Iterable[Section], contents: set[tuple[str, ...]]
) -> Iterator[GuideWarning]:
    """A heading with no note under it, at any depth (a table of contents is meant to be so)."""
    kept_paths = {section.path for section in kept}
    for section in every:
        if section.path not in kept_paths and section.path not in contents:
            yield GuideWarning(
                section.location,
                f"section {section.path[-1]!r} makes no notes: no question, **Concept:** or "
                "**List:** under its heading",
            )


def _duplicate_warnings(notes: Iterable[NoteRecord]) -> Iterator[GuideWarning]:
    first: dict[tuple[str, str], NoteRecord] = {}
    for note in notes:
        key = identity.identity_key(note)
        seen = first.setdefault(key, note)
        if seen is not note:
            yield GuideWarning(
                note.location,
                f"same front as line {seen.location.line} ({note.front.text!r}); "
                "both are exported as separate notes",
            )
