"""Rich cards through Anki's own engine: code, tables, math, images, raw HTML and braces."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.models import NotetypeId

from anki_export.notetypes import NOTE_TYPES
from anki_export.pipeline import export_deck

from .ankiengine import check_database, import_apkg, open_collection, render_problems
from .conftest import FIXTURES

T0 = 1_700_000_000


@pytest.fixture
def rich(tmp_path: Path) -> Path:
    """The rich fixture guide and its images, copied so that exports write nothing here."""
    shutil.copytree(FIXTURES / "rich", tmp_path / "rich")
    return tmp_path / "rich" / "guide.md"


@pytest.fixture
def imported(rich: Path, tmp_path: Path) -> Iterator[Collection]:
    apkg = tmp_path / "rich.apkg"
    export_deck(rich, apkg, timestamp=T0)
    col = open_collection(tmp_path / "col")
    try:
        assert len(import_apkg(col, apkg).new) == 11
        yield col
    finally:
        col.close()


def rendered_cards(col: Collection) -> Iterator[tuple[str, str, str]]:
    """(Front field, question HTML, answer HTML) of every card."""
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        yield card.note()["Front"], card.question(), card.answer()


def media_files(col: Collection) -> list[str]:
    return sorted(p.name for p in Path(col.media.dir()).iterdir())


def test_rich_guide_imports_with_both_images_and_no_missing_media(
    imported: Collection, rich: Path
) -> None:
    col = imported
    names = media_files(col)
    assert len(names) == 2
    assert all(re.fullmatch(r"diagram-[0-9a-f]{12}\.png", n) for n in names)
    sources = {(rich.parent / "img" / d / "diagram.png").read_bytes() for d in "ab"}
    assert {(Path(col.media.dir()) / n).read_bytes() for n in names} == sources
    check = col.media.check()
    assert list(check.missing) == [] and list(check.unused) == []
    assert list(check.missing_media_notes) == []
    notes, cards = col.note_count(), col.card_count()
    _, ok = check_database(col)
    assert ok and (col.note_count(), col.card_count()) == (notes, cards)


def test_every_card_renders_without_template_errors_or_script(imported: Collection) -> None:
    assert render_problems(imported) == []
    cards = list(rendered_cards(imported))
    assert len(cards) == 11
    for front, question, answer in cards:
        assert "ae-front" in question and 'id="answer"' in answer, front
        assert not re.search(r"<script", question + answer, re.IGNORECASE), front


def test_rich_content_arrives_as_intended(imported: Collection) -> None:
    by_front = {front: answer for front, _, answer in rendered_cards(imported)}

    def answer(start: str) -> str:
        (found,) = [a for f, a in by_front.items() if f.startswith(start)]
        return found

    python = answer("What does <code>squares")
    assert '<pre class="ae-code"><code class="language-python">' in python
    assert '<span class="k">def</span>' in python
    assert '<span class="k">SELECT</span>' in answer("How do you count")
    join = answer("Which join")
    assert "<table>" in join and "<del>kept</del>" in join and "<blockquote>" in join
    variance = answer("What is the variance")
    assert r"\(\operatorname{Var}(X) = E[X^2] - (E[X])^2\)" in variance
    assert r"\[s^2 = \frac{1}{n-1}" in variance
    prices = answer("Is &quot;between $5 and $10&quot;")
    assert "between $5 and $10" in prices and r"\(" not in prices
    assert r"\[a^2 + b^2 = c^2\]" in prices
    braces = answer("How do you show {{double braces}}")
    assert "How do you show {{double braces}} on a card?" in braces
    assert "{{Front}}, {{#Hint}}x{{/Hint}} and {{c1::cloze}} stay literal." in braces
    assert "&lt;script&gt;alert(&quot;boo&quot;)&lt;/script&gt;" in answer("What happens to")
    for front in ("Which diagram shows the blue", "Which diagram shows the orange"):
        assert re.search(r'<img src="diagram-[0-9a-f]{12}\.png"', answer(front))


def test_note_type_css_arrives_with_light_and_night_code_colours(imported: Collection) -> None:
    for note_type in NOTE_TYPES.values():
        model = imported.models.get(NotetypeId(note_type.model_id))
        assert model is not None and model["css"] == note_type.css
        assert ".nightMode .ae-code .k" in model["css"] and ".ae-code .k {" in model["css"]


def test_reimport_keeps_one_copy_of_each_image(rich: Path, tmp_path: Path) -> None:
    apkg = tmp_path / "rich.apkg"
    export_deck(rich, apkg, timestamp=T0)
    with zipfile.ZipFile(apkg) as archive:
        assert sorted(archive.namelist()) == ["0", "1", "collection.anki2", "media"]
    col = open_collection(tmp_path / "col")
    try:
        import_apkg(col, apkg)
        import_apkg(col, apkg)
        assert col.note_count() == 11 and len(media_files(col)) == 2
    finally:
        col.close()


def test_an_edited_image_reaches_its_note_on_reimport(rich: Path, tmp_path: Path) -> None:
    apkg = tmp_path / "rich.apkg"
    export_deck(rich, apkg, timestamp=T0)
    col = open_collection(tmp_path / "col")
    try:
        import_apkg(col, apkg)
        before = media_files(col)
        image_a, image_b = (rich.parent / "img" / d / "diagram.png" for d in "ab")
        image_a.write_bytes(image_b.read_bytes())
        export_deck(rich, apkg, timestamp=T0 + 60)
        log = import_apkg(col, apkg)
        assert [n.first_field for n in log.updated] == ["Which diagram shows the blue circle?"]
        (blue,) = col.find_notes('"Front:Which diagram shows the blue*"')
        (orange,) = col.find_notes('"Front:Which diagram shows the orange*"')
        # Same bytes, same name: both notes now show the one file, and Check Media is clean.
        src = re.findall(r'src="([^"]+)"', col.get_note(blue)["Hint"])
        assert src == re.findall(r'src="([^"]+)"', col.get_note(orange)["Hint"])
        assert src[0] in before
        assert list(col.media.check().missing) == []
    finally:
        col.close()


def test_allow_html_reaches_the_card(tmp_path: Path) -> None:
    guide = tmp_path / "g.md"
    guide.write_text("# G\n\n- **Why <u>this</u>?**\n  - *Hint:* <b>bold</b>\n", "utf-8")
    col = open_collection(tmp_path / "col")
    try:
        for allow_html, expected in ((False, "&lt;b&gt;bold&lt;/b&gt;"), (True, "<b>bold</b>")):
            apkg = tmp_path / f"{allow_html}.apkg"
            export_deck(guide, apkg, timestamp=T0 + allow_html, allow_html=allow_html)
            import_apkg(col, apkg)
            ((front, _, answer),) = rendered_cards(col)
            assert expected in answer
            assert front == ("Why <u>this</u>?" if allow_html else "Why &lt;u&gt;this&lt;/u&gt;?")
    finally:
        col.close()
