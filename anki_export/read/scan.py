"""Read a guide and turn it into a `Guide` of typed note records.

This module owns the guide's outer structure: headings (the deck tree), sections, and the
top-level list items, each with its exact source line. What one item means is asked of
`markdown.read_item`; mistune itself is never imported here. Image paths go to `media`, with the
line they are written on.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from anki_export.errors import GuideError, SourceReadError
from anki_export.identity import keys as identity
from anki_export.memo import ItemCache
from anki_export.read.items import (
    ConceptShape,
    ListShape,
    MarkdownOptions,
    NoNote,
    QuestionShape,
    read_item,
    render_document,
)
from anki_export.read.items import heading_text as _heading_text
from anki_export.read.media import MediaCollector
from anki_export.records import (
    Concept,
    Fragment,
    Guide,
    GuideWarning,
    ListNote,
    MediaFile,
    NoteRecord,
    Question,
    Section,
    SourceLocation,
)

_ATX_OPEN_RE = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")
_SETEXT_RE = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_FENCE_RE = re.compile(r"[ \t]*(`{3,}|~{3,})(.*)$")
_BREAK_RE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_ITEM_RE = re.compile(r"( {0,3})([*+-]|\d{1,9}[.)])(?:([ \t]+)(.*))?$")
_QUOTE_RE = re.compile(r" {0,3}>")
_TOC_TITLES = frozenset({"table of contents", "contents", "toc"})
_TOC_LINE_RE = re.compile(r"\s*(?:(?:[*+-]|\d{1,9}[.)])\s+)?\[[^\]]*\]\(#[^)\s]*\)\s*")


def read_guide_text(path: Path) -> str:
    """Read a guide as text: UTF-8 (a BOM is allowed), any line endings.

    :raises SourceReadError: missing, unreadable, a folder, binary, or not UTF-8.
    :raises GuideError: the file is empty.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceReadError(path, "no such file") from None
    except IsADirectoryError:
        raise SourceReadError(path, "is a folder, not a Markdown guide") from None
    except OSError as e:
        raise SourceReadError(path, f"cannot be read: {e.strerror or e}") from None
    return decode_guide(path, data)


def decode_guide(path: Path, data: bytes) -> str:
    """Decode a guide's bytes, refusing binary files and anything that is not UTF-8."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise SourceReadError(path, "is a binary file (it contains NUL bytes), not Markdown", line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise SourceReadError(
            path, f"is not UTF-8 (byte 0x{data[e.start]:02x}); save it as UTF-8", line
        ) from None
    if not text.strip():
        raise GuideError([(SourceLocation(path), "the guide is empty")])
    return text


def parse_guide(
    path: Path,
    text: str | None = None,
    *,
    allow_html: bool = False,
    cache: ItemCache | None = None,
) -> Guide:
    """Parse a guide into note records.

    :param path: the guide's path (read unless `text` is given; always used in messages); images
        are looked up in its folder.
    :param text: the guide's text, if already read.
    :param allow_html: pass raw HTML in the guide through to the cards instead of escaping it.
    :param cache: what items made last time (its options must include `allow_html`); items
        with images are always read again, as reading them is what collects their files.
    :returns: the guide's title, description, sections, notes and images, and warnings.
    :raises SourceReadError: the file cannot be read as UTF-8 text.
    :raises GuideError: the guide is empty, nothing in it makes a note, or images are missing or
        outside the guide's folder (every such problem, in line order).
    """
    return scan_guide(path, text, allow_html=allow_html, cache=cache).guide


@dataclass(frozen=True, slots=True)
class ScanState:
    """What the scanner carries from one chunk of a guide into the next (see `chunk_starts`)."""

    title: str | None
    stack: tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class Chunk:
    """A run of lines that starts at a heading in column 0 (or at the top of the guide), and the
    scanner's state on entering it. Scanning a chunk from that state gives what scanning the
    whole guide gives for its lines: nothing but the heading stack crosses such a heading."""

    start: int  # 0-based index of the first line
    end: int
    state: ScanState
    #: SHA-256 of its text; empty if it shows an image (whose file may change on its own).
    digest: bytes = b""


@dataclass(frozen=True, slots=True)
class Scan:
    """A parsed guide and what the incremental rebuild needs to know about its structure."""

    guide: Guide
    chunks: tuple[Chunk, ...]
    end_state: ScanState
    #: The parser's own warnings (not duplicates, empty sections or images), in scan order.
    scan_warnings: tuple[GuideWarning, ...]
    #: Headings whose section is a table of contents: (0-based line of the heading, path).
    contents: tuple[tuple[int, tuple[str, ...]], ...]
    #: Every heading's section, holding notes or not.
    sections: tuple[Section, ...]
    #: False if a code block at the top level runs on to the end of the guide.
    clean: bool


def guide_lines(text: str) -> list[str]:
    """A guide's text as lines, whatever its line endings."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def chunk_digest(lines: list[str]) -> bytes:
    """`Chunk.digest` of a chunk's lines."""
    text = "\n".join(lines)
    return b"" if "![" in text else hashlib.sha256(text.encode("utf-8")).digest()


