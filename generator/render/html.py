"""The few pieces of HTML the pages embed (graphs, the timeline filter, badges).

Markdown cannot express them, so they are written here, from the model only: every text
from the data goes through `html_text`, every attribute value through `attribute`, and
every address is one the generator computes itself. Nothing an editor types is passed
through as markup.
"""

from __future__ import annotations

import html
import posixpath
import re

_SPACE = re.compile(r"\s+")


def html_text(text: str) -> str:
    """Text -> HTML (or SVG) character data showing exactly that text, on one line."""
    clean = "".join(ch for ch in text if ord(ch) >= 32 and not 0x7F <= ord(ch) < 0xA0)
    return html.escape(_SPACE.sub(" ", clean).strip(), quote=True)


def attribute(text: str) -> str:
    """A quoted attribute value."""
    return f'"{html_text(text)}"'


def page_url(page: str) -> str:
    """The address MkDocs gives a docs-relative Markdown page (use_directory_urls: true):
    `index.md` -> ``, `timeline.md` -> `timeline/`, `actors/x.md` -> `actors/x/`."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
        return stem
    return stem + "/"


def url_from(target: str, here: str) -> str:
    """A relative address from page `here` to `target` (a page or a file in the docs
    folder), as the built site serves them: for raw HTML, which MkDocs does not rewrite."""
    base = page_url(here).rstrip("/") or "."
    if "#" in target:
        target, anchor = target.split("#", 1)
        return url_from(target, here) + "#" + anchor
    if target.endswith(".md"):
        path = page_url(target).rstrip("/") or "."
        relative = posixpath.relpath(path, base)
        return "./" if relative == "." else relative + "/"
    return posixpath.relpath(target, base)
