"""The page of one briefing: /briefings/<id>/."""

from __future__ import annotations

from generator import addresses
from generator.markup import escape, inline_markdown, link_destination
from generator.model.corpus import ArticleEntry, Assertion, Corpus
from generator.model.graph import article_graph
from generator.model.related import Related
from generator.render.common import (
    according_to,
    actor_link,
    actor_list,
    date_basis,
    listing,
    quotation,
    relation_line,
    timeline_item,
)
from generator.render.graph import render_graph
from generator.render.linked_data import briefing_data, script
from generator.render.text import block, date_text, front_matter, link, plural


def render_briefing(corpus: Corpus, article: ArticleEntry) -> str:
    here = addresses.article_page(article.id)
    data = article.data
    return front_matter(title=data.title, description=data.key_points[0].text) + block(
        f"# {escape(data.title)}",
        _source_line(article),
        _editor_note(article),
        "## Summary\n\n" + "\n\n".join(inline_markdown(data.summary)),
        "## Key points\n\n"
        + "\n".join(
            f"- {escape(p.text)}{according_to(corpus, p.according_to, here)}"
            for p in data.key_points
        ),
        _actors(corpus, article, here),
        _events(corpus, article, here),
        _relations(corpus, article, here),
        _quotes(corpus, article, here),
        _outlook(article),
        _tags(article, here),
        _related(corpus, article, here),
        _data(article, here),
        script(briefing_data(corpus, article)),
    )


def _source_line(article: ArticleEntry) -> str:
    data, source = article.data, article.data.source
    parts = []
    if source.outlet:
        parts.append(f"**{escape(source.outlet)}**")
    if source.author:
        authors = [source.author] if isinstance(source.author, str) else source.author
        parts.append("By " + ", ".join(escape(a) for a in authors))
    published = f"Published {date_text(data.published, data.published_circa)}"
    basis = date_basis(data.published_basis, data.published_note)
    parts.append(published + (f" ({basis})" if basis else ""))
    if source.url:
        parts.append(f"[Original article]({link_destination(source.url)})")
    if source.language != "en":
        parts.append(f"Language: {escape(source.language)}")
    return " · ".join(parts) + "\n{ .briefing-source }"


def _editor_note(article: ArticleEntry) -> str:
    note = article.data.editor_note
    if not note:
        return ""
    body = "\n\n".join("    " + p for p in inline_markdown(note))
    return f'!!! note "Editor\'s note"\n\n{body}'


def _actors(corpus: Corpus, article: ArticleEntry, here: str) -> str:
    lines = [
        f"- {actor_link(corpus, a.actor, here)} "
        f"*({corpus.actors[a.actor].data.kind})*: {escape(a.role)}"
        for a in article.data.actors
    ]
    return "## Actors\n\n" + "\n".join(lines)


def _events(corpus: Corpus, article: ArticleEntry, here: str) -> str:
    entries = corpus.events_of_article.get(article.id, [])
    if not entries:
        return ""
    items = []
    for entry in entries:
        others = [s for s in entry.sources if s.id != article.id]
        also = ""
        if others:
            also = "Also reported in: " + ", ".join(
                link(escape(s.data.title), addresses.article_page(s.id), here) for s in others
            )
        items.append(timeline_item(corpus, entry, here, sources=False, more=also))
    return "## Timeline\n\n" + "\n".join(items)


def _relations(corpus: Corpus, article: ArticleEntry, here: str) -> str:
    if not article.data.relations:
        return ""
    lines = [relation_line(corpus, Assertion(article, r), here) for r in article.data.relations]
    graph = render_graph(
        corpus, article_graph(corpus, article), here, caption="The relations this briefing reports."
    )
    return "## Relations\n\n" + graph + "\n\n" + "\n".join(lines)


def _quotes(corpus: Corpus, article: ArticleEntry, here: str) -> str:
    blocks = []
    for quote in article.data.quotes:
        by = actor_link(corpus, quote.by, here)
        context = f", {escape(quote.context)}" if quote.context else ""
        blocks.append(quotation(quote.text, f"{by}{context}"))
    return "## Quotes\n\n" + "\n\n".join(blocks) if blocks else ""


def _outlook(article: ArticleEntry) -> str:
    if not article.data.outlook:
        return ""
    return "## Outlook\n\n" + "\n".join(f"- {escape(item)}" for item in article.data.outlook)


def _tags(article: ArticleEntry, here: str) -> str:
    if not article.data.tags:
        return ""
    links = [link(f"`{tag}`", addresses.tag_page(tag), here) for tag in article.data.tags]
    return "## Tags\n\n" + " ".join(links)


def _related(corpus: Corpus, article: ArticleEntry, here: str) -> str:
    related = corpus.related.get(article.id, [])
    if not related:
        return ""
    lines = [
        listing(
            f"- {date_text(r.article.data.published, r.article.data.published_circa)}: "
            f"{link(escape(r.article.data.title), addresses.article_page(r.article.id), here)}  \n"
            f"  {_shared(corpus, r, here)}"
        )
        for r in related
    ]
    return (
        "## Related briefings\n\nOther briefings sharing events, actors or tags with this "
        "one, most shared first.\n\n" + "\n".join(lines)
    )


def _shared(corpus: Corpus, related: Related, here: str) -> str:
    parts = []
    if related.events:
        parts.append(plural(len(related.events), "event"))
    if related.actors:
        parts.append(
            f"{'actor' if len(related.actors) == 1 else 'actors'} "
            + actor_list(corpus, related.actors, here)
        )
    if related.tags:
        tags = ", ".join(link(f"`{t}`", addresses.tag_page(t), here) for t in related.tags)
        parts.append(f"{'tag' if len(related.tags) == 1 else 'tags'} {tags}")
    return "Shared: " + " · ".join(parts)


def _data(article: ArticleEntry, here: str) -> str:
    return (
        f"This briefing as data: {link('JSON', addresses.api_briefing(article.id), here)}"
        f" · {link('about the data', addresses.API_PAGE, here)}\n{{ .bs-data-links }}"
    )
