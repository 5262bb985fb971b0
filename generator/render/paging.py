"""Long lists split into pages, so no page grows with the corpus.

A list of more than PAGE_SIZE items (the timeline's events, the briefings, a tag's
briefings, everything an actor is named in) is cut into pages of PAGE_SIZE: page 1 is at
the list's own address and page n at `<address>/page/<n>/`, as Hugo and Material's blog
plugin number them. A profile (an actor, a tag) shows the PREVIEW most recent items of a
long list and links to the whole list on pages of its own. A short list stays on one page,
so a small site looks exactly as it would without paging.

Continuation pages and the whole lists are left out of the search index: every item on
them is a briefing or an event whose own page is indexed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from generator import addresses
from generator.render.text import block, front_matter, link

T = TypeVar("T")

PAGE_SIZE = 100
"""Items on one page of a list (events or briefings): about 100 KB of HTML."""

PREVIEW = 20
"""Items of a long list a profile shows before its link to the whole list."""

WINDOW = 2
"""Page numbers the pager shows on each side of the current one (and always the first and
the last)."""


def one_page(items: Sequence[object]) -> bool:
    """Whether a list fits on one page (what `paginate` would give it)."""
    return len(items) <= PAGE_SIZE


@dataclass(frozen=True)
class Pages(Generic[T]):
    """A list cut into pages; page numbers start at 1."""

    first: str
    chunks: tuple[tuple[T, ...], ...]

    @property
    def count(self) -> int:
        return len(self.chunks)

    def path(self, number: int) -> str:
        return addresses.list_page(self.first, number)

    def numbered(self) -> list[tuple[int, str, tuple[T, ...]]]:
        """(number, docs path, items) of each page."""
        return [(n, self.path(n), chunk) for n, chunk in enumerate(self.chunks, start=1)]


def paginate(items: Sequence[T], first: str, size: int | None = None) -> Pages[T]:
    """`items` in pages of `size` (PAGE_SIZE); an empty list is one empty page."""
    size = size or PAGE_SIZE
    chunks = tuple(tuple(items[i : i + size]) for i in range(0, len(items), size))
    return Pages(first, chunks or ((),))


def pager(pages: Pages[T], number: int, here: str, titles: Sequence[str] = ()) -> str:
    """The links between the pages of a list, as one paragraph of Markdown (MkDocs checks
    every link): previous, the first, the pages around this one, the last, next. `titles`
    (one per page, e.g. its dates) become the links' tooltips. Empty for a one-page list."""
    if pages.count < 2:
        return ""

    def to(n: int, text: str) -> str:
        target = link(text, pages.path(n), here)
        if n <= len(titles) and titles[n - 1]:
            title = titles[n - 1].replace("\\", "").replace('"', "'")
            target = target[:-1] + f' "{title}")'
        return target

    around = range(max(1, number - WINDOW), min(pages.count, number + WINDOW) + 1)
    shown = sorted({1, pages.count, *around})
    parts = []
    if number > 1:
        parts.append(to(number - 1, "\N{SINGLE LEFT-POINTING ANGLE QUOTATION MARK} Previous"))
    last = 0
    for n in shown:
        if n > last + 1:
            parts.append("…")
        parts.append(f"**{n}**" if n == number else to(n, str(n)))
        last = n
    if number < pages.count:
        parts.append(to(number + 1, "Next \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"))
    return (
        " ".join(parts)
        + f'\n{{ .bs-pager role="navigation" aria-label="Page {number} of {pages.count}" }}'
    )


def page_heading(title: str, number: int, count: int) -> str:
    """A list page's title: `Timeline` on page 1 (or a one-page list), else with its number."""
    return title if number == 1 else f"{title}, page {number} of {count}"


def list_pages(
    pages: Pages[T],
    render: Callable[[tuple[T, ...], str], str],
    *,
    title: str,
    heading: str,
    intro: Callable[[str], str],
    span: Callable[[Sequence[T]], str] | None = None,
) -> dict[str, str]:
    """Every page of a whole list behind a profile (left out of the search index): the
    heading (Markdown, escaped by the caller), `intro(here)`, the pager, the items rendered
    by `render(items, here)`, and the pager again. `span(items)` names what a page covers
    (its dates), in the pager's tooltips."""
    titles = [span(chunk) for chunk in pages.chunks] if span else []
    out = {}
    for number, here, chunk in pages.numbered():
        nav = pager(pages, number, here, titles)
        out[here] = front_matter(
            title=page_heading(title, number, pages.count),
            search={"exclude": True},
        ) + block(
            f"# {page_heading(heading, number, pages.count)}",
            intro(here),
            nav,
            render(chunk, here),
            nav,
        )
    return out
