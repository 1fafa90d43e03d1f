"""Markdown inside one list item: decide what note it makes and render its parts to HTML.

This is the only module that imports mistune; its token dicts never leave it. Raw HTML typed in a
guide is escaped unless the caller allows it, so a card shows it as text. Nothing here knows about
files, decks or Anki: image paths are handed to the caller's `image_source` to be named.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import mistune
from mistune.plugins.formatting import strikethrough
from mistune.plugins.table import table, table_in_list, table_in_quote

from anki_export.read import fast_blocks, inline_fast
from anki_export.read.highlight import highlight_code
from anki_export.read.math_syntax import math_syntax
from anki_export.read.shapes import (
    DEFAULT_OPTIONS,
    ConceptShape,
    ItemReading,
    ListShape,
    MarkdownOptions,
    NoNote,
    QuestionShape,
)
from anki_export.records import Fragment

Token = dict[str, Any]

# Parsing only: each reading renders with its own `_CardRenderer`, which holds its options.
_md = mistune.Markdown(
    renderer=None,
    plugins=[strikethrough, table, table_in_list, table_in_quote, math_syntax],
)


class _CardRenderer(mistune.HTMLRenderer):
    """mistune's HTML renderer plus code, tables, strikethrough, math and images for Anki."""

    def __init__(self, options: MarkdownOptions) -> None:
        super().__init__(escape=not options.allow_html)
        self._image_source = options.image_source

    def render_inline(self, tokens: list[Token]) -> str:
        """Inline tokens to HTML, as `render_tokens` does; text, emphasis and code spans (most of
        a card) call their methods here directly, without mistune's dispatch per token."""
        html = _render_simple(self, tokens) if _fast_paths else None
        return html if html is not None else self.render_tokens(tokens, _new_state())

    def image(self, text: str, url: str, title: str | None = None) -> str:
        src = url if self._image_source is None else self._image_source(url)
        if src is None:
            return self.link(text or html.escape(url), url, title)
        return super().image(text, src, title)

    def block_code(self, code: str, info: str | None = None) -> str:
        words = (info or "").split(None, 1)
        return highlight_code(code, words[0] if words else "") + "\n"

    def strikethrough(self, text: str) -> str:
        return f"<del>{text}</del>"

    def table(self, text: str) -> str:
        # The wrapper scrolls sideways on a phone instead of squeezing the columns.
        return f'<div class="ae-table"><table>\n{text}</table></div>\n'

    def table_head(self, text: str) -> str:
        return f"<thead>\n<tr>\n{text}</tr>\n</thead>\n"

    def table_body(self, text: str) -> str:
        return f"<tbody>\n{text}</tbody>\n"

    def table_row(self, text: str) -> str:
        return f"<tr>\n{text}</tr>\n"

    def table_cell(self, text: str, align: str | None = None, head: bool = False) -> str:
        tag = "th" if head else "td"
        style = f' style="text-align: {align}"' if align else ""
        return f"<{tag}{style}>{text}</{tag}>\n"

    # Anki's own MathJax typesets \(...\) and \[...\]; the TeX is escaped like any text.
    def inline_math(self, text: str) -> str:
        return rf"\({html.escape(text, quote=False)}\)"

    def display_math(self, text: str) -> str:
        return rf"\[{html.escape(text, quote=False)}\]"

    def block_math(self, text: str) -> str:
        return f'<div class="ae-math">{self.display_math(text)}</div>\n'


_HINT_LABEL_RE = re.compile(r"(answer[ \t]+hint|hint|answer)[ \t]*(:)?", re.IGNORECASE)
_PLAIN_HINT_RE = re.compile(r"[ \t]*(?:answer[ \t]+hint|hint|answer)[ \t]*:[ \t]*", re.IGNORECASE)
_TEXT_BLOCKS = frozenset(
    {"paragraph", "block_text", "heading", "block_code", "block_html", "block_math", "table_cell"}
)


def read_item(source: str, options: MarkdownOptions = DEFAULT_OPTIONS) -> ItemReading:
    """Classify one top-level list item (marker removed, dedented) and render its fields.

    :param source: the item's Markdown, as if it were a document of its own.
    :param options: raw HTML and images; by default HTML is escaped and paths kept.
    :returns: the note shape it makes (or `NoNote` with the reason) and any doubts.
    """
    r = _CardRenderer(options)
    blocks = _parse_blocks(source)
    if not blocks:
        return ItemReading(NoNote("empty list item"))
    first, rest = blocks[0], blocks[1:]
    if first["type"] not in ("paragraph", "block_text"):
        return ItemReading(NoNote("list item does not start with text, so it makes no note"))
    line = _strip_inline(_inline(first["text"].strip()))

    if len(line) == 1 and line[0]["type"] == "strong":
        label = line[0]["children"]
        if _plain(label).rstrip().endswith(":"):
            return _read_list(r, _drop_trailing_colon(label), rest)
        return _read_question(r, label, rest)
    concept = _split_concept_label(line)
    if concept is not None:
        term, definition = concept
        if definition:
            shape = ConceptShape(_inline_fragment(r, term), _blocks_fragment(r, definition, rest))
            return ItemReading(shape)
        return _read_list(r, term, rest)
    if _plain(line).rstrip().endswith("?"):
        return _read_question(r, line, rest)
    return ItemReading(
        NoNote(
            "list item makes no note: it is not a question (wholly bold, or ending in '?'), "
            "a **Concept:** with text, or a **List:** label with items"
        )
    )


