"""Unbreakable on bad input: any text or bytes give a deck or an error with a location, fast.

Property tests feed arbitrary Markdown and bytes to the parser and the CLI; explicit cases cover
the nasty inputs (deep nesting, a 10 MB line, NUL bytes, BOM, CR and CRLF line ends, unterminated
fences, huge tables, `::` headings, emoji and right-to-left text) with time bounds, so that a
quadratic path shows up as a failure rather than as a slow test suite.
"""

from __future__ import annotations

import itertools
import re
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageRequest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anki_export.cli import main
from anki_export.errors import AnkiExportError, GuideError
from anki_export.pipeline import export_deck
from anki_export.read.guide import parse_guide
from anki_export.read.items import read_item
from anki_export.read.scan import _atx_heading
from anki_export.records import Guide

# The regex `_atx_heading` replaced: the same headings, but quadratic on runs of spaces.
_OLD_ATX_RE = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")


def _old_atx(line: str) -> tuple[int, str] | None:
    m = _OLD_ATX_RE.match(line)
    return None if m is None else (len(m.group(1)), m.group(2) or "")


def test_atx_headings_read_as_before_on_every_short_line() -> None:
    for length in range(8):
        for chars in itertools.product(" \t#a", repeat=length):
            line = "".join(chars)
            old = _old_atx(line)
            rest = line.lstrip(" ")[old[0] :].strip(" \t") if old else ""
            if old is not None and rest and set(rest) == {"#"}:
                # The old regex kept a lone closing sequence ("# #" -> "#"); CommonMark (and
                # now we) read it as an empty heading.
                assert _atx_heading(line) == (old[0], ""), line
            else:
                assert _atx_heading(line) == old, line


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


# --- arbitrary input ---------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "\n",
        "\n\n",
        "# ",
        "## ",
        "### ",
        "- ",
        "* ",
        "+ ",
        "1. ",
        "2) ",
        "  ",
        "    ",
        "\t",
        "**",
        "*",
        "_",
        "__",
        "`",
        "```",
        "~~~",
        "> ",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "&",
        "\\",
        ":",
        "::",
        "?",
        "|",
        "---",
        "===",
        "Answer Hint:",
        "*Hint:*",
        "Term",
        "word",
        "\r",
        "\r\n",
        "\ufeff",
        "🙂",
        "שלום",
        "\u200f",
        "<script>",
        "![x](y)",
        "[a](#b)",
        "Contents",
        "| a | b |\n|---|---|\n",
        "{{c1::x}}",
        "\x0b",
        "\x0c",
        "\x85",
        "\u2028",
        "\x00",
    ]
)


def _markdown(pieces: int) -> st.SearchStrategy[str]:
    return st.lists(_PIECES | st.text(max_size=4), max_size=pieces).map("".join)


def _guide(pieces: int, items: int) -> st.SearchStrategy[str]:
    """A guide: a title, a section and `items` list items, with hints, of up to `pieces`."""
    markdown = _markdown(pieces)
    item = st.builds(
        lambda marker, text, end, hints: (
            f"{marker}{text}{end}\n" + "".join(f"    - *Hint:* {h}\n" for h in hints)
        ),
        st.sampled_from(["- **", "* ", "- ", "1. "]),
        markdown,
        st.sampled_from(["?**", "?", ":** d", "**"]),
        st.lists(markdown, max_size=2),
    )
    return st.builds(
        lambda title, items: f"# {title}\n\n## {title}\n\n" + "".join(items),
        markdown,
        st.lists(item, min_size=1, max_size=items),
    )


_MARKDOWN = _markdown(50)
_GUIDE = _guide(50, 6)


def _check_outcome(path: Path, parse: Callable[[], object], line_count: int) -> None:
    """Either notes, or an AnkiExportError whose every problem points into the file."""
    try:
        guide = parse()
    except AnkiExportError as e:
        message = str(e)
        assert message.startswith(str(path)), message
        problems = e.problems if isinstance(e, GuideError) else ((e.location, ""),)
        for location, _ in problems:
            assert location is not None, message
            assert location.path == path and 0 <= location.line <= line_count + 1
        return
    assert isinstance(guide, Guide) and guide.notes


