"""The profile of one actor: /actors/<id>/."""

from __future__ import annotations

from generator import addresses
from generator.graph import actor_graph
from generator.model import ActorEntry, Corpus
from generator.render.common import actor_link, article_link, relation_line
from generator.render.graph import render_graph
from generator.render.text import (
    block,
    date_text,
    escape,
    front_matter,
    inline_markdown,
    link,
    page_of_actor,
    plural,
)
from generator.render.timeline import grouped_timeline

KIND_NAMES = {
    "person": "Person",
    "state": "State",
    "organisation": "Organisation",
    "military": "Military",
    "media": "Media",
    "alliance": "Alliance",
    "group": "Group",
}


def render_actor(corpus: Corpus, actor: ActorEntry) -> str:
    here = page_of_actor(actor.id)
    data = actor.data
    scope = addresses.actor_scope(actor.id)
    return front_matter(
        title=data.name,
        description=data.summary.split("\n")[0],
        # overrides/main.html links the feeds from the page's <head>
        feed_title=f"Briefings naming {data.name}",
        feed_atom=addresses.feed(scope, "atom"),
        feed_json=addresses.feed(scope, "json"),
    ) + block(
        f"# {escape(data.name)}",
        "\n\n".join(inline_markdown(data.summary)),
        _facts(corpus, actor, here),
        _positions(corpus, actor, here),
        _appearances(corpus, actor, here),
        _quotes(corpus, actor, here),
        _relations(corpus, actor, here),
        _timeline(corpus, actor, here),
        _links(actor),
        _follow(actor, here),
    )


def _facts(corpus: Corpus, actor: ActorEntry, here: str) -> str:
    data = actor.data
    rows = [("Kind", KIND_NAMES[data.kind])]
    if data.country:
        rows.append(("Country", actor_link(corpus, data.country, here)))
    if data.born:
        rows.append(("Born", date_text(data.born, data.born_circa)))
    if data.aliases:
        rows.append(("Also known as", ", ".join(escape(a) for a in data.aliases)))
    if data.wikidata:
        rows.append(
            ("Wikidata", f"[{data.wikidata}](https://www.wikidata.org/wiki/{data.wikidata})")
        )
    count = len(corpus.appearances.get(actor.id, []))
    rows.append(("Appears in", plural(count, "briefing")))
    return "## Facts\n\n" + "\n".join(f"- **{name}**: {value}" for name, value in rows)


def _positions(corpus: Corpus, actor: ActorEntry, here: str) -> str:
    lines = []
    for position in actor.data.positions:
        text = f"- {escape(position.title)}"
        if position.of:
            text += f", {actor_link(corpus, position.of, here)}"
        if position.since and position.until:
            text += f" ({date_text(position.since)} to {date_text(position.until)})"
        elif position.since:
            text += f" (since {date_text(position.since)})"
        elif position.until:
            text += f" (until {date_text(position.until)})"
        lines.append(text)
    return "## Positions\n\n" + "\n".join(lines) if lines else ""


def _appearances(corpus: Corpus, actor: ActorEntry, here: str) -> str:
    items = corpus.appearances.get(actor.id, [])
    if not items:
        return "## Appearances\n\nNot yet named in any briefing."
    lines = [
        f"- {date_text(a.article.data.published, a.article.data.published_circa)}: "
        f"{article_link(corpus, a.article.id, here)}  \n  {escape(a.role)}"
        for a in items
    ]
    return f"## Appearances ({len(items)})\n\n" + "\n".join(lines)


def _quotes(corpus: Corpus, actor: ActorEntry, here: str) -> str:
    blocks = []
    for entry in corpus.quotes_by.get(actor.id, []):
        context = f", {escape(entry.quote.context)}" if entry.quote.context else ""
        blocks.append(
            f"> “{escape(entry.quote.text)}”\n>\n> — "
            f"{article_link(corpus, entry.article.id, here)}{context}"
        )
    return "## Quotes\n\n" + "\n\n".join(blocks) if blocks else ""


def _relations(corpus: Corpus, actor: ActorEntry, here: str) -> str:
    assertions = corpus.relations_of.get(actor.id, [])
    if not assertions:
        return ""
    lines = [relation_line(corpus, a, here, source=True) for a in assertions]
    drawn = actor_graph(corpus, actor.id)
    related = {a.relation.subject for a in assertions} | {a.relation.object for a in assertions}
    shown = (
        f" The {len(drawn.ring)} actors most often related to {actor.data.name} are drawn; "
        f"the list below has all {len(related) - 1}."
        if len(drawn.ring) < len(related) - 1
        else ""
    )
    caption = f"The relations of {actor.data.name} in the briefings.{shown}"
    graph = render_graph(corpus, drawn, here, caption=caption)
    return "## Relations\n\n" + graph + "\n\n" + "\n".join(lines)


def _timeline(corpus: Corpus, actor: ActorEntry, here: str) -> str:
    entries = corpus.events_of_actor.get(actor.id, [])
    if not entries:
        return ""
    everything = link("the whole timeline", f"timeline.md?actor={actor.id}", here)
    return (
        f"## Timeline\n\n{plural(len(entries), 'event')} involving "
        f"{escape(actor.data.name)}, oldest first; or see them on {everything}.\n\n"
        + grouped_timeline(corpus, entries, here, level=3)
    )


def _links(actor: ActorEntry) -> str:
    if not actor.data.links:
        return ""
    lines = [f"- [{escape(item.title)}]({item.url})" for item in actor.data.links]
    return "## Links\n\n" + "\n".join(lines)


def _follow(actor: ActorEntry, here: str) -> str:
    scope = addresses.actor_scope(actor.id)
    return (
        f"Follow the briefings naming {escape(actor.data.name)}: "
        f"{link('Atom feed', addresses.feed(scope, 'atom'), here)} · "
        f"{link('JSON Feed', addresses.feed(scope, 'json'), here)} · "
        f"as data: {link('JSON', addresses.api_actor(actor.id), here)}\n{{ .bs-data-links }}"
    )
