"""The block scanner: one chunk of a guide's lines -> its outline (headings, sections, items).

A chunk runs from a heading in column 0 to the next (`chunk_starts`). Scanning it needs only its
lines and the heading stack it enters with (`ScanState`): that is what makes a chunk the unit of
work that `read.guide` memoises. Follows CommonMark's block rules for the outer level only; what
an item means is `read.items`' business. Pure Python; imports no third-party library.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from anki_export.identity import keys as identity
from anki_export.records import GuideWarning, Section, SourceLocation

_ATX_OPEN_RE = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")
_SETEXT_RE = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_FENCE_RE = re.compile(r"[ \t]*(`{3,}|~{3,})(.*)$")
_BREAK_RE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_ITEM_RE = re.compile(r"( {0,3})([*+-]|\d{1,9}[.)])(?:([ \t]+)(.*))?$")
_QUOTE_RE = re.compile(r" {0,3}>")
# A task list's box (`- [ ] question`, `- [x] question`), as GitHub and Obsidian write it.
_TASK_RE = re.compile(r"\[[ xX]\][ \t]+(?=\S)")
_TOC_TITLES = frozenset({"table of contents", "contents", "toc"})
# Bullets that Word, Google Docs and web pages give when their lists are pasted as text: no
# Markdown reader takes them for list items, so each such line would vanish into a paragraph.
_PASTED_BULLETS = frozenset("•◦▪▫‣●○■□►▸")
_TOC_LINE_RE = re.compile(r"\s*(?:(?:[*+-]|\d{1,9}[.)])\s+)?\[[^\]]*\]\(#[^)\s]*\)\s*")


@dataclass(frozen=True, slots=True)
class ScanState:
    """What the scanner carries from one chunk into the next: the title and the heading stack."""

    title: str | None
    stack: tuple[tuple[int, str], ...]


START = ScanState(None, ())


@dataclass(frozen=True, slots=True)
class ItemSource:
    """One top-level list item, marker removed and dedented, and the section it is in."""

    line: int  # 1-based, counted from the chunk's first line
    source: str
    section: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Outline:
    """What scanning one chunk found; lines are counted from the chunk's first line (1)."""

    exit: ScanState
    items: tuple[ItemSource, ...]
    sections: tuple[Section, ...]
    #: Sections whose heading holds a table of contents (they make no notes, by design).
    contents: tuple[tuple[str, ...], ...]
    #: The guide's description (the text under its title), and its first line.
    description: tuple[str, ...]
    description_line: int
    warnings: tuple[GuideWarning, ...]
    #: False if a code block at the top level runs on past the chunk's end.
    clean: bool


def chunk_starts(lines: Sequence[str]) -> list[int]:
    """Lines that may start a chunk: an ATX heading in column 0. One inside a code block at the
    top level is not a heading; `scan_chunk` then says its chunk is not `clean`."""
    return [i for i, line in enumerate(lines) if line[:1] == "#" and _atx_heading(line)]


