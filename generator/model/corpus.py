"""The checked corpus: every file loaded and validated, ids resolved, backlinks built once."""

from __future__ import annotations

import contextlib
import functools
import gc
import heapq
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from generator.data import schema, sources
from generator.data.check import check_document
from generator.data.dates import PartialDate
from generator.data.load import Document, read_documents, values_at
from generator.data.sources import DataFile
from generator.problems import DataError, Problem, relative


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
        return self.relation.relation in schema.SYMMETRIC_RELATIONS


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

    def sort_key(self) -> tuple[tuple[int, int, int, int], str, str]:
        return (self.date.sort_key(), self.what, self.key)


@dataclass(frozen=True)
class Related:
    """Another briefing and what it shares with one briefing, most telling first."""

    article: ArticleEntry
    actors: tuple[str, ...]
    events: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def score(self) -> int:
        """A shared event says most (the same happening), then a shared actor, then a tag."""
        return 3 * len(self.events) + 2 * len(self.actors) + len(self.tags)


@dataclass
class Corpus:
    articles: dict[str, ArticleEntry]
    actors: dict[str, ActorEntry]
    appearances: dict[str, list[Appearance]] = field(default_factory=dict)
    quotes_by: dict[str, list[QuoteEntry]] = field(default_factory=dict)
    relations_of: dict[str, list[Assertion]] = field(default_factory=dict)
    timeline: list[TimelineEntry] = field(default_factory=list)
    tags: dict[str, list[ArticleEntry]] = field(default_factory=dict)
    events_of_article: dict[str, list[TimelineEntry]] = field(default_factory=dict)
    events_of_actor: dict[str, list[TimelineEntry]] = field(default_factory=dict)
    related: dict[str, list[Related]] = field(default_factory=dict)

    def latest(self) -> list[ArticleEntry]:
        """Briefings newest first (ties by id, so the order is stable)."""
        return sorted(self.articles.values(), key=lambda a: (_negated(a.data.published), a.id))

    def tag_timeline(self, tag: str) -> Sequence[TimelineEntry]:
        """The events of the briefings with `tag`, in timeline order (not a copy: read it)."""
        return self._events_by_tag.get(tag, [])

    @functools.cached_property
    def _events_by_tag(self) -> dict[str, list[TimelineEntry]]:
        """Each tag's events in timeline order, built once (scanning the whole timeline for
        every tag took minutes at 10,000 briefings). Read after _index() has filled it in."""
        tags_of: dict[str, set[str]] = defaultdict(set)
        for tag, articles in self.tags.items():
            for article in articles:
                tags_of[article.id].add(tag)
        by_tag: dict[str, list[TimelineEntry]] = defaultdict(list)
        for entry in self.timeline:
            for tag in set().union(*(tags_of[source.id] for source in entry.sources)):
                by_tag[tag].append(entry)
        return by_tag

    def mentions(self) -> list[tuple[ActorEntry, int]]:
        """Actors by the number of briefings they appear in, most first."""
        counts = {actor_id: len(items) for actor_id, items in self.appearances.items()}
        ranked = sorted(self.actors.values(), key=lambda a: (-counts.get(a.id, 0), a.data.name))
        return [(actor, counts.get(actor.id, 0)) for actor in ranked]


def _negated(date: PartialDate) -> tuple[int, ...]:
    return tuple(-part for part in date.sort_key())