def chunk_starts(lines: list[str]) -> list[int]:
    """Lines that may start a chunk: an ATX heading in column 0. One inside a code block at the
    top level is not a heading; `scan_guide` leaves such lines out of its chunks."""
    return [i for i, line in enumerate(lines) if line[:1] == "#" and _atx_heading(line)]


def scan_guide(
    path: Path,
    text: str | None = None,
    *,
    allow_html: bool = False,
    cache: ItemCache | None = None,
) -> Scan:
    """`parse_guide`, and where its chunks start and with what state (for `snapshot`)."""
    if text is None:
        text = read_guide_text(path)
    elif not text.strip():
        raise GuideError([(SourceLocation(path), "the guide is empty")])
    lines = guide_lines(text)
    if "\x1f" in text:
        _refuse_field_separators(path, lines)
    del text  # the lines hold it all: a large guide should not be in memory twice
    scan = _Scanner(path, lines, allow_html, cache)
    clean = scan.run()
    title = scan.title or path.stem
    description = scan.render_description() if scan.description else Fragment("", "")
    notes = tuple(scan.notes)
    problems = sorted(scan.media.problems, key=lambda p: p[0].line)
    if not notes:
        problems.append(
            (
                SourceLocation(path),
                "nothing to export: no list item is a question, a **Concept:** or a "
                "**List:** (see 'Guide format' in the README)",
            )
        )
    if problems:
        raise GuideError(problems)
    used = {n.section[:depth] for n in notes for depth in range(len(n.section) + 1)}
    sections = tuple(s for s in scan.sections if s.path in used)
    contents = {path for _, path in scan.contents}
    warnings = [*scan.warnings, *scan.media.warnings, *_duplicate_warnings(notes)]
    warnings += empty_section_warnings(scan.sections, sections, contents)
    warnings.sort(key=lambda w: w.location.line)
    guide = Guide(
        path=path,
        title=title,
        description=description,
        sections=sections,
        notes=notes,
        warnings=tuple(warnings),
        media=scan.media.files(scan.media_used),
    )
    starts = [(0, ScanState(None, ()))] if not scan.boundaries or scan.boundaries[0][0] else []
    starts += scan.boundaries
    chunks = tuple(
        Chunk(start, end, state, chunk_digest(lines[start:end]))
        for (start, state), (end, _) in zip(starts, [*starts[1:], (len(lines), None)], strict=True)
    )
    return Scan(
        guide,
        chunks,
        scan.state(),
        tuple(scan.warnings),
        tuple(scan.contents),
        tuple(scan.sections),
        clean,
    )


@dataclass(frozen=True, slots=True)
class ChunkScan:
    """What scanning one chunk gave (see `ChunkScanner`)."""

    exit: ScanState
    notes: tuple[NoteRecord, ...]
    warnings: tuple[GuideWarning, ...]
    sections: tuple[Section, ...]
    contents: tuple[tuple[str, ...], ...]


