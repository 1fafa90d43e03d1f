"""Two versions of anki-export, measured in turns on the same generated guide.

On a machine whose speed drifts (a shared virtual machine), two `bench.py` runs minutes apart
compare the moments more than the code. This runs whole processes of both versions alternately
(cold, warm, then one question edited) and prints the best and median wall and CPU seconds.

    git worktree add /tmp/before <commit>
    python bench/ab.py /tmp/before . --notes 10000 --rounds 5

Run from the repository root; each version is imported from its own folder (`PYTHONPATH`).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from generate import PROFILES, generate_guide
from measure import Run, run_child

_MEASURES = ("cold", "warm", "edit")


def _round(tree: Path, work: Path, text: str, n: int) -> dict[str, Run]:
    """One cold, warm and edited export by the version in `tree`, in `work`."""
    work.mkdir(parents=True, exist_ok=True)
    guide = work / "guide.md"
    guide.write_text(text, encoding="utf-8")
    shutil.rmtree(work / "build", ignore_errors=True)
    guide.with_name("guide.anki-ids.json").unlink(missing_ok=True)
    deck = work / "build" / "g.apkg"
    command = [sys.executable, "-m", "anki_export", str(guide), "-o", str(deck)]
    env = {"PYTHONPATH": str(tree.resolve())}
    runs = {"cold": run_child(command, work, env), "warm": run_child(command, work, env)}
    at = text.index("?**")
    guide.write_text(f"{text[:at]} (edit {n}){text[at:]}", encoding="utf-8")
    runs["edit"] = run_child(command, work, env)
    return runs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="the first version's repository folder")
    parser.add_argument("after", type=Path, help="the second version's repository folder")
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", choices=PROFILES, default="seed")
    args = parser.parse_args(argv)
    text, _ = generate_guide(args.notes, profile=args.profile)
    trees = {"before": args.before, "after": args.after}
    runs: dict[tuple[str, str], list[Run]] = {}
    with tempfile.TemporaryDirectory(prefix="anki-export-ab-") as scratch:
        for n in range(args.rounds):
            for name, tree in trees.items():
                for measure, run in _round(tree, Path(scratch) / name, text, n).items():
                    runs.setdefault((measure, name), []).append(run)
    print(f"{args.notes:,} notes, {args.profile} profile, {args.rounds} rounds in turns")
    print("| measure | version | best s | median s | best CPU s | median CPU s |")
    print("|---|---|---:|---:|---:|---:|")
    for measure in _MEASURES:
        for name in trees:
            done = runs[(measure, name)]
            walls, cpus = [r.seconds for r in done], [r.cpu for r in done]
            print(
                f"| {measure} | {name} | {min(walls):.2f} | {statistics.median(walls):.2f} "
                f"| {min(cpus):.2f} | {statistics.median(cpus):.2f} |"
            )


if __name__ == "__main__":
    main()
