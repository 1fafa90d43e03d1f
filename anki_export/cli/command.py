"""The `export-deck` command: click options wired to `pipeline.export_deck`.

The only module that imports click. Library errors become `Error: file:line: message` on stderr
and exit status 1; usage errors (click's and `OptionsError`) exit 2. No traceback for user
mistakes. stdout carries the summary, or the deck itself (`-o -`), or the `--json` summary —
never two of them; warnings, errors and progress go to stderr.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import click

from anki_export import __version__
from anki_export.cli.ask import confirmer, interactive, parse_links
from anki_export.cli.json_summary import Outcome, summary_json
from anki_export.cli.options import Options, print_outcome
from anki_export.cli.progress import Progress
from anki_export.cli.sync import run_sync, sync_options, wants_sync
from anki_export.cli.targets import STDIN, Target, resolve_targets, stdin_guide_id
from anki_export.errors import AnkiExportError, OptionsError
from anki_export.pipeline import BUILD_DIR, SOURCE_DIR, check_export, export_deck
from anki_export.read.source import decode_guide
from anki_export.write.formats import OutputFormat

_HELP = f"""Build Anki decks from Markdown study guides.

GUIDE is a Markdown file, a FOLDER (every *.md directly in it) or - (the guide on standard
input). With no GUIDE, builds every {SOURCE_DIR}/*.md into {BUILD_DIR}/<name>.apkg. Prints one
line per deck (notes per kind, subdecks, output path) and its change report on stdout;
warnings (file:line) and errors go to stderr.

Beside each guide, an ID ledger (<name>.anki-ids.json; commit it with the guide) keeps note
GUIDs stable when a question is reworded or moved: a note keeps its GUID, and its history,
when its front is the same, or when its answer, place and words show it is the same note
reworded. When that is likely but not sure, export-deck asks "Did you reword ...? [y/N]" on a
terminal; elsewhere it writes the note as new and the report lists the question with the
command that answers it (--link LINE=OLD_GUID: yes; --new LINE: no). --check exits 1 while a
question is unanswered. A guide read from standard input has no ledger: its GUIDs come from
--deck-name (or "stdin") and the text.

Import the .apkg in Anki (File > Import, or open it on AnkiMobile/AnkiDroid). Re-importing a
rebuilt deck updates the changed notes in place and keeps your review history. Or let --sync
apply the guide to your collection directly: through AnkiConnect while Anki desktop is open, or
the collection file while it is closed (pip install 'anki-export-deck[sync]'). It also moves cards
to their sections' decks and retires notes removed from the guide; notes edited inside Anki
are kept and reported. Phones get the changes from AnkiWeb when Anki desktop syncs. Set
SOURCE_DATE_EPOCH to fix the build time. Each export keeps a memo of what every part of the guide
read to, so that a rebuild reads only what changed: in build/.cache/ for a deck in build/, else
in your cache folder (~/.cache/anki-export on Linux). Deleting it is always safe; --no-cache
neither reads nor writes it. A guide of 2,000 items or more is read on every core.

--format csv writes Anki's own text-import format (File > Import takes it as it is, with the
same GUIDs, decks and tags as the .apkg). Anki's CSV importer cannot create note types: import
any .apkg made by export-deck once, so that the collection has the three "anki-export" note
types the CSV refers to by name. --format json writes the notes as records for scripts.
--preview (--format html) writes one page with every card's front and back, as Anki will show
them, to check a guide before importing it; open it in a browser.

\b
Exit status: 0 ok; 1 a guide, build or sync error, or --check found a deck (with --sync:
a collection) out of date or a possible rewording unanswered; 2 a usage error. --watch exits
0 on Ctrl-C.
"""


@click.command(help=_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("guides", nargs=-1, metavar="[GUIDE|FOLDER|-]...")
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="Where to write: a file (one GUIDE), a folder (several; ending in / for one), or - "
    "(standard output; csv and json). Default: build/<guide name>.<format>.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice([f.value for f in OutputFormat]),
    default=OutputFormat.APKG.value,
    show_default=True,
    help="apkg: an Anki package. csv: Anki's text-import format (the note types must already "
    "be in the collection: import an .apkg once). json: the notes as records, for scripts. "
    "html: the preview page (same as --preview).",
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
@click.option(
    "--deck-name",
    metavar="NAME",
    help="Name of the root deck instead of the guide's first '# ' heading. GUIDs do not "
    "change (except for a guide on stdin: they derive from this name).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the change report of each guide; write no deck and no ID ledger (with "
    "--sync: change nothing in Anki).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Exit 1 with the change report if a deck or ID ledger is not what an export would "
    "write now (with --sync: if the collection is out of date), or a possible rewording is "
    "unanswered; exit 0 if all are up to date. Writes nothing (for CI and scripts); the "
    "memo of the last export, only read, makes it as quick as a rebuild.",
)
@click.option(
    "--json",
    "json_summary",
    is_flag=True,
    help="Print a JSON summary (what was written, counts, warnings, errors) on stdout, and "
    "nothing else there.",
)
@click.option(
    "-w",
    "--watch",
    is_flag=True,
    help="Build, then rebuild whenever a guide (or an image it uses) is saved; Ctrl-C stops.",
)
@click.option(
    "--link",
    "link_args",
    multiple=True,
    metavar="LINE=OLD_GUID",
    help="Answer yes to a possible rewording: the note on LINE of the guide is the old note "
    "OLD_GUID reworded, and keeps its GUID and history. Repeatable; one GUIDE only.",
)
@click.option(
    "--new",
    "new_args",
    multiple=True,
    type=int,
    metavar="LINE",
    help="Answer no to a possible rewording: the note on LINE is a new note. Repeatable.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Neither read nor write the memo of the last export (see above); the deck is the same.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also print the notes per deck, the ID ledger and the time each build took.",
)
@sync_options
@click.version_option(__version__, "-V", "--version", prog_name="export-deck")
def main(
    guides: tuple[str, ...],
    output: str | None,
    fmt: str,
    preview: bool,
    allow_html: bool,
    deck_name: str | None,
    dry_run: bool,
    check: bool,
    json_summary: bool,
    watch: bool,
    link_args: tuple[str, ...],
    new_args: tuple[int, ...],
    no_cache: bool,
    quiet: bool,
    verbose: bool,
    **sync: Any,
) -> None:
    if preview:
        if fmt not in (OutputFormat.APKG.value, OutputFormat.HTML.value):
            raise click.UsageError("--preview writes the html format: drop --format")
        fmt = OutputFormat.HTML.value
    opts = Options(
        *(OutputFormat(fmt), allow_html, deck_name, dry_run, check, json_summary, quiet),
        verbose,
        cache=not no_cache,
        links=parse_links(link_args, new_args),
        interactive=interactive() and not (watch or dry_run or check or json_summary or quiet),
    )
    _check_usage(guides, output, opts, watch)
    if wants_sync(sync):
        given = {"-o": output is not None, "--format": fmt != "apkg", "--watch": watch}
        run_sync(
            guides,
            sync,
            other=[name for name, on in given.items() if on],
            deck_name=deck_name,
            allow_html=allow_html,
            dry_run=dry_run,
            check=check,
            json_summary=json_summary,
            quiet=quiet,
        )
    targets = _targets(guides, output, opts)
    if watch:
        _watch(guides, output, targets, opts)
    outcomes = _build(targets, opts)
    code = _exit_code(outcomes)
    if opts.json_summary:
        click.echo(summary_json(_mode(opts), outcomes, code), nl=False)
    if code:
        raise SystemExit(code)


def _targets(guides: tuple[str, ...], output: str | None, opts: Options) -> list[Target]:
    try:
        targets = resolve_targets(guides, output, opts.fmt)
    except OptionsError as e:
        raise click.UsageError(str(e)) from None
    except AnkiExportError as e:
        if opts.json_summary:
            click.echo(summary_json(_mode(opts), [Outcome("", error=e)], 1), nl=False)
        raise click.ClickException(str(e)) from None
    if opts.links and (len(targets) != 1 or targets[0].stdin):
        raise click.UsageError("--link and --new name lines of one guide file: name one GUIDE")
    if opts.json_summary and any(t.output is None for t in targets):
        raise click.UsageError("--json prints the summary on stdout: write the deck with -o FILE")
    return targets


def _mode(opts: Options) -> str:
    return "check" if opts.check else "dry-run" if opts.dry_run else "export"


def _check_usage(guides: tuple[str, ...], output: str | None, opts: Options, watch: bool) -> None:
    if opts.dry_run and opts.check:
        raise click.UsageError("--dry-run and --check cannot be used together")
    if opts.quiet and opts.verbose:
        raise click.UsageError("--quiet and --verbose cannot be used together")
    if opts.check and (STDIN in guides or output == STDIN):
        raise click.UsageError("--check compares files: it needs guide files and -o FILE")
    if watch and (opts.check or opts.json_summary or STDIN in guides):
        raise click.UsageError("--watch cannot be used with --check, --json or - (stdin)")


def _build(targets: list[Target], opts: Options) -> list[Outcome]:
    outcomes = []
    with Progress(sys.stderr, enabled=not opts.quiet) as progress, _without_cycle_collection():
        for n, target in enumerate(targets, 1):
            where = f" ({n}/{len(targets)})" if len(targets) > 1 else ""
            progress.update(f"building {target.guide}{where}")
            outcome = _build_one(target, opts, progress)
            with progress.hidden():
                print_outcome(target, outcome, opts)
            outcomes.append(outcome)
    return outcomes


def _build_one(target: Target, opts: Options, progress: Progress) -> Outcome:
    start = time.monotonic()
    guide = str(target.guide)
    try:
        if opts.check:
            fresh, result = check_export(
                target.guide,
                target.output,
                format=opts.fmt,
                deck_name=opts.deck_name,
                allow_html=opts.allow_html,
                cache=opts.cache,
                workers=None,  # as for an export: a pool for a large guide
            )
            return Outcome(guide, result, up_to_date=fresh, seconds=time.monotonic() - start)
        text = None
        if target.stdin:
            data = sys.stdin.buffer.read()
            text = decode_guide(target.guide, data)
        result = export_deck(
            target.guide,
            target.output if target.output is not None else sys.stdout,
            format=opts.fmt,
            deck_name=opts.deck_name,
            dry_run=opts.dry_run,
            text=text,
            use_ledger=not target.stdin,
            guide_id=stdin_guide_id(opts.deck_name) if target.stdin else None,
            allow_html=opts.allow_html,
            cache=opts.cache,
            workers=None,  # the command owns its process: a pool for a large guide
            links=dict(opts.links),
            confirm=confirmer(target.guide, progress)
            if opts.interactive and not target.stdin
            else None,
        )
    except AnkiExportError as e:
        return Outcome(guide, error=e)
    return Outcome(guide, result, seconds=time.monotonic() - start)


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while building: an export makes millions of acyclic
    objects, which the collector, finding nothing to free, would traverse again and again (a
    tenth of a 100k-note export). The command owns its process; the library leaves it alone."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _exit_code(outcomes: Iterable[Outcome]) -> int:
    bad = any(o.error is not None or o.up_to_date is False for o in outcomes)
    return 1 if bad else 0


def _watch(
    guides: tuple[str, ...], output: str | None, targets: list[Target], opts: Options
) -> NoReturn:
    from anki_export.cli.watch import guide_files, watch_files  # only --watch needs it

    current = {t.guide: t for t in targets}

    def retarget() -> dict[Path, Target]:
        # Folders are looked at again: a guide added while watching is built and watched too.
        nonlocal current
        try:
            current = {t.guide: t for t in resolve_targets(guides, output, opts.fmt)}
        except AnkiExportError:
            pass
        return current

    def files() -> list[Path]:
        return [f for t in retarget().values() for f in guide_files(t.guide)]

    def rebuild(changed: set[Path]) -> None:
        due = [t for t in current.values() if changed & set(guide_files(t.guide))]
        if due:
            _build(due, opts)

    try:
        _build(targets, opts)
        click.echo(
            f"watching {len(targets)} guide{'s' if len(targets) != 1 else ''} for changes; "
            "press Ctrl-C to stop",
            err=True,
        )
        watch_files(files, rebuild)
    except KeyboardInterrupt:
        click.echo("stopped watching", err=True)
    raise SystemExit(0)