def scan_chunk(path: Path, lines: Sequence[str], state: ScanState = START) -> Outline:
    """Scan a chunk's lines, entering with `state`, as scanning the whole guide would.

    :param path: the guide, for the title when its heading is empty and for locations.
    """
    scanner = _Scanner(path, lines, state)
    clean = scanner.run()
    return Outline(
        exit=ScanState(scanner.title, tuple(scanner.stack)),
        items=tuple(scanner.items),
        sections=tuple(scanner.sections),
        contents=tuple(scanner.contents),
        description=tuple(scanner.description),
        description_line=scanner.description_line,
        warnings=tuple(scanner.warnings),
        clean=clean,
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

    def __init__(self, path: Path, lines: Sequence[str], state: ScanState) -> None:
        self.path = path
        self.lines = lines
        self.title = state.title
        self.stack = list(state.stack)
        self.description: list[str] = []
        self.description_line = 0
        self.in_description = False
        self.body = _Body((), "")
        self.sections: list[Section] = []
        self.items: list[ItemSource] = []
        self.warnings: list[GuideWarning] = []
        self.contents: list[tuple[str, ...]] = []

    def run(self) -> bool:
        """Scan every line; False if a code block at the top level runs on past the last one,
        where the lines after it would have been read as code."""
        lines = self.lines
        end = len(lines)
        i = 0
        clean = True
        paragraph: int | None = None  # the first line of the top-level paragraph we are in
        while i < end:
            line = _expand_indent(lines[i])
            if not line.strip():
                paragraph = None
                i = _skip_empty(lines, i + 1, end)
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
                self._pasted_bullet(line, i + 1)
                self.body.has_text = True
                if self.in_description:
                    if not self.description:
                        self.description_line = i + 1
                    self.description.append(lines[i])
                i += 1
                continue
            paragraph = None
        self._close_body()
        return clean

    def _drop_paragraph_text(self, count: int) -> None:
        if self.in_description and count:
            del self.description[-count:]
            if not self.description:
                self.description_line = 0

    def _heading(self, level: int, raw: str, line: int) -> None:
        from anki_export.read.items import heading_text  # mistune: only for chunks not memoised

        text = heading_text(raw)
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
        if task := _TASK_RE.match(first):
            first = first[task.end() :]  # a to-do box: the author's progress, not the card's
        body = [first]
        i = start + 1
        blank = False
        in_fence = bool(_FENCE_RE.match(first))
        lazy_ok = bool(first.strip()) and not in_fence
        while i < len(lines):
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
            self._pasted_bullet(line, i + 1)
            body.append(line.strip())
            i += 1
        while body and not body[-1].strip():
            body.pop()
        self.body.items.append(_Item(start + 1, body))
        return i

    def _close_body(self) -> None:
        body = self.body
        if _is_contents(body):
            self.contents.append(body.path)
        else:
            self.items += [ItemSource(i.line, "\n".join(i.lines), body.path) for i in body.items]
        body.items = []

    def _pasted_bullet(self, line: str, number: int) -> None:
        """Warn of a line of a paragraph (or an item's lazy continuation) that starts with a
        bullet character, as a list pasted from a word processor does."""
        text = line.lstrip()
        if text[:1] in _PASTED_BULLETS and text[1:2].isspace():
            self._warn(
                number,
                f"starts with {text[0]!r}, which Markdown does not take for a list item, so the "
                "line makes no note of its own; start it with '- ' (or '    - ' for a hint)",
            )

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


def _skip_fence(lines: Sequence[str], start: int, opener: str, end: int) -> int:
    """The index after the fence's closing line (`end + 1` when it has none before `end`)."""
    closer = re.compile(r" {0,3}" + re.escape(opener[0]) + "{" + str(len(opener)) + r",}[ \t]*$")
    i = start + 1
    while i < end and not closer.match(lines[i]):
        i += 1
    return i + 1


def _skip_empty(lines: Sequence[str], i: int, end: int) -> int:
    """The first index from `i` on whose line is not empty, else `end`; found in C, since a
    guide of a million blank lines would otherwise take seconds here."""
    if i >= end or lines[i]:
        return i
    if not isinstance(lines, (list, tuple)):
        return next((k for k in range(i, end) if lines[k]), end)
    rest = iter(lines)
    # List and tuple iterators can start anywhere; islice would step through every line before.
    rest.__setstate__(i)  # type: ignore[attr-defined]
    return min(end, next(itertools.compress(itertools.count(i), rest), end))


def _expand_indent(line: str) -> str:
    """Expand tabs in the leading whitespace only (tab stops of 4, as CommonMark says)."""
    if "\t" not in line:
        return line
    stripped = line.lstrip(" \t")
    lead = line[: len(line) - len(stripped)]
    return lead.expandtabs(4) + stripped


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
