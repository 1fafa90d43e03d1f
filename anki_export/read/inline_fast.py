"""Read the inline Markdown that guides use most, giving exactly the tokens mistune 3.4 gives.

Guides put markup on every card: a bold question, an italic `*Answer Hint:*` label, bold terms
and `code` in the hint. mistune spends most of an export reading these lines, most of that on
emphasis delimiters. `read_inline` reads text, `*` and `_` emphasis and strong emphasis, code
spans and backslash escapes the way mistune does, in one pass with a stack of open delimiter
runs, and returns None (so that mistune reads the text instead) for everything else: links,
images, raw HTML and autolinks, strikethrough, math, line breaks, and any emphasis whose reading
is not plain nesting (runs of three or more, crossed or mismatched pairs, a closing run whose
innermost open run is not its twin). tests/test_inline_fast.py checks, on generated text and on
every paragraph of the test guides, that whenever it answers, the answer is mistune's.

The token shapes are mistune's, quirks included: emphasis children keep the empty text left by
their consumed delimiters, escaped text stays a text token of its own unless the line holds an
emphasis marker, and so on. This module does not import mistune; the caller decides whether the
installed mistune is one these rules were checked against.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_left
from typing import Any

Token = dict[str, Any]

# Syntax left to mistune: math (which binds tighter than code spans), line breaks and control
# characters; `&` right before a delimiter or escaped, where mistune may split text tokens at an
# entity; and, outside code spans, links and images, raw HTML and autolinks, strikethrough.
# (Character classes, each searched on its own: an alternation would make every search slow.)
_DECLINE_RE = re.compile(r"[$\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")
_AMPERSAND_RE = re.compile(r"&[*_\\`!]|\\&")
_DECLINE_TEXT_RE = re.compile(r"[\[\]~]")
_DECLINE_ALL_RE = re.compile(r"[$\[\]~\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")
_TAG_RE = re.compile(r"<(?!\s)")
_PUNCTUATION = "[" + re.escape(string.punctuation) + "]"
_ESCAPES_RE = re.compile(r"(?:\\" + _PUNCTUATION + ")+")
_ESCAPE_RE = re.compile(r"\\(" + _PUNCTUATION + ")")
_CODE_OR_ESCAPE_RE = re.compile(r"[\\`]")
_BACKTICKS_RE = re.compile(r"`+")
# Deeper nesting than this is left to mistune, which stops nesting at 20 levels.
_MAX_DEPTH = 8

_TEXT, _ESCAPED, _CODE = 0, 1, 2
_OBJECT = "\ufffc"  # what mistune puts in place of a code span when judging flanking
# Anything that is more than text to mistune: with none of these a line is one text token.
_SYNTAX_RE = re.compile(r"[\\`*_$\[\]~<&\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")


def read_inline(source: str) -> list[Token] | None:
    """mistune's inline tokens for `source`, or None to have mistune read it."""
    if not source:
        return None
    if _SYNTAX_RE.search(source) is None:
        return [{"type": "text", "raw": source}]
    if "&" in source and _AMPERSAND_RE.search(source):
        return None
    if "`" in source or "\\" in source:
        if _DECLINE_RE.search(source):
            return None
        pieces = _scan(source)
        # Inside code spans, brackets and `<` are code; mistune never sees them as syntax when,
        # outside, there is nothing but what `_scan` reads as mistune does.
        if any(kind == _TEXT and _declined_text(raw) for kind, raw in pieces):
            return None
    elif _DECLINE_ALL_RE.search(source) or "<" in source and _TAG_RE.search(source):
        return None
    else:
        pieces = [(_TEXT, source)]
    if not any(kind == _TEXT and ("*" in raw or "_" in raw) for kind, raw in pieces):
        return [
            {"type": "codespan", "raw": raw} if kind == _CODE else {"type": "text", "raw": raw}
            for kind, raw in pieces
        ]
    parts = _emphasis(pieces)
    return None if parts is None else _merge_text(parts)


