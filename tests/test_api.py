"""The library API: one typed call that does what the command does, and the stages."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import anki_export as ae
from anki_export.errors import choice
from anki_export.identity.ledger import ledger_path

T0 = 1_700_000_000


def test_the_package_is_typed_and_imports_no_click() -> None:
    assert (Path(ae.__file__).parent / "py.typed").exists()
    code = "import sys, anki_export; assert 'click' not in sys.modules, 'click imported'"
    subprocess.run([sys.executable, "-c", code], check=True)
    for name in ae.__all__:
        assert hasattr(ae, name), name


def test_export_deck_result(seed_copy: Path, tmp_path: Path) -> None:
    result = ae.export_deck(seed_copy, tmp_path / "out.apkg", timestamp=T0)
    assert result.written and result.output == tmp_path / "out.apkg"
    assert result.format is ae.OutputFormat.APKG
    assert dict(result.kinds) == {
        ae.Kind.QUESTION: 57,
        ae.Kind.OPEN_QUESTION: 10,
        ae.Kind.CONCEPT: 7,
        ae.Kind.LIST: 4,
    }
    decks = dict(result.decks)
    assert len(decks) == 16 and sum(decks.values()) == result.notes == 78
    root = "Reejig Senior Data Engineer Interview Preparation"
    assert result.decks[0] == (root, 0)
    assert decks[f"{root}::4. Technical Questions::SQL"] == 7
    assert result.ledger == ledger_path(seed_copy) and result.ledger.exists()
    assert result.report.first_export and result.warnings == ()


def test_export_deck_to_a_stream_and_its_errors(seed_copy: Path) -> None:
    stream = io.StringIO()
    result = ae.export_deck(seed_copy, stream, format="json", timestamp=T0)
    assert result.output is None and len(json.loads(stream.getvalue())["notes"]) == 78
    with pytest.raises(ae.OptionsError, match="binary file"):
        ae.export_deck(seed_copy, io.StringIO(), timestamp=T0)
    with pytest.raises(ae.OptionsError, match="unknown format 'pdf'"):
        ae.export_deck(seed_copy, format="pdf")
    with pytest.raises(ae.SourceReadError, match="no such file"):
        ae.export_deck(seed_copy.with_name("missing.md"))


def test_build_package_from_filtered_and_added_records(seed_copy: Path, tmp_path: Path) -> None:
    full = ae.export_deck(seed_copy, tmp_path / "full.json", format="json", timestamp=T0)
    guids = {n["front"]["text"]: n["guid"] for n in _notes(tmp_path / "full.json")}
    guide = ae.parse_guide(seed_copy)
    concepts = [n for n in guide.notes if n.kind is ae.Kind.CONCEPT]
    mine = ae.Concept(
        term=ae.Fragment("Idempotence", "Idempotence"),
        definition=ae.Fragment("Same result however often it runs.", "Same result"),
        section=("Mine",),
        location=ae.SourceLocation(Path("mine"), 1),
        source="**Idempotence:** Same result however often it runs.",
    )
    out = tmp_path / "some.json"
    result = ae.build_package(
        replace(guide, notes=(*concepts, mine)), out, format="json", timestamp=T0
    )
    assert result.notes == len(concepts) + 1 == 8 and full.notes == 78
    notes = _notes(out)
    # GUIDs of the guide's notes are the ones a full export gives them.
    assert all(guids[n["front"]["text"]] == n["guid"] for n in notes[:-1])
    assert notes[-1]["deck"].endswith("::Mine")
    assert not (tmp_path / "some.anki-ids.json").exists()


def _notes(path: Path) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))["notes"]
    return notes


def test_paths_may_be_strings(seed_copy: Path, tmp_path: Path) -> None:
    result = ae.export_deck(str(seed_copy), str(tmp_path / "s.csv"), format="csv", timestamp=T0)
    assert result.output == tmp_path / "s.csv" and result.output.exists()


def test_an_unknown_choice_names_the_option_and_its_values() -> None:
    assert choice(ae.OutputFormat, "csv", "format") is ae.OutputFormat.CSV
    with pytest.raises(ae.OptionsError, match=r"unknown --removed 'nuke'; choose one of suspend"):
        choice(ae.Removed, "nuke", "--removed")
