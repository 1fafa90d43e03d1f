"""Benchmark `export-deck` on generated guides of 1k, 10k and 100k notes.

Generates seeded, deterministic guides (`generate.py`: the `seed` profile has the seed guide's
markup on every card, `light` the lighter shape measured first), then times whole processes, each
a fresh child:

- cold: `python -m anki_export GUIDE -o build/GUIDE.apkg` with no memo and no ledger;
- warm: the same command again, once the memo exists;
- edit: the same again after one question's wording changed;
- edit -o: the same edit with the deck written outside any build/ folder;
- floor: the least any rebuild must do (`floor.py`): a fresh process writing the cold export's
  own deck, byte for byte, from its rows already made (no Markdown, ledger or matching);
- genanki: a plain-genanki baseline writing the same notes without any Markdown, into one
  deck (the cheapest way genanki can write them);
- ankdown: if installed (`--ankdown PATH` or `$ANKDOWN`), the peer on the same cards in its own
  format, cold, taking turns with our cold export; the ratio is ours over its.

Each measure is the best of `--repeat` runs; the cold column also gives the slowest, and the
CPU time (user + system) of the best run, as the machine is shared. Peak memory is the largest
resident set of the whole process tree, sampled every 10 ms.

Run from the repository root: `python bench/bench.py [--sizes 1000,10000,100000] [--quick]`.
`--reword` measures instead a find-and-replace that rewords a quarter of the questions at once
(cold export, then the reworded guide exported over its ledger) and counts the GUIDs kept.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from floor import dump_rows, floor_main
from generate import PROFILES, Card, ankdown_cards, generate_guide
from measure import Best, Run, alternate, run_child
from reword import bench_reword


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
class Row:
    notes: int
    cold: Best
    warm: Best
    edit: Best
    edit_out: Best
    floor: Best
    genanki: Best
    ankdown: Best | None


@dataclass(frozen=True)
class Options:
    repeat: int
    markup: float
    profile: str
    ankdown: Path | None


def _write_inputs(work: Path, notes: int, text: str, cards: list[Card]) -> tuple[Path, Path, Path]:
    guide = work / f"guide-{notes}.md"
    guide.write_text(text, encoding="utf-8")
    tsv = work / f"guide-{notes}.tsv"
    with tsv.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter="\t", lineterminator="\n")
        writer.writerows((c.section, c.front, c.back) for c in cards)
    # ankdown reads every .md under a folder: the cards alone in one of their own.
    peer = work / f"ankdown-{notes}"
    peer.mkdir(exist_ok=True)
    (peer / "cards.md").write_text(ankdown_cards(cards), encoding="utf-8")
    return guide, tsv, peer


def bench_size(notes: int, work: Path, opts: Options) -> Row:
    text, cards = generate_guide(notes, markup=opts.markup, profile=opts.profile)
    guide, tsv, peer = _write_inputs(work, notes, text, cards)
    exporter = [sys.executable, "-m", "anki_export", str(guide), "-o"]
    export = [*exporter, str(work / "build" / f"guide-{notes}.apkg")]
    export_out = [*exporter, str(work / "out" / f"guide-{notes}.apkg")]

    def cold() -> Run:
        # Nothing from an earlier export: no memo and no ID ledger.
        shutil.rmtree(work / "build", ignore_errors=True)
        guide.with_name(f"{guide.stem}.anki-ids.json").unlink(missing_ok=True)
        return run_child(export, work)

    measures: list[Callable[[], Run]] = [cold]
    if opts.ankdown is not None:
        ankdown = [str(opts.ankdown), "-r", str(peer), "-p", str(work / f"ankdown-{notes}.apkg")]
        measures.append(lambda: run_child(ankdown, work))
    cold_runs = alternate(measures, opts.repeat)
    deck, rows = work / "build" / f"guide-{notes}.apkg", work / f"rows-{notes}.marshal"
    floor_deck = work / f"floor-{notes}.apkg"
    dump_rows(deck, rows)
    floor_run = [sys.executable, __file__, "--floor", str(rows), str(floor_deck)]
    run_child(floor_run, work)
    if floor_deck.read_bytes() != deck.read_bytes():
        raise AssertionError("the floor's deck is not the cold export's: it measures other work")
    warm = alternate([lambda: run_child(export, work)], opts.repeat)[0]
    question = re.search(r"\(case \d+\)\?", text)
    assert question is not None
    edits = iter(range(opts.repeat * 4))

    def edited(command: list[str]) -> Callable[[], Run]:
        def run() -> Run:
            changed = f"{question.group()[:-2]}, edit {next(edits)})?"
            guide.write_text(text.replace(question.group(), changed, 1), encoding="utf-8")
            return run_child(command, work)

        return run

    run_child(export_out, work)  # the deck outside build/ exists before its edits are timed
    edit, edit_out, floor = alternate(
        [edited(export), edited(export_out), lambda: run_child(floor_run, work)], opts.repeat
    )
    guide.write_text(text, encoding="utf-8")
    base = [sys.executable, __file__, "--baseline", str(tsv), str(work / f"baseline-{notes}.apkg")]
    genanki = alternate([lambda: run_child(base, work)], opts.repeat)[0]
    peer_run = cold_runs[1] if opts.ankdown is not None else None
    return Row(notes, cold_runs[0], warm, edit, edit_out, floor, genanki, peer_run)


def format_table(rows: list[Row]) -> str:
    lines = [
        "| notes | cold s | cold spread | cold CPU s | warm s | edit s | edit -o s | edit / cold "
        "| floor s | floor / cold | peak MB | notes/s | genanki s | ankdown s | cold / ankdown |",
        "|------:|-------:|------------:|-----------:|-------:|-------:|----------:|------------:"
        "|--------:|-------------:|--------:|--------:|----------:|----------:|---------------:|",
    ]
    for r in rows:
        peak = max(m.peak_mb for m in (r.cold, r.warm, r.edit, r.edit_out))
        peer = ratio = "-"
        if r.ankdown is not None:
            peer = f"{r.ankdown.seconds:.2f} ({r.ankdown.spread()})"
            ratio = f"{r.cold.seconds / r.ankdown.seconds:.2f}"
        lines.append(
            f"| {r.notes:,} | {r.cold.seconds:.2f} | {r.cold.spread()} | {r.cold.cpu:.2f} "
            f"| {r.warm.seconds:.2f} "
            f"| {r.edit.seconds:.2f} | {r.edit_out.seconds:.2f} "
            f"| {r.edit.seconds / r.cold.seconds:.2f} | {r.floor.seconds:.2f} "
            f"| {r.floor.seconds / r.cold.seconds:.2f} | {peak:.0f} "
            f"| {r.notes / r.cold.seconds:,.0f} | {r.genanki.seconds:.2f} | {peer} | {ratio} |"
        )
    return "\n".join(lines)


_SIZES = "1000,10000,100000"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=_SIZES, help="comma-separated note counts")
    parser.add_argument("--quick", action="store_true", help="sizes 1000,10000, one run each")
    parser.add_argument("--profile", choices=PROFILES, default="seed", help="markup density")
    parser.add_argument(
        "--markup",
        type=float,
        default=1.0,
        help="with --profile light: how often hints hold inline markup, 1 typical, up to 12.5",
    )
    parser.add_argument("--repeat", type=int, default=0, help="runs per measure, best kept")
    parser.add_argument(
        "--reword",
        action="store_true",
        help="measure a quarter of the questions reworded at once (default size 10000)",
    )
    parser.add_argument(
        "--ankdown",
        type=Path,
        default=os.environ.get("ANKDOWN") or shutil.which("ankdown"),
        help="the ankdown command to compare with (default: $ANKDOWN, or ankdown on PATH)",
    )
    parser.add_argument("--keep", type=Path, help="generate and run in this folder, and keep it")
    parser.add_argument(
        "--baseline", nargs=2, type=Path, metavar=("TSV", "OUT"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--floor", nargs=2, type=Path, metavar=("ROWS", "OUT"), help=argparse.SUPPRESS
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    if args.baseline:
        baseline_main(*args.baseline)
        return
    if args.floor:
        floor_main(*args.floor)
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
            opts = Options(repeat, args.markup, args.profile, args.ankdown)
            rows.append(bench_size(notes, work, opts))
            print(f"  {notes:,} notes done", file=sys.stderr, flush=True)
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, profile {args.profile}"
        + (f", markup {args.markup}" if args.profile == "light" else "")
        + (", ankdown " + str(args.ankdown) if args.ankdown else ", no ankdown")
    )
    print(format_table(rows))


if __name__ == "__main__":
    main()
