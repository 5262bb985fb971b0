"""The lists of all briefings (/briefings/) and all actors (/actors/)."""

from __future__ import annotations

from typing import Any

from generator import addresses
from generator.markup import escape
from generator.model.corpus import Corpus
from generator.render.actor import KIND_NAMES
from generator.render.common import actor_link, briefing_item, listing, published_span
from generator.render.paging import page_heading, pager, paginate
from generator.render.text import block, front_matter, plural


def render_briefing_list(corpus: Corpus) -> dict[str, str]:
    """/briefings/, newest first under a heading per year; more than PAGE_SIZE briefings go
    on /briefings/page/<n>/ (left out of the search index, like each briefing's line)."""
    pages = paginate(corpus.latest(), addresses.BRIEFING_LIST)
    titles = [published_span(chunk) for chunk in pages.chunks]
    out = {}
    for number, here, chunk in pages.numbered():
        parts: list[str] = []
        year: int | None = None
        for article in chunk:
            if article.data.published.year != year:
                year = article.data.published.year
                parts.append(f"\n## {year}\n")
            parts.append(briefing_item(corpus, article, here, article.data.key_points[0].text))
        nav = pager(pages, number, here, titles)
        body = "\n".join(parts) if parts else "No briefings yet."
        intro = f"{plural(len(corpus.articles), 'briefing')}, newest first."
        if number > 1:
            intro += f" This page: {titles[number - 1]}."
        meta: dict[str, Any] = {"search": {"exclude": True}} if number > 1 else {}
        out[here] = front_matter(
            title=page_heading("Briefings", number, pages.count),
            description="Every briefing, newest first.",
            **meta,
        ) + block(f"# {page_heading('Briefings', number, pages.count)}", intro, nav, body, nav)
    return out


def render_actor_list(corpus: Corpus) -> str:
    here = addresses.ACTOR_LIST
    counts = {actor.id: count for actor, count in corpus.mentions()}
    sections = []
    for kind, title in KIND_NAMES.items():
        members = sorted(
            (a for a in corpus.actors.values() if a.data.kind == kind),
            key=lambda a: (a.data.name.casefold(), a.id),
        )
        if not members:
            continue
        # a LISTING: an alias found here would only repeat the actor's own page
        lines = [
            listing(
                f"- {actor_link(corpus, a.id, here)} "
                f"({plural(counts[a.id], 'briefing')})"
                + (
                    f": also {', '.join(escape(x) for x in a.data.aliases[:4])}"
                    if a.data.aliases
                    else ""
                )
            )
            for a in members
        ]
        sections.append(f"## {title}\n\n" + "\n".join(lines))
    return front_matter(title="Actors", description="Everyone the briefings name.") + block(
        "# Actors", f"{plural(len(corpus.actors), 'actor')} by kind.", *sections
    )
