"""The csv and json formats: their exact shape, and Anki's own CSV importer taking the csv."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

from anki.collection import ImportCsvRequest
from anki.decks import DeckId

from anki_export.identity.ledger import ledger_path
from anki_export.notes import render_notes
from anki_export.pipeline import export_deck
from anki_export.read.guide import parse_guide
from anki_export.write.formats import JSON_SCHEMA_VERSION, dump_csv, split_markdown

from .ankiengine import deck_names, import_apkg, notes_by_guid, open_collection
from .conftest import WriteGuide

T0 = 1_700_000_000

GUIDE = """\
# Root

Intro.

## A
- **What is "X", really?**
    - *Answer Hint:* It is\ttabbed, "quoted"; and `code`.

      A second paragraph.
    - A note after the hint.
- **Term:** a *definition*
    - more.

## B
- **Things:**
    - one
    - two
"""


def test_csv_has_anki_headers_and_one_row_per_note(write_guide: WriteGuide) -> None:
    plan = render_notes(parse_guide(write_guide(GUIDE)))
    text = dump_csv(plan)
    header = text.splitlines()[:6]
    assert header == [
        "#separator:Tab",
        "#html:true",
        "#guid column:1",
        "#notetype column:2",
        "#deck column:3",
        "#tags column:4",
    ]
    rows = list(csv.reader(text.split("\n", 6)[6].splitlines(keepends=True), delimiter="\t"))
    assert [r[:4] for r in rows] == [
        [n.guid, t, "::".join(n.deck), " ".join(n.tags)]
        for n, t in zip(
            plan.notes,
            ["anki-export Question", "anki-export Concept", "anki-export List"],
            strict=True,
        )
    ]
    assert all(len(r) == 8 for r in rows)
    assert rows[0][4:] == list(plan.notes[0].fields)
    assert rows[1][4:] == [*plan.notes[1].fields, ""]


def test_csv_quotes_what_needs_quoting() -> None:
    plan = render_notes(parse_guide(Path("g.md"), "# R\n- **Q?**\n"))
    odd = replace(plan, notes=(replace(plan.notes[0], guid='a"b\tc'),))
    row = dump_csv(odd).splitlines()[6]
    assert row.startswith('"a""b\tc"\tanki-export Question\tR\t')


def test_json_records_schema(write_guide: WriteGuide) -> None:
    guide = write_guide(GUIDE)
    out = guide.with_suffix(".json")
    result = export_deck(guide, out, format="json", timestamp=T0)
    assert result.written and result.output == out
    data = json.loads(out.read_text("utf-8"))
    assert data["schema_version"] == JSON_SCHEMA_VERSION == 1
    assert data["guide"] == str(guide) and data["deck"] == "Root"
    assert data["description_html"] == "<p>Intro.</p>"
    question, concept, items = data["notes"]
    assert list(question) == [
        "guid",
        "kind",
        "note_type",
        "deck",
        "section",
        "line",
        "tags",
        "front",
        "back",
        "markdown",
        "fields",
    ]
    assert question["kind"] == "question" and question["line"] == 6
    assert question["section"] == ["A"] and question["deck"] == "Root::A"
    assert question["tags"] == ["anki-export::question", "root::a"]
    assert question["front"] == {
        "markdown": 'What is "X", really?',
        "html": "What is &quot;X&quot;, really?",
        "text": 'What is "X", really?',
    }
    assert question["back"]["markdown"].startswith("- *Answer Hint:* It is\ttabbed")
    assert question["back"]["html"].startswith("<p>It is\ttabbed, &quot;quoted&quot;;")
    assert "A note after the hint." in question["fields"]["Notes"]
    assert "A note after the hint." not in question["fields"]["Hint"]
    assert concept["front"]["markdown"] == "Term"
    assert concept["back"]["markdown"] == "a *definition*\n\n- more."
    assert concept["back"]["text"] == "a definition more."
    assert items["kind"] == "list" and items["front"]["markdown"] == "Things"
    assert items["back"]["markdown"] == "- one\n- two"
    # A json export is a view: it writes no ID ledger.
    assert not guide.with_name("guide.anki-ids.json").exists()


def test_split_markdown_keeps_non_label_bold(write_guide: WriteGuide) -> None:
    guide = parse_guide(write_guide("# R\n- **Why** is this so?\n  - Hint: because\n"))
    assert split_markdown(guide.notes[0]) == ("**Why** is this so?", "- Hint: because")


def test_csv_import_matches_apkg_import_note_for_note(seed_copy: Path, tmp_path: Path) -> None:
    """The .apkg into one collection; the .csv, with Anki's CSV importer, into another that
    has our note types (from importing an .apkg once) but no notes: the same notes arrive."""
    apkg = tmp_path / "seed.apkg"
    csv_file = tmp_path / "seed.csv"
    export_deck(seed_copy, apkg, timestamp=T0)
    export_deck(seed_copy, csv_file, format="csv", timestamp=T0 + 60)

    reference = open_collection(tmp_path / "apkg")
    target = open_collection(tmp_path / "csv")
    try:
        import_apkg(reference, apkg)
        expected = notes_by_guid(reference)

        import_apkg(target, apkg)  # the note types, once ...
        target.remove_notes(target.find_notes(""))  # ... without any of its notes or decks
        target.decks.remove([DeckId(d.id) for d in target.decks.all_names_and_ids() if d.id != 1])
        assert target.note_count() == 0 and deck_names(target) == set()

        metadata = target.get_csv_metadata(str(csv_file), None)
        assert (metadata.guid_column, metadata.notetype_column) == (1, 2)
        assert (metadata.deck_column, metadata.tags_column, metadata.is_html) == (3, 4, True)
        log = target.import_csv(ImportCsvRequest(path=str(csv_file), metadata=metadata)).log
        assert len(log.new) == 78 and not (log.updated or log.duplicate or log.conflicting)

        got = notes_by_guid(target)
        assert len(expected) == 78
        assert got == expected
        assert deck_names(target) == deck_names(reference)
        assert sorted(target.tags.all()) == sorted(reference.tags.all())
    finally:
        reference.close()
        target.close()


def test_csv_reimport_updates_the_same_notes(write_guide: WriteGuide, tmp_path: Path) -> None:
    guide = write_guide(GUIDE)
    apkg, csv_file = tmp_path / "g.apkg", tmp_path / "g.csv"
    export_deck(guide, apkg, timestamp=T0)
    col = open_collection(tmp_path / "col")
    try:
        import_apkg(col, apkg)
        guide.write_text(GUIDE.replace("A second paragraph.", "A changed paragraph."), "utf-8")
        export_deck(guide, csv_file, format="csv", timestamp=T0 + 60)
        metadata = col.get_csv_metadata(str(csv_file), None)
        log = col.import_csv(ImportCsvRequest(path=str(csv_file), metadata=metadata)).log
        assert len(log.updated) + len(log.duplicate) == 3 and not log.new
        assert col.note_count() == 3
        assert any("A changed paragraph." in n.fields["Hint"] for n in notes_by_guid(col).values())
    finally:
        col.close()


def test_csv_of_a_guide_with_images_warns_that_images_need_the_apkg(tmp_path: Path) -> None:
    guide = tmp_path / "g.md"
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "dot.png").write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
        )
    )
    guide.write_text("- **What is this?**\n  - *Hint:* ![a dot](img/dot.png)\n", "utf-8")
    result = export_deck(guide, tmp_path / "g.csv", format="csv")
    (warning,) = result.warnings
    assert "a CSV cannot carry the guide's 1 image(s) (dot-" in warning.message
    assert str(warning).startswith(f"{guide}: warning:")
    assert not export_deck(guide, tmp_path / "g.apkg").warnings


def test_csv_to_a_stream_moves_the_ledger_forward_json_does_not(tmp_path: Path) -> None:
    guide = tmp_path / "g.md"
    guide.write_text("- **What is this?**\n", "utf-8")
    export_deck(guide, io.StringIO(), format="json")
    assert not ledger_path(guide).exists()
    out = io.StringIO()
    export_deck(guide, out, format="csv")
    assert "What is this?" in out.getvalue()
    assert ledger_path(guide).exists()