def load_corpus(root: Path, *, index: bool = True) -> Corpus:
    """Load, check and cross-reference everything under `root/briefings`; raise DataError with
    every problem found, or return the corpus (with `index=False`, checked but without the
    backlinks, timeline and related briefings, which `validate` does not need)."""
    base = root / "briefings"
    if not base.is_dir():
        raise DataError(
            [
                Problem(
                    relative(base, root), 1, 1, "no briefings/ folder: is --root the project root?"
                )
            ]
        )
    with _fewer_collections():
        corpus = _checked_corpus(root)
    return _index(corpus) if index else corpus


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while the corpus loads, as mypy does while
    it builds: loading makes millions of objects, most of them kept, and at 10,000 briefings
    the collector took a sixth of the time walking them again and again."""
    thresholds = gc.get_threshold()
    gc.set_threshold(200_000, 30, 30)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _checked_corpus(root: Path) -> Corpus:
    found = sources.find(root)
    problems: list[Problem] = list(found.problems)
    actor_files, article_files = found.files["actor"], found.files["article"]
    actor_ids = frozenset(f.stem for f in actor_files if f.suffix == ".yaml")
    actor_reads = _to_read(actor_files, problems)
    article_reads = _to_read(article_files, problems)
    documents = read_documents([(f.file, f.path) for f in actor_reads + article_reads])
    try:
        actors, actor_docs = _check_kind(
            _next(actor_reads, documents), schema.Actor, actor_ids, problems
        )
        articles, article_docs = _check_kind(
            _next(article_reads, documents), schema.Article, actor_ids, problems
        )
    finally:
        documents.close()
    article_paths = {f.stem: f.path for f in reversed(article_files)}
    actor_paths = {f.stem: f.path for f in reversed(actor_files)}
    problems += _check_former_ids(article_docs, article_paths)
    problems += _check_former_ids(actor_docs, actor_paths)
    problems += [p for i, doc in article_docs.items() for p in _check_article(doc)]
    problems += [p for doc in actor_docs.values() for p in _check_actor(doc, actor_docs)]
    if problems:
        raise DataError(problems)
    return Corpus(
        {i: ArticleEntry(i, path, model) for i, (path, model) in articles.items()},
        {i: ActorEntry(i, path, model) for i, (path, model) in actors.items()},
    )


M = TypeVar("M", schema.Article, schema.Actor)
T = TypeVar("T")


def _next(files: list[DataFile], documents: Iterator[T]) -> Iterator[tuple[DataFile, T]]:
    """Each file with the next of `documents` (which holds them in order)."""
    return zip(files, itertools.islice(documents, len(files)), strict=True)


def _to_read(files: list[DataFile], problems: list[Problem]) -> list[DataFile]:
    """The files of one kind worth reading: ids are file names, unique within the kind."""
    to_read: list[DataFile] = []
    paths: dict[str, str] = {}
    for file in files:
        path = file.path
        if file.suffix == ".yml":
            problems.append(Problem(path, 1, 1, "name the file with `.yaml`, not `.yml`"))
            continue
        wrong = schema.id_problem(file.stem, " (the file name)")
        if wrong:
            problems.append(Problem(path, 1, 1, wrong))
        if file.stem in paths:
            problems.append(
                Problem(
                    path, 1, 1, f"duplicate id `{file.stem}`: {paths[file.stem]} has the same name"
                )
            )
            continue
        paths[file.stem] = path
        to_read.append(file)
    return to_read


def _check_kind(
    read: Iterable[tuple[DataFile, tuple[Document | None, list[Problem]]]],
    model: type[M],
    actor_ids: frozenset[str],
    problems: list[Problem],
) -> tuple[dict[str, tuple[str, M]], dict[str, Document]]:
    """Check each file of one kind as read (its document, or the problems reading it)."""
    loaded: dict[str, tuple[str, M]] = {}
    docs: dict[str, Document] = {}
    for file, (doc, found) in read:
        problems += found
        if doc is None:
            continue
        docs[file.stem] = doc
        checked, found = check_document(doc, model, actor_ids)
        problems += found
        if checked is not None:
            loaded[file.stem] = (doc.path, checked)
    return loaded, docs


def _check_former_ids(docs: dict[str, Document], paths: dict[str, str]) -> list[Problem]:
    """A former id may not be a current id (`paths`: every file of the kind by id), nor be
    claimed by two files."""
    problems: list[Problem] = []
    claimed: dict[str, str] = {}
    for _, doc in sorted(docs.items()):
        for loc, old in values_at(doc.data, ("former_ids", "*")):
            if not isinstance(old, str):
                continue
            if old in paths:
                problems.append(doc.problem(loc, f"former id `{old}` is the id of {paths[old]}"))
            elif old in claimed:
                problems.append(
                    doc.problem(loc, f"former id `{old}` is also claimed by {claimed[old]}")
                )
            else:
                claimed[old] = doc.path
    return problems


def _check_article(doc: Document) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for loc, value in values_at(doc.data, ("actors", "*", "actor")):
        if isinstance(value, str) and value in seen:
            problems.append(doc.problem(loc, f"actor `{value}` is listed twice in `actors`"))
        seen.add(str(value))
    for loc, relation in values_at(doc.data, ("relations", "*")):
        if isinstance(relation, dict) and relation.get("subject") == relation.get("object"):
            problems.append(doc.problem(loc, "a relation's subject and object are the same actor"))
    return problems


def _check_actor(doc: Document, actors: dict[str, Document]) -> list[Problem]:
    problems: list[Problem] = []
    kind = doc.data.get("kind")
    if "born" in doc.data and kind in schema.ACTOR_KINDS and kind != "person":
        problems.append(doc.problem(("born",), f"`born` is for persons only (this is a {kind})"))
    country = doc.data.get("country")
    if isinstance(country, str) and country in actors:
        country_kind = actors[country].data.get("kind")
        if country_kind != "state":
            problems.append(
                doc.problem(
                    ("country",), f"`country`: `{country}` is a {country_kind}, not a state"
                )
            )
    return problems


def _index(corpus: Corpus) -> Corpus:
    """Backlinks, relations, timeline and tags, built once on the checked corpus."""
    appearances: dict[str, list[Appearance]] = defaultdict(list)
    quotes: dict[str, list[QuoteEntry]] = defaultdict(list)
    relations: dict[str, list[Assertion]] = defaultdict(list)
    tags: dict[str, list[ArticleEntry]] = defaultdict(list)
    for article in corpus.latest():
        for item in article.data.actors:
            appearances[item.actor].append(Appearance(article, item.role))
        for quote in article.data.quotes:
            quotes[quote.by].append(QuoteEntry(article, quote))
        for relation in article.data.relations:
            for actor_id in dict.fromkeys((relation.subject, relation.object)):
                relations[actor_id].append(Assertion(article, relation))
        for tag in dict.fromkeys(article.data.tags):
            tags[tag].append(article)
    corpus.appearances = dict(appearances)
    corpus.quotes_by = dict(quotes)
    corpus.relations_of = dict(relations)
    corpus.tags = dict(sorted(tags.items()))
    corpus.timeline = _timeline(corpus)
    by_article: dict[str, list[TimelineEntry]] = defaultdict(list)
    by_actor: dict[str, list[TimelineEntry]] = defaultdict(list)
    for entry in corpus.timeline:
        for source in entry.sources:
            by_article[source.id].append(entry)
        for actor_id in entry.actors:
            by_actor[actor_id].append(entry)
    corpus.events_of_article = dict(by_article)
    corpus.events_of_actor = dict(by_actor)
    corpus.related = _related_index(corpus)
    return corpus


RELATED_LIMIT = 5
"""How many related briefings each briefing keeps."""
COMMON_FEATURE = 100
"""An actor, event or tag shared by more briefings than this does not by itself make two
briefings related (it still counts in the score of those related otherwise): this keeps
the index linear in the corpus size instead of quadratic."""


@dataclass(frozen=True)
class _Features:
    actors: tuple[str, ...]
    events: tuple[str, ...]
    tags: tuple[str, ...]

    def features(self) -> list[tuple[str, str]]:
        return (
            [("actor", a) for a in self.actors]
            + [("event", e) for e in self.events]
            + [("tag", t) for t in self.tags]
        )


def _related_index(corpus: Corpus) -> dict[str, list[Related]]:
    """For each briefing, the others sharing actors, events or tags with it: by score (see
    Related.score), then newest first, then by id; at most RELATED_LIMIT."""
    latest = corpus.latest()
    rank = {article.id: index for index, article in enumerate(latest)}
    features = {
        a.id: _Features(
            tuple(dict.fromkeys(x.actor for x in a.data.actors)),
            tuple(e.key for e in corpus.events_of_article.get(a.id, [])),
            tuple(dict.fromkeys(a.data.tags)),
        )
        for a in latest
    }
    postings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for article_id, found in features.items():
        for key in found.features():
            postings[key].append(article_id)
    common = {key: set(ids) for key, ids in postings.items() if len(ids) > COMMON_FEATURE}
    related: dict[str, list[Related]] = {}
    for article in latest:
        mine = features[article.id]
        scores = _scores(article.id, mine, postings, common)
        best = heapq.nsmallest(
            RELATED_LIMIT, scores, key=lambda other: (-scores[other], rank[other])
        )
        related[article.id] = [
            _shared(corpus.articles[other], mine, features[other]) for other in best
        ]
    return related


_WEIGHTS = {"event": 3, "actor": 2, "tag": 1}  # Related.score, one shared feature at a time


def _scores(
    me: str,
    mine: _Features,
    postings: dict[tuple[str, str], list[str]],
    common: dict[tuple[str, str], set[str]],
) -> dict[str, int]:
    """Related.score of every briefing sharing an uncommon feature with `me`, added up from
    the postings: building each candidate's shared features took a minute at 10,000."""
    scores: Counter[str] = Counter()
    for key in mine.features():
        if key not in common:
            for _ in range(_WEIGHTS[key[0]]):
                scores.update(postings[key])  # counted in C
    scores.pop(me, None)
    for key in mine.features():
        if key in common:
            for other in scores.keys() & common[key]:
                scores[other] += _WEIGHTS[key[0]]
    return scores


