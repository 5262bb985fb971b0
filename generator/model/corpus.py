"""The model: the checked data with its ids resolved and its backlinks built once (the last
stage of sources -> load -> check -> model)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from generator.data import formats, schema
from generator.data.check import Checked
from generator.data.dates import PartialDate
from generator.model.related import Before, Related, related_index


@dataclass(frozen=True, eq=False)  # one per id: identity is equality
class ArticleEntry:
    id: str
    path: str
    data: schema.Article


@dataclass(frozen=True, eq=False)
class ActorEntry:
    id: str
    path: str
    data: schema.Actor


@dataclass(frozen=True)
class Appearance:
    """An actor in one briefing, with the role it plays there."""

    article: ArticleEntry
    role: str


@dataclass(frozen=True)
class Assertion:
    """A relation and the briefing that asserts it."""

    article: ArticleEntry
    relation: schema.Relation

    @property
    def symmetric(self) -> bool:
        return self.relation.relation in formats.SYMMETRIC_RELATIONS


@dataclass(frozen=True)
class QuoteEntry:
    article: ArticleEntry
    quote: schema.Quote


@dataclass(frozen=True)
class TimelineEntry:
    """One real event; several briefings may report it (events sharing an `id`)."""

    key: str
    date: PartialDate
    circa: bool
    what: str
    where: str | None
    actors: tuple[str, ...]
    sources: tuple[ArticleEntry, ...]
    basis: str = "article"
    """Where the date comes from (`schema.DATE_BASES`), with `note` for an outside one."""
    note: str | None = None
    according_to: tuple[str, ...] = ()
    """Who makes the claim, in any of the briefings reporting it."""

    def sort_key(self) -> tuple[tuple[int, int, int, int], str, str]:
        return (self.date.sort_key(), self.what, self.key)


@dataclass(frozen=True)
class ClaimEntry:
    """A key point, event or relation of a briefing that an actor is said to claim."""

    article: ArticleEntry
    claim: schema.KeyPoint | schema.Event | schema.Relation


@dataclass(frozen=True)
class Corpus:
    """The checked data and everything worked out from it once: who appears where, the
    merged timeline, tags, related briefings. Built whole by `build_model`, never changed."""

    articles: Mapping[str, ArticleEntry]
    actors: Mapping[str, ActorEntry]
    newest_first: tuple[ArticleEntry, ...]
    appearances: Mapping[str, list[Appearance]]
    quotes_by: Mapping[str, list[QuoteEntry]]
    relations_of: Mapping[str, list[Assertion]]
    timeline: list[TimelineEntry]
    tags: Mapping[str, list[ArticleEntry]]
    events_of_article: Mapping[str, list[TimelineEntry]]
    events_of_actor: Mapping[str, list[TimelineEntry]]
    events_of_tag: Mapping[str, list[TimelineEntry]]
    related: Mapping[str, list[Related]]
    claims_by: Mapping[str, list[ClaimEntry]]
    """Each actor's claims (`according_to`), newest briefing first, in the briefing's order."""

    def latest(self) -> list[ArticleEntry]:
        """Briefings newest first (ties by id, so the order is stable)."""
        return list(self.newest_first)

    def tag_timeline(self, tag: str) -> Sequence[TimelineEntry]:
        """The events of the briefings with `tag`, in timeline order (not a copy: read it)."""
        return self.events_of_tag.get(tag, [])

    def mentions(self) -> list[tuple[ActorEntry, int]]:
        """Actors by the number of briefings they appear in, most first."""
        counts = {actor_id: len(items) for actor_id, items in self.appearances.items()}
        ranked = sorted(self.actors.values(), key=lambda a: (-counts.get(a.id, 0), a.data.name))
        return [(actor, counts.get(actor.id, 0)) for actor in ranked]


def _negated(date: PartialDate) -> tuple[int, ...]:
    return tuple(-part for part in date.sort_key())


def build_model(checked: Checked, previous: Corpus | None = None) -> Corpus:
    """The fourth stage: the corpus of valid data (`checked.problems` empty), with its
    backlinks, relations, timeline, tags and related briefings built once.

    Given the `previous` corpus (the live preview's), an article or actor whose file and
    schema object are the same keeps its entry (the same object), and the related
    briefings are worked out again only where they may differ (model/related.py): the
    corpus is equal to the one built without it."""
    old_articles = previous.articles if previous is not None else {}
    old_actors = previous.actors if previous is not None else {}
    articles = {
        i: _kept(old_articles.get(i), path, data) or ArticleEntry(i, path, data)
        for i, (path, data) in checked.articles.items()
    }
    actors = {
        i: _kept(old_actors.get(i), path, data) or ActorEntry(i, path, data)
        for i, (path, data) in checked.actors.items()
    }
    newest = tuple(sorted(articles.values(), key=lambda a: (_negated(a.data.published), a.id)))
    appearances: dict[str, list[Appearance]] = defaultdict(list)
    quotes: dict[str, list[QuoteEntry]] = defaultdict(list)
    relations: dict[str, list[Assertion]] = defaultdict(list)
    tags: dict[str, list[ArticleEntry]] = defaultdict(list)
    claims: dict[str, list[ClaimEntry]] = defaultdict(list)
    for article in newest:
        data = article.data
        claimed: list[schema.KeyPoint | schema.Event | schema.Relation] = [
            *data.key_points,
            *data.events,
            *data.relations,
        ]
        for claim in claimed:
            for actor_id in dict.fromkeys(claim.according_to):
                claims[actor_id].append(ClaimEntry(article, claim))
        for item in article.data.actors:
            appearances[item.actor].append(Appearance(article, item.role))
        for quote in article.data.quotes:
            quotes[quote.by].append(QuoteEntry(article, quote))
        for relation in article.data.relations:
            for actor_id in dict.fromkeys((relation.subject, relation.object)):
                relations[actor_id].append(Assertion(article, relation))
        for tag in dict.fromkeys(article.data.tags):
            tags[tag].append(article)
    timeline = _timeline(articles.values())
    by_article: dict[str, list[TimelineEntry]] = defaultdict(list)
    by_actor: dict[str, list[TimelineEntry]] = defaultdict(list)
    for entry in timeline:
        for source in entry.sources:
            by_article[source.id].append(entry)
        for actor_id in entry.actors:
            by_actor[actor_id].append(entry)
    return Corpus(
        articles,
        actors,
        newest,
        dict(appearances),
        dict(quotes),
        dict(relations),
        timeline,
        dict(sorted(tags.items())),
        dict(by_article),
        dict(by_actor),
        _events_by_tag(tags, timeline),
        related_index(
            newest,
            articles,
            by_article,
            None
            if previous is None
            else Before(previous.newest_first, previous.events_of_article, previous.related),
        ),
        dict(claims),
    )


_Entry = TypeVar("_Entry", ArticleEntry, ActorEntry)


def _kept(entry: _Entry | None, path: str, data: object) -> _Entry | None:
    """The previous corpus' entry, if it has the same file and the same schema object."""
    return entry if entry is not None and entry.path == path and entry.data is data else None


def _events_by_tag(
    tags: Mapping[str, list[ArticleEntry]], timeline: list[TimelineEntry]
) -> dict[str, list[TimelineEntry]]:
    """Each tag's events in timeline order, in one pass over the timeline (scanning the whole
    timeline for every tag took minutes at 10,000 briefings)."""
    tags_of: dict[str, set[str]] = defaultdict(set)
    for tag, articles in tags.items():
        for article in articles:
            tags_of[article.id].add(tag)
    by_tag: dict[str, list[TimelineEntry]] = defaultdict(list)
    for entry in timeline:
        for tag in set().union(*(tags_of[source.id] for source in entry.sources)):
            by_tag[tag].append(entry)
    return dict(by_tag)


def _timeline(articles: Iterable[ArticleEntry]) -> list[TimelineEntry]:
    """Every event in date order; events sharing an `id` are one entry with all sources. The
    oldest briefing's wording and date stand for a shared event."""
    grouped: dict[str, list[tuple[ArticleEntry, schema.Event]]] = defaultdict(list)
    for article in sorted(articles, key=lambda a: (a.data.published.sort_key(), a.id)):
        for index, event in enumerate(article.data.events):
            key = event.id or f"{article.id}--{index + 1}"
            grouped[key].append((article, event))
    entries = []
    for key, reports in grouped.items():
        first = reports[0][1]
        actors = tuple(dict.fromkeys(a for _, event in reports for a in event.actors))
        sources = tuple(dict.fromkeys(article for article, _ in reports))
        claimants = tuple(dict.fromkeys(a for _, event in reports for a in event.according_to))
        entries.append(
            TimelineEntry(
                key,
                first.date,
                first.circa,
                first.what,
                first.where,
                actors,
                sources,
                first.date_basis,
                first.date_note,
                claimants,
            )
        )
    return sorted(entries, key=TimelineEntry.sort_key)
