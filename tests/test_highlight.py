"""Code highlighting: Pygments output, the generated colours, and Pygments loaded only when used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from anki_export.read import highlight_css as code_style
from anki_export.read.highlight import code_css, highlight_code

from .conftest import ROOT

CODE_STYLE = Path(code_style.__file__)


def test_known_language_is_highlighted_and_escaped() -> None:
    out = highlight_code("if a < b:\n    print('<b>')\n", "python")
    assert out.startswith('<pre class="ae-code"><code class="language-python">')
    assert out.endswith("</code></pre>")
    assert '<span class="k">if</span>' in out
    assert "&lt;" in out and "<b>" not in out


def test_no_or_unknown_language_is_only_escaped() -> None:
    plain = highlight_code("a <b> & c\n", "")
    assert plain == '<pre class="ae-code"><code>a &lt;b&gt; &amp; c</code></pre>'
    assert highlight_code("x\n", 'no"such') == (
        '<pre class="ae-code"><code class="language-no&quot;such">x</code></pre>'
    )


def test_code_css_has_light_and_night_rules_and_no_boxes() -> None:
    css = code_css()
    assert ".ae-code .k {" in css
    assert ".nightMode .ae-code .k,\n.night_mode .ae-code .k {" in css
    assert "border" not in css and "/*" not in css


def test_generated_code_style_is_current(update_golden: bool) -> None:
    """`read/highlight_css.py` is `code_css()` frozen; rewrite with `pytest --update-golden`."""
    if update_golden:
        text = CODE_STYLE.read_text("utf-8")
        head = text[: text.index('CODE_CSS = """\\\n')]
        CODE_STYLE.write_text(f'{head}CODE_CSS = """\\\n{code_css()}"""\n', "utf-8")
    assert code_style.CODE_CSS == code_css() or update_golden


def test_pygments_is_imported_only_for_fenced_code(tmp_path: Path) -> None:
    plain = tmp_path / "plain.md"
    plain.write_text("# R\n\n- **What is `x`?**\n  - *Hint:* y\n", "utf-8")
    code = tmp_path / "code.md"
    code.write_text("# R\n\n- **Q?**\n  - *Hint:* see\n\n    ```sql\n    SELECT 1;\n    ```\n")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "import anki_export.cli.command\n"
        "from anki_export.pipeline import export_deck\n"
        "export_deck(Path(sys.argv[1]), Path(sys.argv[2]), timestamp=0)\n"
        "print('pygments' in sys.modules)\n"
    )
    for guide, loaded in ((plain, "False"), (code, "True")):
        out = subprocess.run(
            [sys.executable, "-c", script, str(guide), str(tmp_path / "out.apkg")],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        assert out.stdout.strip() == loaded, guide.name
