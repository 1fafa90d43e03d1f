"""The three note types, as plain data: ids, field names, templates and CSS.

FROZEN: model ids, field names (and their order) and template names never change once released.
Anki matches note types by id and refuses to update notes whose type gained, lost or renamed a
field or template. Template text and CSS may change freely; Anki applies them in place.
"""

from __future__ import annotations

from dataclasses import dataclass

from anki_export.read.highlight_css import CODE_CSS
from anki_export.records import Kind


@dataclass(frozen=True, slots=True)
class CardTemplate:
    name: str
    front: str
    back: str


@dataclass(frozen=True, slots=True)
class NoteType:
    model_id: int
    name: str
    fields: tuple[str, ...]
    template: CardTemplate
    css: str


_CRUMB = '{{#Section}}<div class="ae-crumb">{{Section}}</div>{{/Section}}'


def _front(kind_label: str) -> str:
    return (
        f'<div class="ae-card">{_CRUMB}\n<div class="ae-kind">{kind_label}</div>\n'
        '<div class="ae-front">{{Front}}</div></div>'
    )


def _back(body: str) -> str:
    return f'{{{{FrontSide}}}}\n<hr id="answer">\n<div class="ae-card ae-back">{body}</div>'


# Colours are custom properties, set once for light and once for night mode: Anki desktop puts
# `nightMode` (and `night_mode`) on the card's <body>, AnkiMobile `nightMode`, AnkiDroid
# `night_mode` (and it inverts the colours of cards whose CSS does not mention `.night_mode`).
# System fonts only: no @import, no url(), nothing that needs a network on a phone.
_CARD_CSS = """\
.card {
  --ae-fg: #1f2328;
  --ae-bg: #ffffff;
  --ae-muted: #59636e;
  --ae-accent: #0b5cad;
  --ae-rule: #d1d9e0;
  --ae-code-bg: #f3f5f7;
  --ae-pre-bg: #f6f8fa;
  --ae-pre-fg: #1f2328;
  --ae-quote: #d1d9e0;
  --ae-head-bg: #f0f3f6;
  --ae-stripe: #f8f9fb;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue",
    Arial, "Noto Sans", sans-serif;
  font-size: 19px;
  line-height: 1.5;
  color: var(--ae-fg);
  background: var(--ae-bg);
  text-align: left;
  margin: 0;
  padding: 0;
  overflow-wrap: break-word;
}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  --ae-fg: #e6edf3;
  --ae-bg: #1e1f22;
  --ae-muted: #9da7b3;
  --ae-accent: #6cb6ff;
  --ae-rule: #3d444d;
  --ae-code-bg: #2d333b;
  --ae-pre-bg: #161b22;
  --ae-pre-fg: #e6edf3;
  --ae-quote: #4a535e;
  --ae-head-bg: #262c34;
  --ae-stripe: #22262c;
  color: var(--ae-fg);
  background: var(--ae-bg);
}
.ae-card { max-width: 38em; margin: 0 auto; padding: 0.75em 1em; }
.ae-crumb { font-size: 0.72em; color: var(--ae-muted); margin-bottom: 0.5em; }
.ae-kind {
  display: inline-block;
  font-size: 0.66em;
  text-transform: uppercase;
  letter-spacing: 0.06em;
  color: var(--ae-accent);
  border: 1px solid currentColor;
  border-radius: 0.8em;
  padding: 0 0.6em;
  margin-bottom: 0.5em;
}
.ae-front { font-size: 1.12em; font-weight: 600; line-height: 1.4; }
.ae-front code, .ae-front .ae-of { font-weight: normal; }
.ae-of { color: var(--ae-muted); }
/* Inset to line up with the text of .ae-card (38em wide, 1em padding). */
hr#answer {
  border: 0;
  border-top: 2px solid var(--ae-rule);
  margin: 0.6em max(1em, calc(50% - 18em)) 0.2em;
}
.ae-open { font-style: italic; color: var(--ae-muted); }
.ae-notes { margin-top: 0.9em; padding-top: 0.6em; border-top: 1px dashed var(--ae-rule); }
.ae-card p { margin: 0 0 0.6em; }
.ae-card ul, .ae-card ol { margin: 0.3em 0 0.7em; padding-left: 1.5em; }
.ae-card li { margin: 0.3em 0; }
.ae-card li > ul, .ae-card li > ol { margin: 0.2em 0 0.3em; }
.ae-card li > p { margin: 0.2em 0; }
.ae-card a { color: var(--ae-accent); }
.ae-card del { color: var(--ae-muted); }
.ae-card img { max-width: 100%; height: auto; vertical-align: middle; }
.ae-card blockquote {
  margin: 0.5em 0 0.7em;
  padding: 0.1em 0 0.1em 0.9em;
  border-left: 4px solid var(--ae-quote);
  color: var(--ae-muted);
}
.ae-card code {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 0.86em;
  background: var(--ae-code-bg);
  border-radius: 4px;
  padding: 0.1em 0.3em;
}
.ae-card pre {
  background: var(--ae-pre-bg);
  color: var(--ae-pre-fg);
  border: 1px solid var(--ae-rule);
  border-radius: 6px;
  padding: 0.6em 0.8em;
  margin: 0.4em 0 0.8em;
  overflow-x: auto;
  line-height: 1.4;
}
.ae-card pre code { background: none; padding: 0; border-radius: 0; font-size: 0.82em; }
.ae-table { overflow-x: auto; margin: 0.4em 0 0.8em; }
.ae-table table { border-collapse: collapse; font-size: 0.92em; }
.ae-table th, .ae-table td {
  border: 1px solid var(--ae-rule);
  padding: 0.3em 0.6em;
  vertical-align: top;
}
.ae-table th { background: var(--ae-head-bg); }
.ae-table code { white-space: nowrap; }
.ae-table tbody tr:nth-child(even) { background: var(--ae-stripe); }
.ae-math { overflow-x: auto; margin: 0.4em 0 0.8em; }
/* Phones: smaller type, and code lines wrap rather than hide behind a sideways scroll that
   competes with the reviewer's swipe gestures. */
@media (max-width: 480px) {
  .card { font-size: 17px; }
  .ae-card { padding: 0.5em 0.7em; }
  hr#answer { margin-left: 0.7em; margin-right: 0.7em; }
  .ae-card pre { white-space: pre-wrap; overflow-wrap: anywhere; padding: 0.5em 0.6em; }
}
"""

