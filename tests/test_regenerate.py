"""Regeneration: the ID ledger, mod times, reproducible output, and re-imports into Anki."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

from anki_export.identity.ledger import ledger_path, read_ledger
from anki_export.identity.report import ChangeKind, report_details, report_headline
from anki_export.pipeline import check_export, export_deck
from anki_export.records import Kind

from .ankiengine import (
    card_states,
    check_database,
    import_apkg,
    notes_by_guid,
    open_collection,
    render_problems,
    study_all,
)
from .conftest import WriteGuide

T0 = 1_700_000_000

HINTS = [
    (
        "Explain decorators for logging, timing functions, caching results, or enforcing retries.",
        "Decorators wrap a function: logging, timing, caching (`functools.cache`), retries.",
    ),
    (
        "Be clear and provide simple examples.",
        "Be clear, draw the Venn diagram, and give a use case for each.",
    ),
    (
        "Discuss try-except blocks, custom exceptions, logging levels, structured logging,",
        "Discuss narrow try-except blocks, exception hierarchies, logging levels, JSON logging,",
    ),
    (
        "Data validation, serialization, and documentation.",
        "Data validation, serialization, documentation, and settings management.",
    ),
    (
        "OAuth2, API keys, JWT tokens, dependency injection for security.",
        "OAuth2 with scopes, API keys, JWT tokens, and `Security` dependencies.",
    ),
]
REWORDS = [
    (
        "Why choose FastAPI for API development? What are its key advantages?",
        "Why would you choose FastAPI for API development, and what are its key advantages?",
    ),
    (
        "What are generators in Python and why are they useful for data processing?",
        "What are Python generators, and why are they useful when processing data?",
    ),
    (
        "Describe common table expressions (CTEs). Why are they useful?",
        "What are common table expressions (CTEs), and why are they useful?",
    ),
    (
        "How do you optimize SQL queries for performance when dealing with large tables?",
        "How do you optimize SQL queries on large tables?",
    ),
    (
        "Explain the difference between `__init__` and `__new__` in Python classes.",
        "What is the difference between `__init__` and `__new__` in a Python class?",
    ),
    # A synonym, and a concept's term: nothing in common but the hint and the place.
    (
        "Tell me about a time you designed and implemented a complex data pipeline from scratch.",
        "Tell me about a time you built a complex data pipeline from scratch.",
    ),
    ("Think Aloud", "Think Out Loud"),
]
MOVES = [
    ("Explain different SQL isolation levels and their implications.", "### Data Modeling"),
    ("How would you test a FastAPI application?", "### Testing & CI/CD"),
]
REMOVALS = [
    "How do you stay updated with the latest technologies and trends in data engineering?",
    "What is Kubernetes (K8s), and how can it be used to manage containerized data",
    "How do you handle test data management for your data pipeline tests?",
]
ADDITIONS = [
    ("### Python", "What is the GIL, and when does it limit a Python data pipeline?"),
    ("### SQL", "How does a B-tree index speed up range scans?"),
    ("### System Design", "How would you size a Kafka cluster for a million events per second?"),
    ("## 3. Behavioral Questions", "Tell me about a time you pushed back on a deadline."),
]


def item(text: str, question: str) -> str:
    """The whole list item (question line and its nested lines) whose first line has `question`."""
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if question in ln)
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    return "\n".join(lines[start:end]) + "\n"


def edit_guide(text: str) -> str:
    """5 hints edited, 7 notes reworded, 2 moved, 3 removed, 4 added."""
    for old, new in HINTS + REWORDS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    for question, heading in MOVES:
        block = item(text, question)
        text = text.replace(block, "")
        text = text.replace(f"{heading}\n\n", f"{heading}\n\n{block}", 1)
    for question in REMOVALS:
        text = text.replace(item(text, question), "")
    for heading, question in ADDITIONS:
        new = f"*   **{question}**\n    *   *Answer Hint:* A new hint.\n"
        assert text.count(f"{heading}\n\n") == 1, heading
        text = text.replace(f"{heading}\n\n", f"{heading}\n\n{new}", 1)
    return text


@pytest.fixture
def guide(seed_copy: Path) -> Path:
    return seed_copy


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def guids_in(apkg: Path, tmp_path: Path, field: int = 0) -> dict[str, str]:
    """Each note's GUID by one of its fields (the front, unless told)."""
    with zipfile.ZipFile(apkg) as archive:
        db = tmp_path / "peek.anki2"
        db.write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(db) as con:
        rows = con.execute("select guid, flds from notes").fetchall()
    return {flds.split("\x1f")[field]: guid for guid, flds in rows}


