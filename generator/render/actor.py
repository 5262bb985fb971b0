"""The profile of one actor: /actors/<id>/."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from generator import addresses
from generator.data import schema
from generator.markup import escape, first_paragraph_text, inline_markdown, link_destination
from generator.model.corpus import (
    ActorEntry,
    Appearance,
    Assertion,
    ClaimEntry,
    Corpus,
    QuoteEntry,
)
from generator.model.graph import actor_graph
from generator.render.common import (
    actor_link,
    article_link,
    briefing_item,
    date_basis,
    event_date,
    listing,
    quotation,
    relation_line,
    timeline_span,
)
from generator.render.graph import render_graph
from generator.render.linked_data import actor_data, script
from generator.render.paging import PREVIEW, list_pages, one_page, paginate
from generator.render.text import block, date_text, front_matter, link, plural
from generator.render.timeline import grouped_timeline

T = TypeVar("T")

KIND_NAMES = {
    "person": "Person",
    "state": "State",
    "organisation": "Organisation",
    "military": "Military",
    "media": "Media",
    "alliance": "Alliance",
    "group": "Group",
}


def render_actor(corpus: Corpus, actor: ActorEntry) -> dict[str, str]:
    """The profile and, for each of its lists longer than PREVIEW, the whole list on pages of
    its own (/actors/<id>/briefings/, quotes/, claims/, relations/, timeline/)."""
    here = addresses.actor_page(actor.id)
    data = actor.data
    scope = addresses.actor_scope(actor.id)
    profile = front_matter(
        title=data.name,
        description=first_paragraph_text(data.summary),
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
        _claims(corpus, actor, here),
        _relations(corpus, actor, here),
        _timeline(corpus, actor, here),
        _links(actor),
        _follow(actor, here),
        script(actor_data(actor)),
    )
    return {here: profile, **_whole_lists(corpus, actor)}


def _latest(what: str, shown: int, count: int, target: str, here: str) -> str:
    """The line under a section showing only part of its list: where the rest is."""
    return f"The latest {shown} of {link(f'all {count:,} {what}', target, here)}."


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
            (
                "Wikidata",
                f"[{escape(data.wikidata)}]"
                f"({link_destination(addresses.wikidata_url(data.wikidata))})",
            )
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
    head = f"## Appearances ({len(items)}) {{ #appearances }}"
    if len(items) > PREVIEW:
        target = addresses.actor_list_page(actor.id, "briefings")
        head += "\n\n" + _latest("briefings", PREVIEW, len(items), target, here)
    return head + "\n\n" + _appearance_lines(corpus, items[:PREVIEW], here)


def _appearance_lines(corpus: Corpus, items: Sequence[Appearance], here: str) -> str:
    return "\n".join(briefing_item(corpus, a.article, here, a.role) for a in items)


def _quotes(corpus: Corpus, actor: ActorEntry, here: str) -> str:
    entries = corpus.quotes_by.get(actor.id, [])
    if not entries:
        return ""
    head = "## Quotes"
    if len(entries) > PREVIEW:
        target = addresses.actor_list_page(actor.id, "quotes")
        head += "\n\n" + _latest("quotes", PREVIEW, len(entries), target, here)
    return head + "\n\n" + _quote_blocks(corpus, entries[:PREVIEW], here)


def _quote_blocks(corpus: Corpus, entries: Sequence[QuoteEntry], here: str) -> str:
    blocks = []
    for entry in entries:
        context = f", {escape(entry.quote.context)}" if entry.quote.context else ""
        blocks.append(
            quotation(
                entry.quote.text,
                f"{article_link(corpus, entry.article.id, here)}{context}",
                listed=True,
            )
        )
    return "\n\n".join(blocks)


def _claims(corpus: Corpus, actor: ActorEntry, here: str) -> str:
    entries = corpus.claims_by.get(actor.id, [])
    if not entries:
        return ""
    head = "## Claims by this actor\n\nWhat the briefings say this actor claims."
    if len(entries) > PREVIEW:
        target = addresses.actor_list_page(actor.id, "claims")
        head += " " + _latest("claims", PREVIEW, len(entries), target, here)
    return head + "\n\n" + _claim_lines(corpus, entries[:PREVIEW], here)


def _claim_lines(corpus: Corpus, entries: Sequence[ClaimEntry], here: str) -> str:
    """Each claim (without who claims it: the list is one claimant's): a key point's text,
    an event's date and what, or a relation (as in the relations list), then the briefing
    that reports it; under an event, where its date comes from, as on the timeline."""
    lines = []
    for entry in entries:
        claim, basis = entry.claim, ""
        if isinstance(claim, schema.Relation):  # as in the relations list, since and note
            assertion = Assertion(entry.article, claim)
            lines.append(relation_line(corpus, assertion, here, source=True, attributed=False))
            continue
        if isinstance(claim, schema.KeyPoint):
            text = escape(claim.text)
        else:
            text = f"{event_date(claim.date, claim.circa, claim.date_basis)} {escape(claim.what)}"
            basis = date_basis(claim.date_basis, claim.date_note)
        line = f"- {text} · *{article_link(corpus, entry.article.id, here)}*"
        lines.append(listing(line + (f"  \n  *{basis}*" if basis else "")))
    return "\n".join(lines)


def _relations(corpus: Corpus, actor: ActorEntry, here: str) -> str:
    assertions = corpus.relations_of.get(actor.id, [])
    if not assertions:
        return ""
    drawn = actor_graph(corpus, actor.id)
    related = {a.relation.subject for a in assertions} | {a.relation.object for a in assertions}
    listed = "the list below has" if len(assertions) <= PREVIEW else "the relations pages have"
    shown = (
        f" The {len(drawn.ring)} actors most often related to {actor.data.name} are drawn; "
        f"{listed} all {len(related) - 1}."
        if len(drawn.ring) < len(related) - 1
        else ""
    )
    caption = f"The relations of {actor.data.name} in the briefings.{shown}"
    graph = render_graph(corpus, drawn, here, caption=caption)
    lines = "\n".join(relation_line(corpus, a, here, source=True) for a in assertions[:PREVIEW])
    if len(assertions) > PREVIEW:
        target = addresses.actor_list_page(actor.id, "relations")
        lines = _latest("relations", PREVIEW, len(assertions), target, here) + "\n\n" + lines
    return "## Relations\n\n" + graph + "\n\n" + lines


def _timeline(corpus: Corpus, actor: ActorEntry, here: str) -> str:
    entries = corpus.events_of_actor.get(actor.id, [])
    if not entries:
        return ""
    name = escape(actor.data.name)
    if len(entries) > PREVIEW:
        target = addresses.actor_list_page(actor.id, "timeline")
        intro = (
            f"The latest {PREVIEW} of {link(f'all {len(entries):,} events', target, here)} "
            f"involving {name}, oldest first."
        )
        entries = entries[-PREVIEW:]
    elif one_page(corpus.timeline):
        everything = link("the whole timeline", f"{addresses.TIMELINE}?actor={actor.id}", here)
        intro = (
            f"{plural(len(entries), 'event')} involving {name}, oldest first; or see them "
            f"on {everything}."
        )
    else:
        intro = f"{plural(len(entries), 'event')} involving {name}, oldest first."
    return (
        "## Timeline\n\n"
        + intro
        + "\n\n"
        + grouped_timeline(corpus, entries, here, level=3, listed=True)
    )


def _whole_lists(corpus: Corpus, actor: ActorEntry) -> dict[str, str]:
    """The lists the profile shows only the latest of, each on pages of its own."""
    name, data = escape(actor.data.name), actor.data
    out: dict[str, str] = {}

    def whole(
        what: str,
        items: Sequence[T],
        render: Callable[[tuple[T, ...], str], str],
        label: str,
        count: str,
        order: str,
        span: Callable[[Sequence[T]], str] | None = None,
    ) -> None:
        """/actors/<id>/<what>/: `label` the actor, and `count` the actor, `order`."""
        if len(items) <= PREVIEW:
            return
        out.update(
            list_pages(
                paginate(items, addresses.actor_list_page(actor.id, what)),
                render,
                title=f"{label} {data.name}",
                heading=f"{label} {name}",
                intro=lambda here: (
                    f"{len(items):,} {count} "
                    f"{link(name, addresses.actor_page(actor.id), here)}, {order}."
                ),
                span=span,
            )
        )

    whole(
        "briefings",
        corpus.appearances.get(actor.id, []),
        lambda chunk, here: _appearance_lines(corpus, chunk, here),
        "Briefings naming",
        "briefings naming",
        "newest first",
    )
    whole(
        "quotes",
        corpus.quotes_by.get(actor.id, []),
        lambda chunk, here: _quote_blocks(corpus, chunk, here),
        "Quotes of",
        "quotes of",
        "newest first",
    )
    whole(
        "claims",
        corpus.claims_by.get(actor.id, []),
        lambda chunk, here: _claim_lines(corpus, chunk, here),
        "Claims by",
        "claims the briefings attribute to",
        "newest briefing first",
    )
    whole(
        "relations",
        corpus.relations_of.get(actor.id, []),
        lambda chunk, here: "\n".join(relation_line(corpus, a, here, source=True) for a in chunk),
        "Relations of",
        "relations asserted by the briefings between",
        "and others, newest briefing first",
    )
    whole(
        "timeline",
        corpus.events_of_actor.get(actor.id, []),
        lambda chunk, here: grouped_timeline(corpus, chunk, here, level=2),
        "Timeline of",
        "events involving",
        "oldest first",
        span=timeline_span,
    )
    return out


def _links(actor: ActorEntry) -> str:
    if not actor.data.links:
        return ""
    lines = [f"- [{escape(item.title)}]({link_destination(item.url)})" for item in actor.data.links]
    return "## Links\n\n" + "\n".join(lines)


def _follow(actor: ActorEntry, here: str) -> str:
    scope = addresses.actor_scope(actor.id)
    return (
        f"Follow the briefings naming {escape(actor.data.name)}: "
        f"{link('Atom feed', addresses.feed(scope, 'atom'), here)} · "
        f"{link('JSON Feed', addresses.feed(scope, 'json'), here)} · "
        f"as data: {link('JSON', addresses.api_actor(actor.id), here)}\n{{ .bs-data-links }}"
    )
