"""The schema.org JSON-LD of briefing and actor pages: what search engines and other
machines read of a page (a `NewsArticle`; a `ProfilePage` about a `Person` or an
`Organization`), in a `<script type="application/ld+json">` element of the page itself.

A raw HTML block of the Markdown carries it, so any Markdown builder keeps it (no theme
template needed); `markup.script_json` writes the JSON so that nothing in the data can end
the element. Dates are given when the data knows them: an approximate (`circa`) date is
left out rather than stated as fact.
"""

from __future__ import annotations

from typing import Any

from generator import addresses
from generator.data.schema import Actor, Article
from generator.markup import first_paragraph_text, script_json
from generator.model.corpus import ActorEntry, ArticleEntry, Corpus

CONTEXT = "https://schema.org"
PERSON_KIND = "person"  # other kinds of actor are organisations to schema.org


def script(value: dict[str, Any]) -> str:
    """The JSON-LD element, as a raw HTML block of a page."""
    return f'<script type="application/ld+json">{script_json(value)}</script>'


def briefing_data(corpus: Corpus, article: ArticleEntry) -> dict[str, Any]:
    """A briefing as a `NewsArticle` based on the news article it summarises."""
    data = article.data
    listed = [a.actor for a in data.actors]
    named = (
        {e for ev in data.events for e in ev.actors}
        | {q.by for q in data.quotes}
        | {x for r in data.relations for x in (r.subject, r.object)}
    )
    others = sorted(named - set(listed))
    value: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": data.title,
        "description": data.key_points[0].text,
        "isBasedOn": _source(data),
        "about": [actor_thing(corpus.actors[a].data) for a in listed],
        **_author(data),
        **_published(data),
    }
    if others:
        value["mentions"] = [actor_thing(corpus.actors[a].data) for a in others]
    if data.tags:
        value["keywords"] = list(data.tags)
    return value


def _source(data: Article) -> dict[str, Any]:
    source = data.source
    value: dict[str, Any] = {
        "@type": "NewsArticle",
        "headline": data.title,
        "inLanguage": source.language,
        **_author(data),
        **_published(data),
    }
    if source.url:
        value["url"] = source.url
    if source.outlet:
        value["publisher"] = {"@type": "Organization", "name": source.outlet}
    return value


def _author(data: Article) -> dict[str, Any]:
    """The article's authors: the briefing states their reporting, in other words."""
    author = data.source.author
    if not author:
        return {}
    names = [author] if isinstance(author, str) else list(author)
    return {"author": [{"@type": "Person", "name": name} for name in names]}


def _published(data: Article) -> dict[str, Any]:
    return {} if data.published_circa else {"datePublished": data.published.iso()}


def actor_thing(actor: Actor) -> dict[str, Any]:
    """An actor as a schema.org `Person` or `Organization`, with its Wikidata item."""
    value: dict[str, Any] = {
        "@type": "Person" if actor.kind == PERSON_KIND else "Organization",
        "name": actor.name,
    }
    if actor.aliases:
        value["alternateName"] = list(actor.aliases)
    if actor.wikidata:
        value["sameAs"] = addresses.wikidata_url(actor.wikidata)
    return value


def actor_data(actor: ActorEntry) -> dict[str, Any]:
    """An actor's profile as a `ProfilePage` whose main entity is the actor."""
    data = actor.data
    entity = actor_thing(data)
    entity["description"] = first_paragraph_text(data.summary)
    if data.kind == PERSON_KIND and data.born and not data.born_circa:
        entity["birthDate"] = data.born.iso()
    return {
        "@context": CONTEXT,
        "@type": "ProfilePage",
        "headline": data.name,
        "mainEntity": entity,
    }