class ChunkScanner:
    """Scans some chunks of a guide, one at a time, as `scan_guide` would scan them in the
    whole guide; their images are collected together (for `snapshot`)."""

    def __init__(self, path: Path, lines: list[str], allow_html: bool = False) -> None:
        self._scan = _Scanner(path, lines, allow_html)

    def scan(self, start: int, end: int, state: ScanState) -> ChunkScan | None:
        """Scan lines `start` to `end` entering with `state`; None (and nothing kept) if a code
        block at the top level runs on past `end`, so that the chunk is no chunk."""
        scan = self._scan
        notes, warnings, sections, contents = (
            len(scan.notes),
            len(scan.warnings),
            len(scan.sections),
            len(scan.contents),
        )
        undo = (len(scan.description), len(scan.media.warnings), len(scan.media.problems))
        used = set(scan.media_used)
        if not scan.run(start, end, state):
            del scan.notes[notes:], scan.warnings[warnings:], scan.sections[sections:]
            del scan.contents[contents:], scan.description[undo[0] :]
            del scan.media.warnings[undo[1] :], scan.media.problems[undo[2] :]
            scan.media_used = used
            return None
        return ChunkScan(
            scan.state(),
            tuple(scan.notes[notes:]),
            tuple(scan.warnings[warnings:]),
            tuple(scan.sections[sections:]),
            tuple(path for _, path in scan.contents[contents:]),
        )

    def description(self) -> Fragment | None:
        """The guide's description, if a chunk scanned held it."""
        return self._scan.render_description() if self._scan.description else None

    @property
    def media(self) -> MediaCollector:
        """The images of the chunks scanned, with their warnings and problems."""
        return self._scan.media

    def media_files(self) -> tuple[MediaFile, ...]:
        """The images the notes and description scanned show."""
        return self._scan.media.files(self._scan.media_used)


def _refuse_field_separators(path: Path, lines: list[str]) -> None:
    """U+001F separates a note's fields in Anki's database: in a field it makes Anki refuse the
    whole package ("note has 6 fields, expected 4"), so it is a guide error, on every line."""
    found = [n for n, line in enumerate(lines, 1) if "\x1f" in line]
    message = "contains the control character U+001F, which Anki uses between fields; delete it"
    problems = [(SourceLocation(path, n), message) for n in found[:10]]
    if len(found) > 10:
        problems.append((SourceLocation(path, found[10]), f"... and {len(found) - 10} more lines"))
    raise GuideError(problems)


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


@dataclass
class _Item:
    line: int
    lines: list[str]


@dataclass
class _Body:
    """The direct content of one section, held until the section ends (a ToC makes no notes)."""

    path: tuple[str, ...]
    title: str
    line: int = 0  # 0-based line of its heading
    items: list[_Item] = field(default_factory=list)
    has_text: bool = False


