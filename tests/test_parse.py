"""The parser: guide structure, note shapes, line numbers, warnings and input errors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import overload

import pytest

from anki_export.errors import GuideError, SourceReadError
from anki_export.read import scan
from anki_export.read.guide import parse_guide
from anki_export.read.source import guide_lines
from anki_export.records import Concept, Kind, ListNote, Question

from .conftest import WriteGuide


def kinds(path: Path) -> list[str]:
    return [n.kind.value for n in parse_guide(path).notes]


def test_seed_guide_counts(seed: Path) -> None:
    guide = parse_guide(seed)
    counts = {kind: sum(n.kind is kind for n in guide.notes) for kind in Kind}
    assert counts == {Kind.QUESTION: 57, Kind.OPEN_QUESTION: 10, Kind.CONCEPT: 7, Kind.LIST: 4}
    assert len(guide.notes) == 78
    assert guide.title == "Reejig Senior Data Engineer Interview Preparation"
    assert guide.description.text.startswith("This guide is designed to help you prepare")
    assert guide.warnings == ()


def test_seed_guide_sections(seed: Path) -> None:
    guide = parse_guide(seed)
    paths = [s.path for s in guide.sections]
    assert len(paths) == 15
    assert ("Table of Contents",) not in paths
    assert paths[3] == ("4. Technical Questions",)
    assert ("4. Technical Questions", "SQL") in paths
    assert ("4. Technical Questions", "Cloud Infrastructure (AWS, Docker, Kubernetes)") in paths
    assert len({n.section for n in guide.notes}) == 14
    assert ("4. Technical Questions",) not in {n.section for n in guide.notes}


def test_seed_guide_line_numbers(seed: Path) -> None:
    lines = seed.read_text(encoding="utf-8").splitlines()
    for note in parse_guide(seed).notes:
        line = lines[note.location.line - 1]
        assert line.lstrip().startswith("*   "), (note.location, line)
        assert note.front.text.split()[0] in line


def test_headings_nest_at_any_depth_and_levels_may_be_skipped(write_guide: WriteGuide) -> None:
    guide = parse_guide(
        write_guide(
            "# Root\n\n## A\n\n### B\n\n###### Deep\n\n- **Q1**\n\n## C\n\n#### D\n\n- **Q2**\n\n"
            "### E\n\n- **Q3**\n"
        )
    )
    assert [n.section for n in guide.notes] == [("A", "B", "Deep"), ("C", "D"), ("C", "E")]
    assert [s.path for s in guide.sections] == [
        ("A",),
        ("A", "B"),
        ("A", "B", "Deep"),
        ("C",),
        ("C", "D"),
        ("C", "E"),
    ]


def test_heading_markup_removed_and_double_colon_kept_in_one_level(
    write_guide: WriteGuide,
) -> None:
    guide = parse_guide(
        write_guide("# The `Root` *deck*\n\n## C++ :: **Templates** ##\n\n- **Q**\n")
    )
    assert guide.title == "The Root deck"
    (section,) = guide.notes[0].section
    assert "::" not in section
    assert section.replace("\u2236", ":") == "C++ :: Templates"


def test_setext_headings(write_guide: WriteGuide) -> None:
    guide = parse_guide(write_guide("Root\n====\n\nIntro.\n\nPart\n----\n\n- **Q**\n"))
    assert guide.title == "Root"
    assert guide.notes[0].section == ("Part",)
    assert guide.description.text == "Intro."


def test_no_h1_uses_file_stem_and_root_deck(write_guide: WriteGuide) -> None:
    guide = parse_guide(write_guide("- **What is a join?**\n", name="my-notes.md"))
    assert guide.title == "my-notes"
    assert guide.notes[0].section == ()
    assert guide.sections == ()


def test_contents_section_by_title_or_by_links_only(write_guide: WriteGuide) -> None:
    text = (
        "# R\n\n## Contents\n\n- **Is this a question?**\n\n"
        "## Index\n\n1. [One](#one)\n2. [Two](#two)\n   * [Sub](#sub)\n\n"
        "## One\n\n- [Not only links](#x) and text?\n"
    )
    guide = parse_guide(write_guide(text))
    assert [n.front.text for n in guide.notes] == ["Not only links and text?"]
    assert [s.path for s in guide.sections] == [("One",)]


def test_breaks_and_paragraphs_make_no_notes(write_guide: WriteGuide) -> None:
    guide = parse_guide(
        write_guide("# R\n\nIntro text.\n\n---\n\n## S\n\nSome prose?\n\n***\n\n- **Q**\n")
    )
    assert [n.front.text for n in guide.notes] == ["Q"]
    assert guide.warnings == ()


@pytest.mark.parametrize("marker", ["*", "-", "+", "1.", "7)"])
def test_every_list_marker(write_guide: WriteGuide, marker: str) -> None:
    guide = parse_guide(write_guide(f"{marker} **Question one**\n{marker} Question two?\n"))
    assert [n.front.text for n in guide.notes] == ["Question one", "Question two?"]


def test_question_shapes(write_guide: WriteGuide) -> None:
    text = (
        "- **Bold question**\n"
        "- __Underscore bold__\n"
        "- What does `SELECT *` do in [SQL](https://example.com)?\n"
        "- **Bold label:**\n"
        "- A statement.\n"
    )
    guide = parse_guide(write_guide(text))
    assert [n.front.text for n in guide.notes] == [
        "Bold question",
        "Underscore bold",
        "What does SELECT * do in SQL?",
    ]
    assert all(isinstance(n, Question) and n.hint is None for n in guide.notes)
    assert [w.location.line for w in guide.warnings] == [4, 5]
    assert "makes no note" in guide.warnings[1].message
    assert "<code>SELECT *</code>" in guide.notes[2].front.html
    assert '<a href="https://example.com">SQL</a>' in guide.notes[2].front.html


@pytest.mark.parametrize(
    "label",
    [
        "*Answer Hint:*",
        "**Answer:**",
        "_hint_:",
        "*ANSWER HINT*:",
        "Hint:",
        "**answer hint** :",
        "Answer:",
    ],
)
def test_hint_labels(write_guide: WriteGuide, label: str) -> None:
    guide = parse_guide(write_guide(f"- **Q?**\n    - {label} The *answer*.\n"))
    (note,) = guide.notes
    assert isinstance(note, Question) and note.hint is not None
    assert note.hint.html == "The <em>answer</em>."
    assert note.kind is Kind.QUESTION


def test_hint_keeps_nested_content_and_other_items_follow(write_guide: WriteGuide) -> None:
    text = (
        "* **What AWS services?**\n"
        "    * See also the docs.\n"
        "    * *Answer Hint:* Be specific:\n"
        "        * Storage: S3\n"
        "        * Compute: `Lambda`\n"
        "    * Follow-up: costs.\n"
    )
    (note,) = parse_guide(write_guide(text)).notes
    assert isinstance(note, Question) and note.hint and note.notes
    assert note.hint.html.startswith("<p>Be specific:</p>")
    assert "<li>Compute: <code>Lambda</code></li>" in note.hint.html
    assert "See also the docs." in note.notes.html and "Follow-up: costs." in note.notes.html
    assert "Storage" not in note.notes.html


def test_open_question_and_empty_hint(write_guide: WriteGuide) -> None:
    guide = parse_guide(write_guide("- **Tell me about you.**\n- **Q2**\n  - *Hint:*\n"))
    assert [n.kind for n in guide.notes] == [Kind.OPEN_QUESTION, Kind.OPEN_QUESTION]
    assert [(w.location.line, "hint is empty" in w.message) for w in guide.warnings] == [(2, True)]


def test_concept_and_list(write_guide: WriteGuide) -> None:
    text = (
        "- **STAR Method:** Structure answers:\n"
        "    - **S**ituation\n"
        "- **Colon outside**: also a concept\n"
        "- **Team & Culture:**\n"
        "    - Who is on the team?\n"
        "    - How do you work?\n"
    )
    concept, outside, listing = parse_guide(write_guide(text)).notes
    assert isinstance(concept, Concept) and concept.term.text == "STAR Method"
    assert concept.definition.html == (
        "<p>Structure answers:</p>\n<ul>\n<li><strong>S</strong>ituation</li>\n</ul>"
    )
    assert isinstance(outside, Concept) and outside.term.text == "Colon outside"
    assert outside.definition.text == "also a concept"
    assert isinstance(listing, ListNote) and listing.label.html == "Team &amp; Culture"
    assert listing.items.html.count("<li>") == 2


def test_raw_html_is_escaped(write_guide: WriteGuide) -> None:
    text = "- **Why <script>alert(1)</script>?**\n    - *Hint:* <b>bold</b>\n"
    (note,) = parse_guide(write_guide(text)).notes
    assert isinstance(note, Question) and note.hint
    assert "<script" not in note.front.html and "&lt;script&gt;" in note.front.html
    assert note.hint.html == "&lt;b&gt;bold&lt;/b&gt;"


def test_duplicate_fronts_warn_with_both_lines(write_guide: WriteGuide) -> None:
    text = "# R\n\n## A\n\n- **What is X?**\n\n## B\n\n- What is   *X*?\n"
    guide = parse_guide(write_guide(text))
    assert len(guide.notes) == 2
    (warning,) = guide.warnings
    assert warning.location.line == 9 and "line 5" in warning.message


def test_items_with_lazy_lines_code_and_paragraphs(write_guide: WriteGuide) -> None:
    text = (
        "- **First question\n"
        "continued lazily**\n"
        "\n"
        "  A second paragraph of the item.\n"
        "\n"
        "  ```\n"
        "  - not an item\n"
        "  ```\n"
        "- Second\n"
        "continues lazily?\n"
        "\n"
        "Outside paragraph.\n"
        "- Third?\n"
    )
    guide = parse_guide(write_guide(text))
    assert [(n.location.line, n.front.text) for n in guide.notes] == [
        (1, "First question continued lazily"),
        (9, "Second continues lazily?"),
        (13, "Third?"),
    ]
    first = guide.notes[0]
    assert isinstance(first, Question) and first.notes
    assert "- not an item" in first.notes.html


def test_crlf_bom_and_tabs(write_guide: WriteGuide) -> None:
    text = "\ufeff# R\r\n\r\n## S\r\n\r\n*\t**Q one**\r\n\t*\t*Hint:* h\r\n* Q two?\r\n"
    guide = parse_guide(write_guide(text.encode("utf-8")))
    assert guide.title == "R"
    assert [(n.location.line, n.front.text) for n in guide.notes] == [(5, "Q one"), (7, "Q two?")]
    first = guide.notes[0]
    assert isinstance(first, Question) and first.hint and first.hint.text == "h"


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (b"", "the guide is empty", 0),
        (b"  \n\n\t\n", "the guide is empty", 0),
        (b"# ok\n\nline two \xff\xfe\n", "is not UTF-8", 3),
        (b"PK\x03\x04\x00\x00binary", "binary file", 1),
        ("# Title\n\n- **Q?**\n".encode("utf-16"), "is UTF-16, not UTF-8; save it as UTF-8", 1),
        ("# T\n- **Q?**\n".encode("utf-16-be"), "binary file", 1),  # no BOM: no telling
        ("# Title\n\n- **Q?**\n".encode("utf-32"), "is UTF-32, not UTF-8", 1),
        (b"# Title\n\nJust prose.\n\n- a plain bullet\n", "nothing to export", 0),
    ],
)
def test_bad_input_is_a_clear_error(
    write_guide: WriteGuide, content: bytes, message: str, line: int
) -> None:
    path = write_guide(content)
    with pytest.raises((GuideError, SourceReadError)) as info:
        parse_guide(path)
    assert message in str(info.value)
    assert info.value.location is not None
    assert info.value.location.line == line
    assert str(info.value).startswith(str(path))


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(SourceReadError, match="no such file"):
        parse_guide(tmp_path / "nope.md")
    with pytest.raises(SourceReadError, match="is a folder"):
        parse_guide(tmp_path)


def test_runs_of_empty_lines_are_skipped_to_the_next_line_with_text() -> None:
    lines = ["a", "", "", " ", "", "b", ""]
    expected = [0, 3, 3, 3, 5, 5, 7, 7]
    for kind in (list, tuple, _Lines):
        found = [scan._skip_empty(kind(lines), i, len(lines)) for i in range(len(lines) + 1)]
        assert found == expected, kind


class _Lines(Sequence[str]):
    """A sequence that is neither a list nor a tuple."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        return self._lines[i]

    def __len__(self) -> int:
        return len(self._lines)