CSS = _CARD_CSS + CODE_CSS

QUESTION = NoteType(
    model_id=1170116433,
    name="anki-export Question",
    fields=("Front", "Hint", "Notes", "Section"),
    template=CardTemplate(
        name="Question",
        front=_front("Question"),
        back=_back(
            '{{#Hint}}<div class="ae-hint">{{Hint}}</div>{{/Hint}}'
            '{{^Hint}}<div class="ae-open">No hint in the guide: answer from your own '
            "experience.</div>{{/Hint}}"
            '{{#Notes}}<div class="ae-notes">{{Notes}}</div>{{/Notes}}'
        ),
    ),
    css=CSS,
)

CONCEPT = NoteType(
    model_id=1515801781,
    name="anki-export Concept",
    fields=("Front", "Back", "Section"),
    template=CardTemplate(
        name="Concept",
        front=_front("Concept"),
        back=_back('<div class="ae-definition">{{Back}}</div>'),
    ),
    css=CSS,
)

LIST = NoteType(
    model_id=1528374436,
    name="anki-export List",
    fields=("Front", "Items", "Section"),
    template=CardTemplate(
        name="List",
        front=_front("List"),
        back=_back('<div class="ae-items">{{Items}}</div>'),
    ),
    css=CSS,
)

NOTE_TYPES: dict[str, NoteType] = {
    Kind.QUESTION.value: QUESTION,
    Kind.CONCEPT.value: CONCEPT,
    Kind.LIST.value: LIST,
}
