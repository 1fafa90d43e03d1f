"""The `export-deck` command: click options wired to `export.export_deck`.

The only module that imports click. Library errors become `Error: file:line: message` on stderr
and exit status 1; click keeps exit status 2 for usage errors. No traceback for user mistakes.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__
from .errors import AnkiExportError
from .export import BUILD_DIR, SOURCE_DIR, default_output, export_deck, find_guides

_HELP = f"""Build Anki decks (.apkg) from Markdown study guides.

With no GUIDE, builds every {SOURCE_DIR}/*.md into {BUILD_DIR}/<name>.apkg. Prints one line per
deck (notes per kind, subdecks, output path) on stdout; warnings (file:line) go to stderr.

Import the .apkg in Anki (File > Import, or open it on AnkiMobile/AnkiDroid). Re-importing a
rebuilt deck updates the notes in place and keeps your review history.

Exit status: 0 ok, 1 a guide or build error, 2 a usage error.
"""


@click.command(help=_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("guides", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The .apkg to write (one GUIDE only). Default: build/<guide name>.apkg.",
)
@click.option(
    "--deck-name",
    metavar="NAME",
    help="Name of the root deck instead of the guide's first '# ' heading (GUIDs do not change).",
)
@click.version_option(__version__, prog_name="export-deck")
def main(guides: tuple[Path, ...], output: Path | None, deck_name: str | None) -> None:
    if output is not None and len(guides) != 1:
        raise click.UsageError("-o/--output needs exactly one GUIDE")
    try:
        paths = list(guides) if guides else find_guides()
    except AnkiExportError as e:
        raise click.ClickException(str(e)) from None
    failed = 0
    for guide in paths:
        try:
            result = export_deck(guide, output or default_output(guide), deck_name=deck_name)
        except AnkiExportError as e:
            failed += 1
            for line in str(e).splitlines():
                click.echo(f"Error: {line}", err=True)
            continue
        for warning in result.warnings:
            click.echo(str(warning), err=True)
        click.echo(result.summary())
    if failed:
        raise SystemExit(1)
