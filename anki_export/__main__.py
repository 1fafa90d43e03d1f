"""`python -m anki_export` runs the `export-deck` command."""

from .cli import main

main(prog_name="export-deck")