class _Scanner:
    """A single pass over the lines, following CommonMark's block rules for the outer level."""

    def __init__(
        self,
        path: Path,
        lines: list[str],
        allow_html: bool = False,
        cache: ItemCache | None = None,
    ) -> None:
        self.path = path
        self.lines = lines
        self.allow_html = allow_html
        self.cache = cache
        self.media = MediaCollector(path)
        self.media_used: set[str] = set()
        self.title: str | None = None
        self.description: list[str] = []
        self.in_description = False
        self.stack: list[tuple[int, str]] = []
        self.body = _Body((), "")
        self.sections: list[Section] = []
        self.notes: list[NoteRecord] = []
        self.warnings: list[GuideWarning] = []
        self.contents: list[tuple[int, tuple[str, ...]]] = []
        # Where a heading in column 0 was read as one, and the state just before it.
        self.boundaries: list[tuple[int, ScanState]] = []
        self.end = len(lines)

    def state(self) -> ScanState:
        return ScanState(self.title, tuple(self.stack))

    def run(self, start: int = 0, end: int | None = None, state: ScanState | None = None) -> bool:
        """Scan lines `start` to `end` (by default all); False if a code block at the top level
        runs on past `end`, where the lines after it would have been read as code."""
        if state is not None:
            self.title, self.stack = state.title, list(state.stack)
            self.body = _Body((), "")
            self.in_description = False
        self.end = end = len(self.lines) if end is None else end
        lines = self.lines
        i = start
        clean = True
        paragraph: int | None = None  # the first line of the top-level paragraph we are in
        while i < end:
            line = _expand_indent(lines[i])
            if not line.strip():
                paragraph = None
                i += 1
                continue
            setext = _SETEXT_RE.match(line)
            if paragraph is not None and setext:
                text = " ".join(s.strip() for s in lines[paragraph:i])
                self._drop_paragraph_text(i - paragraph)
                self._heading(1 if setext.group(1)[0] == "=" else 2, text, paragraph + 1)
                paragraph = None
                i += 1
                continue
            atx = _atx_heading(line)
            fence = _FENCE_RE.match(line)
            item = _ITEM_RE.match(line)
            if _BREAK_RE.match(line):
                i += 1
            elif atx:
                if line[:1] == "#":
                    self.boundaries.append((i, self.state()))
                self._heading(*atx, i + 1)
                i += 1
            elif fence and _indent(line) <= 3:
                i = _skip_fence(lines, i, fence.group(1), end)
                clean = clean and i <= end
                self.body.has_text = True
            elif item and not (paragraph is not None and _cannot_interrupt(item)):
                i = self._item(i, item)
            else:
                if paragraph is None:
                    paragraph = i
                self.body.has_text = True
                if self.in_description:
                    self.description.append(lines[i])
                i += 1
                continue
            paragraph = None
        self._close_body()
        return clean

    def _drop_paragraph_text(self, count: int) -> None:
        if self.in_description and count:
            del self.description[-count:]

    def _heading(self, level: int, raw: str, line: int) -> None:
        text = _heading_text(raw)
        self._close_body()
        if level == 1 and self.title is None:
            self.title = identity.deck_component(text) or self.path.stem
            self.in_description = True
            self.stack = []
            self.body = _Body((), self.title, line - 1)
            return
        self.in_description = False
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        name = identity.deck_component(text)
        if not name:
            name = "Untitled section"
            self._warn(
                line, "heading has no text; its notes go into a deck named 'Untitled section'"
            )
        self.stack.append((level, name))
        path = tuple(n for _, n in self.stack)
        self.body = _Body(path, text, line - 1)
        self.sections.append(Section(path, SourceLocation(self.path, line)))

    def _item(self, start: int, m: re.Match[str]) -> int:
        """Collect one top-level list item; returns the index of the first line after it."""
        lines = self.lines
        marker_end = len(m.group(1)) + len(m.group(2))
        spaces = m.group(3) or ""
        rest = m.group(4) or ""
        if not rest.strip():
            width, first = marker_end + 1, ""
        elif len(spaces) > 4:
            width, first = marker_end + 1, " " * (len(spaces) - 1) + rest
        else:
            width, first = marker_end + len(spaces), rest
        body = [first]
        i = start + 1
        blank = False
        in_fence = bool(_FENCE_RE.match(first))
        lazy_ok = bool(first.strip()) and not in_fence
        while i < self.end:
            line = _expand_indent(lines[i])
            if not line.strip():
                blank = True
                body.append("")
                i += 1
                continue
            if _indent(line) >= width:
                content = line[width:]
                if _FENCE_RE.match(content):
                    in_fence = not in_fence
                lazy_ok = not in_fence
                body.append(content)
                blank = False
                i += 1
                continue
            if blank or not lazy_ok or _starts_block(line):
                break
            body.append(line.strip())
            i += 1
        while body and not body[-1].strip():
            body.pop()
        self.body.items.append(_Item(start + 1, body))
        return i

    def _close_body(self) -> None:
        body = self.body
        if _is_contents(body):
            self.contents.append((body.line, body.path))
            self.body = _Body(body.path, body.title, body.line)
            return
        for item in body.items:
            self._read(item, body.path)
        body.items.clear()

    def _read(self, item: _Item, section: tuple[str, ...]) -> None:
        location = SourceLocation(self.path, item.line)
        source = "\n".join(item.lines)
        used: list[str] = []
        options = self._options(item.line - 1, item.lines, used)
        if self.cache is not None and "![" not in source:
            reading = self.cache.read_item(source, lambda s: read_item(s, options))
        else:
            reading = read_item(source, options)
        for doubt in reading.doubts:
            self.warnings.append(GuideWarning(location, doubt))
        record: NoteRecord
        match reading.shape:
            case QuestionShape(prompt, hint, notes):
                record = Question(prompt, hint, notes, section, location, source)
            case ConceptShape(term, definition):
                record = Concept(term, definition, section, location, source)
            case ListShape(label, items):
                record = ListNote(label, items, section, location, source)
            case NoNote(reason):
                self.warnings.append(GuideWarning(location, reason))
                return
        if not record.front.text:
            self.warnings.append(GuideWarning(location, "the front of this note would be blank"))
            return
        self.notes.append(record)
        self.media_used.update(used)

    def render_description(self) -> Fragment:
        used: list[str] = []
        # The description's lines are not kept with their numbers: look for images in the file.
        fragment = render_document("\n".join(self.description), self._options(0, self.lines, used))
        self.media_used.update(used)
        return fragment

    def _options(self, first: int, lines: list[str], used: list[str]) -> MarkdownOptions:
        """Markdown options whose images resolve with the line they are on (`lines[0]` is line
        `first + 1` of the guide) and are noted in `used`."""

        def image_source(url: str) -> str | None:
            candidates = {url, unquote(url)}
            offset = next(
                (k for k, text in enumerate(lines) if any(c in text for c in candidates)), 0
            )
            src = self.media.image_source(url, SourceLocation(self.path, first + offset + 1))
            if src is not None:
                used.append(src)
            return src

        return MarkdownOptions(allow_html=self.allow_html, image_source=image_source)

    def _warn(self, line: int, message: str) -> None:
        self.warnings.append(GuideWarning(SourceLocation(self.path, line), message))


