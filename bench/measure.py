"""Running one benchmark measure: a whole child process, its wall time and peak memory."""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    #: user + system CPU time of the process tree: on a shared machine, steadier than wall time
    cpu: float = 0.0


@dataclass(frozen=True)
class Best:
    """The best of several runs of one measure, and the slowest, to show the spread."""

    best: Run
    worst: Run

    @property
    def seconds(self) -> float:
        return self.best.seconds

    @property
    def peak_mb(self) -> float:
        return max(self.best.peak_mb, self.worst.peak_mb)

    @property
    def cpu(self) -> float:
        return self.best.cpu

    def spread(self) -> str:
        return f"{self.best.seconds:.2f}-{self.worst.seconds:.2f}"


def best_of(runs: Sequence[Run]) -> Best:
    ordered = sorted(runs, key=lambda r: r.seconds)
    return Best(ordered[0], ordered[-1])


def alternate(measures: Sequence[Callable[[], Run]], repeat: int) -> list[Best]:
    """Run each measure `repeat` times, taking turns, so that a busy moment on a shared machine
    falls on all of them alike rather than on whichever ran then."""
    runs: list[list[Run]] = [[] for _ in measures]
    for _ in range(repeat):
        for measure, done in zip(measures, runs, strict=True):
            done.append(measure())
    return [best_of(done) for done in runs]


def run_child(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command to the end; its wall time and the peak RSS of its whole process tree."""
    child_env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1767225600"}
    # As installed, Python keeps compiled modules: a shell that says not to write them would
    # make every run compile the package again, which no user's export does.
    child_env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        args,
        cwd=cwd,
        env={**child_env, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    sampler = _TreeSampler(proc.pid)
    sampler.start()
    _, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{stderr.decode()}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Run(seconds, sampler.peak_kb / 1024, cpu)


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
    """The summed RSS of `root` and its descendants.

    Found through each process's `children` files, a few reads a sample: a scan of all of /proc
    took 4 ms, every 10 ms a third of a core, taken from an export that uses both.
    """
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * page_kb
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", "rb") as f:
                    pending += map(int, f.read().split())
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
    return total
