"""Safe Markdown from editors' text, and the small pieces every page kind shares.

Text from YAML never becomes raw HTML: plain fields are escaped character by
character; summaries keep inline Markdown (emphasis, links) but lose everything
that would start a block, an HTML tag, an image or an attribute list.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from urllib.parse import quote

from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor

from generator.data.dates import PartialDate

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
_ESCAPES: dict[int, str | None] = {
    **{ord(char): "\\" + char for char in _BACKSLASH},
    **{ord(char): entity for char, entity in _ENTITY.items()},
    **dict.fromkeys([*range(32), *range(0x7F, 0xA0)]),
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
_IMAGE = re.compile(r"!\[")
_UNSAFE_LINK = re.compile(r"\]\((?!\s*(?:https?://|mailto:))", re.IGNORECASE)


def inline_markdown(text: str) -> list[str]:
    """A summary -> its paragraphs, each one line of inline Markdown with no HTML, no image,
    no attribute list, no block syntax and no link but http(s)/mailto."""
    paragraphs = [_SPACE.sub(" ", p).strip() for p in re.split(r"\n\s*\n", text)]
    return [_inline_paragraph(p) for p in paragraphs if p]


_CONTROL = dict.fromkeys([*range(32), *range(0x7F, 0xA0)])  # for str.translate: dropped


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
    """Inline Markdown outside code spans: no HTML, image, attribute list or unsafe link."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = text.replace("{", "\\{").replace("}", "\\}").replace("|", "&#124;")
    text = _IMAGE.sub("\\![", text)
    return _neutralise_links(text)


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


def _neutralise_links(text: str) -> str:
    """`[x](#part)` becomes `x`; `[x](javascript:...)` and friends keep their text and lose
    their target."""
    return _UNSAFE_LINK.sub(r"\\]\\(", _ANCHOR_LINK.sub(r"\1", text))


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


def link(text: str, target: str, here: str) -> str:
    """A Markdown link from page `here` to page `target` (both docs-relative .md paths)."""
    return f"[{text}]({relative_link(target, here)})"


def relative_link(target: str, here: str) -> str:
    anchor = ""
    if "#" in target:
        target, anchor = target.split("#", 1)
        anchor = "#" + anchor
    if not target:
        return anchor
    return _relative(target, posixpath.dirname(here) or ".") + anchor


def _relative(target: str, start: str) -> str:
    """posixpath.relpath(target, start), with the folders' part cached: relpath asks the
    operating system for the working directory on every call, and pages have many links."""
    folder, name = posixpath.split(target)
    if name in ("", ".", "..") or name in start.split("/"):  # the start may be inside target
        return posixpath.relpath(target, start)
    up = _relative_folder(folder or ".", start)
    return name if up == "." else f"{up}/{name}"


@functools.lru_cache(maxsize=4096)
def _relative_folder(folder: str, start: str) -> str:
    return posixpath.relpath(folder, start)


def front_matter(**fields: str | list[str] | dict[str, bool]) -> str:
    """MkDocs page meta. JSON strings are valid YAML, so any text is quoted safely. Themes
    print meta values as HTML (Material: `<title>`, the header, `<meta content="...">`), so
    they are HTML-escaped here: a title is text, never markup. A mapping of switches (e.g.
    `search={"exclude": True}`) is written as it is."""
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, list):
            value = [_html_text(v) for v in value]
        elif isinstance(value, str):
            value = _html_text(value)
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _html_text(text: str) -> str:
    """Text for an HTML context: markup characters escaped, control characters dropped."""
    text = text.translate(_CONTROL)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def date_text(date: PartialDate, circa: bool = False) -> str:
    """A date at its own precision, marked when approximate."""
    return date.display(circa=circa)


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def block(*parts: str) -> str:
    """Join non-empty sections with one blank line, ending in a newline."""
    return "\n\n".join(part.strip("\n") for part in parts if part.strip()) + "\n"


RELATION_WORDS = {
    "allied-with": "allied with",
    "cooperates-with": "cooperates with",
    "opposes": "opposes",
    "negotiates-with": "negotiates with",
    "supports": "supports",
    "supplies": "supplies",
    "sanctions": "sanctions",
    "threatens": "threatens",
    "leads": "leads",
    "member-of": "member of",
    "part-of": "part of",
    "speaks-for": "speaks for",
}