def heading_text(source: str) -> str:
    """The text of a heading with its inline markup removed."""
    return _collapse(_plain(_inline(source.strip())))


def render_document(source: str, options: MarkdownOptions = DEFAULT_OPTIONS) -> Fragment:
    """Render free Markdown (a deck description) to HTML and plain text."""
    blocks = _parse_blocks(source)
    _parse_inline(blocks)
    html = _CardRenderer(options).render_tokens(blocks, _new_state()).strip()
    return Fragment(html, _blocks_text(blocks))


def _read_question(r: _CardRenderer, prompt: list[Token], rest: list[Token]) -> ItemReading:
    hint: tuple[list[Token], list[Token]] | None = None
    notes: list[Token] = []
    for block in rest:
        if block["type"] != "list" or hint is not None:
            notes.append(block)
            continue
        others = []
        for item in block["children"]:
            found = _split_hint(item) if hint is None else None
            if found is None:
                others.append(item)
            else:
                hint = found
        if others:
            notes.append({**block, "children": others})
    doubts: tuple[str, ...] = ()
    hint_fragment = None
    if hint is not None:
        hint_fragment = _blocks_fragment(r, *hint)
        if not hint_fragment.text:
            hint_fragment = None
            doubts = ("the answer hint is empty, so this is exported as an open question",)
    notes_fragment = _blocks_fragment(r, [], notes) if notes else None
    shape = QuestionShape(_inline_fragment(r, prompt), hint_fragment, notes_fragment)
    return ItemReading(shape, doubts)


def _read_list(r: _CardRenderer, label: list[Token], rest: list[Token]) -> ItemReading:
    if not any(block["type"] == "list" for block in rest):
        return ItemReading(
            NoNote("a bold label ending in a colon needs text after it or a nested list under it")
        )
    return ItemReading(ListShape(_inline_fragment(r, label), _blocks_fragment(r, [], rest)))


def _split_hint(item: Token) -> tuple[list[Token], list[Token]] | None:
    """If a nested list item starts with a hint label, return (inline text after it, blocks)."""
    blocks = item["children"]
    if not blocks or blocks[0]["type"] not in ("paragraph", "block_text"):
        return None
    line = _strip_inline(_inline(blocks[0]["text"].strip()))
    if not line:
        return None
    head = line[0]
    after: list[Token] | None = None
    if head["type"] in ("emphasis", "strong"):
        m = _HINT_LABEL_RE.fullmatch(_plain(head["children"]).strip())
        if m and m.group(2):
            after = line[1:]
        elif m and len(line) > 1 and line[1]["type"] == "text":
            text = line[1]["raw"].lstrip()
            if text.startswith(":"):
                after = [{**line[1], "raw": text[1:]}, *line[2:]]
    elif head["type"] == "text":
        m2 = _PLAIN_HINT_RE.match(head["raw"])
        if m2:
            after = [{**head, "raw": head["raw"][m2.end() :]}, *line[1:]]
    if after is None:
        return None
    return _strip_inline(after), blocks[1:]


def _split_concept_label(line: list[Token]) -> tuple[list[Token], list[Token]] | None:
    """`**Term:** text` or `**Term**: text` -> (term inline, definition inline)."""
    if not line or line[0]["type"] != "strong":
        return None
    label = line[0]["children"]
    rest = line[1:]
    if _plain(label).rstrip().endswith(":"):
        return _drop_trailing_colon(label), _strip_inline(rest)
    if rest and rest[0]["type"] == "text" and rest[0]["raw"].lstrip().startswith(":"):
        text = rest[0]["raw"].lstrip()[1:]
        return label, _strip_inline([{**rest[0], "raw": text}, *rest[1:]])
    return None


def _drop_trailing_colon(inline: list[Token]) -> list[Token]:
    tokens = _strip_inline(list(inline))
    if tokens and tokens[-1]["type"] == "text":
        raw = tokens[-1]["raw"].rstrip()
        if raw.endswith(":"):
            tokens[-1] = {**tokens[-1], "raw": raw[:-1]}
        return _strip_inline(tokens)
    if tokens and "children" in tokens[-1]:
        # the colon sits inside nested emphasis: `***Term:***`
        tokens[-1] = {**tokens[-1], "children": _drop_trailing_colon(tokens[-1]["children"])}
    return tokens


def _strip_inline(tokens: list[Token]) -> list[Token]:
    """Drop whitespace-only text and line breaks at both ends; trim the edge texts."""
    out = list(tokens)
    while out and _is_blank(out[0]):
        out.pop(0)
    while out and _is_blank(out[-1]):
        out.pop()
    if out and out[0]["type"] == "text":
        out[0] = {**out[0], "raw": out[0]["raw"].lstrip()}
    if out and out[-1]["type"] == "text":
        out[-1] = {**out[-1], "raw": out[-1]["raw"].rstrip()}
    return out


