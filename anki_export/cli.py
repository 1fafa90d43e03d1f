"""The `export-deck` command: click options wired to `export.export_deck`.

The only module that imports click. Library errors become `Error: file:line: message` on stderr
and exit status 1; click keeps exit status 2 for usage errors. No traceback for user mistakes.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__
from .errors import AnkiExportError
from .export import (
    BUILD_DIR,
    SOURCE_DIR,
    check_export,
    default_output,
    export_deck,
    find_guides,
    preview_deck,
)
from .report import report_details, report_headline

_HELP = f"""Build Anki decks (.apkg) from Markdown study guides.

With no GUIDE, builds every {SOURCE_DIR}/*.md into {BUILD_DIR}/<name>.apkg. Prints one line per
deck (notes per kind, subdecks, output path) on stdout; warnings (file:line) go to stderr.

Beside each guide, an ID ledger (<name>.anki-ids.json; commit it with the guide) keeps note
GUIDs stable when a question is reworded or moved. After each export a change report lists, per
subdeck, the notes added, changed, reworded, moved and removed.

With --preview, writes {BUILD_DIR}/<name>.html instead: one page with every card's front and
back, as Anki will show them, to check a guide before importing it (open it in a browser).

Import the .apkg in Anki (File > Import, or open it on AnkiMobile/AnkiDroid). Re-importing a
rebuilt deck updates the changed notes in place and keeps your review history. Set
SOURCE_DATE_EPOCH to fix the build time.

Exit status: 0 ok, 1 a guide or build error, 2 a usage error.
"""


@click.command(help=_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("guides", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The .apkg (.html with --preview) to write (one GUIDE only). Default: build/<name>.apkg.",
)
@click.option(
    "--deck-name",
    metavar="NAME",
    help="Name of the root deck instead of the guide's first '# ' heading (GUIDs do not change).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the change report of each guide; write no deck and no ID ledger.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Exit 1 with the change report if a deck or ID ledger is not what an export would "
    "write now; exit 0 if all are up to date. Writes nothing (for CI and scripts).",
)
@click.option(
    "--preview",
    is_flag=True,
    help="Write a preview page (build/<guide name>.html) of every card instead of the deck.",
)
@click.option(
    "--allow-html",
    is_flag=True,
    help="Pass raw HTML in the guide through to the cards (by default it shows as text).",
)
@click.version_option(__version__, prog_name="export-deck")
def main(
    guides: tuple[Path, ...],
    output: Path | None,
    deck_name: str | None,
    dry_run: bool,
    check: bool,
    preview: bool,
    allow_html: bool,
) -> None:
    if output is not None and len(guides) != 1:
        raise click.UsageError("-o/--output needs exactly one GUIDE")
    if dry_run and check:
        raise click.UsageError("--dry-run and --check cannot be used together")
    if preview and (dry_run or check):
        raise click.UsageError("--preview cannot be used with --dry-run or --check")
    try:
        paths = list(guides) if guides else find_guides()
    except AnkiExportError as e:
        raise click.ClickException(str(e)) from None
    failed = stale = 0
    for guide in paths:
        target = output or default_output(guide, suffix=".html" if preview else ".apkg")
        try:
            if preview:
                fresh = True
                result = preview_deck(guide, target, deck_name=deck_name, allow_html=allow_html)
            elif check:
                fresh, result = check_export(
                    guide, target, deck_name=deck_name, allow_html=allow_html
                )
            else:
                fresh, result = (
                    True,
                    export_deck(
                        guide, target, deck_name=deck_name, dry_run=dry_run, allow_html=allow_html
                    ),
                )
        except AnkiExportError as e:
            failed += 1
            for line in str(e).splitlines():
                click.echo(f"Error: {line}", err=True)
            continue
        for warning in result.warnings:
            click.echo(str(warning), err=True)
        if preview:
            click.echo(result.summary())
            continue
        headline = report_headline(result.report)
        if check:
            stale += not fresh
            state = "up to date" if fresh else f"out of date ({headline}); run export-deck"
            click.echo(f"{target}: {state}")
        elif dry_run:
            click.echo(f"{target}: dry run, nothing written: {headline}")
        else:
            click.echo(f"{result.summary()}; {headline}")
        if not fresh or not check:
            for line in report_details(result.report):
                click.echo(line)
    if failed or stale:
        raise SystemExit(1)
