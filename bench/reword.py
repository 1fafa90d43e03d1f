"""The mass-rewording benchmark: a find-and-replace that rewords a quarter of the questions.

`python bench/bench.py --reword`: a cold export, then the reworded guide exported over its ID
ledger; prints both times and how many notes kept their GUID.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

from generate import generate_guide
from measure import run_child

_REWORD_RE = re.compile(r"^\*   \*\*How would you (.*)\(case (\d+)\)\?\*\*$", re.MULTILINE)


def reword_guide(text: str) -> tuple[str, int]:
    """Every fourth question reworded as a find-and-replace would (its hint kept)."""
    count = 0

    def reword(match: re.Match[str]) -> str:
        nonlocal count
        if int(match.group(2)) % 4:
            return match.group(0)
        count += 1
        return f"*   **In practice, how would you {match.group(1)}(case {match.group(2)})?**"

    return _REWORD_RE.sub(reword, text), count


def _guids_by_case(ledger: Path) -> dict[str, str]:
    found = {}
    for line in ledger.read_text("utf-8").splitlines():
        case = re.search(r"\(case (\d+)\)", line)
        if case and line.startswith("    {") and '"removed"' not in line:
            found[case.group(1)] = json.loads(line.rstrip(","))["guid"]
    return found


def bench_reword(notes: int, work: Path, repeat: int) -> str:
    """Cold export, then the reworded guide over that ledger: times and GUIDs kept."""
    guide_text, _ = generate_guide(notes)
    reworded, count = reword_guide(guide_text)
    guide = work / f"reword-{notes}.md"
    ledger = guide.with_name(f"{guide.stem}.anki-ids.json")
    export = [sys.executable, "-m", "anki_export", str(guide), "-o", str(work / "r.apkg")]
    colds, rewords = [], []
    for _ in range(repeat):
        shutil.rmtree(work / "build", ignore_errors=True)
        ledger.unlink(missing_ok=True)
        guide.write_text(guide_text, encoding="utf-8")
        colds.append(run_child(export, work).seconds)
        before = _guids_by_case(ledger)
        guide.write_text(reworded, encoding="utf-8")
        rewords.append(run_child(export, work).seconds)
        after = _guids_by_case(ledger)
    kept = sum(after.get(case) == guid for case, guid in before.items())
    cold, again = min(colds), min(rewords)
    return (
        f"{notes:,} notes, {count:,} questions reworded at once: cold {cold:.2f} s, "
        f"reworded {again:.2f} s ({again / cold:.2f}x cold); {kept:,} of {len(before):,} "
        "notes kept their GUID"
    )
