"""Read many list items at once, on every core when there are enough of them to pay for it.

Reading items (mistune) is most of a cold export, and items are independent, so they are read in
contiguous batches and returned in order: the output is the same whatever the number of
processes. This process reads batches from the front while worker processes take them from the
back, so it never sits idle while a worker starts (about a quarter of a second with mistune), and
the two meet wherever the work is done. Workers return their readings as marshal bytes, which
load several times quicker than pickled records. Small guides are read here alone. Standard
library only (besides `items`).
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any

from anki_export.read.codec import dump_fragment, load_fragment
from anki_export.read.shapes import (
    ConceptShape,
    ItemReading,
    ListShape,
    MarkdownOptions,
    NoNote,
    QuestionShape,
    Shape,
)
from anki_export.records import Fragment

if TYPE_CHECKING:
    # Not at run time: concurrent.futures imports logging, a tenth of a small guide's start-up.
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.context import BaseContext

#: Items below which one process reads them all: a worker's start and the trip across the
#: process boundary cost more than a second core saves.
MIN_PARALLEL_ITEMS = 2000
#: Items in a batch: small enough that the two ends meet evenly, large enough that a batch's
#: trip costs little beside its reading.
_BATCH = 100


def read_items(
    sources: Sequence[str], allow_html: bool = False, workers: int | None = None
) -> Generator[ItemReading, None, None]:
    """`read_item` of each source, in order, as each is read: the caller can let go of one
    reading before the next arrives (at 100k items, all of them at once are 150 MB). Closing
    the generator stops the workers.

    :param workers: processes to read with, this one included; None: one per core (at most 8)
        when there are at least `MIN_PARALLEL_ITEMS` items, else this process alone. Workers
        import the main module again, as forkserver and spawn do.
    """
    with ItemReader(allow_html, workers) as reader:
        yield from reader.read(sources)


class ItemReader:
    """Reads list items (`read_items`) in this process and, for many, in worker processes too.

    Told how many items to `expect`, it starts its workers at once, so that their start (about a
    quarter of a second, importing mistune) overlaps what this process does meanwhile (scanning
    the guide for its items) instead of delaying the reading.
    """

    def __init__(self, allow_html: bool, workers: int | None, expect: int = 0) -> None:
        self.options = MarkdownOptions(allow_html=allow_html)
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._count = 0
        #: Batches the workers read (the rest this process read): a pool whose workers all
        #: failed would still give every reading, and only this would show it.
        self.worker_batches = 0
        if expect and (count := _workers(expect, workers)) > 1:
            self._start(count - 1)

    def __enter__(self) -> ItemReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, sources: Sequence[str]) -> Generator[ItemReading, None, None]:
        """The readings of `sources`, in order."""
        pool = self._pool
        if pool is None and (count := _workers(len(sources), self.workers)) > 1:
            pool = self._start(count - 1)
        if pool is None:
            return _read_here(sources, self.options)
        return self._shared(pool, sources)

    def close(self) -> None:
        """Stop the workers (after the batches they have taken)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _shared(
        self, pool: ProcessPoolExecutor, sources: Sequence[str]
    ) -> Generator[ItemReading, None, None]:
        """Read `sources` here from the front while the workers take batches from the back.

        Batches are handed to the workers a few at a time, from the back, each time this process
        has read one, and never one this process has begun: so nobody cancels anything (which,
        with a worker dying at the wrong moment, trips Python 3.11's executor), and this process
        waits only for the last few batches a worker holds.
        """
        from concurrent.futures.process import BrokenProcessPool

        from anki_export.read import items

        batches = [sources[i : i + _BATCH] for i in range(0, len(sources), _BATCH)]
        # The workers read as this process does, fast paths switched on or off alike.
        fast = items.fast_paths_enabled()
        options = self.options
        allow_html = options.allow_html
        given: dict[int, Future[bytes]] = {}
        back = len(batches)  # batches from here on are the workers'
        broken = False
        workers = self._count

        def give(front: int) -> None:
            """Keep each worker one batch ahead, from the back, never at or before `front`."""
            nonlocal back, broken
            while not broken and back > front and _busy(given) < 2 * workers:
                try:
                    given[back - 1] = pool.submit(_read_batch, batches[back - 1], allow_html, fast)
                except BrokenProcessPool:
                    broken = True  # a worker died: this process reads the rest
                    return
                back -= 1

        give(0)
        for n, batch in enumerate(batches):
            if n < back:
                give(n + 1)  # batch n is this process's from now on
                yield from _read_here(batch, options)
                continue
            try:
                data = given[n].result()
            except BrokenProcessPool:
                # A worker died (killed, out of memory): what it held is read here instead.
                yield from _read_here(batch, options)
            else:
                self.worker_batches += 1
                yield from load_readings(data)

    def _start(self, count: int) -> ProcessPoolExecutor | None:
        """Start `count` workers; None if this system cannot (this process then reads alone)."""
        # Here, not at the top: a rebuild from the memo reads few items and needs no pool.
        from concurrent.futures import ProcessPoolExecutor

        try:
            pool = ProcessPoolExecutor(count, mp_context=_context(), initializer=_warm_up)
            for _ in range(count):
                pool.submit(_ready)  # workers are started when there is work for them
        except (OSError, NotImplementedError, RuntimeError):
            # No processes or semaphores here (a sandbox, no /dev/shm): slower, not wrong.
            self.workers = 1
            return None
        self._pool, self._count = pool, count
        return pool


