"""Editors' text made safe for Markdown and HTML: the one place that escapes, used by the
page renderers and the output formats alike.

Text from YAML never becomes raw HTML: plain fields are escaped character by character
(`escape`); summaries keep inline Markdown (emphasis, links) but lose everything that would
start a block, an HTML tag, an image or an attribute list (`inline_markdown`); URLs become
safe link destinations (`link_destination`); the few pieces of raw HTML the pages embed take
their text through `html_text` and `attribute` (`html_escape` where the layout stays);
JSON-LD goes into its `<script>` element through `script_json`.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any
from urllib.parse import quote

from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor

# Characters Python-Markdown lets a backslash escape.
_BACKSLASH = set("\\`*_{}[]()>#+-.!")
# Characters that mean something to an extension (tables, attr_list, details, emoji, ...):
# written as numeric entities, which every Markdown keeps as text.
_ENTITY = {"|": "&#124;", "<": "&lt;", "&": "&amp;"}
# At the start of a line these open a block (definition list, details): escaped there.
_LEADING = {":": "&#58;", "?": "&#63;", "=": "&#61;", "%": "&#37;"}
_SPACE = re.compile(r"\s+")


# escape() in one pass of str.translate (a loop over characters was the renderers' hot spot):
# backslash escapes, entities, and control characters dropped (they carry nothing a reader
# should see).
_CONTROL = dict.fromkeys([*range(32), *range(0x7F, 0xA0)])  # for str.translate: dropped
_ESCAPES: dict[int, str | None] = {
    **{ord(char): "\\" + char for char in _BACKSLASH},
    **{ord(char): entity for char, entity in _ENTITY.items()},
    **_CONTROL,
}


def escape(text: str) -> str:
    """Plain text -> Markdown that shows exactly that text, on one line."""
    out = _SPACE.sub(" ", text).strip().translate(_ESCAPES)
    if out and out[0] in _LEADING:
        out = _LEADING[out[0]] + out[1:]
    return out


_BLOCK_START = re.compile(
    r"^(?:#{1,6}(?:\s|$)|>|[-+*](?:\s|$)|\d+[.)](?:\s|$)|[=|:%]|\?{3}|!{3}|`{3,}|~{3,}"
    r"|[-*_](?:\s*[-*_]){2,}\s*$"
    # A reference definition (`[r]: javascript:...`) would give `[r]` any target.
    r"|\[[^\]]*\]:)"
)


def inline_markdown(text: str) -> list[str]:
    """A summary -> its paragraphs, each one line of inline Markdown with no HTML, no image,
    no attribute list, no block syntax and no link but http(s)/mailto."""
    paragraphs = [_SPACE.sub(" ", p).strip() for p in re.split(r"\n\s*\n", text)]
    return [_inline_paragraph(p) for p in paragraphs if p]


def first_paragraph_text(text: str) -> str:
    """A summary's first paragraph as one line of plain text, for a page's description and
    its JSON-LD: white space single, each link as its text (other Markdown as written)."""
    for paragraph in re.split(r"\n\s*\n", text):
        line = _SPACE.sub(" ", paragraph).strip()
        if line:
            return LINK.sub(lambda link: link.group("text"), line)
    return ""


def _inline_paragraph(text: str) -> str:
    """Code spans reach Python-Markdown as written (it escapes their text itself: escaping it
    here too would show readers `&lt;`); everything around them is escaped. Should the
    block-start guard change which code spans Python-Markdown finds, the whole paragraph is
    escaped instead, so a raw `<` is never outside a code span."""
    text = text.translate(_CONTROL)
    if "`" not in text:  # most paragraphs: no code span to look for (3 times faster)
        return _guard_block_start(_inline_text(text))
    spans = _code_spans(text)
    pieces, last = [], 0
    for start, end in spans:
        pieces += [_inline_text(text[last:start]), text[start:end]]
        last = end
    out = _guard_block_start("".join([*pieces, _inline_text(text[last:])]))
    if [out[start:end] for start, end in _code_spans(out)] != [text[s:e] for s, e in spans]:
        return _guard_block_start(_inline_text(text))
    return out


def _inline_text(text: str) -> str:
    """Inline Markdown outside code spans: no HTML, image, attribute list or unsafe link.
    Only the brackets of whole http(s)/mailto links stay brackets; every other `[` and `]` is
    escaped: Python-Markdown looks for the end of a link from each `[`, and a few thousand
    unmatched ones took it minutes (`[a](` five thousand times: two and a half), and `[TOC]`
    would become a table of contents."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = text.replace("{", "\\{").replace("}", "\\}").replace("|", "&#124;")
    text = text.replace("![", "\\![")  # no image: the link that follows stays a link
    text = _ANCHOR_LINK.sub(r"\1", text)
    pieces, last = [], 0
    for match in LINK.finditer(text):
        pieces += [_escape_brackets(text[last : match.start()]), match.group(0)]
        last = match.end()
    return "".join([*pieces, _escape_brackets(text[last:])])


