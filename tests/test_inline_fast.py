"""`read.inline_fast.read_inline` gives exactly mistune's tokens, HTML and text, or declines.

(And the card renderer's `render_inline` gives `render_tokens`' HTML, for any inline tokens.)

Differential: whatever it answers is compared with mistune's own reading of the same text, on
generated inline Markdown weighted toward the cases where the two could part (nested and
unbalanced emphasis, intraword `_`, backticks, escapes, brackets, `<` and `&`, links) and on every
paragraph of every guide the tests use. A reader that declined everything would pass that, so the
common shapes must also be answered, not declined.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import mistune
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from anki_export import export_deck, parse_guide
from anki_export.read import items as markdown
from anki_export.read.inline_fast import read_inline
from anki_export.read.shapes import MarkdownOptions

from .conftest import WriteGuide

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    not markdown._FAST_INLINE, reason="inline_fast follows mistune 3.4; this mistune reads all"
)


def _bench_generator() -> ModuleType:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        return importlib.import_module("generate")
    finally:
        sys.path.remove(str(ROOT / "bench"))


def _html(tokens: list[markdown.Token], allow_html: bool = False) -> str:
    """The HTML of inline tokens, both ways the renderer can make it: they must agree."""
    renderer = markdown._CardRenderer(MarkdownOptions(allow_html=allow_html))
    html = renderer.render_tokens(tokens, mistune.BlockState())
    assert renderer.render_inline(tokens) == html
    return html


def _same_or_declined(source: str) -> bool:
    """True when the fast reading answered; it must then be mistune's, to the byte."""
    fast = read_inline(source)
    slow = markdown._md.inline(source, {})
    for allow_html in (False, True):
        html = _html(slow, allow_html)
        if fast is not None:
            assert _html(read_inline(source) or [], allow_html) == html
    if fast is None:
        return False
    assert fast == slow, source
    assert markdown._plain(fast) == markdown._plain(slow)
    return True


_TRICKY = st.sampled_from(
    [
        *["*", "**", "***", "_", "__", "___", "`", "``", "```", "\\", "\\*", "\\_", "\\`"],
        *["\\\\", "\\[", "&", "&amp;", "&#42;", "&copy", "&lt;", "<", "< ", "<b>", "</i>"],
        *["<http://a.b>", "<a@b.co>", "[", "]", "[a](http://x.y)", '[a](/u "t")', "![i](p.png)"],
        *["](", "(", ")", '"', "'", "!", ":", "?", ".", ",", ";", "-", "'s", " ", "  ", "\t"],
        *["word", "a", "b", "Z9", "é", "日本", "\u00a0", "\u3000", "。", "1", "http://x.y/z_q"],
        *["Answer Hint:", "**a*b**", "_init_", "__init__", "snake_case", "~", "~~", "$", "\n"],
        *["x*y", "x_y", "*`*`*", "`a\\`", "\ufffc", "\u200b", "🙂", "`[`", "`]`", "`<b>`"],
        *["`[a](u)`", "[`]`](u)", "`~~`", "`$`", "`` `*` ``", "&`x`", "*`a`*", "`_x_`"],
    ]
)
_SOUP = st.lists(_TRICKY | st.text(max_size=2), max_size=14).map("".join)

# Well-formed nesting, which the fast reading should mostly answer, with tricky neighbours.
_WORDS = st.sampled_from(
    ["word", "two words", "`code`", "`a * b`", "x_y", "é", "1", "a\\*b", "`df[0]`", "`a<b`"]
)
_EDGE = st.sampled_from(["", " ", ", ", ": ", "(", ")", "'", "-", "é", "x", "\\_", "`c`", "."])


