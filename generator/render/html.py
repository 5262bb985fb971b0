"""The few pieces of HTML the pages embed (graphs, the timeline filter, badges).

Markdown cannot express them, so they are written here, from the model only: every text
from the data goes through `html_text`, every attribute value through `attribute`, and
every address is one the generator computes itself. Nothing an editor types is passed
through as markup.
"""

from __future__ import annotations

import html
import re

_SPACE = re.compile(r"\s+")


def html_text(text: str) -> str:
    """Text -> HTML (or SVG) character data showing exactly that text, on one line."""
    clean = "".join(ch for ch in text if ord(ch) >= 32 and not 0x7F <= ord(ch) < 0xA0)
    return html.escape(_SPACE.sub(" ", clean).strip(), quote=True)


def attribute(text: str) -> str:
    """A quoted attribute value."""
    return f'"{html_text(text)}"'