def _shared(other: ArticleEntry, mine: _Features, theirs: _Features) -> Related:
    """What `other` (with features `theirs`) shares with a briefing, in that briefing's order."""
    return Related(
        other,
        tuple(a for a in mine.actors if a in theirs.actors),
        tuple(e for e in mine.events if e in theirs.events),
        tuple(t for t in mine.tags if t in theirs.tags),
    )


def _timeline(corpus: Corpus) -> list[TimelineEntry]:
    """Every event in date order; events sharing an `id` are one entry with all sources. The
    oldest briefing's wording and date stand for a shared event."""
    grouped: dict[str, list[tuple[ArticleEntry, schema.Event]]] = defaultdict(list)
    for article in sorted(
        corpus.articles.values(), key=lambda a: (a.data.published.sort_key(), a.id)
    ):
        for index, event in enumerate(article.data.events):
            key = event.id or f"{article.id}--{index + 1}"
            grouped[key].append((article, event))
    entries = []
    for key, reports in grouped.items():
        first = reports[0][1]
        actors = tuple(dict.fromkeys(a for _, event in reports for a in event.actors))
        sources = tuple(dict.fromkeys(article for article, _ in reports))
        entries.append(
            TimelineEntry(key, first.date, first.circa, first.what, first.where, actors, sources)
        )
    return sorted(entries, key=TimelineEntry.sort_key)
