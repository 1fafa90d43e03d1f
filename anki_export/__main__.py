"""`python -m anki_export` runs the `export-deck` command."""

from anki_export.cli import main

main(prog_name="export-deck")
