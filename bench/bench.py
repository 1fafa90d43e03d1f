"""Benchmark `export-deck` on generated guides of 1k, 10k and 100k notes.

Generates seeded, deterministic guides in the seed guide's shape (sections of 20 notes; bold
questions with a nested `*Answer Hint:*`, some `**Term:** definition` concepts, some fenced code
inside hints, ~290 bytes of Markdown per card), then times whole processes, each a fresh child:

- cold: `python -m anki_export GUIDE -o OUT` with no render cache;
- warm: the same command again, once the cache exists;
- edit: the same again after one question's wording changed;
- genanki: a plain-genanki baseline writing the same notes without any Markdown, into one
  deck (the cheapest way genanki can write them).

Peak memory is the largest resident set of the whole process tree (children of the child
included), sampled every 10 ms and checked against the kernel's own peak for the child.

Run from the repository root: `python bench/bench.py [--sizes 1000,10000,100000] [--quick]`.
`--reword` measures instead a find-and-replace that rewords a quarter of the questions at once
(cold export, then the reworded guide exported over its ledger) and counts the GUIDs kept.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 20260501
SECTION_SIZE = 20

_SUBJECTS = (
    "a data pipeline",
    "the ingestion layer",
    "a streaming job",
    "the warehouse schema",
    "an ETL process",
    "the API gateway",
    "a batch workload",
    "the feature store",
    "a Kubernetes deployment",
    "the message queue",
    "a partitioned table",
    "the query planner",
    "an Airflow DAG",
    "the object store",
    "a slowly changing dimension",
    "the CI pipeline",
    "a REST endpoint",
    "the retry policy",
    "an event log",
    "the metadata catalog",
    "a vector index",
    "the prompt template",
    "a unit test suite",
    "the schema registry",
)
_VERBS = (
    "design",
    "monitor",
    "scale",
    "debug",
    "validate",
    "document",
    "secure",
    "test",
    "partition",
    "migrate",
    "optimise",
    "deploy",
    "version",
    "backfill",
    "profile",
    "cache",
)
_CONTEXTS = (
    "when the input volume doubles every month",
    "without losing any late events",
    "under a strict latency budget",
    "across several cloud accounts",
    "while the upstream schema keeps changing",
    "for a team of analysts with mixed skills",
    "when a vendor API rate-limits every request",
    "with exactly-once delivery guarantees",
    "in a regulated industry with audit requirements",
    "during a zero-downtime migration",
    "when most of the cost comes from idle clusters",
    "for both batch and streaming consumers",
)
_ADVICE = (
    "Start from the access patterns and the service level you have to meet",
    "Mention idempotent writes and how a rerun of the same input behaves",
    "Explain how you would measure it before changing anything",
    "Talk about partitioning by date and pruning old partitions",
    "Describe the monitoring, the alerts and who gets paged at night",
    "Compare two designs and say which trade-off you would accept",
    "Give a concrete example from a project and the numbers involved",
    "Cover schema evolution, backward compatibility and versioned contracts",
    "Discuss the failure modes first and how each one is detected",
    "Keep the happy path simple and push the rare cases to a dead-letter queue",
    "Name the tools you used and why you picked them over the alternatives",
    "Point out what you would automate and what needs a human decision",
)
_TAILS = (
    "Relate it to the role's focus on reliable, scalable data products.",
    "Be ready to sketch the flow on a whiteboard.",
    "Interviewers look for clear reasoning more than for one right answer.",
    "Finish with what you learnt and what you would do differently.",
    "Keep the answer to about two minutes.",
    "Mention testing at each stage, not only at the end.",
)
_CODE_SPANS = ("`SELECT *`", "`GROUP BY`", "`asyncio.gather`", "`df.groupby()`", "`kubectl`")
_TERMS = (
    "Idempotency",
    "Backpressure",
    "Watermark",
    "Data Lineage",
    "Change Data Capture",
    "Star Schema",
    "Partition Pruning",
    "Dead-letter Queue",
    "Service Level Objective",
    "Vector Embedding",
    "Retrieval-Augmented Generation",
    "Feature Drift",
)
_TOPICS = (
    "Python",
    "SQL",
    "ETL Processes",
    "API Development",
    "Data Modeling",
    "Cloud Infrastructure",
    "Testing & CI/CD",
    "System Design",
    "Streaming",
    "Data Quality",
    "LLMs and RAG",
    "Behavioural",
)
_CODE = (
    (
        "python",
        "def dedupe(rows):\n    seen = set()\n    for row in rows:\n"
        "        if row.key not in seen:\n            seen.add(row.key)\n            yield row",
    ),
    (
        "sql",
        "SELECT user_id, COUNT(*) AS events\nFROM events\nWHERE day >= CURRENT_DATE - 7\n"
        "GROUP BY user_id\nHAVING COUNT(*) > 10;",
    ),
    ("bash", "kubectl rollout status deploy/ingest\nkubectl logs -l app=ingest --since=10m"),
)


@dataclass(frozen=True)
class PlainNote:
    """One generated note as plain text, for the genanki baseline."""

    section: str
    front: str
    back: str


def generate_guide(
    notes: int, seed: int = SEED, markup: float = 1.0
) -> tuple[str, list[PlainNote]]:
    """A guide of `notes` notes in our format, and the same notes as plain text.

    Deterministic for a given seed: the same arguments always give the same text. `markup`
    scales how often a hint has inline code and emphasis (1: as in a typical guide; 5: most).
    """
    rng = random.Random(seed)
    out = [
        f"# Generated Interview Guide ({notes} notes)",
        "",
        "This guide was generated for benchmarks. It has the shape of a real study guide: "
        "sections of questions with answer hints, concepts and a few code samples.",
        "",
    ]
    plain: list[PlainNote] = []
    for n in range(notes):
        if n % SECTION_SIZE == 0:
            section = f"{n // SECTION_SIZE + 1}. {rng.choice(_TOPICS)} {n // SECTION_SIZE + 1}"
            out += ["---", "", f"## {section}", ""]
        roll = rng.random()
        if roll < 0.12:
            term = f"{rng.choice(_TERMS)} {rng.choice(_VERBS).title()} {n}"
            definition = _sentences(rng, 3)
            out.append(f"*   **{term}:** {definition}")
            plain.append(PlainNote(section, term, definition))
            continue
        question = (
            f"How would you {rng.choice(_VERBS)} {rng.choice(_SUBJECTS)} "
            f"{rng.choice(_CONTEXTS)}, and {rng.choice(_VERBS)} it later (case {n})?"
        )
        out.append(f"*   **{question}**")
        if roll < 0.17:  # an open question: no hint
            plain.append(PlainNote(section, question, ""))
            continue
        hint = _sentences(rng, 2)
        if rng.random() < 0.2 * markup:
            hint = hint.replace(" it ", f" {rng.choice(_CODE_SPANS)} ", 1)
        if rng.random() < 0.08 * markup:
            hint = hint.replace(" the ", " *the* ", 1)
        out.append(f"    *   *Answer Hint:* {hint}")
        back = hint
        if roll > 0.97:
            lang, code = rng.choice(_CODE)
            out += [
                "",
                f"        ```{lang}",
                *("        " + ln for ln in code.split("\n")),
                "        ```",
                "",
            ]
            back += "\n" + code
        plain.append(PlainNote(section, question, back))
    out.append("")
    return "\n".join(out), plain


def _sentences(rng: random.Random, count: int) -> str:
    parts = [f"{rng.choice(_ADVICE)} {rng.choice(_CONTEXTS)}." for _ in range(count - 1)]
    return " ".join([*parts, rng.choice(_TAILS)])


def baseline_main(tsv: Path, output: Path) -> None:
    """The plain-genanki baseline: read notes from a TSV file, write one .apkg, no Markdown."""
    import genanki

    model = genanki.Model(
        1607392319,
        "Baseline",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr>{{Back}}"}],
    )
    # One deck: genanki rewrites every deck's JSON once per deck, so a deck per section would
    # make the baseline quadratic; this is the cheapest way genanki can write these notes.
    deck = genanki.Deck(2059400110, "Baseline")
    with tsv.open(encoding="utf-8", newline="") as f:
        for _section, front, back in csv.reader(f, delimiter="\t"):
            deck.add_note(genanki.Note(model=model, fields=[front, back]))
    genanki.Package(deck).write_to_file(str(output))


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


def run_child(args: list[str], cwd: Path) -> Run:
    """Run a command to the end; its wall time and the peak RSS of its whole process tree."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1767225600"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    sampler = _TreeSampler(proc.pid)
    sampler.start()
    _, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.stop()
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{stderr.decode()}")
    return Run(seconds, sampler.peak_kb / 1024)


