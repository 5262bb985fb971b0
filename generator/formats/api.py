"""The static JSON API: the whole corpus as JSON files under /api/, documented on /api/
(generator/render/api_page.py). Pure: corpus and site in, file texts out.

Each briefing and actor record carries its data exactly as the YAML file gives it, checked
and normalised (`briefing`, `actor`: the fields of the data format, dates as `YYYY`,
`YYYY-MM` or `YYYY-MM-DD`), beside what the generator derives from the whole corpus
(appearances, relations, events, related briefings). Addresses are absolute.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from generator import addresses
from generator.data import formats, schema
from generator.model.corpus import (
    ActorEntry,
    ArticleEntry,
    Assertion,
    ClaimEntry,
    Corpus,
    TimelineEntry,
)
from generator.model.related import Related
from generator.model.trace import Files, Unit
from generator.siteinfo import SiteInfo

Record = dict[str, Any]


def render_api(corpus: Corpus, site: SiteInfo) -> dict[str, str]:
    """docs-relative path -> text of every JSON file of the API."""
    files: dict[str, str] = {}
    for unit in api_units(corpus, site):
        files |= unit.make(corpus)
    return files


def api_units(corpus: Corpus, site: SiteInfo) -> list[Unit]:
    """The API's files as units (see model/trace.py): the lists, then one per briefing,
    actor and tag, so that a change re-renders only the records that show it."""
    units = [Unit("api", lambda c: _lists(_Api(c, site)))]
    units += [Unit(f"api-briefing:{i}", _briefing(i, site)) for i in corpus.articles]
    units += [Unit(f"api-actor:{i}", _actor(i, site)) for i in corpus.actors]
    units += [Unit(f"api-tag:{tag}", _tag(tag, site)) for tag in corpus.tags]
    return units


def _lists(api: _Api) -> dict[str, str]:
    corpus = api.corpus
    files = {
        addresses.API_INDEX: api.index(),
        addresses.API_BRIEFINGS: {
            "count": len(corpus.articles),
            "briefings": [api.briefing_summary(a) for a in corpus.latest()],
        },
        addresses.API_ACTORS: {
            "count": len(corpus.actors),
            "actors": [api.actor_summary(a) for a in _actors(corpus)],
        },
        addresses.API_TIMELINE: {
            "count": len(corpus.timeline),
            "events": [api.event(e) for e in corpus.timeline],
        },
        addresses.API_TAGS: {
            "count": len(corpus.tags),
            "tags": [api.tag_summary(t) for t in corpus.tags],
        },
        addresses.API_RELATIONS: {
            "relations": [
                api.relation(Assertion(a, r)) for a in corpus.latest() for r in a.data.relations
            ]
        },
    }
    return {path: dump(record) for path, record in files.items()}


def _briefing(article_id: str, site: SiteInfo) -> Callable[[Corpus], Files]:
    return lambda c: {
        addresses.api_briefing(article_id): dump(_Api(c, site).briefing(c.articles[article_id]))
    }


def _actor(actor_id: str, site: SiteInfo) -> Callable[[Corpus], Files]:
    return lambda c: {addresses.api_actor(actor_id): dump(_Api(c, site).actor(c.actors[actor_id]))}


def _tag(tag: str, site: SiteInfo) -> Callable[[Corpus], Files]:
    return lambda c: {addresses.api_tag(tag): dump(_Api(c, site).tag(tag))}


def dump(record: Record) -> str:
    """Compact JSON, one file a line: the API is for programs, and spaces would be a third of
    its size (`python -m json.tool` shows a file indented)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def _actors(corpus: Corpus) -> list[ActorEntry]:
    return [corpus.actors[actor_id] for actor_id in sorted(corpus.actors)]


