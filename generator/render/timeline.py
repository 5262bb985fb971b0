"""The global timeline: /timeline/. Every event in date order, grouped by year and month."""

from __future__ import annotations

from collections.abc import Iterable

from generator.dates import MONTHS
from generator.model import Corpus, TimelineEntry
from generator.render.common import timeline_item
from generator.render.text import block, front_matter, plural


def render_timeline(corpus: Corpus) -> str:
    here = "timeline.md"
    intro = (f"{plural(len(corpus.timeline), 'event')} from "
             f"{plural(len(corpus.articles), 'briefing')}, oldest first. Dates are shown at "
             "the precision the sources give; *c.* marks an approximate date.")
    return front_matter(title="Timeline", description="Every event of every briefing.") + block(
        "# Timeline", intro, grouped_timeline(corpus, corpus.timeline, here, level=2))


def grouped_timeline(corpus: Corpus, entries: Iterable[TimelineEntry], here: str, *,
                     level: int) -> str:
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
        items.append(timeline_item(corpus, entry, here))
    parts.append("\n".join(items))
    return "\n\n".join(p for p in parts if p)
