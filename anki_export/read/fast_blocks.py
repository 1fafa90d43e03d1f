"""The blocks of a list item that guides use most, as mistune 3's block tokens, without mistune.

A one-line paragraph (the question, concept or list label), optionally followed by one nested
one-line bullet item (the hint), its marker up to three spaces in; trailing spaces are kept as
mistune keeps them. For anything else `read_blocks` returns None and mistune parses
the item. tests/test_fastpath.py checks, on generated text and on every guide in the tests, that
both ways give equal tokens and equal notes.
"""

from __future__ import annotations

import re
from typing import Any

Token = dict[str, Any]

_FIRST_LINE_RE = re.compile(r"(?:\*\*?|`)?[^\W\d_][^\x00-\x1f\x7f\x85\u2028\u2029]*")
_NESTED_ITEM_RE = re.compile(
    r" {0,3}([*+-])( {1,4})((?:\*\*?|__?)?[^\W\d_][^\x00-\x1f\x7f\x85\u2028\u2029]*)"
)


def read_blocks(source: str) -> list[Token] | None:
    """A one-line paragraph, optionally followed by a one-line bullet item (a hint)."""
    first, newline, second = source.partition("\n")
    if not _FIRST_LINE_RE.fullmatch(first):
        return None
    blocks: list[Token] = [{"type": "paragraph", "text": first + "\n"}]
    if newline:
        item = _NESTED_ITEM_RE.fullmatch(second)
        if item is None:
            return None
        text = {"type": "block_text", "text": item.group(3) + "\n"}
        blocks.append(
            {
                "type": "list",
                "children": [{"type": "list_item", "children": [text]}],
                "tight": True,
                "bullet": item.group(1),
                "attrs": {"depth": 0, "ordered": False},
            }
        )
    return blocks
