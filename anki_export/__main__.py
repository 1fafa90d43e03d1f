"""`python -m anki_export` runs the `export-deck` command."""

from anki_export.cli import run

# Guarded: worker processes that read a large guide import the main module again.
if __name__ == "__main__":
    run()