def _wrap(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """`inner` between a pair of markers, with punctuation, spaces or letters on either side of
    each marker: the flanking rules decide on exactly those characters."""
    markers = st.sampled_from(["*", "**", "_", "__", "*", "**"])
    return st.builds(
        lambda edges, mark, text: f"{edges[0]}{mark}{edges[1]}{text}{edges[2]}{mark}{edges[3]}",
        st.tuples(_EDGE, _EDGE, _EDGE, _EDGE),
        markers,
        inner,
    )


_NESTED = st.recursive(
    _WORDS,
    lambda inner: _wrap(inner) | st.lists(inner, min_size=2, max_size=3).map(" ".join),
    max_leaves=8,
)


@settings(max_examples=1200, deadline=None)
@given(st.one_of(_SOUP, _NESTED, st.builds("".join, st.lists(_NESTED | _TRICKY, max_size=5))))
@example("**a*b**")
@example("*a **b** c*")
@example("**a *b* c**")
@example("_a_b_ c")
@example("`` ` ``x")
@example("\\**a**")
@example("&amp;*x*")
@example("*\\&amp;")
@example("*[a](u)*")
@example("**Term**: `x` and \\_y\\_")
def test_fast_inline_is_mistune_or_declines(source: str) -> None:
    _same_or_declined(source)


def test_the_common_shapes_are_answered() -> None:
    for source in (
        "*Answer Hint:* Use **dead-letter queue** and `SELECT *`. Say where **x** fits.",
        "**What is the difference between `__init__` and `__new__`?**",
        "**Term**: text with _emphasis_ and \\*stars\\*",
        "*a **b** c* and **d *e* f**",
        "snake_case_name, 2 * 3 = 6 & a < b",
    ):
        assert _same_or_declined(source), source


def _guides() -> Iterator[tuple[str, str]]:
    for path in sorted([*ROOT.glob("source/*.md"), *ROOT.glob("tests/fixtures/**/*.md")]):
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")
    generate = _bench_generator()
    for profile in generate.PROFILES:
        yield f"bench {profile}", generate.generate_guide(600, profile=profile)[0]


def _paragraphs(blocks: list[markdown.Token]) -> Iterator[str]:
    for block in blocks:
        if "text" in block:
            yield block["text"].strip()
            yield from (line.strip() for line in block["text"].splitlines())
        yield from _paragraphs(block.get("children", []))


@pytest.mark.parametrize(("name", "text"), [pytest.param(*g, id=g[0]) for g in _guides()])
def test_every_paragraph_of_the_test_guides(name: str, text: str) -> None:
    with markdown.fast_paths(False):
        blocks = markdown._parse_blocks(text)
    sources = [s for s in _paragraphs(blocks) if s]
    answered = sum(_same_or_declined(s) for s in sources)
    # Guides put their markup in the shapes the fast reading takes; the rich fixture has links,
    # tables, math and raw HTML on purpose, and the seed guide's contents are links.
    assert answered / len(sources) > (0.5 if "rich" in name else 0.8), (answered, len(sources))


@pytest.mark.parametrize(("name", "text"), [pytest.param(*g, id=g[0]) for g in _guides()])
def test_every_item_reads_the_same_without_fast_paths(
    name: str, text: str, write_guide: WriteGuide
) -> None:
    # The test guides are read where they are, beside their images.
    guide = ROOT / name if (ROOT / name).is_file() else write_guide(text)
    fast = parse_guide(guide)
    with markdown.fast_paths(False):
        assert parse_guide(guide) == fast


@pytest.mark.parametrize("profile", ["seed", "light"])
def test_decks_are_byte_identical_without_fast_paths(profile: str, tmp_path: Path) -> None:
    # Fewer items than read.parallel reads in a pool: the switch holds in this process only.
    guide = tmp_path / "guide.md"
    guide.write_text(_bench_generator().generate_guide(400, profile=profile)[0], encoding="utf-8")
    decks = []
    for enabled in (True, False):
        out = tmp_path / f"fast-{enabled}" / "guide.apkg"
        with markdown.fast_paths(enabled):
            export_deck(guide, out, timestamp=1767225600, use_ledger=False, cache=False)
        decks.append(out.read_bytes())
    assert decks[0] == decks[1]