def _is_contents(body: _Body) -> bool:
    title = identity.strip_numbering(body.title).casefold()
    if title in _TOC_TITLES and body.path:
        return True
    if not body.items or body.has_text:
        return False
    return all(
        all(not ln.strip() or _TOC_LINE_RE.fullmatch(ln) for ln in item.lines)
        for item in body.items
    )


def _cannot_interrupt(m: re.Match[str]) -> bool:
    """CommonMark: only a non-empty item, and an ordered one only from 1, interrupts a paragraph."""
    if not (m.group(4) or "").strip():
        return True
    marker = m.group(2)
    return marker[0].isdigit() and marker[:-1] != "1"


def _starts_block(line: str) -> bool:
    return bool(
        _ITEM_RE.match(line)
        or _atx_heading(line)
        or _BREAK_RE.match(line)
        or _QUOTE_RE.match(line)
        or (_FENCE_RE.match(line) and _indent(line) <= 3)
    )


def _atx_heading(line: str) -> tuple[int, str] | None:
    """`## Text ##` -> (2, "Text"). String operations, not one regex: a regex with a lazy text
    group before an optional closing sequence backtracks quadratically on long runs of spaces."""
    m = _ATX_OPEN_RE.match(line)
    if m is None:
        return None
    text = line[m.end() :].strip(" \t")
    body = text.rstrip("#")
    if body != text and (not body or body[-1] in " \t"):
        text = body.rstrip(" \t")
    return len(m.group(1)), text


def _skip_fence(lines: list[str], start: int, opener: str, end: int) -> int:
    """The index after the fence's closing line (`end + 1` when it has none before `end`)."""
    closer = re.compile(r" {0,3}" + re.escape(opener[0]) + "{" + str(len(opener)) + r",}[ \t]*$")
    i = start + 1
    while i < end and not closer.match(lines[i]):
        i += 1
    return i + 1


def _expand_indent(line: str) -> str:
    """Expand tabs in the leading whitespace only (tab stops of 4, as CommonMark says)."""
    if "\t" not in line:
        return line
    stripped = line.lstrip(" \t")
    lead = line[: len(line) - len(stripped)]
    return lead.expandtabs(4) + stripped


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