def _read_here(
    sources: Sequence[str], options: MarkdownOptions
) -> Generator[ItemReading, None, None]:
    from anki_export.read.items import read_item  # mistune: a rebuild needs little of it

    return (read_item(source, options) for source in sources)


def _busy(given: dict[int, Future[bytes]]) -> int:
    return sum(not future.done() for future in given.values())


def _workers(items: int, asked: int | None) -> int:
    if asked is not None:
        return max(1, min(asked, items))
    if items < MIN_PARALLEL_ITEMS:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _context() -> BaseContext:
    import multiprocessing

    # Not fork: forking a process that has threads (a host application's, or the CLI's
    # progress line) can deadlock, and Python warns of it.
    method = "forkserver" if sys.platform != "win32" else "spawn"
    return multiprocessing.get_context(method)


def _warm_up() -> None:
    """A worker's start: the imports and settings every batch needs, done while the process
    that started it is still busy elsewhere."""
    import gc

    import anki_export.read.items  # noqa: F401  (mistune, Pygments)

    # A worker process is ours alone: reading makes many acyclic objects, which the cycle
    # collector would traverse again and again for nothing (a third of a worker's time).
    gc.disable()


def _ready() -> None:
    pass


def _read_batch(sources: Sequence[str], allow_html: bool, fast: bool) -> bytes:
    from anki_export.read.items import fast_paths, read_item

    options = MarkdownOptions(allow_html=allow_html)
    with fast_paths(fast):
        return dump_readings([read_item(source, options) for source in sources])


_QUESTION, _CONCEPT, _LIST, _NO_NOTE = 0, 1, 2, 3


def dump_readings(readings: Sequence[ItemReading]) -> bytes:
    """Readings as marshal bytes (`load_readings` gives them back)."""
    return marshal.dumps([(_shape(r.shape), r.doubts) for r in readings])


def load_readings(data: bytes) -> list[ItemReading]:
    """The readings `dump_readings` wrote."""
    return [ItemReading(_unshape(shape), doubts) for shape, doubts in marshal.loads(data)]


def _shape(shape: Shape) -> tuple[Any, ...]:
    match shape:
        case QuestionShape(prompt, hint, notes):
            return (_QUESTION, dump_fragment(prompt), dump_fragment(hint), dump_fragment(notes))
        case ConceptShape(term, definition):
            return (_CONCEPT, dump_fragment(term), dump_fragment(definition))
        case ListShape(label, items):
            return (_LIST, dump_fragment(label), dump_fragment(items))
        case NoNote(reason):
            return (_NO_NOTE, reason)


def _unshape(value: tuple[Any, ...]) -> Shape:
    kind = value[0]
    if kind == _QUESTION:
        return QuestionShape(_loaded(value[1]), load_fragment(value[2]), load_fragment(value[3]))
    if kind == _CONCEPT:
        return ConceptShape(_loaded(value[1]), _loaded(value[2]))
    if kind == _LIST:
        return ListShape(_loaded(value[1]), _loaded(value[2]))
    return NoNote(value[1])


def _loaded(value: tuple[str, ...]) -> Fragment:
    fragment = load_fragment(value)
    if fragment is None:
        raise ValueError("a reading without the text it needs")
    return fragment