@settings(max_examples=300, deadline=None)
@given(st.one_of(_MARKDOWN, _GUIDE))
def test_any_markdown_gives_notes_or_an_error_with_a_location(text: str) -> None:
    path = Path("fuzz.md")
    _check_outcome(path, lambda: parse_guide(path, text), len(text.splitlines()))


# tmp_path is shared by a test's examples; each example overwrites what it uses.
_TMP_PATH = [HealthCheck.function_scoped_fixture]
_BYTES = st.lists(
    st.binary(max_size=6)
    | st.sampled_from([b"\xef\xbb\xbf", b"\r", b"\r\n", b"\x00", b"\xff", b"\xc3", b"\x1f"])
    # Short guides: drawing up to twelve full ones took nineteen twentieths of the test's time,
    # and what these tests add is the bytes around and inside the guide's lines.
    | _guide(12, 3).map(lambda s: s.encode("utf-8")),
    max_size=12,
).map(b"".join)


@settings(max_examples=150, deadline=None, suppress_health_check=_TMP_PATH)
@given(_BYTES)
def test_any_bytes_give_notes_or_an_error_with_a_location(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.md"
    path.write_bytes(data)
    _check_outcome(path, lambda: parse_guide(path), data.count(b"\n") + data.count(b"\r"))


@settings(max_examples=60, deadline=None, suppress_health_check=_TMP_PATH)
@given(_BYTES)
def test_cli_on_any_bytes_exits_0_or_1_without_a_traceback(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.md"
    path.write_bytes(data)
    result = CliRunner().invoke(main, [str(path), "-o", str(tmp_path / "out.apkg")])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if result.exit_code == 1:
        assert result.stderr.startswith(f"Error: {path}"), result.stderr
    else:
        assert zipfile.ZipFile(tmp_path / "out.apkg").testzip() is None


@settings(max_examples=12, deadline=None, suppress_health_check=_TMP_PATH)
@given(_GUIDE)
def test_generated_guides_import_cleanly_into_anki(tmp_path: Path, text: str) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    guide = folder / "fuzz.md"
    guide.write_text(text, encoding="utf-8", newline="")
    try:
        result = export_deck(guide, folder / "out.apkg", timestamp=1767225600)
    except AnkiExportError:
        return
    _import_cleanly(folder / "out.apkg", folder / "collection.anki2", result.notes)


def _import_cleanly(package: Path, collection: Path, notes: int) -> None:
    """Anki's engine imports every note, finds nothing to fix, renders every card."""
    col = Collection(str(collection))
    try:
        options = col._backend.get_import_anki_package_presets()
        log = col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(package), options=options)
        ).log
        assert len(log.new) == notes == col.note_count() == col.card_count()
        _, ok = col.fix_integrity()
        assert ok and col.note_count() == notes == col.card_count()
        for card_id in col.find_cards(""):
            card = col.get_card(card_id)
            for html in (card.question(), card.answer()):
                assert "templates/errors" not in html, html
    finally:
        col.close()


# --- nasty inputs, each with a time bound ------------------------------------------------------

