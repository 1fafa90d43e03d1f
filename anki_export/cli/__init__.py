"""The command line, `export-deck`: the only user of click.

`command` defines the options and wires them to `pipeline`; `targets` decides which guides go
where; `json_summary` is `--json`; `progress` and `watch` serve long and repeated builds.
"""

from anki_export.cli.command import main

__all__ = ["main"]
