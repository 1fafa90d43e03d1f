"""Images: found in the guide's folder, named by content, bundled; bad paths stop the export."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from anki_export.cli import main
from anki_export.errors import GuideError
from anki_export.pipeline import export_deck
from anki_export.read.guide import parse_guide
from anki_export.read.media import media_name
from anki_export.records import NoteRecord, Question

from .conftest import WriteGuide

PNG_A = b"\x89PNG\r\n\x1a\n-a"
PNG_B = b"\x89PNG\r\n\x1a\n-b"


def hint_html(note: NoteRecord) -> str:
    assert isinstance(note, Question) and note.hint is not None
    return note.hint.html


def put(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_same_file_name_in_two_folders_gives_two_media_files(
    write_guide: WriteGuide, tmp_path: Path
) -> None:
    put(tmp_path / "img" / "a" / "diagram.png", PNG_A)
    put(tmp_path / "img" / "b" / "diagram.png", PNG_B)
    guide = parse_guide(
        write_guide(
            "- **A?**\n  - *Hint:* ![a](img/a/diagram.png)\n"
            "- **B?**\n  - *Hint:* ![b](img/b/diagram.png) and again ![a](./img/a/diagram.png)\n"
        )
    )
    names = [f.name for f in guide.media]
    assert len(names) == 2 and all(n.startswith("diagram-") and n.endswith(".png") for n in names)
    assert {f.data for f in guide.media} == {PNG_A, PNG_B}
    a, b = (hint_html(note) for note in guide.notes)
    name_a, name_b = media_name(Path("diagram.png"), PNG_A), media_name(Path("diagram.png"), PNG_B)
    assert a == f'<img src="{name_a}" alt="a" />'
    assert b == f'<img src="{name_b}" alt="b" /> and again <img src="{name_a}" alt="a" />'


def test_media_names_are_safe_stable_and_follow_the_content() -> None:
    name = media_name(Path("img/Diagram 1 (final).PNG"), b"x")
    assert name == media_name(Path("other/Diagram 1 (final).PNG"), b"x")
    assert name.startswith("Diagram-1-final-") and name.endswith(".png")
    assert media_name(Path("d.png"), b"x") != media_name(Path("d.png"), b"y")
    assert media_name(Path("_.svg"), b"x").startswith("image-")


def test_images_are_bundled_in_the_package(write_guide: WriteGuide, tmp_path: Path) -> None:
    put(tmp_path / "a.png", PNG_A)
    put(tmp_path / "sub dir" / "b.png", PNG_B)
    guide = write_guide(
        "# R\n\nIntro ![intro](a.png)\n\n- **Q?**\n  - *Hint:* ![b](<sub dir/b.png>)\n"
    )
    out = tmp_path / "out.apkg"
    export_deck(guide, out, timestamp=0)
    with zipfile.ZipFile(out) as archive:
        names = json.loads(archive.read("media"))
        assert sorted(names.values()) == sorted(
            [media_name(Path("a.png"), PNG_A), media_name(Path("b.png"), PNG_B)]
        )
        assert {archive.read(k) for k in names} == {PNG_A, PNG_B}


def test_remote_images_stay_links_with_a_warning(write_guide: WriteGuide) -> None:
    guide = parse_guide(write_guide("- **Q?**\n  - *Hint:*\n    ![logo](https://x.org/l.png)\n"))
    assert guide.media == ()
    (warning,) = guide.warnings
    assert warning.location.line == 3 and "remote image https://x.org/l.png" in warning.message
    assert hint_html(guide.notes[0]) == '<a href="https://x.org/l.png">logo</a>'


def bad_guide(tmp_path: Path) -> Path:
    folder = tmp_path / "guide"
    put(folder / "ok.png", PNG_A)
    put(tmp_path / "secret.png", PNG_B)
    os.symlink(tmp_path / "secret.png", folder / "link.png")
    guide = folder / "guide.md"
    guide.write_text(
        "# R\n\n"
        "- **Fine?**\n  - *Hint:* ![ok](ok.png)\n"  # 3-4
        "- **Missing?**\n  - *Hint:* ![m](nope/missing.png)\n"  # 5-6
        "- **Outside?**\n  - *Hint:* see\n\n    ![o](../secret.png)\n"  # 7-10
        "- **Absolute ![abs](/etc/hosts.png)?**\n"  # 11
        "- **Symlink?**\n  - *Hint:* ![l](link.png)\n"  # 12-13
        "- **Not a picture?**\n  - *Hint:* ![t](guide.md)\n"  # 14-15
        "- **Scheme?**\n  - *Hint:* ![f](file:///etc/passwd)\n",  # 16-17
        "utf-8",
    )
    return guide


def test_bad_image_paths_are_all_reported_with_their_lines(tmp_path: Path) -> None:
    guide = bad_guide(tmp_path)
    with pytest.raises(GuideError) as info:
        parse_guide(guide)
    problems = [(loc.line, msg) for loc, msg in info.value.problems]
    assert [line for line, _ in problems] == [6, 10, 11, 13, 15, 17]
    assert "nope/missing.png: no such file" in problems[0][1]
    assert "../secret.png is outside the guide's folder" in problems[1][1]
    assert "absolute paths are not allowed" in problems[2][1]
    assert "link.png is outside the guide's folder" in problems[3][1]
    assert "not a picture" in problems[4][1]
    assert "only paths relative to the guide" in problems[5][1]
    assert str(info.value).startswith(f"{guide}:6: image nope/missing.png")


def test_bad_images_write_nothing(tmp_path: Path) -> None:
    guide = bad_guide(tmp_path)
    out = tmp_path / "out" / "deck.apkg"
    with pytest.raises(GuideError):
        export_deck(guide, out, timestamp=0)
    assert not out.parent.exists()
    out.parent.mkdir()
    out.write_bytes(b"old deck")
    result = CliRunner().invoke(main, [str(guide), "-o", str(out)])
    assert result.exit_code == 1
    assert f"Error: {guide}:6: image nope/missing.png: no such file" in result.stderr
    assert f"Error: {guide}:17: image file:///etc/passwd" in result.stderr
    assert out.read_bytes() == b"old deck" and os.listdir(out.parent) == ["deck.apkg"]


def test_symlink_inside_the_folder_is_fine(write_guide: WriteGuide, tmp_path: Path) -> None:
    put(tmp_path / "real" / "x.png", PNG_A)
    os.symlink(tmp_path / "real" / "x.png", tmp_path / "alias.png")
    guide = parse_guide(write_guide("- **Q?**\n  - *Hint:* ![x](alias.png)\n"))
    assert [f.data for f in guide.media] == [PNG_A]