def _declined_text(text: str) -> bool:
    return bool(_DECLINE_TEXT_RE.search(text) or "<" in text and _TAG_RE.search(text))


def _scan(source: str) -> list[tuple[int, str]]:
    """Text, escaped text and code spans as mistune's scanner leaves them, adjacent text joined."""
    pieces: list[tuple[int, str]] = []
    runs: dict[int, list[int]] | None = None  # backtick runs by length, made when first needed
    start = pos = 0
    while (found := _CODE_OR_ESCAPE_RE.search(source, pos)) is not None:
        at = found.start()
        if source[at] == "\\":
            escapes = _ESCAPES_RE.match(source, at)
            if escapes is None:  # a backslash before anything else is text
                pos = at + 1
                continue
            piece, end = (_ESCAPED, _ESCAPE_RE.sub(r"\1", escapes.group())), escapes.end()
        else:
            marker = _BACKTICKS_RE.match(source, at)
            assert marker is not None
            if runs is None:
                runs = _backtick_runs(source)
            close = _code_end(runs, len(marker.group()), marker.end())
            if close is None:  # no closing run of the same length: the backticks are text
                pos = marker.end()
                continue
            piece, end = (
                (_CODE, _code_text(source[marker.end() : close])),
                close + marker.end() - at,
            )
        if at > start:
            pieces.append((_TEXT, source[start:at]))
        pieces.append(piece)
        start = pos = end
    if start < len(source):
        pieces.append((_TEXT, source[start:]))
    return pieces


def _backtick_runs(source: str) -> dict[int, list[int]]:
    runs: dict[int, list[int]] = {}
    for run in _BACKTICKS_RE.finditer(source):
        runs.setdefault(run.end() - run.start(), []).append(run.start())
    return runs


def _code_end(runs: dict[int, list[int]], size: int, pos: int) -> int | None:
    """Where the first run of exactly `size` backticks at or after `pos` starts (a bisection,
    so that many unclosed runs stay linear)."""
    starts = runs.get(size, [])
    index = bisect_left(starts, pos)
    return starts[index] if index < len(starts) else None


def _code_text(code: str) -> str:
    if code.strip(" ") and code.startswith(" ") and code.endswith(" "):
        return code[1:-1]
    return code


def _emphasis(pieces: list[tuple[int, str]]) -> list[Token | str] | None:
    """Split text at delimiter runs and pair them as plain nesting, or None if they do not.

    Text parts are plain strings until they land in an emphasis node (mistune keeps them apart
    there) or are joined at the top level."""
    flanking = "".join(_OBJECT if kind == _CODE else raw for kind, raw in pieces)
    end = len(flanking)
    parts: list[Token | str] = []
    openers: list[tuple[int, str]] = []  # (index in parts, the run)
    at = 0  # where the next segment starts in `flanking`
    for kind, raw in pieces:
        if kind != _TEXT:
            parts.append({"type": "codespan", "raw": raw} if kind == _CODE else raw)
            at += 1 if kind == _CODE else len(raw)
            continue
        pos, size = 0, len(raw)
        markers = _Markers(raw)
        while (start := markers.next(pos)) >= 0:
            marker, stop = raw[start], start + 1
            while stop < size and raw[stop] == marker:
                stop += 1
            if stop < size and raw[stop] in "*_":  # a run of both markers (`*_`)
                return None
            if start > pos:
                parts.append(raw[pos:start])
            segment = raw[start:stop]
            parts.append(segment)
            flags = _flanking(
                segment,
                flanking[at + start - 1] if at + start else "\n",
                flanking[at + stop] if at + stop < end else "\n",
            )
            pos = stop
            if flags is None or not _pair(parts, openers, segment, flags):
                return None
        if pos < size:
            parts.append(raw[pos:])
        at += size
    return parts


