"""Possible rewordings answered: asked on a terminal, or given as `--link` and `--new`.

Part of the command line (click); the library takes the answers as `links` and `confirm`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import click

from anki_export.cli.progress import Progress
from anki_export.identity.report import Change


def interactive() -> bool:
    """Whether someone is there to answer a question (both ends of the terminal)."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def parse_links(
    values: Iterable[str], new: Iterable[int] = ()
) -> tuple[tuple[int, str | None], ...]:
    """`--link LINE=OLD_GUID` and `--new LINE` as answers by line (None: a new note).

    :raises click.BadParameter: a `--link` is not LINE=OLD_GUID.
    """
    links: list[tuple[int, str | None]] = []
    for value in values:
        line, _, guid = value.partition("=")
        if not line.strip().isdigit() or not guid:
            raise click.BadParameter(f"{value!r}: expected LINE=OLD_GUID", param_hint="--link")
        links.append((int(line), guid))
    return (*links, *((line, None) for line in new))


def confirmer(guide: Path, progress: Progress) -> Callable[[Change], bool]:
    """Ask, as Django's makemigrations does, whether a note is an old one reworded."""

    def ask(change: Change) -> bool:
        was = "::".join(change.old_deck)
        moved = f" (was in '{was}')" if change.old_deck != change.deck else ""
        with progress.hidden():
            click.echo(
                f"{guide}:{change.line}: in '{'::'.join(change.deck)}'{moved}\n"
                f"  was: {change.old_front}\n  now: {change.front}",
                err=True,
            )
            return click.confirm(
                f"Did you reword this question (similarity {change.score:.2f})?",
                default=False,
                err=True,
            )

    return ask
