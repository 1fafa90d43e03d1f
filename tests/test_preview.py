"""The preview page: Anki's template subset, a self-contained page, and what Chromium shows of it.

The screenshots are kept under build/screenshots/ (a CI artifact) to be looked at by people.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from anki_export.cli import main
from anki_export.notes import render_notes
from anki_export.pipeline import export_deck
from anki_export.read.guide import parse_guide
from anki_export.write.preview import render_preview, render_template

from .conftest import FIXTURES, ROOT

RICH = FIXTURES / "rich" / "guide.md"
SCREENSHOTS = ROOT / "build" / "screenshots"


@pytest.mark.parametrize(
    ("template", "fields", "expected"),
    [
        ("{{A}}-{{ B }}", {"A": "a", "B": "b"}, "a-b"),
        ("{{#A}}[{{A}}]{{/A}}{{^A}}none{{/A}}", {"A": "x"}, "[x]"),
        ("{{#A}}[{{A}}]{{/A}}{{^A}}none{{/A}}", {"A": " <br> "}, "none"),
        ("{{#A}}{{#B}}ab{{/B}}{{^B}}a{{/B}}{{/A}}.", {"A": "1", "B": ""}, "a."),
        ("{{^A}}{{#B}}b{{/B}}{{/A}}", {"A": "1", "B": "1"}, ""),
        ("{{A}}", {"A": "{{B}} {{#A}}"}, "{{B}} {{#A}}"),
        ("{{FrontSide}}<hr>", {"FrontSide": "f"}, "f<hr>"),
    ],
)
def test_render_template(template: str, fields: dict[str, str], expected: str) -> None:
    assert render_template(template, fields) == expected


@pytest.mark.parametrize("template", ["{{Nope}}", "{{#A}}", "{{/A}}", "{{#A}}{{/B}}"])
def test_render_template_rejects_broken_templates(template: str) -> None:
    with pytest.raises(ValueError):
        render_template(template, {"A": "", "B": ""})


def test_page_is_self_contained_and_grouped_by_deck() -> None:
    plan = render_notes(parse_guide(RICH))
    page = render_preview(plan)
    assert not re.search(r'(src|href)="(?!data:|https://www\.postgresql\.org/)', page)
    assert not re.search(r"<link|@import|url\(", page)
    assert page.count("<script") == 1  # ours; the guide's <script> text is escaped
    assert page.count('<article class="pv-note">') == len(plan.notes) == 11
    assert page.count('src="data:image/png;base64,') == 2
    decks = re.findall(r'<section class="pv-deck">\n<h2>(.*?)</h2>', page)
    assert decks == [
        "Rich Cards › Code",
        "Rich Cards › Tables and Quotes",
        "Rich Cards › Math",
        "Rich Cards › Images",
        "Rich Cards › Text That Looks Like Markup",
    ]
    assert "How do you show {{double braces}} on a card?" in page
    assert '<pre class="ae-code"><code class="language-python">' in page


def test_cli_preview_writes_only_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(RICH.parent, tmp_path / "source")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--preview"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("build/guide.html: 11 notes")
    assert sorted(os.listdir("build")) == [".cache", "guide.html"]  # the page and its memo


def test_cli_preview_and_allow_html(tmp_path: Path) -> None:
    guide = tmp_path / "g.md"
    guide.write_text("# G\n\n- **Why <u>this</u>?**\n  - *Hint:* <b>b</b>\n", "utf-8")
    out = tmp_path / "p.html"
    runner = CliRunner()
    assert runner.invoke(main, ["--preview", str(guide), "-o", str(out)]).exit_code == 0
    assert "Why &lt;u&gt;this&lt;/u&gt;?" in out.read_text("utf-8")
    args = ["--preview", "--allow-html", str(guide), "-o", str(out)]
    assert runner.invoke(main, args).exit_code == 0
    assert "Why <u>this</u>?" in out.read_text("utf-8") and "<b>b</b>" in out.read_text("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.md", "p.html"]


# --- Chromium ------------------------------------------------------------------------------------


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    reason = "no chromium on PATH: install Debian's chromium package (.ci/run does)"
    if os.environ.get("ANKI_EXPORT_REQUIRE_CHROMIUM") or os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def screenshot(page: Path, png: Path, width: int, height: int, night: bool, tmp: Path) -> None:
    png.unlink(missing_ok=True)
    url = page.resolve().as_uri() + ("#night" if night else "")
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--user-data-dir={tmp / 'chromium-profile'}",
        f"--screenshot={png}",
        f"--window-size={width},{height}",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert png.is_file(), done.stderr[-2000:]


def read_png(path: Path, max_rows: int) -> tuple[int, list[list[tuple[int, int, int]]]]:
    """Width and the first `max_rows` rows of RGB pixels of an 8-bit, non-interlaced PNG."""
    data = path.read_bytes()
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0
    step = 3 if colour == 2 else 4
    stride = width * step
    raw = zlib.decompressobj().decompress(idat, (stride + 1) * min(height, max_rows))
    rows, prev = [], bytearray(stride)
    for y in range(min(height, max_rows)):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - step] if i >= step else 0
            b, c = prev[i], prev[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([(line[x], line[x + 1], line[x + 2]) for x in range(0, stride, step)])
        prev = line
    return width, rows


def shares(rows: list[list[tuple[int, int, int]]]) -> dict[str, float]:
    pixels = [p for row in rows for p in row]
    n = len(pixels)

    def lum(p: tuple[int, int, int]) -> float:
        return 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2]

    return {
        "light card": sum(p == (255, 255, 255) for p in pixels) / n,
        "night card": sum(p == (0x1E, 0x1F, 0x22) for p in pixels) / n,
        "dark ink": sum(lum(p) < 90 for p in pixels) / n,
        "light ink": sum(lum(p) > 170 for p in pixels) / n,
    }


@pytest.fixture(scope="module")
def preview_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("preview") / "rich.html"
    export_deck(RICH, out, format="html")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(out, SCREENSHOTS / "rich-preview.html")
    return out


@pytest.mark.parametrize(
    ("name", "width", "height", "night"),
    [
        ("desktop-light", 1280, 4600, False),
        ("desktop-night", 1280, 4600, True),
        ("phone-light", 390, 6400, False),
        ("phone-night", 390, 6400, True),
    ],
)
def test_chromium_shows_the_cards(
    preview_page: Path, tmp_path: Path, name: str, width: int, height: int, night: bool
) -> None:
    png = SCREENSHOTS / f"preview-{name}.png"
    screenshot(preview_page, png, width, height, night, tmp_path)
    got_width, rows = read_png(png, max_rows=900)
    assert got_width == width
    share = shares(rows[120:])  # below the page's header bar: the first notes' cards
    if night:
        assert share["night card"] > 0.25 and share["light card"] < 0.001, share
        assert share["light ink"] > 0.004, share
    else:
        assert share["light card"] > 0.25 and share["night card"] < 0.001, share
        assert share["dark ink"] > 0.004, share
