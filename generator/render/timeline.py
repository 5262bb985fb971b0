"""The global timeline: /timeline/. Every event in date order, grouped by year and month,
with a filter by actor and by tag (generator/assets/timeline.js; without script every event
is shown and the filter stays hidden). More than PAGE_SIZE events go on numbered pages
(generator/render/paging.py), with links to each year from the first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from generator import addresses
from generator.data.dates import MONTHS
from generator.markup import attribute, html_text
from generator.model.corpus import Corpus, TimelineEntry
from generator.render.common import (
    actor_events_page,
    tag_events_page,
    timeline_item,
    timeline_span,
)
from generator.render.paging import Pages, page_heading, pager, paginate
from generator.render.text import block, front_matter, link, plural

FIRST = addresses.TIMELINE


def timeline_pages(corpus: Corpus) -> int:
    """How many pages the timeline takes (one unit of output each: render/site.py)."""
    return paginate(corpus.timeline, FIRST).count


def render_timeline(corpus: Corpus, number: int = 1) -> dict[str, str]:
    """Page `number` of the timeline: /timeline/, or for more than PAGE_SIZE events
    /timeline/page/<number>/. Left out of the search index: each event is on the pages of
    the briefings reporting it."""
    pages = paginate(corpus.timeline, FIRST)
    titles = [timeline_span(chunk) for chunk in pages.chunks]
    here, chunk = pages.path(number), pages.chunks[number - 1]
    nav = pager(pages, number, here, titles)
    if number == 1:
        intro = (
            f"{plural(len(corpus.timeline), 'event')} from "
            f"{plural(len(corpus.articles), 'briefing')}, oldest first. Each date is shown "
            "at its own precision: a badge marks a date known only to the month or the "
            "year, and one that is approximate (*c.*); a date the article does not state "
            "says whether it is inferred from the article or comes from outside it."
        )
    else:
        intro = f"Events of {titles[number - 1]}, oldest first."
    if pages.count > 1:
        intro += (
            f" The events are on {pages.count} pages; the filter below shows this page's events."
        )
    text = front_matter(
        title=page_heading("Timeline", number, pages.count),
        description="Every event of every briefing.",
        search={"exclude": True},
    ) + block(
        f"# {page_heading('Timeline', number, pages.count)}",
        intro,
        _years(pages, here) if number == 1 else "",
        timeline_filter(corpus, list(chunk), here, paged=pages.count > 1),
        nav,
        grouped_timeline(corpus, chunk, here, level=2, filterable=True),
        nav,
    )
    return {here: text}


def _years(pages: Pages[TimelineEntry], here: str) -> str:
    """Links to the first event of each year, on whichever page it is."""
    if pages.count < 2:
        return ""
    links = []
    seen: set[int] = set()
    for _, path, chunk in pages.numbered():
        for entry in chunk:
            if entry.date.year not in seen:
                seen.add(entry.date.year)
                year = entry.date.year
                links.append(link(str(year), f"{path}#{year}", here))
    return "Years: " + " · ".join(links) + "\n{ .bs-years }"


def timeline_filter(
    corpus: Corpus, entries: list[TimelineEntry], here: str, *, paged: bool = False
) -> str:
    """The filter's form: one list of the actors and one of the tags the events have, each
    with its number of events, and one of who claims them (`according_to`) when any event is
    attributed. Hidden until the script shows it. On one page of a paged
    timeline (`paged`), each choice also names where all of its events are."""
    if not entries:
        return ""
    actors = Counter(a for e in entries for a in e.actors)
    tags = Counter(
        t for e in entries for t in dict.fromkeys(t for s in e.sources for t in s.data.tags)
    )
    claimants = Counter(a for e in entries for a in e.according_to)

    def by_name(counted: Counter[str]) -> list[str]:
        return sorted(counted, key=lambda a: (corpus.actors[a].data.name.casefold(), a))

    claimant_select = _select(
        "claimant",
        "According to",
        "Anyone",
        [
            _Option(a, f"{corpus.actors[a].data.name} ({claimants[a]})", "", "")
            for a in by_name(claimants)
        ],
    )
    return "\n".join(
        [
            '<form class="bs-filter" data-pagefind-ignore="all" hidden '
            f'aria-label="Filter the timeline"{" data-paged" if paged else ""}>',
            _select(
                "actor",
                "Actor",
                "Any actor",
                [
                    _Option(
                        a,
                        f"{corpus.actors[a].data.name} ({actors[a]})",
                        corpus.actors[a].data.name,
                        addresses.url_from(actor_events_page(corpus, a), here) if paged else "",
                    )
                    for a in by_name(actors)
                ],
            ),
            _select(
                "tag",
                "Tag",
                "Any tag",
                [
                    _Option(
                        t,
                        f"{t} ({tags[t]})",
                        t,
                        addresses.url_from(tag_events_page(corpus, t), here) if paged else "",
                    )
                    for t in sorted(tags)
                ],
            ),
            *([claimant_select] if claimants else []),
            '<button class="md-button" type="reset">Show all</button>',
            '<p class="bs-filter__status" role="status" aria-live="polite"></p>',
            "</form>",
        ]
    )


class _Option(NamedTuple):
    value: str
    text: str
    name: str
    whole: str  # the address of all of this choice's events, on a paged timeline


def _select(name: str, label: str, anything: str, options: list[_Option]) -> str:
    choices = "".join(
        f"<option value={attribute(o.value)}"
        + (f" data-whole={attribute(o.whole)} data-name={attribute(o.name)}" if o.whole else "")
        + f">{html_text(o.text)}</option>"
        for o in options
    )
    return (
        f'<label class="bs-filter__field">{label} <select name="{name}">'
        f'<option value="">{anything}</option>{choices}</select></label>'
    )


def grouped_timeline(
    corpus: Corpus,
    entries: Iterable[TimelineEntry],
    here: str,
    *,
    level: int,
    filterable: bool = False,
    listed: bool = False,
) -> str:
    """Events under a heading per year and, within it, per month (year-only events first)."""
    parts: list[str] = []
    year: int | None = None
    month: int | None = -1
    items: list[str] = []
    for entry in entries:
        if entry.date.year != year:
            parts.append("\n".join(items))
            items = []
            year, month = entry.date.year, -1
            parts.append(f"{'#' * level} {year}")
        if entry.date.month != month:
            parts.append("\n".join(items))
            items = []
            month = entry.date.month
            if month is not None:
                parts.append(f"{'#' * (level + 1)} {MONTHS[month]} {year}")
        items.append(timeline_item(corpus, entry, here, filterable=filterable, listed=listed))
    parts.append("\n".join(items))
    return "\n\n".join(p for p in parts if p)
