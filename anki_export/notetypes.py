"""The three note types, as plain data: ids, field names, templates and CSS.

FROZEN: model ids, field names (and their order) and template names never change once released.
Anki matches note types by id and refuses to update notes whose type gained, lost or renamed a
field or template. Template text and CSS may change freely; Anki applies them in place.
"""

from __future__ import annotations

from dataclasses import dataclass

from .records import Kind


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


CSS = """\
.card {
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue",
    Arial, "Noto Sans", sans-serif;
  font-size: 19px;
  line-height: 1.5;
  color: #1f2328;
  background: #ffffff;
  text-align: left;
  margin: 0;
  padding: 0;
}
.ae-card { max-width: 40em; margin: 0 auto; padding: 0.75em 1em; }
.ae-crumb {
  font-size: 0.72em;
  color: #59636e;
  letter-spacing: 0.01em;
  margin-bottom: 0.6em;
}
.ae-kind {
  display: inline-block;
  font-size: 0.68em;
  text-transform: uppercase;
  letter-spacing: 0.06em;
  color: #0b5cad;
  border: 1px solid currentColor;
  border-radius: 0.8em;
  padding: 0 0.6em;
  margin-bottom: 0.5em;
}
.ae-front { font-size: 1.12em; font-weight: 600; }
hr#answer { border: 0; border-top: 2px solid #d1d9e0; margin: 1em auto 0.25em; max-width: 40em; }
.ae-open { font-style: italic; color: #59636e; }
.ae-notes { margin-top: 0.8em; padding-top: 0.5em; border-top: 1px dashed #d1d9e0; }
.ae-back p { margin: 0 0 0.6em; }
.ae-card ul, .ae-card ol { margin: 0.3em 0 0.6em; padding-left: 1.4em; }
.ae-card li { margin: 0.25em 0; }
.ae-card li > ul, .ae-card li > ol { margin: 0.15em 0 0.2em; }
.ae-card a { color: #0b5cad; }
.ae-card code {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 0.88em;
  background: #eff2f5;
  border-radius: 4px;
  padding: 0.1em 0.3em;
}
.ae-card pre { background: #f6f8fa; padding: 0.6em 0.8em; border-radius: 6px; overflow-x: auto; }
.ae-card pre code { background: none; padding: 0; }
.nightMode.card, .night_mode .card, .nightMode .card { color: #e6edf3; background: #1e1f22; }
.nightMode .ae-crumb, .night_mode .ae-crumb, .nightMode .ae-open, .night_mode .ae-open {
  color: #9da7b3;
}
.nightMode .ae-kind, .night_mode .ae-kind, .nightMode .ae-card a, .night_mode .ae-card a {
  color: #6cb6ff;
}
.nightMode hr#answer, .night_mode hr#answer,
.nightMode .ae-notes, .night_mode .ae-notes { border-color: #3d444d; }
.nightMode .ae-card code, .night_mode .ae-card code { background: #2d333b; color: #e6edf3; }
.nightMode .ae-card pre, .night_mode .ae-card pre { background: #262a30; }
@media (max-width: 480px) {
  .card { font-size: 17px; }
  .ae-card { padding: 0.5em 0.6em; }
}
"""

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