def _is_blank(token: Token) -> bool:
    if token["type"] in ("softbreak", "linebreak"):
        return True
    return token["type"] == "text" and not token["raw"].strip()


def _inline_fragment(r: _CardRenderer, inline: list[Token]) -> Fragment:
    return _fragment(r.render_inline(inline), _plain(inline))


def _blocks_fragment(r: _CardRenderer, inline: list[Token], blocks: list[Token]) -> Fragment:
    """Inline text followed by blocks; the text is a paragraph only when blocks follow it."""
    _parse_inline(blocks)
    html = r.render_inline(inline).strip()
    text = _plain(inline)
    if blocks:
        if html:
            html = f"<p>{html}</p>\n"
        html += r.render_tokens(blocks, _new_state())
        text = f"{text} {_blocks_text(blocks)}"
    return _fragment(html, text)


def _fragment(html: str, text: str) -> Fragment:
    """A fragment whose text, when it is the same as its HTML (plain prose), is the same string
    object: a large guide then holds most of its prose once."""
    html, text = html.strip(), _collapse(text)
    return Fragment(html, html if text == html else text)


def _parse_blocks(source: str) -> list[Token]:
    fast = fast_blocks.read_blocks(source) if _fast_paths else None
    if fast is not None:
        return fast
    state = _new_state()
    state.process(source if source.endswith("\n") else source + "\n")
    _md.block.parse(state)
    return [t for t in state.tokens if t["type"] != "blank_line"]


def _parse_inline(blocks: Sequence[Token]) -> None:
    """Parse the inline text of block tokens in place (mistune's own render pass does this)."""
    for token in blocks:
        if "children" in token:
            _parse_inline(token["children"])
        elif "text" in token:
            token["children"] = _inline(token.pop("text").strip(" \r\n\t\f"))


def _new_state() -> mistune.BlockState:
    return mistune.BlockState()


def _plain(tokens: Sequence[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        kind = token["type"]
        if kind in ("softbreak", "linebreak"):
            parts.append(" ")
        elif "children" in token:
            parts.append(_plain(token["children"]))
        elif "raw" in token:
            parts.append(token["raw"])
        elif "text" in token:
            parts.append(token["text"])
    return "".join(parts)


def _blocks_text(blocks: Sequence[Token]) -> str:
    parts = []
    for token in blocks:
        if token["type"] in _TEXT_BLOCKS:
            parts.append(_plain([token]))
        elif "children" in token:
            parts.append(_blocks_text(token["children"]))
    return " ".join(p for p in parts if p)


def _collapse(text: str) -> str:
    # str.split() splits on exactly the characters `\s` matches (every code point checked), so
    # this is `re.sub(r"\s+", " ", text).strip()`, five times faster on a hint.
    return " ".join(text.split())


# Fast paths (`fast_blocks`, `inline_fast`). Most items of a guide are one bold line and one
# hint line, and mistune spends most of its time on emphasis delimiters. For the shapes guides
# use most, they build the very tokens mistune would build; for anything else they return None
# and mistune parses it. tests/test_fastpath.py and tests/test_inline_fast.py check, on generated
# text and on every guide in the tests, that both ways give equal tokens and equal notes.

# `inline_fast` copies mistune 3.4's rules, quirks included; another mistune reads everything.
_FAST_INLINE = mistune.__version__.startswith("3.4.")
# A switch for tests and measurements (`ANKI_EXPORT_FAST_PATHS=0` in the environment): the
# output is the same either way, only slower without.
_fast_paths = os.environ.get("ANKI_EXPORT_FAST_PATHS", "1") != "0"


@contextmanager
def fast_paths(enabled: bool) -> Iterator[None]:
    """Use (or skip) the fast paths inside the block; for tests that compare the two ways."""
    global _fast_paths
    before, _fast_paths = _fast_paths, enabled
    try:
        yield
    finally:
        _fast_paths = before


def fast_paths_enabled() -> bool:
    """Whether the fast paths are on (see `fast_paths`)."""
    return _fast_paths


def _inline(source: str) -> list[Token]:
    fast = _fast_inline(source) if _fast_paths else None
    return fast if fast is not None else _md.inline(source, {})


def _fast_inline(source: str) -> list[Token] | None:
    """Text, emphasis, code spans and escapes (see `inline_fast`), or None for mistune to read."""
    return inline_fast.read_inline(source) if _FAST_INLINE else None


def _render_simple(r: _CardRenderer, tokens: list[Token]) -> str | None:
    """HTML from the renderer's own methods for text, emphasis and code; None for anything else."""
    out = []
    for token in tokens:
        kind = token["type"]
        if kind == "text":
            out.append(r.text(token["raw"]))
        elif kind == "codespan":
            out.append(r.codespan(token["raw"]))
        elif kind == "strong" or kind == "emphasis":
            inner = _render_simple(r, token["children"])
            if inner is None:
                return None
            out.append(r.strong(inner) if kind == "strong" else r.emphasis(inner))
        else:
            return None
    return "".join(out)
