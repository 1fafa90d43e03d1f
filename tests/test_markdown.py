"""Rendering inside one item: Markdown in, field HTML out (mistune's example-file style)."""

from __future__ import annotations

import re
import sys

import pytest

from anki_export.read import items as markdown
from anki_export.read.items import read_item
from anki_export.read.shapes import MarkdownOptions, QuestionShape

ESCAPED = MarkdownOptions()


def hint_html(markdown: str, options: MarkdownOptions = ESCAPED) -> str:
    """The HTML of the hint of `- **Q?**` followed by a hint item holding `markdown`."""
    body = "\n".join("    " + line if line else "" for line in markdown.splitlines())
    shape = read_item(f"**Q?**\n  - *Hint:* see\n\n{body}\n", options).shape
    assert isinstance(shape, QuestionShape) and shape.hint is not None
    html = shape.hint.html
    assert html.startswith("<p>see</p>\n")
    return html.removeprefix("<p>see</p>\n")


CASES = [
    (
        "inline and display math, escaped",
        "$a < b$ and $$\\sum_i x_i$$",
        "<p>\\(a &lt; b\\) and \\[\\sum_i x_i\\]</p>",
    ),
    (
        "math block on lines of its own; list-like lines inside stay math",
        "$$\n- x \\\\\n+ y\n$$",
        '<div class="ae-math">\\[- x \\\\\n+ y\\]</div>',
    ),
    ("prices are not math", "from $5 to $10, or $ 20$", "<p>from $5 to $10, or $ 20$</p>"),
    ("no space inside the dollars", "$x $ and $ y$", "<p>$x $ and $ y$</p>"),
    ("a digit after the closing dollar", "$1$2", "<p>$1$2</p>"),
    ("escaped dollars", "\\$x\\$", "<p>$x$</p>"),
    ("emphasis marks inside math", "$a*b*c$ and $x_1_2$", "<p>\\(a*b*c\\) and \\(x_1_2\\)</p>"),
    ("code spans win over math", "`$x$`", "<p><code>$x$</code></p>"),
    ("strikethrough", "~~old~~ new", "<p><del>old</del> new</p>"),
    (
        "blockquote with a link",
        "> see [docs](https://example.com/a?b=1&c=2)",
        '<blockquote>\n<p>see <a href="https://example.com/a?b=1&amp;c=2">docs</a></p>\n'
        "</blockquote>",
    ),
    (
        "table with alignment, in a scrolling wrapper",
        "| a | b |\n|:--|--:|\n| `x` | 1 |",
        '<div class="ae-table"><table>\n<thead>\n<tr>\n<th style="text-align: left">a</th>\n'
        '<th style="text-align: right">b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n'
        '<td style="text-align: left"><code>x</code></td>\n'
        '<td style="text-align: right">1</td>\n</tr>\n</tbody>\n</table></div>',
    ),
    (
        "fenced code without a language",
        "```\na <b>\n```",
        '<pre class="ae-code"><code>a &lt;b&gt;</code></pre>',
    ),
    (
        "fenced code with a language",
        "```sql\nSELECT 1;\n```",
        '<pre class="ae-code"><code class="language-sql"><span class="k">SELECT</span>'
        '<span class="w"> </span><span class="mi">1</span><span class="p">;</span>'
        "</code></pre>",
    ),
    ("template braces stay literal", "{{Front}} {{#Hint}}", "<p>{{Front}} {{#Hint}}</p>"),
    (
        "raw HTML is escaped",
        "<script>alert(1)</script> <b>b</b>",
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;b&lt;/b&gt;</p>",
    ),
    (
        "images keep their path without an image source",
        "![a *b*](img/x.png)",
        '<p><img src="img/x.png" alt="a b" /></p>',
    ),
]


@pytest.mark.parametrize(("markdown", "html"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_render_case(markdown: str, html: str) -> None:
    assert hint_html(markdown) == html


def test_allow_html_passes_raw_html_through() -> None:
    options = MarkdownOptions(allow_html=True)
    assert hint_html("<b>b</b> and <i>i</i>", options) == "<p><b>b</b> and <i>i</i></p>"
    assert hint_html('<div class="x">block</div>', options) == '<div class="x">block</div>'


def test_image_source_names_images_or_turns_them_into_links() -> None:
    seen: list[str] = []

    def image_source(url: str) -> str | None:
        seen.append(url)
        return None if url.startswith("https:") else "named.png"

    options = MarkdownOptions(image_source=image_source)
    html = hint_html("![A](<a b.png>) ![R](https://x.org/r.png)", options)
    assert html == '<p><img src="named.png" alt="A" /> <a href="https://x.org/r.png">R</a></p>'
    assert seen == ["a%20b.png", "https://x.org/r.png"]


def test_math_text_is_its_tex_for_identity() -> None:
    shape = read_item("**What is $x^2$?**").shape
    assert isinstance(shape, QuestionShape)
    assert shape.prompt.text == "What is x^2?"
    assert shape.prompt.html == "What is \\(x^2\\)?"


def test_collapse_is_the_whitespace_regex_on_every_code_point() -> None:
    # `_collapse` relies on str.split() splitting on exactly what `\s` matches.
    space = re.compile(r"\s")
    splits = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).split() == []]
    assert splits == [chr(c) for c in range(sys.maxunicode + 1) if space.match(chr(c))]
    text = "".join(splits) + "a" + "".join(splits) + "b\u00a0c"
    assert markdown._collapse(text) == re.sub(r"\s+", " ", text).strip() == "a b c"
