"""Rich cards through Anki's own engine: code, tables, math, images, raw HTML and braces.

The small helpers at the top use the `anki` API directly (facts in the shared anki-engine notes);
they can be swapped for the shared tests/ankiengine.py helpers once those land.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# anki.collection first: importing other anki modules before it fails on a circular import.
from anki.collection import Collection, ImportAnkiPackageRequest

from anki_export.export import export_deck
from anki_export.notetypes import NOTE_TYPES

from .conftest import FIXTURES

RICH = FIXTURES / "rich" / "guide.md"
T0 = 1_700_000_000
TEMPLATE_ERROR = "templates/errors.html"


def import_package(col: Collection, apkg: Path) -> None:
    options = col._backend.get_import_anki_package_presets()
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=options))
    col.models._clear_cache()


def rendered_cards(col: Collection) -> Iterator[tuple[str, str, str]]:
    """(first field, question HTML, answer HTML) of every card."""
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        yield card.note()["Front"], card.question(), card.answer()


@pytest.fixture
def imported(tmp_path: Path) -> Iterator[Collection]:
    apkg = tmp_path / "rich.apkg"
    export_deck(RICH, apkg, timestamp=T0)
    (tmp_path / "col").mkdir()
    col = Collection(str(tmp_path / "col" / "collection.anki2"))
    try:
        import_package(col, apkg)
        yield col
    finally:
        col.close()


def test_rich_guide_imports_with_both_images_and_no_missing_media(imported: Collection) -> None:
    col = imported
    assert col.note_count() == 11
    media_dir = Path(col.media.dir())
    images = sorted(p.name for p in media_dir.iterdir())
    assert len(images) == 2 and all(re.fullmatch(r"diagram-[0-9a-f]{12}\.png", n) for n in images)
    sources = {(FIXTURES / "rich" / "img" / d / "diagram.png").read_bytes() for d in "ab"}
    assert {(media_dir / n).read_bytes() for n in images} == sources
    check = col.media.check()
    assert list(check.missing) == [] and list(check.unused) == []
    assert list(check.missing_media_notes) == []
    notes, cards = col.note_count(), col.card_count()
    _, ok = col.fix_integrity()
    assert ok and (col.note_count(), col.card_count()) == (notes, cards)


def test_every_card_renders_without_template_errors(imported: Collection) -> None:
    cards = list(rendered_cards(imported))
    assert len(cards) == 11
    for front, question, answer in cards:
        assert TEMPLATE_ERROR not in question + answer, front
        assert "ae-front" in question and 'id="answer"' in answer, front
        assert not re.search(r"<script", question + answer, re.IGNORECASE), front


def test_rich_content_arrives_as_intended(imported: Collection) -> None:
    by_front = {front: (q, a) for front, q, a in rendered_cards(imported)}

    def answer(start: str) -> str:
        (found,) = [a for f, (_, a) in by_front.items() if f.startswith(start)]
        return found

    python = answer("What does <code>squares")
    assert '<pre class="ae-code"><code class="language-python">' in python
    assert '<span class="k">def</span>' in python
    assert '<span class="k">SELECT</span>' in answer("How do you count")
    assert "<table>" in answer("Which join") and "<del>kept</del>" in answer("Which join")
    assert "<blockquote>" in answer("Which join")
    variance = answer("What is the variance")
    assert r"\(\operatorname{Var}(X) = E[X^2] - (E[X])^2\)" in variance
    assert r"\[s^2 = \frac{1}{n-1}" in variance
    prices = answer("Is &quot;between $5 and $10&quot;")
    assert r"\[a^2 + b^2 = c^2\]" in prices and r"\(" not in prices.split("<hr")[0]
    braces = answer("How do you show {{double braces}}")
    assert "How do you show {{double braces}} on a card?" in braces
    assert "{{Front}}, {{#Hint}}x{{/Hint}} and {{c1::cloze}} stay literal." in braces
    assert "&lt;script&gt;alert(&quot;boo&quot;)&lt;/script&gt;" in answer("What happens to")
    for front in ("Which diagram shows the blue", "Which diagram shows the orange"):
        assert re.search(r'<img src="diagram-[0-9a-f]{12}\.png"', answer(front))


def test_note_type_css_arrives_with_light_and_night_code_colours(imported: Collection) -> None:
    for note_type in NOTE_TYPES.values():
        model = imported.models.get(note_type.model_id)
        assert model is not None and model["css"] == note_type.css
        assert ".nightMode .ae-code .k" in model["css"] and ".ae-code .k" in model["css"]


def test_reimport_of_the_same_package_keeps_one_copy_of_each_image(tmp_path: Path) -> None:
    apkg = tmp_path / "rich.apkg"
    export_deck(RICH, apkg, timestamp=T0)
    with zipfile.ZipFile(apkg) as archive:
        assert sorted(archive.namelist()) == ["0", "1", "collection.anki2", "media"]
    (tmp_path / "col").mkdir()
    col = Collection(str(tmp_path / "col" / "collection.anki2"))
    try:
        import_package(col, apkg)
        import_package(col, apkg)
        assert col.note_count() == 11
        assert len(list(Path(col.media.dir()).iterdir())) == 2
    finally:
        col.close()


def test_an_edited_image_reaches_the_note_on_reimport(tmp_path: Path) -> None:
    guide_dir = tmp_path / "guide"
    shutil.copytree(RICH.parent, guide_dir)
    apkg = tmp_path / "rich.apkg"
    export_deck(guide_dir / "guide.md", apkg, timestamp=T0)
    (tmp_path / "col").mkdir()
    col = Collection(str(tmp_path / "col" / "collection.anki2"))
    try:
        import_package(col, apkg)
        before = set(p.name for p in Path(col.media.dir()).iterdir())
        swapped = guide_dir / "img" / "a" / "diagram.png"
        swapped.write_bytes((guide_dir / "img" / "b" / "diagram.png").read_bytes())
        export_deck(guide_dir / "guide.md", apkg, timestamp=T0 + 60)
        import_package(col, apkg)
        (blue,) = col.find_notes('"Front:Which diagram shows the blue*"')
        (orange,) = col.find_notes('"Front:Which diagram shows the orange*"')
        # Same bytes, same name: both notes now show the one file, and Check Media is clean.
        assert col.get_note(blue)["Hint"].count("<img") == 1
        src = re.findall(r'src="([^"]+)"', col.get_note(blue)["Hint"])
        assert src == re.findall(r'src="([^"]+)"', col.get_note(orange)["Hint"])
        assert src[0] in before
        assert list(col.media.check().missing) == []
    finally:
        col.close()


def test_allow_html_reaches_the_card(tmp_path: Path) -> None:
    guide = tmp_path / "g.md"
    guide.write_text("# G\n\n- **Why <u>this</u>?**\n  - *Hint:* <b>bold</b>\n", "utf-8")
    (tmp_path / "col").mkdir()
    col = Collection(str(tmp_path / "col" / "collection.anki2"))
    try:
        for allow_html, expected in ((False, "&lt;b&gt;bold&lt;/b&gt;"), (True, "<b>bold</b>")):
            apkg = tmp_path / f"{allow_html}.apkg"
            export_deck(guide, apkg, timestamp=T0 + allow_html, allow_html=allow_html)
            import_package(col, apkg)
            ((front, _, answer),) = rendered_cards(col)
            assert expected in answer
            assert front == ("Why <u>this</u>?" if allow_html else "Why &lt;u&gt;this&lt;/u&gt;?")
    finally:
        col.close()
