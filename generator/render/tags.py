"""The tag index /tags/ and one page per tag, /tags/<tag>/."""

from __future__ import annotations

from collections.abc import Sequence

from generator import addresses
from generator.model.corpus import Corpus, TimelineEntry
from generator.render.common import (
    briefing_item,
    published_span,
    timeline_span,
)
from generator.render.paging import PREVIEW, list_pages, page_heading, pager, paginate
from generator.render.text import block, front_matter, link, plural
from generator.render.timeline import grouped_timeline


def render_tag_index(corpus: Corpus) -> str:
    here = addresses.TAG_LIST
    if not corpus.tags:
        body = "No briefing has tags yet."
    else:
        body = "\n".join(
            f"- {link(f'`{tag}`', addresses.tag_page(tag), here)} "
            f"({plural(len(articles), 'briefing')})"
            for tag, articles in corpus.tags.items()
        )
    return front_matter(title="Tags", description="Topics of the briefings.") + block(
        "# Tags", f"{plural(len(corpus.tags), 'topic')} across the briefings.", body
    )


def render_tag(corpus: Corpus, tag: str) -> dict[str, str]:
    """/tags/<tag>/ with the briefings (more than PAGE_SIZE go on /tags/<tag>/page/<n>/) and
    the latest events; all of them on /tags/<tag>/timeline/ when there are more than
    PREVIEW."""
    articles = corpus.tags[tag]
    pages = paginate(articles, addresses.tag_page(tag))
    titles = [published_span(chunk) for chunk in pages.chunks]
    events = corpus.tag_timeline(tag)
    scope = addresses.tag_scope(tag)
    out: dict[str, str] = {}
    for number, here, chunk in pages.numbered():
        nav = pager(pages, number, here, titles)
        lines = "\n".join(briefing_item(corpus, a, here) for a in chunk)
        heading = page_heading(f"Tag: `{tag}`", number, pages.count)
        count = plural(len(articles), "briefing")
        if number == 1:
            out[here] = front_matter(
                title=f"Tag: {tag}",
                description=f"Briefings tagged {tag}.",
                feed_title=f"Briefings tagged {tag}",
                feed_atom=addresses.feed(scope, "atom"),
                feed_json=addresses.feed(scope, "json"),
            ) + block(
                f"# {heading}",
                f"{count} · {link('All tags', addresses.TAG_LIST, here)}",
                "## Briefings",
                nav,
                lines,
                nav,
                _timeline(corpus, tag, events, here),
                _follow(tag, here),
            )
        else:
            out[here] = front_matter(
                title=page_heading(f"Tag: {tag}", number, pages.count),
                search={"exclude": True},
            ) + block(
                f"# {heading}",
                f"{count} · {link(f'`{tag}`', pages.first, here)} · "
                f"{link('All tags', addresses.TAG_LIST, here)}",
                nav,
                lines,
                nav,
            )
    if len(events) > PREVIEW:
        out |= list_pages(
            paginate(events, addresses.tag_timeline_page(tag)),
            lambda chunk, here: grouped_timeline(corpus, chunk, here, level=2),
            title=f"Timeline of {tag}",
            heading=f"Timeline of `{tag}`",
            intro=lambda here: (
                f"{len(events):,} events of the briefings tagged "
                f"{link(f'`{tag}`', addresses.tag_page(tag), here)}, oldest first."
            ),
            span=timeline_span,
        )
    return out


def _timeline(corpus: Corpus, tag: str, events: Sequence[TimelineEntry], here: str) -> str:
    if not events:
        return ""
    if len(events) <= PREVIEW:
        return "## Timeline\n\n" + grouped_timeline(corpus, events, here, level=3, listed=True)
    target = addresses.tag_timeline_page(tag)
    return (
        f"## Timeline\n\nThe latest {PREVIEW} of "
        f"{link(f'all {len(events):,} events', target, here)}, oldest first.\n\n"
        + grouped_timeline(corpus, events[-PREVIEW:], here, level=3, listed=True)
    )


def _follow(tag: str, here: str) -> str:
    scope = addresses.tag_scope(tag)
    return (
        f"Follow the briefings tagged `{tag}`: "
        f"{link('Atom feed', addresses.feed(scope, 'atom'), here)} · "
        f"{link('JSON Feed', addresses.feed(scope, 'json'), here)} · "
        f"as data: {link('JSON', addresses.api_tag(tag), here)}\n{{ .bs-data-links }}"
    )
