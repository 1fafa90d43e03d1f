"""Read many list items at once, on every core when there are enough of them to pay for it.

Reading items (mistune) is most of a cold export, and items are independent, so they are read in
worker processes in contiguous batches and returned in order: the output is the same whatever the
number of workers. A pool costs a process start and the items' trip across the process boundary,
so small guides are read here, in this process. Standard library only (besides `items`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator, Sequence
from itertools import repeat
from typing import TYPE_CHECKING

from anki_export.read.shapes import ItemReading, MarkdownOptions

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

#: Items below which one process reads them all: a pool's start (about 0.1 s with forkserver)
#: and the trip across the process boundary cost more than a second core saves.
MIN_PARALLEL_ITEMS = 2000
_BATCHES_PER_WORKER = 4


def read_items(
    sources: Sequence[str], allow_html: bool = False, workers: int | None = None
) -> Generator[ItemReading, None, None]:
    """`read_item` of each source, in order, as each is read: the caller can let go of one
    reading before the next arrives (at 100k items, all of them at once are 150 MB). Closing
    the generator stops the workers.

    :param workers: processes to use; None: one per core (at most 8) when there are at least
        `MIN_PARALLEL_ITEMS` items, else this process alone. Workers import the main module
        again, as forkserver and spawn do.
    """
    count = _workers(len(sources), workers)
    if count <= 1:
        from anki_export.read.items import read_item  # mistune: a rebuild needs little of it

        options = MarkdownOptions(allow_html=allow_html)
        return (read_item(source, options) for source in sources)
    return _pooled(sources, allow_html, count)


def _pooled(
    sources: Sequence[str], allow_html: bool, count: int
) -> Generator[ItemReading, None, None]:
    # Here, not at the top: a rebuild from the memo reads few items and needs no pool.
    from concurrent.futures import ProcessPoolExecutor

    from anki_export.read import items

    size = -(-len(sources) // (count * _BATCHES_PER_WORKER))
    batches = [sources[i : i + size] for i in range(0, len(sources), size)]
    # The workers read as this process would, fast paths switched on or off alike.
    fast = repeat(items.fast_paths_enabled())
    with ProcessPoolExecutor(count, mp_context=_context()) as pool:
        for batch in pool.map(_read_batch, batches, repeat(allow_html), fast):
            yield from batch


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


def _read_batch(sources: Sequence[str], allow_html: bool, fast: bool) -> list[ItemReading]:
    from anki_export.read.items import fast_paths, read_item

    options = MarkdownOptions(allow_html=allow_html)
    with fast_paths(fast):
        return [read_item(source, options) for source in sources]
