"""Relation graphs: who relates to whom, built once from the checked corpus.

A graph has typed edges (one per distinct relation, whichever briefings assert it), a
centre node and the other nodes in ring order: the order a circular drawing places them
in, chosen so that related nodes sit next to each other. Drawing it is the renderer's
business (generator/render/graph.py); deciding what it shows is the model's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from generator.data import formats
from generator.model.corpus import ArticleEntry, Assertion, Corpus


def family(relation: str) -> str:
    """`hostile`, `cooperative` or `other` (negotiation, leadership, membership...)."""
    return formats.RELATION_TYPE[relation].family


@dataclass(frozen=True)
class Edge:
    """One relation between two actors. A symmetric relation is stored with its ends in id
    order, so `A opposes B` and `B opposes A` are the same edge."""

    subject: str
    relation: str
    object: str
    sources: tuple[ArticleEntry, ...]

    @property
    def symmetric(self) -> bool:
        return self.relation in formats.SYMMETRIC_RELATIONS

    @property
    def pair(self) -> tuple[str, str]:
        """The two ends in id order: edges with the same pair are drawn side by side."""
        return (min(self.subject, self.object), max(self.subject, self.object))

    def other(self, actor_id: str) -> str:
        return self.object if actor_id == self.subject else self.subject


@dataclass(frozen=True)
class Graph:
    centre: str | None
    ring: tuple[str, ...]
    edges: tuple[Edge, ...]

    @property
    def nodes(self) -> tuple[str, ...]:
        return ((self.centre,) if self.centre else ()) + self.ring


def edges_of(assertions: Iterable[Assertion]) -> list[Edge]:
    """Distinct relations, in the order first asserted, each with every briefing asserting it."""
    sources: dict[tuple[str, str, str], list[ArticleEntry]] = defaultdict(list)
    for assertion in assertions:
        relation = assertion.relation
        subject, target = relation.subject, relation.object
        if assertion.symmetric:
            subject, target = sorted((subject, target))
        found = sources[(subject, relation.relation, target)]
        if assertion.article not in found:
            found.append(assertion.article)
    return [Edge(s, r, o, tuple(found)) for (s, r, o), found in sources.items()]


MAX_NEIGHBOURS = 24
"""The most actors a drawing shows around its centre: beyond that no one could read it.
The relation list under the graph still has every relation."""


def actor_graph(corpus: Corpus, actor_id: str) -> Graph:
    """The actor in the centre, the actors it relates to around it, grouped by relation; at
    most MAX_NEIGHBOURS, those most often related to it first."""
    edges = _busiest(edges_of(corpus.relations_of.get(actor_id, [])), actor_id)
    order = {relation: index for index, relation in enumerate(formats.RELATIONS)}
    first: dict[str, tuple[int, str]] = {}
    for edge in edges:
        other = edge.other(actor_id)
        key = (order[edge.relation], corpus.actors[other].data.name.casefold())
        first[other] = min(first.get(other, key), key)
    ring = tuple(sorted(first, key=lambda other: (first[other], other)))
    return Graph(actor_id if edges else None, ring, tuple(edges))


def article_graph(corpus: Corpus, article: ArticleEntry) -> Graph:
    """Every relation one briefing asserts; its most connected actor in the centre."""
    edges = edges_of(Assertion(article, r) for r in article.data.relations)
    if not edges:
        return Graph(None, (), ())
    neighbours = _neighbours(edges)
    name = {actor_id: corpus.actors[actor_id].data.name.casefold() for actor_id in neighbours}
    centre = min(neighbours, key=lambda a: (-len(neighbours[a]), name[a], a))
    rest = {a: neighbours[a] - {centre} for a in neighbours if a != centre}
    return Graph(centre, _ring_order(rest, name), tuple(edges))


def _busiest(edges: list[Edge], actor_id: str) -> list[Edge]:
    """The edges to the MAX_NEIGHBOURS actors with the most briefings relating them to
    `actor_id` (ties by id), in their first order."""
    weight: dict[str, int] = defaultdict(int)
    for edge in edges:
        weight[edge.other(actor_id)] += len(edge.sources)
    if len(weight) <= MAX_NEIGHBOURS:
        return edges
    kept = set(sorted(weight, key=lambda other: (-weight[other], other))[:MAX_NEIGHBOURS])
    return [edge for edge in edges if edge.other(actor_id) in kept]


def _neighbours(edges: Iterable[Edge]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        found[edge.subject].add(edge.object)
        found[edge.object].add(edge.subject)
    return dict(found)


def _ring_order(links: dict[str, set[str]], name: dict[str, str]) -> tuple[str, ...]:
    """An order around the ring that keeps related nodes close: nodes are taken most
    connected first (to those already placed, then overall), and each is inserted where the
    edges between placed nodes are shortest in total. Ties go by name, then by position."""
    placed: list[str] = []
    left = set(links)
    while left:
        chosen = min(left, key=lambda a: (-len(links[a] & set(placed)), -len(links[a]), name[a], a))
        left.remove(chosen)
        placed = min(
            ([*placed[:i], chosen, *placed[i:]] for i in range(len(placed) + 1)),
            key=lambda order: _spread(order, links),
        )
    return tuple(placed)


def _spread(order: list[str], links: dict[str, set[str]]) -> int:
    """The summed length of the edges among `order`, counted in steps around the ring."""
    at = {node: index for index, node in enumerate(order)}
    total = 0
    for node, index in at.items():
        for other in links[node]:
            if other in at and node < other:
                steps = abs(index - at[other])
                total += min(steps, len(order) - steps)
    return total
