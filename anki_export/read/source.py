"""A guide's text: read and decode its bytes, split it into lines, refuse what Anki cannot take.

Standard library only. Every problem is a `SourceReadError` or `GuideError` naming the file and,
where there is one, the line.
"""

from __future__ import annotations

import re
from pathlib import Path

from anki_export.errors import GuideError, SourceReadError
from anki_export.records import SourceLocation


def read_guide_text(path: Path) -> str:
    """Read a guide as text: UTF-8 (a BOM is allowed), any line endings.

    :raises SourceReadError: missing, unreadable, a folder, binary, or not UTF-8.
    :raises GuideError: the file is empty.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceReadError(path, "no such file") from None
    except IsADirectoryError:
        raise SourceReadError(path, "is a folder, not a Markdown guide") from None
    except OSError as e:
        raise SourceReadError(path, f"cannot be read: {e.strerror or e}") from None
    return decode_guide(path, data)


# Byte order marks of the encodings Windows writes for "Unicode" text: Notepad's older "Unicode"
# and Windows PowerShell 5's `>` give UTF-16 LE. Such a file is text, not a binary one.
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode_guide(path: Path, data: bytes) -> str:
    """Decode a guide's bytes, refusing binary files and anything that is not UTF-8."""
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            raise SourceReadError(path, f"is {encoding}, not UTF-8; save it as UTF-8", 1)
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise SourceReadError(path, "is a binary file (it contains NUL bytes), not Markdown", line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise SourceReadError(
            path, f"is not UTF-8 (byte 0x{data[e.start]:02x}); save it as UTF-8", line
        ) from None
    if not text.strip():
        raise GuideError([(SourceLocation(path), "the guide is empty")])
    return text


def guide_lines(path: Path, text: str) -> list[str]:
    """A guide's text as lines, whatever its line endings.

    :raises GuideError: the text is empty, or holds U+001F (see `_refuse_field_separators`).
    """
    if not text.strip():
        raise GuideError([(SourceLocation(path), "the guide is empty")])
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if "\x1f" in text:
        _refuse_field_separators(path, lines)
    if lines[0].rstrip() == "---":
        _blank_front_matter(lines)
    return lines


# YAML lines: `key: value` or `key:`; a comment; an indented line or a list's item (a value).
_YAML_KEY_RE = re.compile(r"[\w\"'][^:]*:(?:\s.*)?")
_YAML_MORE_RE = re.compile(r"#.*|[ \t-].*")


def _blank_front_matter(lines: list[str]) -> None:
    """Blank out YAML front matter (`---` on the first line, up to the next `---` or `...`), as
    Obsidian, Jekyll, Hugo and pandoc write it and skip it: Markdown would read its lines as a
    heading or as list items that make no notes. Blanked, not removed, so that every line after
    it keeps its number. Left alone unless it is a YAML mapping, line by line: a key first
    (so a thematic break over a list of questions is never taken for it), then keys, comments
    and their values."""
    keyed = False
    for end in range(1, len(lines)):
        line = lines[end].rstrip()
        if line in ("---", "..."):
            break
        if _YAML_KEY_RE.fullmatch(line):
            keyed = True
        elif line and not (_YAML_MORE_RE.fullmatch(line) and (keyed or line[0] == "#")):
            return
    else:
        return
    if keyed:
        lines[: end + 1] = [""] * (end + 1)


def _refuse_field_separators(path: Path, lines: list[str]) -> None:
    """U+001F separates a note's fields in Anki's database: in a field it makes Anki refuse the
    whole package ("note has 6 fields, expected 4"), so it is a guide error, on every line."""
    found = [n for n, line in enumerate(lines, 1) if "\x1f" in line]
    message = "contains the control character U+001F, which Anki uses between fields; delete it"
    problems = [(SourceLocation(path, n), message) for n in found[:10]]
    if len(found) > 10:
        problems.append((SourceLocation(path, found[10]), f"... and {len(found) - 10} more lines"))
    raise GuideError(problems)
