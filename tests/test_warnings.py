"""Warnings worth having, each with file:line: one guide shows every kind, in source order."""

from __future__ import annotations

from pathlib import Path

from anki_export.pipeline import plan_export
from anki_export.read.review import LONG_ANSWER

from .conftest import WriteGuide

LONG = " ".join(["word"] * 300)  # 1,499 characters

GUIDE = f"""\
# Root

## Table of Contents
* [A](#a)

## A
- **What is X?**
    - *Answer Hint:*
- a plain bullet that makes no note
- **What is X?**
    - *Answer Hint:* x.

## Empty

Only prose here.

## Parent
### Child
- **Long?**
    - *Answer Hint:* {LONG}
"""


def test_every_warning_has_its_line(write_guide: WriteGuide) -> None:
    guide = write_guide(GUIDE)
    warnings = plan_export(guide, timestamp=1).warnings
    assert [(str(w.location), w.message.split(":")[0].split(" (")[0]) for w in warnings] == [
        (f"{guide}:7", "the answer hint is empty, so this is exported as an open question"),
        (f"{guide}:9", "list item makes no note"),
        (f"{guide}:10", "same front as line 7"),
        (f"{guide}:13", "section 'Empty' makes no notes"),
        (f"{guide}:19", "the answer is 1,499 characters long"),
    ]
    assert f"more than {LONG_ANSWER:,}" in warnings[-1].message
    assert str(warnings[0]).startswith(f"{guide}:7: warning: ")


def test_no_section_warning_for_contents_or_parents(write_guide: WriteGuide) -> None:
    guide = write_guide("# R\n\n## Contents\n- [x](#x)\n\n## P\n### C\n- **Q?**\n")
    assert plan_export(guide, timestamp=1).warnings == ()


def test_the_seed_guide_has_no_warnings(seed: Path) -> None:
    assert plan_export(seed, timestamp=1, use_ledger=False).warnings == ()


def test_a_list_pasted_from_a_word_processor_is_a_warning_on_each_of_its_lines(
    write_guide: WriteGuide,
) -> None:
    guide = write_guide(
        "# R\n\n## S\n- **Q?**\n    - *Hint:* h\n• **Read into the hint above?**\n\n"
        "• **Pasted?**\n  ◦ *Hint:* y\n\nProse with a • inside.\n\n```\n• code\n```\n"
    )
    warnings = _warned(guide, ",")
    assert warnings == [(6, "starts with '•'"), (8, "starts with '•'"), (9, "starts with '◦'")]
    assert "start it with '- '" in plan_export(guide, timestamp=1).warnings[0].message


def test_an_image_markdown_shows_as_text_is_a_warning(write_guide: WriteGuide) -> None:
    (write_guide("x", name="my image.png")).write_bytes(b"\x89PNG\r\n")
    guide = write_guide(
        "# R\n\n## S\n- **What does it show?**\n    - *Hint:* ![diagram](my image.png)\n"
        "- **And this?**\n    - *Hint:* ![[my image.png|300]]\n"
        "- **Shown?**\n    - *Hint:* ![diagram](<my image.png>)\n"
    )
    assert _warned(guide, " is shown") == [
        (4, "'![diagram](my image.png)'"),
        (6, "'![[my image.png|300]]' (an Obsidian embed)"),
    ]
    assert "![](<my image.png>)" in plan_export(guide, timestamp=1).warnings[0].message


def _warned(guide: Path, up_to: str) -> list[tuple[int, str]]:
    """Each warning's line and the start of its message (up to `up_to`)."""
    warnings = plan_export(guide, timestamp=1).warnings
    return [(w.location.line, w.message.split(up_to)[0]) for w in warnings]