def test_edit_script_is_what_it_says(seed: Path) -> None:
    from anki_export.read.guide import parse_guide

    before = {n.front.text for n in parse_guide(seed).notes}
    path = seed.parent / "never-written.md"
    edited_text = edit_guide(seed.read_text("utf-8"))
    after = parse_guide(path, edited_text)
    assert len(after.notes) == 78 - 3 + 4
    assert after.warnings == ()
    assert len(before - {n.front.text for n in after.notes}) == 7 + 3


def test_reimport_after_many_edits_keeps_history_and_updates_exactly_the_changed(
    guide: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    export_deck(guide, first, timestamp=T0)
    col = open_collection(tmp_path / "col")
    try:
        import_apkg(col, first)
        assert study_all(col) == 78
        before = card_states(col)
        old_notes = notes_by_guid(col)

        guide.write_text(edit_guide(guide.read_text("utf-8")), "utf-8")
        result = export_deck(guide, second, timestamp=T0 + 3600)
        counts = result.report.counts
        assert counts == {
            ChangeKind.ADDED: 4,
            ChangeKind.CHANGED: 5,
            ChangeKind.REWORDED: 7,
            ChangeKind.MOVED: 2,
            ChangeKind.REMOVED: 3,
            ChangeKind.POSSIBLE_REWORDING: 0,
        }
        log = import_apkg(col, second)

        assert len(log.updated) == 5 + 7 + 2
        assert len(log.new) == 4
        assert len(log.duplicate) == 78 - 3 - 14
        assert not (log.conflicting or log.first_field_match or log.missing_notetype)
        assert col.note_count() == 78 + 4 and col.card_count() == 78 + 4
        notes = notes_by_guid(col)
        fronts = [n.fields["Front"] for n in notes.values()]
        assert len(fronts) == len(set(fronts))

        after = card_states(col)
        for guid, state in before.items():
            assert after[guid] == state, "review history and deck must survive"
        reworded = {new: old for old, new in REWORDS}

        def as_written(html: str) -> str:
            return html.replace("<code>", "`").replace("</code>", "`")

        kept = {
            as_written(v.fields["Front"]): v.guid
            for v in notes.values()
            if as_written(v.fields["Front"]) in reworded
        }
        assert len(kept) == len(REWORDS), "every reworded note is the old note, updated"
        for new_front, guid in kept.items():
            assert as_written(old_notes[guid].fields["Front"]) == reworded[new_front]
            assert after[guid].revlog_rows == 1
        hints = {v.fields.get("Hint", "") for v in notes.values()}
        for _, new_hint in HINTS:
            assert any(new_hint.split("`")[0] in h for h in hints), new_hint
        moved = next(
            v for v in notes.values() if v.fields["Front"].startswith("Explain different SQL")
        )
        assert moved.decks == (
            "Reejig Senior Data Engineer Interview Preparation::4. Technical Questions::SQL",
        )
        assert any(t.endswith("::technical-questions::data-modeling") for t in moved.tags)
        assert render_problems(col) == []
        check_database(col)
    finally:
        col.close()


def test_changed_notes_get_a_newer_mod_even_within_the_same_second(
    guide: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    export_deck(guide, first, timestamp=T0)
    col = open_collection(tmp_path / "col")
    try:
        import_apkg(col, first)
        text = guide.read_text("utf-8")
        guide.write_text(text.replace(HINTS[0][0], HINTS[0][1]), "utf-8")
        export_deck(guide, second, timestamp=T0)
        log = import_apkg(col, second)
        assert len(log.updated) == 1 and len(log.duplicate) == 77
    finally:
        col.close()


def test_unchanged_guide_gives_identical_bytes_and_leaves_the_ledger_alone(
    guide: Path, tmp_path: Path
) -> None:
    out = tmp_path / "deck.apkg"
    export_deck(guide, out, timestamp=T0)
    ledger = ledger_path(guide)
    first_sha, ledger_text, ledger_mtime = (
        sha(out),
        ledger.read_text("utf-8"),
        ledger.stat().st_mtime_ns,
    )
    os.utime(ledger, ns=(ledger_mtime - 10**9, ledger_mtime - 10**9))
    result = export_deck(guide, out, timestamp=T0 + 86_400)
    assert sha(out) == first_sha
    assert ledger.read_text("utf-8") == ledger_text
    assert ledger.stat().st_mtime_ns == ledger_mtime - 10**9, "the ledger must not be rewritten"
    assert result.report.is_empty and result.report.unchanged == 78
    assert check_export(guide, out, timestamp=T0 + 99)[0] is True


def test_without_the_ledger_guids_come_from_the_text_again(guide: Path, tmp_path: Path) -> None:
    first, again = tmp_path / "first.apkg", tmp_path / "again.apkg"
    export_deck(guide, first, timestamp=T0)
    ledger_path(guide).unlink()
    export_deck(guide, again, timestamp=T0 + 5)
    assert guids_in(again, tmp_path) == guids_in(first, tmp_path)


def test_dry_run_writes_nothing_and_check_reports_staleness(guide: Path, tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    result = export_deck(guide, out, timestamp=T0, dry_run=True)
    assert result.report.first_export and not out.exists()
    assert not ledger_path(guide).exists()
    assert check_export(guide, out, timestamp=T0)[0] is False
    export_deck(guide, out, timestamp=T0)
    assert check_export(guide, out, timestamp=T0 + 1)[0] is True

    guide.write_text(edit_guide(guide.read_text("utf-8")), "utf-8")
    fresh, result = check_export(guide, out, timestamp=T0 + 2)
    assert fresh is False
    text = report_headline(result.report) + "\n" + "\n".join(report_details(result.report))
    assert text.startswith("4 added, 5 changed, 7 reworded, 2 moved, 3 removed, 61 unchanged\n")
    assert "≈ reworded" in text and "-> 'Why would you choose FastAPI" in text
    assert "Anki keeps its card in 'Reejig Senior Data Engineer Interview Preparation::4. " in text
    assert "Anki keeps the note" in text and '"deck:Reejig Senior' in text
    out_bytes = out.read_bytes()
    assert (
        export_deck(guide, out, timestamp=T0 + 3, dry_run=True).report.counts[ChangeKind.ADDED] == 4
    )
    assert out.read_bytes() == out_bytes


def test_removed_notes_stay_in_the_ledger_and_come_back_with_their_guid(
    guide: Path, tmp_path: Path
) -> None:
    out = tmp_path / "deck.apkg"
    text = guide.read_text("utf-8")
    export_deck(guide, out, timestamp=T0)
    before = guids_in(out, tmp_path)
    removed_item = item(text, REMOVALS[0])
    guide.write_text(text.replace(removed_item, ""), "utf-8")
    export_deck(guide, out, timestamp=T0 + 1)
    entries = read_ledger(ledger_path(guide)).entries
    assert sum(e.removed for e in entries) == 1
    guide.write_text(text.replace(REMOVALS[0], REMOVALS[0].replace("latest", "newest")), "utf-8")
    result = export_deck(guide, out, timestamp=T0 + 2)
    assert result.report.counts[ChangeKind.ADDED] == 1
    assert set(guids_in(out, tmp_path).values()) == set(before.values())


def test_a_format_1_ledger_is_migrated_once_without_changing_a_guid(
    guide: Path, tmp_path: Path
) -> None:
    """The seed's ledger as version 1 wrote it: read, rewritten as format 2 by the next export
    with every GUID, id and mod kept (so Anki sees nothing new), then left alone."""
    old = Path(__file__).parent / "fixtures" / "seed-format-1.anki-ids.json"
    ledger = ledger_path(guide)
    ledger.write_bytes(old.read_bytes())
    before = {
        e.guid: (e.note_id, e.mod, e.fingerprint, e.front) for e in read_ledger(ledger).entries
    }
    out = tmp_path / "deck.apkg"
    result = export_deck(guide, out, timestamp=T0)
    assert result.report.is_empty and result.report.unchanged == 78
    text = ledger.read_text("utf-8")
    assert '"format": 2' in text and text.count('"back": ') == 78
    after = {
        e.guid: (e.note_id, e.mod, e.fingerprint, e.front) for e in read_ledger(ledger).entries
    }
    assert after == before
    first = sha(out)
    export_deck(guide, out, timestamp=T0 + 60)
    assert ledger.read_text("utf-8") == text and sha(out) == first


def test_a_guide_renamed_without_its_ledger_keeps_every_note_and_its_history(
    guide: Path, tmp_path: Path
) -> None:
    """`mv old.md new.md` alone: the new name has no ledger, and GUIDs from the new stem
    would make Anki import the whole guide again beside the studied notes."""
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    export_deck(guide, first, timestamp=T0)
    old_ledger = ledger_path(guide)
    col = open_collection(tmp_path / "col")
    try:
        import_apkg(col, first)
        assert study_all(col) == 78
        before = card_states(col)

        renamed = guide.rename(guide.with_name("interview.md"))
        edited = edit_guide(renamed.read_text("utf-8"))
        renamed.write_text(edited, "utf-8")
        checked = export_deck(renamed, second, timestamp=T0 + 60, dry_run=True)
        assert old_ledger.exists() and not ledger_path(renamed).exists()  # a dry run: as it was
        result = export_deck(renamed, second, timestamp=T0 + 60)
        assert result.warnings[0].message == checked.warnings[0].message
        assert f"{old_ledger.name} has no guide" in result.warnings[0].message
        assert not old_ledger.exists() and ledger_path(renamed).exists()
        assert not result.report.first_export and result.report.counts[ChangeKind.REWORDED] == 7

        log = import_apkg(col, second)
        assert len(log.new) == 4  # the guide's own additions, nothing more
        assert col.note_count() == 78 + 4
        after = card_states(col)
        assert all(after[guid] == state for guid, state in before.items())
        check_database(col)
    finally:
        col.close()
    # Taken over once: from now on the guide has a ledger of its own, and no warning.
    assert export_deck(renamed, second, timestamp=T0 + 120).warnings == ()


def test_a_ledger_is_taken_over_only_when_it_is_plainly_the_renamed_guides(
    guide: Path, tmp_path: Path
) -> None:
    out = tmp_path / "deck.apkg"
    export_deck(guide, out, timestamp=T0)
    folder = guide.parent
    text = guide.read_text("utf-8")
    guide.unlink()
    # Another guide, written fresh where a deleted one's ledger lies: not its notes.
    other = folder / "other.md"
    other.write_text("# Other\n\n## S\n\n- **What is a monad?**\n", "utf-8")
    assert export_deck(other, out, timestamp=T0).warnings == ()
    assert ledger_path(guide).exists()
    # Two ledgers without a guide: no telling which one is this guide's.
    (folder / "gone.anki-ids.json").write_bytes(ledger_path(guide).read_bytes())
    renamed = folder / "interview.md"
    renamed.write_text(text, "utf-8")
    result = export_deck(renamed, out, timestamp=T0)
    assert result.report.first_export and result.warnings == ()
    assert ledger_path(guide).exists() and (folder / "gone.anki-ids.json").exists()


def _guids_by_back(apkg: Path, tmp_path: Path) -> dict[str, str]:
    return guids_in(apkg, tmp_path, field=1)  # the hint: fronts repeat in these guides


def _sections(*sections: tuple[str, str]) -> str:
    body = "".join(
        f"## {name}\n\n- **What is it used for?**\n    - *Hint:* {hint}\n\n"
        for name, hint in sections
    )
    return "# G\n\n" + body


def test_notes_with_one_front_keep_their_guids_when_their_sections_move(
    write_guide: WriteGuide, tmp_path: Path
) -> None:
    """Pairs of one front are told apart by section and back, not by order: by order, sections
    that changed places swapped their notes' GUIDs, and each card's history went to the
    other's answer."""
    out = tmp_path / "g.apkg"
    python, sql, rust = ("Python", "scripting"), ("SQL", "querying"), ("Rust", "systems")
    guide = write_guide(_sections(python, sql))
    export_deck(guide, out, timestamp=T0)
    first = _guids_by_back(out, tmp_path)

    guide.write_text(_sections(sql, python), "utf-8")
    result = export_deck(guide, out, timestamp=T0 + 1)
    assert result.report.changes == () and _guids_by_back(out, tmp_path) == first

    guide.write_text(_sections(rust, sql, python), "utf-8")  # a third, before the others
    result = export_deck(guide, out, timestamp=T0 + 2)
    assert [c.kind for c in result.report.changes] == [ChangeKind.ADDED]
    now = _guids_by_back(out, tmp_path)
    assert now["querying"] == first["querying"] and now["scripting"] == first["scripting"]

    guide.write_text(_sections(sql, rust), "utf-8")  # one of them gone
    result = export_deck(guide, out, timestamp=T0 + 3)
    assert [c.kind for c in result.report.changes] == [ChangeKind.REMOVED]
    later = _guids_by_back(out, tmp_path)
    assert later == {"querying": first["querying"], "systems": now["systems"]}


def test_a_new_guide_that_reuses_a_few_questions_takes_over_no_ledger(
    guide: Path, tmp_path: Path
) -> None:
    out = tmp_path / "deck.apkg"
    export_deck(guide, out, timestamp=T0)
    question = item(guide.read_text("utf-8"), REWORDS[0][0])
    guide.unlink()
    small = guide.with_name("small.md")
    small.write_text(f"# Small\n\n## S\n\n{question}", "utf-8")
    result = export_deck(small, out, timestamp=T0)
    assert result.warnings == () and result.report.first_export
    assert ledger_path(guide).exists()


def test_a_task_list_box_is_not_on_the_card_and_ticking_it_changes_nothing(
    write_guide: WriteGuide, tmp_path: Path
) -> None:
    """GitHub and Obsidian task lists: `- [ ] question` marks what the author has yet to learn."""
    out = tmp_path / "g.apkg"
    text = "# G\n\n## S\n\n- [ ] **What is a join?**\n    - *Hint:* rows\n- [ ] Why index?\n"
    guide = write_guide(text)
    first = export_deck(guide, out, timestamp=T0)
    fronts = guids_in(out, tmp_path)
    assert sorted(fronts) == ["What is a join?", "Why index?"]  # no box on the card
    assert dict(first.kinds)[Kind.QUESTION] == dict(first.kinds)[Kind.OPEN_QUESTION] == 1
    guide.write_text(text.replace("[ ]", "[x]"), "utf-8")
    result = export_deck(guide, out, timestamp=T0 + 1)
    assert result.report.changes == () and guids_in(out, tmp_path) == fronts


def test_guides_renamed_together_each_take_over_their_own_ledger(
    guide: Path, tmp_path: Path
) -> None:
    small = guide.with_name("small.md")
    small.write_text("# Small\n\n## S\n\n- **What is a monad?**\n    - *Hint:* a box\n", "utf-8")
    before = {}
    for path in (guide, small):
        export_deck(path, tmp_path / f"{path.stem}.apkg", timestamp=T0)
        before[path.stem] = guids_in(tmp_path / f"{path.stem}.apkg", tmp_path)
    renamed = {path.stem: path.rename(path.with_name(f"01-{path.name}")) for path in (guide, small)}
    for stem, path in renamed.items():  # both old ledgers lie there, each without its guide
        result = export_deck(path, tmp_path / "again.apkg", timestamp=T0 + 1)
        assert len(result.warnings) == 1 and not result.report.first_export
        assert guids_in(tmp_path / "again.apkg", tmp_path) == before[stem]
    assert sorted(p.name for p in guide.parent.glob("*.anki-ids.json")) == [
        f"01-{guide.stem}.anki-ids.json",
        "01-small.anki-ids.json",
    ]
