"""The Markdown fast paths build exactly what mistune builds, or step aside.

`markdown._fast_inline` and `fast_blocks.read_blocks` skip mistune for plain text; whenever they
answer, the tokens (and so the notes) must equal mistune's own, on text generated to sit right at
the edge of what they accept.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from anki_export.read import fast_blocks
from anki_export.read import items as markdown
from anki_export.read.guide import parse_guide

# Pieces that make the fast paths' decisions hard: markup, flanking, entities, URLs, Unicode.
_PIECES = st.sampled_from(
    [
        "*",
        "**",
        "_",
        "__",
        "`",
        "``",
        ":",
        "://",
        "?",
        ".",
        " ",
        "  ",
        "\t",
        "\n",
        "\\",
        "&",
        "&amp;",
        "<b>",
        "[",
        "]",
        "(",
        ")",
        "!",
        "#",
        "~",
        "$",
        "|",
        "{",
        "-",
        "+",
        "1.",
        "Answer Hint:",
        "Hint",
        "Term",
        "word",
        "é",
        "\u00a0",
        "\u3000",
        "？",
        "\u200b",
        "🙂",
        "\u05e9\u05dc\u05d5\u05dd",
        "http",
        "x",
        "SELECT *",
        "\x00",
        "\x85",
        "\u2028",
    ]
)
_TEXT = st.lists(_PIECES | st.text(max_size=3), max_size=12).map("".join)
_LINE = st.lists(
    _PIECES | st.text(alphabet=st.characters(blacklist_characters="\n"), max_size=3), max_size=10
).map("".join)


def _mistune_inline(source: str) -> list[markdown.Token]:
    return markdown._md.inline(source, {})


@settings(max_examples=1000, deadline=None)
@given(_TEXT)
@example("**What is a join?**")
@example("**Term:** the definition, with `code` and (parentheses).")
@example("*Answer Hint:* `__init__` runs after `__new__`.")
@example("**Term**: text")
@example("**Q?**x")
@example("*a*b")
@example("**http://x**")
@example("`` a ``")
def test_fast_inline_equals_mistune(source: str) -> None:
    fast = markdown._fast_inline(source)
    if fast is not None:
        assert fast == _mistune_inline(source)


# Items near the accepted shape: a first line and a bullet line, each with a little markup.
_OPENER = st.sampled_from(["", "", "*", "**", "`", "_", " ", "1. ", "# ", "> "])
_WORDY = st.lists(
    st.sampled_from(["word", "Q", "é", "שלום", " ", "?", ":", "`x`", "*", "_", "&", "<b>", "  "]),
    max_size=8,
).map(lambda words: "W" + "".join(words))
_NEAR_ITEM = st.builds(
    lambda o1, w1, c1, m, sp, o2, w2, tail: f"{o1}{w1}{c1}\n{m}{sp}{o2}{w2}{tail}",
    _OPENER,
    _WORDY,
    st.sampled_from(["", "**", "*", " ", "?**"]),
    st.sampled_from(["*", "*", "+", "-", "1.", "", "  *", " -", "   +", "    -", "\t-"]),
    st.sampled_from(["", " ", " ", "   ", "    ", "     "]),
    st.sampled_from(["", "*", "**", "_", "__"]),
    _WORDY,
    st.sampled_from(["", "", "", "", "\n", "\nmore", "\n\n  para", " "]),
)


@settings(max_examples=800, deadline=None)
@given(st.one_of(_TEXT, st.builds(lambda a, b: f"{a}\n{b}", _LINE, _LINE), _NEAR_ITEM))
@example("**Q?**\n*   *Answer Hint:* yes")
@example("Q?\n- Follow-up")
@example("Q?\n-     indented code")
@example("Q\n---")
@example("**Q**\n* * *")
@example("**Q?** \n  - *Hint:* trailing spaces  ")
@example("- **Q?**\n   * three spaces in")
@example("Q?\n    - four spaces in: a lazy line")
def test_fast_blocks_and_items_equal_mistune(source: str) -> None:
    fast = fast_blocks.read_blocks(source)
    with markdown.fast_paths(False):
        slow_blocks = markdown._parse_blocks(source)
        slow_item = markdown.read_item(source)
    if fast is not None:
        assert fast == slow_blocks
    assert markdown.read_item(source) == slow_item


def test_fast_paths_take_the_common_shapes() -> None:
    assert fast_blocks.read_blocks("**Why?**\n*   *Answer Hint:* Because.") is not None
    assert fast_blocks.read_blocks("**Term:** a definition") is not None
    for text in ("**Why?**", "*Answer Hint:* Because `x` is.", "**Term:** definition", "Plain."):
        assert markdown._fast_inline(text) is not None


def test_seed_guide_is_the_same_with_and_without_fast_paths(seed: Path) -> None:
    fast = parse_guide(seed)
    with markdown.fast_paths(False):
        assert parse_guide(seed) == fast