class _Api:
    def __init__(self, corpus: Corpus, site: SiteInfo) -> None:
        self.corpus = corpus
        self.site = site

    def url(self, page: str) -> str:
        return self.site.absolute(addresses.page_url(page))

    def file(self, path: str) -> str:
        return self.site.absolute(path)

    def index(self) -> Record:
        return {
            "version": addresses.API_VERSION,
            "site": {"name": self.site.name, "url": self.site.url},
            "documentation": self.url(addresses.API_PAGE),
            "counts": {
                "briefings": len(self.corpus.articles),
                "actors": len(self.corpus.actors),
                "events": len(self.corpus.timeline),
                "tags": len(self.corpus.tags),
            },
            "endpoints": {
                "briefings": self.file(addresses.API_BRIEFINGS),
                "briefing": self.file(addresses.api_briefing("{id}")),
                "actors": self.file(addresses.API_ACTORS),
                "actor": self.file(addresses.api_actor("{id}")),
                "timeline": self.file(addresses.API_TIMELINE),
                "tags": self.file(addresses.API_TAGS),
                "tag": self.file(addresses.api_tag("{tag}")),
                "relations": self.file(addresses.API_RELATIONS),
                "stix": self.file(addresses.STIX_BUNDLE),
            },
        }

    def briefing_link(self, article: ArticleEntry) -> Record:
        """Enough to list a briefing and fetch its record."""
        data = article.data
        return {
            "id": article.id,
            "title": data.title,
            "published": data.published.iso(),
            "published_circa": data.published_circa,
            "url": self.url(addresses.article_page(article.id)),
            "api": self.file(addresses.api_briefing(article.id)),
        }

    def briefing_summary(self, article: ArticleEntry) -> Record:
        data = article.data
        return {
            **self.briefing_link(article),
            "actors": [a.actor for a in data.actors],
            "tags": list(data.tags),
        }

    def briefing(self, article: ArticleEntry) -> Record:
        return {
            "id": article.id,
            "url": self.url(addresses.article_page(article.id)),
            "api": self.file(addresses.api_briefing(article.id)),
            "file": article.path,
            "briefing": article.data.model_dump(mode="json"),
            "events": [self.event(e) for e in self.corpus.events_of_article.get(article.id, [])],
            "related": [self.related(r) for r in self.corpus.related.get(article.id, [])],
        }

    def related(self, related: Related) -> Record:
        return {
            **self.briefing_summary(related.article),
            "score": related.score,
            "shared": {
                "events": list(related.events),
                "actors": list(related.actors),
                "tags": list(related.tags),
            },
        }

    def actor_summary(self, actor: ActorEntry) -> Record:
        return {
            "id": actor.id,
            "name": actor.data.name,
            "kind": actor.data.kind,
            "aliases": list(actor.data.aliases),
            "url": self.url(addresses.actor_page(actor.id)),
            "api": self.file(addresses.api_actor(actor.id)),
            "briefings": len(self.corpus.appearances.get(actor.id, [])),
        }

    def actor(self, actor: ActorEntry) -> Record:
        corpus, scope = self.corpus, addresses.actor_scope(actor.id)
        return {
            "id": actor.id,
            "url": self.url(addresses.actor_page(actor.id)),
            "api": self.file(addresses.api_actor(actor.id)),
            "file": actor.path,
            "actor": actor.data.model_dump(mode="json"),
            "appearances": [
                {**self.briefing_link(a.article), "role": a.role}
                for a in corpus.appearances.get(actor.id, [])
            ],
            "relations": [self.relation(a) for a in corpus.relations_of.get(actor.id, [])],
            "quotes": [
                {"text": q.quote.text, "context": q.quote.context, "briefing": q.article.id}
                for q in corpus.quotes_by.get(actor.id, [])
            ],
            "events": [self.event(e) for e in corpus.events_of_actor.get(actor.id, [])],
            "claims": [self.claim(c) for c in corpus.claims_by.get(actor.id, [])],
            "feeds": {
                "atom": self.file(addresses.feed(scope, "atom")),
                "json": self.file(addresses.feed(scope, "json")),
            },
        }

    def event(self, entry: TimelineEntry) -> Record:
        return {
            "key": entry.key,
            "date": entry.date.iso(),
            "precision": entry.date.precision,
            "circa": entry.circa,
            "what": entry.what,
            "where": entry.where,
            "actors": list(entry.actors),
            "briefings": [s.id for s in entry.sources],
            "date_basis": entry.basis,
            "date_note": entry.note,
            "according_to": list(entry.according_to),
        }

    def claim(self, entry: ClaimEntry) -> Record:
        """A key point, event or relation as its briefing gives it, with its `kind` and the
        `briefing`; a relation as in `relations`."""
        claim = entry.claim
        if isinstance(claim, schema.Relation):
            return {"kind": "relation", **self.relation(Assertion(entry.article, claim))}
        kind = "key_point" if isinstance(claim, schema.KeyPoint) else "event"
        return {"kind": kind, **claim.model_dump(mode="json"), "briefing": entry.article.id}

    def relation(self, assertion: Assertion) -> Record:
        relation = assertion.relation
        return {
            "subject": relation.subject,
            "relation": relation.relation,
            "object": relation.object,
            "symmetric": relation.relation in formats.SYMMETRIC_RELATIONS,
            "note": relation.note,
            "since": relation.since.iso() if relation.since else None,
            "according_to": list(relation.according_to),
            "briefing": assertion.article.id,
        }

    def tag_summary(self, tag: str) -> Record:
        return {
            "tag": tag,
            "count": len(self.corpus.tags[tag]),
            "url": self.url(addresses.tag_page(tag)),
            "api": self.file(addresses.api_tag(tag)),
            "briefings": [a.id for a in self.corpus.tags[tag]],
        }

    def tag(self, tag: str) -> Record:
        scope = addresses.tag_scope(tag)
        return {
            **self.tag_summary(tag),
            "briefings": [self.briefing_link(a) for a in self.corpus.tags[tag]],
            "events": [self.event(e) for e in self.corpus.tag_timeline(tag)],
            "feeds": {
                "atom": self.file(addresses.feed(scope, "atom")),
                "json": self.file(addresses.feed(scope, "json")),
            },
        }
