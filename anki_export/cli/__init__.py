"""The command line, `export-deck` (`run`; `main` is the click command): the only user of click.

`command` defines the options and wires them to `pipeline`; `targets` decides which guides go
where; `json_summary` is `--json`; `progress` and `watch` serve long and repeated builds;
`process` runs the command as a program.
"""

from anki_export.cli.command import main
from anki_export.cli.process import run

__all__ = ["main", "run"]
