"""What the command was asked to do (`Options`), and what it prints of each outcome.

Part of the command line (click): stdout carries the summary and the change report unless the
deck itself is there; warnings and errors go to stderr.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from dataclasses import dataclass

import click

from anki_export.cli.json_summary import Outcome
from anki_export.cli.targets import Target
from anki_export.identity.report import report_details
from anki_export.results import ExportResult
from anki_export.write.formats import OutputFormat


@dataclass(frozen=True, slots=True)
class Options:
    fmt: OutputFormat
    allow_html: bool
    deck_name: str | None
    dry_run: bool
    check: bool
    json_summary: bool
    quiet: bool
    verbose: bool
    cache: bool = True
    links: tuple[tuple[int, str | None], ...] = ()
    interactive: bool = False


def print_outcome(target: Target, outcome: Outcome, opts: Options) -> None:
    """Warnings and errors on stderr; the summary on stdout, unless stdout holds data."""
    if outcome.error is not None:
        for line in str(outcome.error).splitlines():
            click.echo(f"Error: {line}", err=True)
        return
    result = outcome.result
    assert result is not None
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    if opts.quiet or opts.json_summary:
        return
    err = target.output is None  # the deck itself is on stdout
    for line in describe(result, outcome, opts):
        click.echo(line, err=err)


def describe(result: ExportResult, outcome: Outcome, opts: Options) -> Iterable[str]:
    headline = result.headline
    if opts.check:
        fresh = outcome.up_to_date
        state = "up to date" if fresh else f"out of date ({headline}); run export-deck"
        yield f"{result.output}: {state}"
        if fresh:
            return
    elif opts.dry_run:
        yield f"{result.output}: dry run, nothing written: {headline}"
    else:
        yield f"{result.summary()}; {headline}"
    if result.ledger is not None:
        yield from report_details(result.report, f"export-deck {shlex.quote(str(result.guide))}")
    if opts.verbose:
        for deck, count in result.decks:
            yield f"  deck {deck!r}: {count} note{'s' if count != 1 else ''}"
        if result.ledger is not None:
            yield f"  ID ledger: {result.ledger}"
        if result.format is OutputFormat.CSV:
            yield (
                "  note types: the CSV refers to 'anki-export Question', 'anki-export Concept' "
                "and 'anki-export List' by name; import any .apkg from export-deck once to "
                "create them"
            )
        yield f"  took {outcome.seconds:.2f} s"
