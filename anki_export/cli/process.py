"""`export-deck` as a program: its console script and `python -m anki_export` run `run`.

What concerns the process rather than the command: its standard output's encoding, and leaving
without Python's teardown.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import sys
from typing import NoReturn

from anki_export.cli.command import main


def run() -> NoReturn:
    """`export-deck` as a program (its console script and `python -m anki_export`): `main`,
    then out of the process without tearing it down.

    Python's own exit frees every object and module one by one; after a build of 10k notes
    that took 50-80 ms, a twentieth of a rebuild, for nothing. By the time `main` is done
    every file is written and closed and every worker joined: only stdout and stderr are left
    to flush. In-process callers (tests, other programs) call `main`, which exits as usual.
    """
    _stdout_that_cannot_fail()
    try:
        main(prog_name="export-deck")
        code: object = 0  # not reached: click ends a standalone command with SystemExit
    except SystemExit as e:
        code = e.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)  # as Python does with `sys.exit("message")`
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code)


def _stdout_that_cannot_fail() -> None:
    """Make standard output take any text: on Windows it is the ANSI code page (cp1252) when
    redirected (`> log.txt`, a pipe, pre-commit), and a report's "≈", a deck's name or a note's
    text can be outside it. Data written there (`-o -` CSV and JSON, `--json`) is UTF-8, as
    Anki's importer and every JSON reader expect; a terminal that cannot show a character shows
    "?" instead. Standard error replaces what it cannot encode already (Python's default)."""
    stream = sys.stdout
    if not isinstance(stream, io.TextIOWrapper):
        return
    with contextlib.suppress(LookupError, OSError, ValueError):
        if codecs.lookup(stream.encoding).name == "utf-8":
            return
        if stream.isatty():
            stream.reconfigure(errors="replace")
        else:
            stream.reconfigure(encoding="utf-8")
