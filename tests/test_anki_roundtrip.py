"""Round trips through Anki's own engine (the `anki` package): import, render, check, re-import."""

from __future__ import annotations

from pathlib import Path

from anki_export.pipeline import export_deck

from .ankiengine import (
    card_states,
    check_database,
    deck_names,
    import_apkg,
    notes_by_guid,
    open_collection,
    render_problems,
    study_all,
)

T0 = 1_700_000_000
ROOT = "Reejig Senior Data Engineer Interview Preparation"
SUBDECKS = {
    "1. General Interview Tips",
    "2. About Reejig & the Role",
    "3. Behavioral Questions",
    "4. Technical Questions",
    *(
        f"4. Technical Questions::{name}"
        for name in (
            "Python",
            "SQL",
            "ETL Processes & Data Pipelines",
            "API Development (FastAPI)",
            "Data Modeling",
            "Cloud Infrastructure (AWS, Docker, Kubernetes)",
            "Testing & CI/CD",
            "System Design",
        )
    ),
    "5. Project-Specific Questions (Your ONET Data Pipeline)",
    "6. Preferred Skills: LLMs, RAG, Prompt Engineering",
    "7. Questions to Ask the Interviewer",
}
HINT = "*Answer Hint:* Memory efficiency for large data streams, lazy evaluation."
NEW_HINT = "*Answer Hint:* They yield items one at a time: **constant memory**, lazy evaluation."


def test_seed_deck_imports_cleanly(seed_copy: Path, tmp_path: Path) -> None:
    apkg = tmp_path / "seed.apkg"
    export_deck(seed_copy, apkg, timestamp=T0)
    col = open_collection(tmp_path / "col")
    try:
        log = import_apkg(col, apkg)
        assert len(log.new) == 78 and not (log.updated or log.duplicate or log.conflicting)
        assert col.note_count() == 78 and col.card_count() == 78
        assert deck_names(col) == {ROOT} | {f"{ROOT}::{d}" for d in SUBDECKS}
        notes = notes_by_guid(col)
        assert {n.notetype for n in notes.values()} == {
            "anki-export Question",
            "anki-export Concept",
            "anki-export List",
        }
        kinds = [t for n in notes.values() for t in n.tags if t.startswith("anki-export::")]
        assert {k: kinds.count(k) for k in set(kinds)} == {
            "anki-export::question": 57,
            "anki-export::open-question": 10,
            "anki-export::concept": 7,
            "anki-export::list": 4,
        }
        sql = [n for n in notes.values() if n.decks == (f"{ROOT}::4. Technical Questions::SQL",)]
        assert len(sql) == 7
        assert all(
            "reejig-senior-data-engineer-interview-preparation::technical-questions::sql" in n.tags
            for n in sql
        )
        assert render_problems(col) == []
        check_database(col)
        # New cards come up in the guide's order.
        cards = sorted((col.get_card(cid) for cid in col.find_cards("")), key=lambda c: c.due)
        fronts = [c.note().fields[0] for c in cards]
        assert fronts[:2] == ["STAR Method", "Think Aloud"]
        assert fronts[-1].startswith("Impact")
        question = next(c for c in cards if c.note().fields[0].startswith("What are generators"))
        assert "4. Technical Questions › Python" in question.question()
        assert "lazy evaluation" in question.answer()
        assert "lazy evaluation" not in question.question()
    finally:
        col.close()


def test_reimport_after_editing_a_hint_updates_in_place(seed_copy: Path, tmp_path: Path) -> None:
    guide = seed_copy
    text = guide.read_text("utf-8")
    first = tmp_path / "first.apkg"
    export_deck(guide, first, timestamp=T0)

    col = open_collection(tmp_path / "col")
    try:
        import_apkg(col, first)
        assert study_all(col) == 78
        before = card_states(col)
        assert all(s.revlog_rows == 1 for s in before.values())

        assert text.count(HINT) == 1
        guide.write_text(text.replace(HINT, NEW_HINT), "utf-8")
        second = tmp_path / "second.apkg"
        export_deck(guide, second, timestamp=T0 + 60)
        log = import_apkg(col, second)

        assert not (log.new or log.conflicting)
        assert col.note_count() == 78 and col.card_count() == 78
        assert card_states(col) == before
        edited = [
            n for n in notes_by_guid(col).values() if "constant memory" in n.fields.get("Hint", "")
        ]
        assert len(edited) == 1
        assert edited[0].fields["Hint"] == (
            "They yield items one at a time: <strong>constant memory</strong>, lazy evaluation."
        )
        assert render_problems(col) == []
        check_database(col)
    finally:
        col.close()


def test_same_build_reimported_is_skipped(seed_copy: Path, tmp_path: Path) -> None:
    apkg = tmp_path / "seed.apkg"
    export_deck(seed_copy, apkg, timestamp=T0)
    col = open_collection(tmp_path / "col")
    try:
        import_apkg(col, apkg)
        log = import_apkg(col, apkg)
        assert len(log.duplicate) == 78 and not (log.new or log.updated)
        assert col.note_count() == 78
    finally:
        col.close()
