"""Math in a guide, as a mistune plugin: `$$` on lines of their own; inside a paragraph,
`$$...$$` and `$...$`.

As in pandoc, `$` math must not start after or end before a space, nor be followed by a digit:
`$5 and $10` is text. The tokens (`block_math`, `display_math`, `inline_math`) are rendered by
`items._CardRenderer`. This module does not import mistune; `items` hands it the parser.
"""

from __future__ import annotations

import re
from typing import Any

_BLOCK_MATH_RE = r"^ {0,3}\$\$[ \t]*\n(?P<ae_block_math>[\s\S]*?)\n {0,3}\$\$[ \t]*(?:\n|$)"
_INLINE_MATH_RE = (
    r"\$\$(?P<ae_display_math>(?:[^$\\]|\\[\s\S])+?)\$\$"
    r"|\$(?![\s$])(?P<ae_inline_math>(?:[^$\\\n]|\\.)+?)(?<!\s)\$(?!\d)"
)


def _parse_block_math(block: Any, m: re.Match[str], state: Any) -> int:
    state.append_token({"type": "block_math", "raw": m.group("ae_block_math")})
    return m.end()


def _parse_inline_math(inline: Any, m: re.Match[str], state: Any) -> int:
    display = m.group("ae_display_math")
    if display is not None:
        state.append_token({"type": "display_math", "raw": display})
    else:
        state.append_token({"type": "inline_math", "raw": m.group("ae_inline_math")})
    return m.end()


def math_syntax(md: Any) -> None:
    """Teach mistune's block and inline parsers the math syntax (a mistune plugin)."""
    md.block.register("block_math", _BLOCK_MATH_RE, _parse_block_math, before="list")
    md.block.insert_rule(md.block.list_rules, "block_math", before="list")
    md.block.insert_rule(md.block.block_quote_rules, "block_math", before="list")
    # Before code spans and emphasis, so that `$a*b*c$` stays math.
    md.inline.register("inline_math", _INLINE_MATH_RE, _parse_inline_math, before="codespan")
