"""A preview page: every card of a `DeckPlan`, front and back, as one self-contained HTML file.

Cards are rendered with the note types' own templates and CSS by a small renderer for the part of
Anki's template language they use ({{Field}}, {{#Field}}, {{^Field}}, {{/Field}}, {{FrontSide}}).
Images are embedded as data: URIs and nothing is loaded from a network, so the page works offline.
Pure Python; imports no third-party library.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from collections.abc import Mapping
from pathlib import Path

from anki_export.atomic import write_atomically
from anki_export.notes import SECTION_SEPARATOR
from anki_export.notetypes import NOTE_TYPES
from anki_export.records import DeckPlan, NoteSpec

_TAG_RE = re.compile(r"\{\{([#^/]?)([^{}]*)\}\}")
# Anki treats a field holding only white space and <br>/<div> tags as empty.
_EMPTY_RE = re.compile(r"(?:\s|</?(?:br|div)\s*/?>)*", re.IGNORECASE)
_KIND_NAMES = {
    "question": "Question",
    "open-question": "Open question",
    "concept": "Concept",
    "list": "List",
}


def render_template(template: str, fields: Mapping[str, str]) -> str:
    """Fill in an Anki card template.

    Field values are inserted as they are and never read as template text, as Anki does, so
    `{{braces}}` in a field stay literal.

    :param template: the template, using {{Field}}, {{#Field}}...{{/Field}} (shown when the
        field is not empty), {{^Field}}...{{/Field}} (shown when it is) and {{FrontSide}}.
    :param fields: field values by name, `FrontSide` included on the back.
    :raises ValueError: an unknown field or unbalanced sections (a bug in our templates).
    """
    out: list[str] = []
    open_sections: list[tuple[str, bool]] = []
    showing = True
    pos = 0
    for m in _TAG_RE.finditer(template):
        if showing:
            out.append(template[pos : m.start()])
        pos = m.end()
        sigil, name = m.group(1), m.group(2).strip()
        if name not in fields:
            raise ValueError(f"template uses {{{{{sigil}{name}}}}}, which is not a field")
        if sigil in ("#", "^"):
            open_sections.append((name, showing))
            empty = _EMPTY_RE.fullmatch(fields[name]) is not None
            showing = showing and (empty if sigil == "^" else not empty)
        elif sigil == "/":
            if not open_sections or open_sections[-1][0] != name:
                raise ValueError(f"template closes {{{{/{name}}}}} without opening it")
            showing = open_sections.pop()[1]
        elif showing:
            out.append(fields[name])
    if open_sections:
        raise ValueError(f"template leaves {{{{#{open_sections[-1][0]}}}}} open")
    if showing:
        out.append(template[pos:])
    return "".join(out)


def render_preview(plan: DeckPlan) -> str:
    """The preview page for `plan`: its notes grouped by deck, each card's front and back.

    :returns: a complete HTML document with its CSS, images and night-mode switch inline.
    """
    images = {f.name: _data_uri(f.name, f.data) for f in plan.media}
    sections = []
    for deck in plan.decks:
        notes = [n for n in plan.notes if n.deck == deck.path]
        if not notes:
            continue
        cards = "\n".join(_note_html(note, images) for note in notes)
        title = html.escape(SECTION_SEPARATOR.join(deck.path), quote=False)
        sections.append(f'<section class="pv-deck">\n<h2>{title}</h2>\n{cards}\n</section>')
    css = "\n".join(dict.fromkeys(t.css for t in NOTE_TYPES.values()))
    count = len(plan.notes)
    subdecks = len(plan.decks) - 1
    return _PAGE.format(
        title=html.escape(plan.root, quote=False),
        summary=f"{count} note{'' if count == 1 else 's'} · {subdecks} "
        f"subdeck{'' if subdecks == 1 else 's'}",
        card_css=css,
        page_css=_PAGE_CSS,
        sections="\n".join(sections),
        script=_SCRIPT,
    )


def write_preview(plan: DeckPlan, output: Path) -> None:
    """Write the preview page of `plan` to `output` atomically.

    :raises BuildError: the file cannot be written.
    """
    write_atomically(output, render_preview(plan).encode("utf-8"), "the preview")


def _note_html(note: NoteSpec, images: Mapping[str, str]) -> str:
    note_type = NOTE_TYPES[note.note_type]
    fields = dict(zip(note_type.fields, note.fields, strict=True))
    front = render_template(note_type.template.front, fields)
    back = render_template(note_type.template.back, {**fields, "FrontSide": front})
    kind = _KIND_NAMES.get(note.record.kind.value, note.record.kind.value)
    where = html.escape(str(note.record.location), quote=False)
    return (
        f'<article class="pv-note">\n<p class="pv-meta">{kind} · {where}</p>\n'
        '<div class="pv-faces">\n'
        f"{_face('Front', front, images)}\n{_face('Back', back, images)}\n"
        "</div>\n</article>"
    )


def _face(label: str, content: str, images: Mapping[str, str]) -> str:
    for name, uri in images.items():
        content = content.replace(f'src="{name}"', f'src="{uri}"')
    return (
        f'<figure class="pv-face"><figcaption>{label}</figcaption>\n'
        f'<div class="card card1"><div class="pv-qa">{content}</div></div></figure>'
    )


def _data_uri(name: str, data: bytes) -> str:
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · card preview</title>
<style>
{card_css}
</style>
<style>
{page_css}
</style>
</head>
<body class="pv">
<header class="pv-bar">
<div><h1>{title}</h1><p>{summary}</p></div>
<button type="button" id="pv-mode" aria-pressed="false">Night mode</button>
</header>
<main>
{sections}
<p class="pv-foot">Made by anki-export. Math shows as TeX here; Anki typesets it with its own
MathJax.</p>
</main>
<script>
{script}
</script>
</body>
</html>
"""

# Night mode as on Anki desktop: `nightMode` and `night_mode` on <body>, above every card.
# `#night` in the address opens the page in night mode.
_SCRIPT = """\
(function () {
  var body = document.body, button = document.getElementById("pv-mode");
  function show(night) {
    body.classList.toggle("nightMode", night);
    body.classList.toggle("night_mode", night);
    button.setAttribute("aria-pressed", String(night));
    button.textContent = night ? "Light mode" : "Night mode";
  }
  button.addEventListener("click", function () {
    show(!body.classList.contains("nightMode"));
  });
  show(location.hash === "#night");
})();"""

_PAGE_CSS = """\
body.pv {
  --pv-page: #eef1f4;
  --pv-fg: #1f2328;
  --pv-muted: #59636e;
  --pv-line: #d1d9e0;
  margin: 0;
  background: var(--pv-page);
  color: var(--pv-fg);
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue",
    Arial, "Noto Sans", sans-serif;
}
body.pv.nightMode {
  --pv-page: #111214;
  --pv-fg: #e6edf3;
  --pv-muted: #9da7b3;
  --pv-line: #3d444d;
}
.pv-bar {
  position: sticky;
  top: 0;
  z-index: 1;
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: 1em;
  padding: 0.6em 1em;
  background: var(--pv-page);
  border-bottom: 1px solid var(--pv-line);
}
.pv-bar h1 { font-size: 1.1em; margin: 0; }
.pv-bar p { font-size: 0.8em; margin: 0.1em 0 0; color: var(--pv-muted); }
#pv-mode {
  font: inherit;
  font-size: 0.9em;
  white-space: nowrap;
  padding: 0.35em 0.9em;
  border: 1px solid var(--pv-line);
  border-radius: 1em;
  background: transparent;
  color: inherit;
  cursor: pointer;
}
.pv main { max-width: 75em; margin: 0 auto; padding: 0.2em 1em 3em; }
.pv-deck h2 { font-size: 1em; margin: 1.6em 0 0.7em; color: var(--pv-muted); }
.pv-note { margin: 0 0 1.4em; }
.pv-meta { font-size: 0.75em; margin: 0 0 0.3em; color: var(--pv-muted); overflow-wrap: anywhere; }
.pv-faces {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 22em), 1fr));
  gap: 0.8em;
  align-items: start;
}
.pv-face {
  margin: 0;
  border: 1px solid var(--pv-line);
  border-radius: 10px;
  overflow: hidden;
}
.pv-face figcaption {
  font-size: 0.7em;
  text-transform: uppercase;
  letter-spacing: 0.06em;
  padding: 0.35em 1.4em;
  color: var(--pv-muted);
  background: var(--pv-page);
  border-bottom: 1px solid var(--pv-line);
}
.pv-face .card { padding: 0.4em 0 0.8em; }
.pv-foot { font-size: 0.8em; color: var(--pv-muted); }
"""
