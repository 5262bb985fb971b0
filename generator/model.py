"""The checked corpus: every file loaded and validated, ids resolved, backlinks built once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from generator import schema
from generator.check import check_document, did_you_mean
from generator.dates import PartialDate
from generator.load import Document, Loc, load_file
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

    def latest(self) -> list[ArticleEntry]:
        """Briefings newest first (ties by id, so the order is stable)."""
        return sorted(self.articles.values(),
                      key=lambda a: (_negated(a.data.published), a.id))

    def tag_timeline(self, tag: str) -> list[TimelineEntry]:
        ids = {a.id for a in self.tags.get(tag, [])}
        return [e for e in self.timeline if any(s.id in ids for s in e.sources)]

    def mentions(self) -> list[tuple[ActorEntry, int]]:
        """Actors by the number of briefings they appear in, most first."""
        counts = {actor_id: len(items) for actor_id, items in self.appearances.items()}
        ranked = sorted(self.actors.values(), key=lambda a: (-counts.get(a.id, 0), a.data.name))
        return [(actor, counts.get(actor.id, 0)) for actor in ranked]


def _negated(date: PartialDate) -> tuple[int, ...]:
    return tuple(-part for part in date.sort_key())


def load_corpus(root: Path) -> Corpus:
    """Load, check and cross-reference everything under `root/briefings`; raise DataError with
    every problem found, or return the corpus."""
    problems: list[Problem] = []
    base = root / "briefings"
    if not base.is_dir():
        raise DataError([Problem(relative(base, root), 1, 1,
                                 "no briefings/ folder: is --root the project root?")])
    articles, article_docs = _load_kind(root, base / "articles", schema.Article, problems, True)
    actors, actor_docs = _load_kind(root, base / "actors", schema.Actor, problems, False)
    article_entries = {i: ArticleEntry(i, p, m) for i, (p, m) in articles.items()}
    actor_entries = {i: ActorEntry(i, p, m) for i, (p, m) in actors.items()}
    problems += _check_references(article_docs, actor_docs)
    if problems:
        raise DataError(problems)
    return _index(Corpus(article_entries, actor_entries))


def _files(folder: Path, recursive: bool) -> list[Path]:
    if not folder.is_dir():
        return []
    found = folder.rglob("*") if recursive else folder.glob("*")
    return sorted(p for p in found if p.is_file() and p.suffix in (".yaml", ".yml")
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


M = TypeVar("M", schema.Article, schema.Actor)


def _load_kind(
    root: Path, folder: Path, model: type[M], problems: list[Problem], recursive: bool,
) -> tuple[dict[str, tuple[str, M]], dict[str, Document]]:
    loaded: dict[str, tuple[str, M]] = {}
    docs: dict[str, Document] = {}
    for file in _files(folder, recursive):
        path = relative(file, root)
        if file.suffix == ".yml":
            problems.append(Problem(path, 1, 1, "name the file with `.yaml`, not `.yml`"))
            continue
        if not schema.is_id(file.stem):
            problems.append(Problem(path, 1, 1, f"invalid id `{file.stem}` (the file name): "
                                    f"{schema.ID_RULE}"))
        if file.stem in docs:
            problems.append(Problem(path, 1, 1, f"duplicate id `{file.stem}`: also "
                                    f"{docs[file.stem].path}"))
            continue
        doc, found = load_file(file, root)
        problems += found
        if doc is None:
            continue
        docs[file.stem] = doc
        checked, found = check_document(doc, model)
        problems += found
        if checked is not None and not found:
            loaded[file.stem] = (path, checked)
    return loaded, docs


# Where actor ids are used, as paths into a document ("*" is every item of a list).
_ARTICLE_REFS: tuple[tuple[str | int, ...], ...] = (
    ("actors", "*", "actor"), ("events", "*", "actors", "*"), ("relations", "*", "subject"),
    ("relations", "*", "object"), ("quotes", "*", "by"),
)
_ACTOR_REFS: tuple[tuple[str | int, ...], ...] = (("country",), ("positions", "*", "of"))


def _values_at(data: Any, pattern: tuple[str | int, ...], loc: Loc = ()) -> list[tuple[Loc, Any]]:
    """Every value in raw data at a pattern of keys and "*" (each list item)."""
    if not pattern:
        return [(loc, data)]
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        items = list(enumerate(data)) if isinstance(data, list) else []
        return [found for i, item in items for found in _values_at(item, rest, (*loc, i))]
    if isinstance(data, dict) and head in data:
        return _values_at(data[head], rest, (*loc, head))
    return []


def _check_references(article_docs: dict[str, Document],
                      actor_docs: dict[str, Document]) -> list[Problem]:
    """Every actor id used resolves; former ids do not collide. Runs on the raw documents so
    that a file with schema errors still gets its references checked in the same run."""
    known = sorted(actor_docs)
    problems: list[Problem] = []
    for docs, patterns in ((article_docs, _ARTICLE_REFS), (actor_docs, _ACTOR_REFS)):
        for doc in docs.values():
            for pattern in patterns:
                for loc, value in _values_at(doc.data, pattern):
                    if isinstance(value, str) and schema.is_id(value) and value not in actor_docs:
                        problems.append(doc.problem(
                            loc, f"unknown actor `{value}`{did_you_mean(value, known)}"))
    for docs in (article_docs, actor_docs):
        problems += _check_former_ids(docs)
    for article_id, doc in article_docs.items():
        problems += _check_article_actors(article_id, doc)
    return problems


def _check_former_ids(docs: dict[str, Document]) -> list[Problem]:
    problems: list[Problem] = []
    claimed: dict[str, str] = {}
    for current, doc in sorted(docs.items()):
        for loc, old in _values_at(doc.data, ("former_ids", "*")):
            if not isinstance(old, str):
                continue
            if old in docs:
                problems.append(doc.problem(
                    loc, f"former id `{old}` is the id of {docs[old].path}"))
            elif old in claimed:
                problems.append(doc.problem(
                    loc, f"former id `{old}` is also claimed by {claimed[old]}"))
            else:
                claimed[old] = doc.path
    return problems


def _check_article_actors(article_id: str, doc: Document) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for loc, value in _values_at(doc.data, ("actors", "*", "actor")):
        if isinstance(value, str) and value in seen:
            problems.append(doc.problem(loc, f"actor `{value}` is listed twice in `actors`"))
        seen.add(value if isinstance(value, str) else "")
    for loc, relation in _values_at(doc.data, ("relations", "*")):
        if isinstance(relation, dict) and relation.get("subject") == relation.get("object"):
            problems.append(doc.problem(loc, "a relation's subject and object are the same actor"))
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
    return corpus


def _timeline(corpus: Corpus) -> list[TimelineEntry]:
    """Every event in date order; events sharing an `id` are one entry with all sources. The
    oldest briefing's wording and date stand for a shared event."""
    grouped: dict[str, list[tuple[ArticleEntry, schema.Event]]] = defaultdict(list)
    for article in sorted(corpus.articles.values(),
                          key=lambda a: (a.data.published.sort_key(), a.id)):
        for index, event in enumerate(article.data.events):
            key = event.id or f"{article.id}--{index + 1}"
            grouped[key].append((article, event))
    entries = []
    for key, reports in grouped.items():
        first = reports[0][1]
        actors = tuple(dict.fromkeys(a for _, event in reports for a in event.actors))
        sources = tuple(dict.fromkeys(article for article, _ in reports))
        entries.append(TimelineEntry(key, first.date, first.circa, first.what, first.where,
                                     actors, sources))
    return sorted(entries, key=TimelineEntry.sort_key)
