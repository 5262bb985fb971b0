"""Editors' text never becomes HTML: escaping, checked through Python-Markdown itself."""

import re
from html import unescape
from html.parser import HTMLParser

import markdown
import pytest

from generator.markup import escape, inline_markdown
from generator.render.text import relative_link

EXTENSIONS = [
    "toc",
    "admonition",
    "attr_list",
    "def_list",
    "tables",
    "pymdownx.superfences",
    "pymdownx.details",
    "generator.publish.markdown_safety",
]


def html(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS).convert(text)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(out: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(out)
    return parser.found


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "*not emphasis* and _not_ either",
        "text {: onclick=alert(1) }",
        "# not a heading",
        "1. not a list",
        "> not a quote",
        "| a | b |",
        "!!! note",
        "??? details",
        ": definition",
        "`code` and ```fence```",
        "{{ template }} {% tag %}",
        "a\x00b\x1bc",
    ],
)
def test_plain_text_shows_exactly_as_written(text: str) -> None:
    out = html(f"- {escape(text)}")
    assert elements(out) == [("ul", {}), ("li", {})]
    visible = "".join(ch for ch in re.sub(r"\s+", " ", text) if ch.isprintable()).strip()
    assert unescape(re.sub(r"<[^>]+>", "", out)).strip() == visible


def test_plain_text_round_trips_visible_characters() -> None:
    text = 'Kim\'s "sacred war" & <b> | a_b *c* [d](e) #f'
    out = html(escape(text))
    assert unescape(re.sub(r"<[^>]+>", "", out)) == text


def test_inline_markdown_keeps_emphasis_and_safe_links() -> None:
    out = html("\n\n".join(inline_markdown("*a* and [b](https://example.org/)")))
    assert out == '<p><em>a</em> and <a href="https://example.org/">b</a></p>'


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](data:text/html,hi)",
        "![x](https://tracker.example/p.png)",
        "<b>bold</b>",
        "<https://example.org>",
        "x {: onclick=alert(1) }",
        "# heading",
        "- list",
        "1. list",
        "    code",
        "??? note",
        "!!! warning",
        "---",
        "> quote",
        "[x]: javascript:alert(1)",
    ],
)
def test_inline_markdown_drops_html_images_blocks_and_unsafe_links(text: str) -> None:
    out = html("\n\n".join(inline_markdown(text)))
    for tag, attributes in elements(out):
        assert tag in ("p", "a")
        assert set(attributes) <= {"href"}
        href = attributes.get("href")
        assert href is None or href.startswith("https://")


def test_relative_links_between_pages() -> None:
    assert relative_link("actors/kim.md", "briefings/x.md") == "../actors/kim.md"
    assert relative_link("actors/kim.md", "index.md") == "actors/kim.md"
    assert relative_link("timeline.md#2023", "tags/x.md") == "../timeline.md#2023"
