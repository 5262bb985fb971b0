"""The global timeline: /timeline/. Every event in date order, grouped by year and month,
with a filter by actor and by tag (generator/assets/timeline.js; without script every event
is shown and the filter stays hidden)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from generator.dates import MONTHS
from generator.model import Corpus, TimelineEntry
from generator.render.common import timeline_item
from generator.render.html import attribute, html_text
from generator.render.text import block, front_matter, plural


def render_timeline(corpus: Corpus) -> str:
    here = "timeline.md"
    intro = (
        f"{plural(len(corpus.timeline), 'event')} from "
        f"{plural(len(corpus.articles), 'briefing')}, oldest first. Dates are shown at "
        "the precision the sources give: a badge marks a date known only to the month "
        "or the year, and one that is approximate (*c.*)."
    )
    return front_matter(title="Timeline", description="Every event of every briefing.") + block(
        "# Timeline",
        intro,
        timeline_filter(corpus, corpus.timeline),
        grouped_timeline(corpus, corpus.timeline, here, level=2, filterable=True),
    )


def timeline_filter(corpus: Corpus, entries: list[TimelineEntry]) -> str:
    """The filter's form: one list of the actors and one of the tags the events have, each
    with its number of events. Hidden until the script shows it."""
    if not entries:
        return ""
    actors = Counter(a for e in entries for a in e.actors)
    tags = Counter(
        t for e in entries for t in dict.fromkeys(t for s in e.sources for t in s.data.tags)
    )
    actor_options = sorted(actors, key=lambda a: (corpus.actors[a].data.name.casefold(), a))
    return "\n".join(
        [
            '<form class="bs-filter" data-pagefind-ignore="all" hidden '
            'aria-label="Filter the timeline">',
            _select(
                "actor",
                "Actor",
                "Any actor",
                [(a, f"{corpus.actors[a].data.name} ({actors[a]})") for a in actor_options],
            ),
            _select("tag", "Tag", "Any tag", [(t, f"{t} ({tags[t]})") for t in sorted(tags)]),
            '<button class="md-button" type="reset">Show all</button>',
            '<p class="bs-filter__status" role="status" aria-live="polite"></p>',
            "</form>",
        ]
    )


def _select(name: str, label: str, anything: str, options: list[tuple[str, str]]) -> str:
    choices = "".join(
        f"<option value={attribute(value)}>{html_text(text)}</option>" for value, text in options
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
        items.append(timeline_item(corpus, entry, here, filterable=filterable))
    parts.append("\n".join(items))
    return "\n\n".join(p for p in parts if p)
