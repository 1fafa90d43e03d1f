"""Which guides a command line names, and where each one's deck goes.

Arguments are guide files, folders (every `*.md` directly inside) or `-` (standard input);
`-o` is a file for one guide, a folder for several, or `-` (standard output, text formats
only). Contradictions raise `OptionsError` (usage, exit 2). Standard library only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from anki_export.errors import OptionsError
from anki_export.identity import keys as identity
from anki_export.pipeline import BUILD_DIR, SOURCE_DIR, default_output, find_guides
from anki_export.write.formats import OutputFormat

STDIN = "-"
#: How a guide read from standard input appears in messages (`<stdin>:12: warning: ...`).
STDIN_PATH = Path("<stdin>")


@dataclass(frozen=True, slots=True)
class Target:
    """One guide to export and where its deck goes (`output` None: standard output)."""

    guide: Path
    output: Path | None
    stdin: bool = False

    @property
    def shown_output(self) -> str:
        return str(self.output) if self.output is not None else "<stdout>"


def stdin_guide_id(deck_name: str | None) -> str:
    """What GUIDs of a guide read from standard input derive from: its deck name, or "stdin"."""
    if deck_name and any(c.isalnum() for c in deck_name):
        return identity.tag_component(deck_name)
    return "stdin"


def resolve_targets(args: Sequence[str], output: str | None, fmt: OutputFormat) -> list[Target]:
    """Expand the command line's guides and `-o` into targets, in the order given.

    :raises OptionsError: the arguments and `-o` contradict each other.
    :raises AnkiExportError: a folder named (or `source/`, without arguments) has no guides.
    """
    if STDIN in args:
        return [_stdin_target(args, output, fmt)]
    guides, folders = _guides(args)
    if output == STDIN:
        if fmt is OutputFormat.APKG:
            raise OptionsError("an .apkg is a binary file: -o - works for csv and json only")
        if len(guides) != 1:
            raise OptionsError("-o - (standard output) needs exactly one guide")
        return [Target(guides[0], None)]
    folder = BUILD_DIR
    if output is not None:
        out = Path(output)
        is_folder = out.is_dir() or output.endswith(("/", os.sep))
        if not (is_folder or len(guides) > 1 or folders):
            return [Target(guides[0], out)]
        if not is_folder and (out.exists() or out.suffix):
            raise OptionsError(
                f"-o {output} names a file, but {len(guides)} guides need a folder "
                "(-o DIR, or DIR/ for one guide)"
            )
        folder = out
    return _distinct([Target(g, default_output(g, folder, fmt)) for g in guides])


def _stdin_target(args: Sequence[str], output: str | None, fmt: OutputFormat) -> Target:
    if len(args) > 1:
        raise OptionsError("'-' (a guide on standard input) must be the only GUIDE")
    if output is None or output == STDIN:
        if fmt is OutputFormat.APKG:
            raise OptionsError(
                "a guide read from standard input needs -o FILE for an .apkg "
                "(csv and json go to standard output)"
            )
        return Target(STDIN_PATH, None, stdin=True)
    out = Path(output)
    if out.is_dir() or output.endswith(("/", os.sep)):
        raise OptionsError("with a guide on standard input, -o must be a file, not a folder")
    return Target(STDIN_PATH, out, stdin=True)


def _guides(args: Sequence[str]) -> tuple[list[Path], bool]:
    """The guides named (folders expanded; none: `source/`), and whether a folder was named."""
    if not args:
        return find_guides(SOURCE_DIR), True
    guides: list[Path] = []
    folders = False
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            folders = True
            guides += find_guides(path)
        else:
            guides.append(path)
    return list(dict.fromkeys(guides)), folders


def _distinct(targets: list[Target]) -> list[Target]:
    """`targets`, unless two of them would write one file."""
    seen: dict[Path, Path] = {}
    for t in targets:
        other = seen.setdefault(Path(t.shown_output), t.guide)
        if other != t.guide:
            raise OptionsError(
                f"{other} and {t.guide} would both be written to {t.output}; "
                "export them separately with -o"
            )
    return targets