class _TreeSampler(threading.Thread):
    """Polls /proc for the summed RSS of a process and its descendants (Linux only)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(self.pid))
            self._done.wait(0.01)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree_rss_kb(root: int) -> int:
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
            with open(f"/proc/{entry}/statm", "rb") as f:
                resident = int(f.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        fields = stat[stat.rindex(b")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = resident * page_kb
    total = 0
    for pid, kb in rss.items():
        p = pid
        while p and p != root:
            p = parents.get(p, 0)
        if p == root:
            total += kb
    return total


@dataclass(frozen=True)
class Row:
    notes: int
    cold: Run
    warm: Run
    edit: Run
    genanki: Run


def bench_size(notes: int, work: Path, repeat: int, markup: float = 1.0) -> Row:
    guide_text, plain = generate_guide(notes, markup=markup)
    guide = work / f"guide-{notes}.md"
    guide.write_text(guide_text, encoding="utf-8")
    tsv = work / f"guide-{notes}.tsv"
    with tsv.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter="\t", lineterminator="\n")
        writer.writerows((p.section, p.front, p.back) for p in plain)
    out = work / "build" / f"guide-{notes}.apkg"
    export = [sys.executable, "-m", "anki_export", str(guide), "-o", str(out)]

    def cold() -> Run:
        # Nothing from an earlier export: no render cache and no ID ledger.
        shutil.rmtree(work / "build", ignore_errors=True)
        guide.with_name(f"{guide.stem}.anki-ids.json").unlink(missing_ok=True)
        return run_child(export, work)

    cold_run = _best(cold, repeat)
    warm_run = _best(lambda: run_child(export, work), repeat)
    edits = iter(range(repeat * 2))

    def edit() -> Run:
        text = guide_text.replace("(case 1)?", f"(case 1, edit {next(edits)})?", 1)
        guide.write_text(text, encoding="utf-8")
        return run_child(export, work)

    edit_run = _best(edit, repeat)
    guide.write_text(guide_text, encoding="utf-8")
    base = work / f"baseline-{notes}.apkg"
    genanki_run = _best(
        lambda: run_child([sys.executable, __file__, "--baseline", str(tsv), str(base)], work),
        repeat,
    )
    return Row(notes, cold_run, warm_run, edit_run, genanki_run)


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


def _best(run: Callable[[], Run], repeat: int) -> Run:
    runs = [run() for _ in range(repeat)]
    return min(runs, key=lambda r: r.seconds)


def format_table(rows: list[Row]) -> str:
    lines = [
        "| notes | cold s | warm s | edit s | peak MB | notes/s | genanki s | cold / genanki |",
        "|------:|-------:|-------:|-------:|--------:|--------:|----------:|---------------:|",
    ]
    for r in rows:
        peak = max(r.cold.peak_mb, r.warm.peak_mb, r.edit.peak_mb)
        lines.append(
            f"| {r.notes:,} | {r.cold.seconds:.2f} | {r.warm.seconds:.2f} | {r.edit.seconds:.2f} "
            f"| {peak:.0f} | {r.notes / r.cold.seconds:,.0f} | {r.genanki.seconds:.2f} "
            f"| {r.cold.seconds / r.genanki.seconds:.2f} |"
        )
    return "\n".join(lines)


_SIZES = "1000,10000,100000"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=_SIZES, help="comma-separated note counts")
    parser.add_argument("--quick", action="store_true", help="sizes 1000,10000, one run each")
    parser.add_argument(
        "--markup",
        type=float,
        default=1.0,
        help="how often hints hold inline markup, 1 typical, up to 12.5",
    )
    parser.add_argument("--repeat", type=int, default=0, help="runs per measure, best kept")
    parser.add_argument(
        "--reword",
        action="store_true",
        help="measure a quarter of the questions reworded at once (default size 10000)",
    )
    parser.add_argument("--keep", type=Path, help="generate and run in this folder, and keep it")
    parser.add_argument(
        "--baseline", nargs=2, type=Path, metavar=("TSV", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.baseline:
        baseline_main(*args.baseline)
        return
    if args.reword:
        with tempfile.TemporaryDirectory(prefix="anki-export-bench-") as scratch:
            sizes = [10000] if args.sizes == _SIZES else [int(s) for s in args.sizes.split(",")]
            for notes in sizes:
                print(bench_reword(notes, args.keep or Path(scratch), args.repeat or 3))
        return
    sizes = [1000, 10000] if args.quick else [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="anki-export-bench-") as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        for notes in sizes:
            repeat = args.repeat or (1 if args.quick or notes >= 100_000 else 3)
            rows.append(bench_size(notes, work, repeat, args.markup))
            print(f"  {notes:,} notes done", file=sys.stderr, flush=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, markup {args.markup}")
    print(format_table(rows))


if __name__ == "__main__":
    main()
