"""`export-deck --sync`: the options of the live sync into Anki and the run that uses them.

A click module beside `cli` (it belongs with it): `sync_options` adds the options to the
command, `run_sync` does the work when `--sync` is given. Output follows `cli`: the summary and
changes on stdout (or the `--json` document), warnings, deletions and errors on stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from anki_export.cli.targets import STDIN, resolve_targets
from anki_export.errors import AnkiExportError, OptionsError
from anki_export.sync.choices import DEFAULT_URL, Removed
from anki_export.write.formats import OutputFormat

if TYPE_CHECKING:
    from anki_export.sync import SyncPlan, SyncResult

F = TypeVar("F", bound=Callable[..., Any])

#: Options that mean something only with --sync.
_SYNC_ONLY = ("collection", "profile", "ankiconnect", "removed", "overwrite_anki_edits")


def sync_options(command: F) -> F:
    """Add the --sync options to the command."""
    options = [
        click.option(
            "--sync",
            is_flag=True,
            help="Apply each guide to your Anki collection directly instead of writing an "
            ".apkg: add and update notes, move cards to their sections' decks, retire notes "
            "removed from the guide; history and edits made inside Anki are kept.",
        ),
        click.option(
            "--collection",
            metavar="PATH",
            type=click.Path(dir_okay=False),
            help="With --sync: the collection file (collection.anki2); Anki must be closed.",
        ),
        click.option(
            "--profile",
            metavar="NAME",
            help="With --sync: the collection of this Anki profile, in Anki's data folder.",
        ),
        click.option(
            "--ankiconnect",
            metavar="URL",
            is_flag=False,
            flag_value=DEFAULT_URL,
            help=f"With --sync: Anki desktop, open, through AnkiConnect (default {DEFAULT_URL}). "
            "Without --collection, --profile or --ankiconnect, --sync uses AnkiConnect if it "
            "answers, else the last-used profile's collection.",
        ),
        click.option(
            "--removed",
            type=click.Choice([r.value for r in Removed]),
            default=Removed.SUSPEND.value,
            show_default=True,
            help="With --sync: what to do with notes removed from the guide: suspend their "
            "cards and tag them anki-export::removed, delete them (listed first), or keep them.",
        ),
        click.option(
            "--overwrite-anki-edits",
            is_flag=True,
            help="With --sync: replace notes edited inside Anki (by default they are kept and "
            "reported as file:line).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def wants_sync(sync: dict[str, Any]) -> bool:
    """Whether the command line asks for a sync; sync options without --sync are an error."""
    given = [name for name in _SYNC_ONLY if sync[name] not in (None, False, Removed.SUSPEND)]
    if given and not sync["sync"]:
        raise click.UsageError(f"--{given[0].replace('_', '-')} needs --sync")
    return bool(sync["sync"])


def run_sync(
    guides: tuple[str, ...],
    sync: dict[str, Any],
    *,
    other: Sequence[str],
    deck_name: str | None,
    allow_html: bool,
    dry_run: bool,
    check: bool,
    json_summary: bool,
    quiet: bool,
) -> NoReturn:
    """Sync every guide named (or source/*.md); exit 0, or 1 on an error or a stale check.

    :param other: options given that a sync cannot use (a usage error).
    """
    # Only now: the sync and its report, which a build never uses.
    from anki_export.cli.sync_report import sync_json
    from anki_export.sync import sync_deck

    _check_usage(guides, sync, other)
    mode = "check" if check else "dry-run" if dry_run else "sync"
    results: list[SyncResult] = []
    errors: list[AnkiExportError] = []
    try:
        targets = resolve_targets(guides, None, OutputFormat.APKG)
    except OptionsError as e:
        raise click.UsageError(str(e)) from None
    except AnkiExportError as e:
        errors.append(e)
        targets = []
    for target in targets:
        try:
            result = sync_deck(
                target.guide,
                collection=sync["collection"],
                profile=sync["profile"],
                ankiconnect=sync["ankiconnect"],
                removed=sync["removed"],
                overwrite_anki_edits=sync["overwrite_anki_edits"],
                dry_run=dry_run or check,
                deck_name=deck_name,
                allow_html=allow_html,
                before=None if dry_run or check else _list_deletions,
            )
        except AnkiExportError as e:
            errors.append(e)
            for line in str(e).splitlines():
                click.echo(f"Error: {line}", err=True)
            continue
        results.append(result)
        _print(result, mode, quiet or json_summary)
    stale = check and any(not r.up_to_date for r in results)
    code = 1 if errors or stale else 0
    if json_summary:
        click.echo(sync_json(mode, results, errors, code), nl=False)
    raise SystemExit(code)


def _check_usage(guides: tuple[str, ...], sync: dict[str, Any], other: Sequence[str]) -> None:
    if other:
        raise click.UsageError(f"--sync writes to Anki, not to a file: drop {other[0]}")
    if STDIN in guides:
        raise click.UsageError("--sync needs guide files (their ID ledgers): not - (stdin)")
    url = sync["ankiconnect"]
    if url is not None and not url.startswith(("http://", "https://")):
        raise click.UsageError(
            f"--ankiconnect takes a URL (http://host:port), not {url!r}; to use the default, "
            "write GUIDE before --ankiconnect"
        )
    if sum(sync[name] is not None for name in ("collection", "profile", "ankiconnect")) > 1:
        raise click.UsageError("choose one of --collection, --profile and --ankiconnect")


def _list_deletions(plan: SyncPlan) -> None:
    from anki_export.cli.sync_report import deletions

    lines = deletions(plan.changes)
    if lines:
        click.echo(f"deleting {len(lines)} note(s) removed from the guide:", err=True)
        for line in lines:
            click.echo(line, err=True)


def _print(result: SyncResult, mode: str, quiet: bool) -> None:
    from anki_export.cli.sync_report import sync_details

    for warning in result.warnings:
        click.echo(str(warning), err=True)
    if quiet:
        return
    if mode == "check":
        state = "up to date" if result.up_to_date else f"out of date ({result.headline})"
        click.echo(f"{result.collection}: '{result.deck}' from {result.guide}: {state}")
        if result.up_to_date:
            return
    elif mode == "dry-run":
        click.echo(f"{result.summary()} (dry run, nothing changed)")
    else:
        click.echo(result.summary())
    for line in sync_details(result):
        click.echo(line)