def _escape_brackets(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


def _guard_block_start(text: str) -> str:
    if _BLOCK_START.match(text):
        text = f"&#{ord(text[0])};{text[1:]}"
    return text


_BACKTICKS = BacktickInlineProcessor(BACKTICK_RE)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where Python-Markdown finds code spans in a paragraph, found by its own code-span
    pattern as it applies it (first of all inline patterns, escaped backslashes before a
    backtick taken out, the search going on after each match)."""
    spans, position = [], 0
    pattern = _BACKTICKS.getCompiledRegExp()
    while match := pattern.search(text, position):
        node, start, end = _BACKTICKS.handleMatch(match, text)
        assert start is not None and end is not None
        if isinstance(node, str):  # escaped backslashes: a placeholder without one
            text = text[:start] + "\0" * (end - start) + text[end:]
        elif node is not None:
            spans.append((start, end))
        position = end
    return spans


# An in-page anchor: the page's headings are generated, so no anchor an editor writes is
# sure to exist, and the strict build refuses one that does not. The link keeps its text.
_ANCHOR_LINK = re.compile(r"\[([^\[\]\\]*)\]\(\s*#[^()\s]*\s*\)")

LINK = re.compile(
    r"\[(?P<text>[^\[\]\\]*)\]\(\s*"
    r"(?P<url>(?:https?://|mailto:)(?:[^\s()<>\\]|\([^\s()<>\\]*\))*)\s*\)",
    re.IGNORECASE,
)
"""A link an editor may write in inline Markdown: `[text](http(s)://... or mailto:...)`, its
text without brackets, its address without spaces (parentheses in pairs, as Wikipedia's)."""


def links_in(text: str) -> list[str]:
    """The addresses of the links that `inline_markdown` keeps in `text`."""
    return [match.group("url") for match in LINK.finditer(text)]


_URL_SYNTAX = frozenset(" \"'()<>[]{}\\`")


def link_destination(url: str) -> str:
    """An address from the data -> a Markdown link destination whose href is that address.

    Every character Markdown or HTML could read as syntax (ending the link, opening raw
    HTML, a title, an attribute list or a code span), white space and invisible characters
    are percent-encoded, which browsers read as the same address; `&` is written `&amp;`,
    which Python-Markdown keeps and browsers decode, so `&lt;` in an address stays `&lt;`."""
    return "".join(_url_character(ch) for ch in url)


@functools.lru_cache(maxsize=256)
def _url_character(ch: str) -> str:
    if ch == "&":
        return "&amp;"
    if ch in _URL_SYNTAX or ch.isspace() or not ch.isprintable():
        return quote(ch, safe="", errors="surrogatepass")
    return ch


_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def html_escape(text: str) -> str:
    """Text -> HTML character data or a double-quoted attribute value showing exactly that
    text, line breaks kept; control characters dropped."""
    return text.translate(_CONTROL).translate(_HTML)


def html_text(text: str) -> str:
    """Text -> HTML (or SVG) character data showing exactly that text, on one line."""
    one_line = _SPACE.sub(" ", text.translate(_CONTROL)).strip()
    return one_line.translate(_HTML).replace("'", "&#x27;")


def attribute(text: str) -> str:
    """A quoted attribute value."""
    return f'"{html_text(text)}"'


# In a <script> element the HTML parser looks for `</script` and `<!--` whatever the JSON
# means: written as JSON escapes, `<`, `>` and `&` are the same string to a JSON reader and
# nothing to the HTML parser.
# (U+2028 and U+2029 too, which older JavaScript took for line breaks.)
_SCRIPT_JSON = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def script_json(value: Any) -> str:
    """A JSON value as the content of a `<script type="application/ld+json">` element, which
    nothing in the value can end or turn into markup: keys sorted, one line, deterministic."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_SCRIPT_JSON)
