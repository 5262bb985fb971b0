"""Related briefings: for each briefing, the others sharing actors, events or tags with it.

Worked out whole by `build_model`, or (the live preview) from the last corpus: only the
briefings that share a feature with one whose features or date changed are scored again;
the others keep their list, pointing at the current entries. Both give the same index."""

from __future__ import annotations

import dataclasses
import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.model.corpus import ArticleEntry, TimelineEntry


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


_NONE = _Features((), (), ())


@dataclass(frozen=True)
class Before:
    """The index of the last corpus, and what it was worked out from."""

    latest: Sequence[ArticleEntry]
    events_of_article: Mapping[str, list[TimelineEntry]]
    related: Mapping[str, list[Related]]


def _features_of(
    latest: Iterable[ArticleEntry], events_of_article: Mapping[str, list[TimelineEntry]]
) -> dict[str, _Features]:
    return {
        a.id: _Features(
            tuple(dict.fromkeys(x.actor for x in a.data.actors)),
            tuple(e.key for e in events_of_article.get(a.id, [])),
            tuple(dict.fromkeys(a.data.tags)),
        )
        for a in latest
    }


def related_index(
    latest: Sequence[ArticleEntry],
    articles: Mapping[str, ArticleEntry],
    events_of_article: Mapping[str, list[TimelineEntry]],
    before: Before | None = None,
) -> dict[str, list[Related]]:
    """For each briefing, the others sharing actors, events or tags with it: by score (see
    Related.score), then newest first, then by id; at most RELATED_LIMIT."""
    rank = {article.id: index for index, article in enumerate(latest)}
    features = _features_of(latest, events_of_article)
    postings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for article_id, found in features.items():
        for key in found.features():
            postings[key].append(article_id)
    common = {key: set(ids) for key, ids in postings.items() if len(ids) > COMMON_FEATURE}
    again = set(rank) if before is None else _to_score(before, latest, features, postings)
    related: dict[str, list[Related]] = {}
    for article in latest:
        if article.id not in again and before is not None:
            related[article.id] = _current(before.related[article.id], articles)
            continue
        mine = features[article.id]
        scores = _scores(article.id, mine, postings, common)
        best = heapq.nsmallest(
            RELATED_LIMIT, scores, key=lambda other: (-scores[other], rank[other])
        )
        related[article.id] = [_shared(articles[other], mine, features[other]) for other in best]
    return related


def _to_score(
    before: Before,
    latest: Sequence[ArticleEntry],
    features: Mapping[str, _Features],
    postings: Mapping[tuple[str, str], list[str]],
) -> set[str]:
    """The briefings whose related list may differ from the last corpus': those whose
    features or date changed (or that are new or gone: `touched`), and every briefing
    sharing a feature, old or new, with one of them. Any other briefing's candidates, their
    features, scores and order (by date) are what they were."""
    old = {a.id: a for a in before.latest}
    new = {a.id: a for a in latest}
    old_features = _features_of(before.latest, before.events_of_article)
    touched = {
        i
        for i in old.keys() | new.keys()
        if i not in old
        or i not in new
        or old_features[i] != features[i]
        or (old[i] is not new[i] and old[i].data.published != new[i].data.published)
    }
    again = touched & new.keys()
    for article_id in touched:
        shared = old_features.get(article_id, _NONE).features()
        shared += features.get(article_id, _NONE).features()
        for key in shared:
            again.update(postings.get(key, ()))
    return again


def _current(kept: list[Related], articles: Mapping[str, ArticleEntry]) -> list[Related]:
    """A kept list, each briefing in it the current entry (another object if it changed)."""
    return [
        item
        if articles[item.article.id] is item.article
        else dataclasses.replace(item, article=articles[item.article.id])
        for item in kept
    ]


_WEIGHTS = {"event": 3, "actor": 2, "tag": 1}  # Related.score, one shared feature at a time


def _scores(
    me: str,
    mine: _Features,
    postings: Mapping[tuple[str, str], list[str]],
    common: Mapping[tuple[str, str], set[str]],
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