_MB = 1_000_000
_NASTY = {
    "10,000-deep list markers": "- **Q?**\n    - *Hint:* " + "- " * 10_000 + "x\n",
    "10,000-deep block quotes": "> " * 10_000 + "x\n\n- **Q?**\n    - *Hint:* " + "> " * 10_000,
    "10,000-deep emphasis": "- **Q?**\n    - *Hint:* " + "*" * 10_000 + "x" + "*" * 10_000,
    "10,000-deep brackets": "- Q " + "[" * 10_000 + "x" + "](y)" * 10_000 + "?\n",
    "10,000-deep nested items": "- **Q?**\n"
    + "".join("  " * d + "- x\n" for d in range(1, 400))
    + "- " * 10_000
    + "y?\n",
    "10 MB line of prose in a hint": "- **Q?**\n    - *Hint:* " + "word " * (2 * _MB) + "\n",
    "10 MB line outside any item": "x" * (10 * _MB) + "\n\n- **Q?**\n",
    "10 MB question": "- **" + "why " * (10 * _MB // 4) + "?**\n",
    "10 MB heading": "## " + "a " * (5 * _MB) + "\n\n- **Q?**\n",
    "10 MB of blank lines": "\n" * (10 * _MB) + "- **Q?**\n",
    "BOM and CRLF": "\ufeff# T\r\n\r\n## S\r\n\r\n- **Q?**\r\n    - *Hint:* h\r\n",
    "CR line ends": "# T\r\r## S\r\r- **Q?**\r    - *Hint:* h\r- **R?**\r",
    "mixed bullets": "- **A?**\n* **B?**\n+ **C?**\n1. **D?**\n2) **E?**\n-\tF?\n",
    "unterminated fence in an item": "- **Q?**\n    - *Hint:*\n\n      ```\n" + "x\n" * 10_000,
    "unterminated fence at the top": "- **Q?**\n\n```\n" + "- **not a note?**\n" * 10_000,
    # 30,000 rows: a reading quadratic in them would take minutes; 100,000 took 5 s of the 10 s
    # bound on a busy machine, too near it, in two tests.
    "huge table": "- **Q?**\n    - *Hint:* t\n\n      | a | b |\n      |---|---|\n"
    + "      | x | y |\n" * 30_000,
    "heading that is only ::": "# ::\n\n## ::\n\n### :: ::\n\n- **::?**\n    - *Hint:* ::\n",
    "emoji and right-to-left text": "# 🎉 שלום\n\n## مرحبا 👋\n\n- **ما هو؟ 🤔**\n"
    "    - *Hint:* \u200fשלום\u200e עולם 🙂\n- **Термин:** ✓ 定义 𝔘\n",
    "only markup": "*" * 1000 + "\n" + "_" * 1000 + "\n" + "#" * 1000 + "\n- **?**\n",
}


@pytest.mark.parametrize("name", list(_NASTY))
def test_nasty_input(name: str, tmp_path: Path) -> None:
    path = tmp_path / "nasty.md"
    path.write_text(_NASTY[name], encoding="utf-8", newline="")
    # CPU time, not wall time: the bound is about the parser, not about what else the machine
    # runs (with tests on both cores, a wall-clock bound failed under load).
    start = time.process_time()
    _check_outcome(path, lambda: parse_guide(path), _NASTY[name].count("\n") + 1)
    assert time.process_time() - start < 10


@pytest.mark.parametrize(
    ("data", "line"),
    [(b"# T\n\n- **Q?**\x00\n", 3), (b"# T\r\n\xff\r\n", 2), (b"\xef\xbb\xbf\x00", 1)],
)
def test_binary_and_broken_utf8_are_errors_with_a_line(
    tmp_path: Path, data: bytes, line: int
) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(data)
    with pytest.raises(AnkiExportError) as info:
        parse_guide(path)
    assert str(info.value).startswith(f"{path}:{line}: ")


@pytest.mark.parametrize(
    "name",
    [
        "BOM and CRLF",
        "CR line ends",
        "mixed bullets",
        "heading that is only ::",
        "emoji and right-to-left text",
        "10,000-deep emphasis",
        "huge table",
    ],
)
def test_nasty_guides_import_cleanly_into_anki(name: str, tmp_path: Path) -> None:
    guide = tmp_path / "nasty.md"
    guide.write_text(_NASTY[name], encoding="utf-8", newline="")
    result = export_deck(guide, tmp_path / "out.apkg", timestamp=1767225600)
    _import_cleanly(tmp_path / "out.apkg", tmp_path / "collection.anki2", result.notes)


@pytest.mark.parametrize("unit", ["*a", "_a", "[", "<a ", "![", "`a"])
def test_pathological_inline_markup_is_linear(unit: str) -> None:
    """mistune needs up to ~5 µs a character here; what matters is that it is not quadratic."""

    def seconds(size: int) -> float:
        source = "**Q?**\n- *Hint:* " + unit * (size // len(unit))
        best = float("inf")
        # CPU time, best of two: other tests share the machine (it failed once on wall time).
        for _ in range(2):
            start = time.process_time()
            read_item(source)
            best = min(best, time.process_time() - start)
        return best

    # 8x the input: ~8x the time, 64x if quadratic. The bound sits far from both: under load a
    # large input runs slower per character (a bound of 8x at 4x the input failed so once).
    small, large = seconds(20_000), seconds(160_000)
    assert large < 22 * small + 0.05