def _pair(
    parts: list[Token | str], openers: list[tuple[int, str]], run: str, flags: tuple[bool, bool]
) -> bool:
    """Close the innermost open run with `run` (the last part), or open with it; False when
    the nesting is not plain."""
    if flags[1] and openers:
        # The innermost open run must be this one's twin.
        opener, twin = openers.pop()
        if twin != run:
            return False
        _nest(parts, opener, "strong" if len(run) == 2 else "emphasis")
    elif flags[0]:  # a run that could also close opens when nothing is open
        if len(openers) == _MAX_DEPTH:
            return False
        openers.append((len(parts) - 1, run))
    return True


class _Markers:
    """Where the next `*` or `_` is: two C searches beat a regex here, and each is redone only
    once passed, so that a line of many of one marker and none of the other stays linear."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._star = self._under = -2  # not searched yet

    def next(self, pos: int) -> int:
        # -1: none left, so never searched again
        if self._star != -1 and self._star < pos:
            self._star = self._text.find("*", pos)
        if self._under != -1 and self._under < pos:
            self._under = self._text.find("_", pos)
        star, under = self._star, self._under
        if star < 0 or 0 <= under < star:
            return under
        return star


def _nest(parts: list[Token | str], opener: int, kind: str) -> None:
    """The delimiters at `opener` and at the end of `parts` become an emphasis node."""
    parts[opener] = parts[-1] = ""
    children = [
        {"type": "text", "raw": p} if isinstance(p, str) else p for p in parts[opener + 1 : -1]
    ]
    parts[opener + 1 : -1] = [{"type": kind, "children": children}]


# Flanking as mistune 3.4 judges it (`mistune._inline.emphasis`), which is not quite CommonMark's:
# by marker and the kinds of the characters before and after the run, (can open, can close).
_SPACE, _ALNUM, _PUNCT = 0, 1, 2


def _kind(char: str) -> int:
    if char.isspace():
        return _SPACE
    return _ALNUM if char.isalnum() else _PUNCT


def _can_open(marker: str, before: int, after: int) -> bool:
    if marker == "_" and before == after == _ALNUM:
        return False
    return after != _SPACE and not (after == _PUNCT and before == _ALNUM)


def _can_close(marker: str, before: int, after: int) -> bool:
    if marker == "_" and before == after == _ALNUM:
        return False
    return before != _SPACE and not (before == _PUNCT and after == _ALNUM)


_FLANKING = {
    (marker, before, after): (_can_open(marker, before, after), _can_close(marker, before, after))
    for marker in "*_"
    for before in (_SPACE, _ALNUM, _PUNCT)
    for after in (_SPACE, _ALNUM, _PUNCT)
}
_RUNS: dict[tuple[str, str, str], tuple[bool, bool] | None] = {}


def _flanking(run: str, before: str, after: str) -> tuple[bool, bool] | None:
    """(can open, can close) for a delimiter run, or None for a run this reader leaves alone:
    three or more markers that may open or close."""
    key = (run, before, after)
    if key in _RUNS:
        return _RUNS[key]
    marker = run[0]
    can_open, can_close = _FLANKING[marker, _kind(before), _kind(after)]
    flags = (
        None
        if run.strip(marker) or len(run) > 2 and (can_open or can_close)
        else (can_open, can_close)
    )
    if len(_RUNS) < 4096:  # runs repeat a lot (`**` between a space and a letter)
        _RUNS[key] = flags
    return flags


def _merge_text(parts: list[Token | str]) -> list[Token]:
    """Join neighbouring text at the top level, dropping empty text, as mistune does last."""
    merged: list[Token] = []
    chunks: list[str] = []
    for part in parts:
        if isinstance(part, str):
            chunks.append(part)
            continue
        if chunks:
            text = "".join(chunks)
            if text:
                merged.append({"type": "text", "raw": text})
            chunks = []
        merged.append(part)
    text = "".join(chunks)
    if text:
        merged.append({"type": "text", "raw": text})
    return merged
