"""The small pieces of Markdown every page kind shares: links between pages, front matter,
dates, counts and sections. Escaping editors' text is generator/markup.py's job."""

from __future__ import annotations

import json
import posixpath

from generator.addresses import relative_path
from generator.data import formats
from generator.data.dates import PartialDate
from generator.markup import html_escape


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
    return relative_path(target, posixpath.dirname(here) or ".") + anchor


def front_matter(**fields: str | list[str] | dict[str, bool]) -> str:
    """MkDocs page meta. JSON strings are valid YAML, so any text is quoted safely. Themes
    print meta values as HTML (Material: `<title>`, the header, `<meta content="...">`), so
    they are HTML-escaped here: a title is text, never markup. A mapping of switches (e.g.
    `search={"exclude": True}`) is written as it is."""
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, list):
            value = [html_escape(v) for v in value]
        elif isinstance(value, str):
            value = html_escape(value)
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def date_text(date: PartialDate, circa: bool = False) -> str:
    """A date at its own precision, marked when approximate."""
    return date.display(circa=circa)


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def block(*parts: str) -> str:
    """Join non-empty sections with one blank line, ending in a newline."""
    return "\n\n".join(part.strip("\n") for part in parts if part.strip()) + "\n"


RELATION_WORDS = {relation.name: relation.words for relation in formats.RELATION_TYPES}
"""How pages say each relation type (from the schema's one declaration)."""
