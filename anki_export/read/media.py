"""The images a guide shows: find them in the guide's folder, check them and name them for Anki.

An image is named by its file stem and a hash of its bytes (`diagram-1a2b3c4d5e6f.png`), so two
files called `diagram.png` in different folders stay two files, the same file used twice is bundled
once, and an edited image gets a new name, which updates the note that shows it on re-import.
Standard library only; called by the parser, which reports the problems collected here.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PureWindowsPath
from urllib.parse import unquote, urlsplit

from anki_export.records import GuideWarning, MediaFile, SourceLocation

# What Anki's card view (a Chromium web view on every platform but iOS's WebKit) shows as an image.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".bmp"})
_REMOTE_RE = re.compile(r"https?://", re.IGNORECASE)
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_NAME_UNSAFE_RE = re.compile(r"[^A-Za-z0-9_-]+")


class MediaCollector:
    """Resolves the image paths of one guide, collecting files, warnings and problems."""

    def __init__(self, guide: Path) -> None:
        self.folder = guide.parent.resolve()
        self.warnings: list[GuideWarning] = []
        self.problems: list[tuple[SourceLocation, str]] = []
        self._files: dict[str, MediaFile] = {}
        self._by_path: dict[Path, MediaFile] = {}

    def image_source(self, url: str, location: SourceLocation) -> str | None:
        """The `src` for an image written `![...](url)`, or None to show it as a link.

        A remote (http/https) image stays a link, with a warning; anything that is not a readable
        image inside the guide's folder is a problem (and None).
        """
        if _REMOTE_RE.match(url):
            self.warnings.append(
                GuideWarning(location, f"remote image {url} is shown as a link, not bundled")
            )
            return None
        found = self._local(url)
        if isinstance(found, str):
            self.problems.append((location, found))
            return None
        return found.name

    def files(self, names: set[str] | None = None) -> tuple[MediaFile, ...]:
        """The files found so far (only those in `names`, if given), sorted by media name."""
        return tuple(f for name, f in sorted(self._files.items()) if names is None or name in names)

    def _local(self, url: str) -> MediaFile | str:
        """The image file at `url`, or what is wrong with it."""
        if not url.strip():
            return "image has no path"
        if _is_absolute(url):
            return (
                f"image {url}: absolute paths are not allowed; use a path relative to the "
                "guide's folder"
            )
        if _SCHEME_RE.match(url):
            return f"image {url}: only paths relative to the guide and http(s) URLs work"
        # resolve() follows symlinks, so a link that points out of the folder is caught here.
        target = (self.folder / unquote(urlsplit(url).path)).resolve()
        if not target.is_relative_to(self.folder):
            return f"image {url} is outside the guide's folder"
        if target.suffix.lower() not in IMAGE_SUFFIXES:
            kinds = ", ".join(sorted(IMAGE_SUFFIXES))
            return f"image {url} is not a picture Anki shows ({kinds})"
        known = self._by_path.get(target)
        if known is not None:
            return known
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            return f"image {url}: no such file"
        except IsADirectoryError:
            return f"image {url} is a folder"
        except OSError as e:
            return f"image {url} cannot be read: {e.strerror or e}"
        media = MediaFile(media_name(target, data), target, data)
        self._files.setdefault(media.name, media)
        self._by_path[target] = media
        return media


def media_name(path: Path, data: bytes) -> str:
    """`img/a/Diagram 1.PNG` -> `Diagram-1-<12 hex digits of the content's SHA-256>.png`."""
    stem = _NAME_UNSAFE_RE.sub("-", path.stem).strip("-_")[:40] or "image"
    return f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}{path.suffix.lower()}"


def _is_absolute(url: str) -> bool:
    return url.startswith(("/", "\\")) or bool(PureWindowsPath(url).drive)