QUESTION = "## SQL\n\n- **What is a join?**\n    - *Hint:* rows\n"


@pytest.mark.parametrize(
    "front_matter",
    [
        "---\ntitle: Interview prep\ndate: 2026-01-02 10:30\n---\n",  # Jekyll, Hugo
        "---\ntags:\n  - interview\n  - sql\naliases: [prep]\n# a comment\n...\n",  # Obsidian
    ],
)
def test_yaml_front_matter_is_skipped_and_lines_keep_their_numbers(
    write_guide: WriteGuide, front_matter: str
) -> None:
    """Markdown reads front matter as a heading (`key: value` over `---`) or as list items that
    make no notes; tools that write it skip it, and so do we."""
    guide = parse_guide(write_guide(front_matter + "\n# Guide\n\n" + QUESTION))
    assert guide.title == "Guide" and guide.warnings == ()
    assert [s.path for s in guide.sections] == [("SQL",)]
    question = guide.notes[0]
    assert question.location.line == front_matter.count("\n") + 6
    without_title = parse_guide(write_guide(front_matter + QUESTION))
    assert without_title.warnings == () and len(without_title.notes) == 1


@pytest.mark.parametrize(
    "start",
    [
        "---\nNot YAML, a **sentence**\n---\n",  # a setext heading, as CommonMark reads it
        "---\ntitle: never closed\n",
        "\n---\ntitle: not on the first line\n---\n",
        "---\n- **What is X?**\n    - *Hint:* y\n---\n",  # a break over a list, then a break
        "---\n\n---\n",  # two breaks: no key
    ],
)
def test_what_is_not_front_matter_is_left_to_markdown(start: str) -> None:
    text = start + "\n# Guide\n\n" + QUESTION
    assert guide_lines(Path("g.md"), text) == text.split("\n")
    blanked = guide_lines(Path("g.md"), "---\nk: v\n---\n" + text)
    assert blanked[:4] == ["", "", "", start.split("\n")[0]]
