"""A Python-Markdown extension (listed in mkdocs.yml) that keeps every page free of script:
no `javascript:`/`data:` links or sources and no `on...` event attributes, whatever the
Markdown said. The renderers already escape editors' text; this is the second lock."""

from __future__ import annotations

import html
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = ("http", "https", "mailto")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "srcset")


def is_safe_url(url: str) -> bool:
    """Relative addresses and http(s)/mailto ones; nothing a browser would run."""
    if ":" not in url and "&" not in url:
        return True  # no scheme, not even one written as an entity: a relative address
    # Python-Markdown keeps entities in attributes, and browsers decode them: `&#58;` is `:`.
    compact = "".join(
        ch for ch in html.unescape(url) if ch.isprintable() and not ch.isspace()
    ).lower()
    scheme, colon, _ = compact.partition(":")
    if not colon or "/" in scheme or "?" in scheme or "#" in scheme:
        return True  # no scheme: a relative address
    return scheme in SAFE_SCHEMES


class _SafetyProcessor(Treeprocessor):
    def run(self, root: Element) -> None:
        for element in root.iter():
            for name in list(element.attrib):
                lowered = name.lower()
                if lowered.startswith("on") or (
                    lowered in URL_ATTRIBUTES and not is_safe_url(element.attrib[name])
                ):
                    del element.attrib[name]


class SafetyExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After inline patterns and attribute lists have produced their attributes.
        md.treeprocessors.register(_SafetyProcessor(md), "briefing_safety", 0)


def makeExtension(**kwargs: Any) -> SafetyExtension:
    return SafetyExtension(**kwargs)
