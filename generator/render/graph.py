"""A relation graph drawn as inline SVG: no script, no network, the same bytes every build.

The centre node sits in the middle, the others on a ring around it in the graph's ring
order. Directed relations end in an arrow, symmetric ones do not; several relations
between the same two actors are drawn as curves side by side. Every node is a link to its
actor's page with an accessible name; the relation list under the graph says the same in
text. Sizes are in CSS pixels at the drawing's natural size.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from dataclasses import dataclass

from generator import addresses
from generator.markup import attribute, html_text
from generator.model.corpus import Corpus
from generator.model.graph import Edge, Graph, family
from generator.render.text import RELATION_WORDS

FONT = 14.0
EDGE_FONT = 12.0
LINE = 1.2  # line height, in ems
NODE = 15.0
CENTRE = 21.0
SPACING = 104.0  # room on the ring for one node and its label
MIN_RADIUS = 115.0
BEND = 34.0  # how far apart parallel relations between two actors curve
WRAP = 14  # characters per line of a node's label
MARGIN = 6.0
ARROW_GAP = 3.0
FAMILIES = ("cooperative", "hostile", "other")
PHONE_WIDTH = 460.0  # narrowest drawing: a phone scrolls a wider graph rather than shrink it


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return not (
            self.right <= other.left
            or other.right <= self.left
            or self.bottom <= other.top
            or other.bottom <= self.top
        )


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    anchor: str  # SVG text-anchor
    lines: tuple[str, ...]
    size: float

    @functools.cached_property
    def box(self) -> Box:
        width = max(text_width(line, self.size) for line in self.lines)
        left = {"start": self.x, "middle": self.x - width / 2, "end": self.x - width}[self.anchor]
        top = self.y - self.size * 0.8
        return Box(left, top, left + width, top + self.size * LINE * len(self.lines))


@functools.lru_cache(maxsize=65536)  # the same names are measured on many pages
def text_width(text: str, size: float) -> float:
    """An estimate of rendered width: wide (CJK) characters take a full em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.56 for ch in text)


def wrap(text: str, width: int = WRAP) -> tuple[str, ...]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return tuple(lines) or ("",)


@dataclass(frozen=True)
class Curve:
    """An edge drawn as a quadratic curve from `start` to `end`, bent towards `control`."""

    edge: Edge
    start: tuple[float, float]
    control: tuple[float, float]
    end: tuple[float, float]

    def at(self, t: float) -> tuple[float, float]:
        (x0, y0), (cx, cy), (x2, y2) = self.start, self.control, self.end
        return (
            (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t * t * x2,
            (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t * t * y2,
        )

    def samples(self) -> list[tuple[float, float]]:
        return [self.at(i / 12) for i in range(1, 12)]


def render_graph(corpus: Corpus, graph: Graph, here: str, *, caption: str) -> str:
    """The graph as a `<figure>` block of raw HTML, or "" when it has no edge."""
    if not graph.edges or graph.centre is None:
        return ""
    places = _positions(graph)
    curves = _curves(graph, places)
    boxes = [_circle(graph, a, places) for a in graph.nodes]
    names = {a: corpus.actors[a].data.name for a in graph.nodes}
    labels = {a: _node_label(graph, a, names[a], places, curves, boxes) for a in graph.nodes}
    boxes += [label.box for label in labels.values()]
    relations = [_edge_label(graph, curve, boxes) for curve in curves]
    box = Box(
        min(b.left for b in boxes) - MARGIN,
        min(b.top for b in boxes) - MARGIN,
        max(b.right for b in boxes) + MARGIN,
        max(b.bottom for b in boxes) + MARGIN,
    )
    width, height = box.right - box.left, box.bottom - box.top
    described = ", ".join(html_text(names[a]) for a in sorted(names, key=names.__getitem__))
    return "\n".join(
        [
            '<figure class="bs-graph" data-pagefind-ignore="all">',
            f'<svg class="bs-graph__drawing" viewBox="{_n(box.left)} {_n(box.top)} {_n(width)} '
            f'{_n(height)}" width="{_n(width)}" height="{_n(height)}" role="group" '
            f'style="max-width: {_n(width)}px; min-width: {_n(min(width, PHONE_WIDTH))}px" '
            f'aria-labelledby="relation-graph-caption">',
            _markers(),
            '<g class="bs-graph__edges" aria-hidden="true">',
            *map(_path, curves),
            "</g>",
            '<g class="bs-graph__edge-labels" aria-hidden="true">',
            *relations,
            "</g>",
            '<g class="bs-graph__nodes">',
            *(_node(corpus, graph, a, places, labels[a], here) for a in graph.nodes),
            "</g>",
            "</svg>",
            f'<figcaption id="relation-graph-caption">{html_text(caption)} Actors: {described}. '
            "Arrows point from subject to object; lines without arrows are mutual relations. "
            "Select an actor to open its page.</figcaption>",
            "</figure>",
        ]
    )


def _positions(graph: Graph) -> dict[str, tuple[float, float]]:
    count = len(graph.ring)
    radius = max(MIN_RADIUS, count * SPACING / (2 * math.pi))
    start = 0.0 if count <= 2 else -math.pi / 2
    places = {graph.centre or "": (0.0, 0.0)}
    for index, actor_id in enumerate(graph.ring):
        angle = start + 2 * math.pi * index / count
        places[actor_id] = (radius * math.cos(angle), radius * math.sin(angle))
    return places


def _circle(graph: Graph, actor_id: str, places: dict[str, tuple[float, float]]) -> Box:
    (x, y), radius = places[actor_id], _radius(graph, actor_id)
    return Box(x - radius, y - radius, x + radius, y + radius)


def _node(
    corpus: Corpus,
    graph: Graph,
    actor_id: str,
    places: dict[str, tuple[float, float]],
    label: Label,
    here: str,
) -> str:
    actor = corpus.actors[actor_id]
    x, y = places[actor_id]
    name = f"{actor.data.name} ({actor.data.kind})"
    current = ' aria-current="page"' if addresses.actor_page(actor_id) == here else ""
    classes = f"bs-graph__node bs-graph__node--{actor.data.kind}"
    if actor_id == graph.centre:
        classes += " bs-graph__node--centre"
    # A transparent area over the circle and the name: the whole node answers a click or
    # a tap, not only the painted strokes of its letters.
    circle, text = _circle(graph, actor_id, places), label.box
    hit = Box(
        min(circle.left, text.left) - 3,
        min(circle.top, text.top) - 3,
        max(circle.right, text.right) + 3,
        max(circle.bottom, text.bottom) + 3,
    )
    return (
        f'<a class="{classes}" '
        f"href={attribute(addresses.url_from(addresses.actor_page(actor_id), here))}"
        f" aria-label={attribute(name)}{current}>"
        f"<title>{html_text(name)}</title>"
        f'<rect class="bs-graph__hit" x="{_n(hit.left)}" y="{_n(hit.top)}" '
        f'width="{_n(hit.right - hit.left)}" height="{_n(hit.bottom - hit.top)}"/>'
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(_radius(graph, actor_id))}"/>'
        f'<text class="bs-graph__initial" x="{_n(x)}" y="{_n(y + FONT * 0.35)}" '
        f'text-anchor="middle">{html_text(_initial(actor.data.name))}</text>'
        f"{_text(label, 'bs-graph__name')}</a>"
    )


def _node_label(
    graph: Graph,
    actor_id: str,
    name: str,
    places: dict[str, tuple[float, float]],
    curves: list[Curve],
    boxes: list[Box],
) -> Label:
    """A ring node's name goes outside the ring, away from the spokes (right of right-hand
    nodes, above top ones...); the centre's where no edge passes, below if it can."""
    x, y = places[actor_id]
    radius = _radius(graph, actor_id)
    lines = wrap(name)
    height = FONT * LINE * len(lines)
    distance = math.hypot(x, y)
    if actor_id != graph.centre and distance:
        return _outside(lines, x, y, x / distance, y / distance, radius + 5, height)
    points = [p for curve in curves for p in curve.samples()]
    gap = radius + 4
    tries = [
        _outside(lines, x, y, dx, dy, gap, height)
        for dx, dy in (
            (0, 1),
            (0, -1),
            (1, 0),
            (-1, 0),
            (0.7, 0.7),
            (-0.7, 0.7),
            (0.7, -0.7),
            (-0.7, -0.7),
        )
    ]
    for label in tries:
        box = label.box
        if not any(
            box.left <= px <= box.right and box.top <= py <= box.bottom for px, py in points
        ) and not any(box.overlaps(b) for b in boxes if b != _circle(graph, actor_id, places)):
            return label
    return tries[0]


def _outside(
    lines: tuple[str, ...], x: float, y: float, dx: float, dy: float, gap: float, height: float
) -> Label:
    """A label beside the point (x, y), in direction (dx, dy), `gap` away from it."""
    anchor = "start" if dx > 0.35 else "end" if dx < -0.35 else "middle"
    lx = x + dx * gap if anchor != "middle" else x
    if dy > 0.35:
        top = y + gap - FONT * 0.2 if anchor == "middle" else y + dy * gap - FONT * 0.4
    elif dy < -0.35:
        top = (y - gap if anchor == "middle" else y + dy * gap) - height + FONT * 0.2
    else:
        top = y - height / 2
    return Label(lx, top + FONT * 0.8, anchor, lines, FONT)


def _initial(name: str) -> str:
    return next((ch for ch in name if ch.isalnum()), "?").upper()


def _curves(graph: Graph, places: dict[str, tuple[float, float]]) -> list[Curve]:
    """Each edge's curve; several edges between the same two actors bend apart."""
    by_pair: dict[tuple[str, str], list[Edge]] = {}
    for edge in graph.edges:
        by_pair.setdefault(edge.pair, []).append(edge)
    curves = []
    for pair, edges in by_pair.items():
        for index, edge in enumerate(edges):
            bend = (index - (len(edges) - 1) / 2) * BEND
            if edge.subject != pair[0]:
                bend = -bend  # offsets are measured on the pair's own direction
            curves.append(_curve(graph, edge, places, bend))
    return curves


def _curve(graph: Graph, edge: Edge, places: dict[str, tuple[float, float]], bend: float) -> Curve:
    (x1, y1), (x2, y2) = places[edge.subject], places[edge.object]
    length = math.hypot(x2 - x1, y2 - y1)
    nx, ny = -(y2 - y1) / length, (x2 - x1) / length
    control = ((x1 + x2) / 2 + nx * bend * 2, (y1 + y2) / 2 + ny * bend * 2)
    start = _toward(x1, y1, *control, _radius(graph, edge.subject))
    gap = _radius(graph, edge.object) + (0 if edge.symmetric else ARROW_GAP)
    return Curve(edge, start, control, _toward(x2, y2, *control, gap))


def _path(curve: Curve) -> str:
    kind = family(curve.edge.relation)
    arrow = "" if curve.edge.symmetric else f' marker-end="url(#bs-arrow-{kind})"'
    (x0, y0), (cx, cy), (x2, y2) = curve.start, curve.control, curve.end
    return (
        f'<path class="bs-graph__edge bs-graph__edge--{kind}" '
        f'd="M{_n(x0)} {_n(y0)} Q{_n(cx)} {_n(cy)} {_n(x2)} {_n(y2)}"{arrow}/>'
    )


def _edge_label(graph: Graph, curve: Curve, boxes: list[Box]) -> str:
    """On the curve, at the first spot (middle first) that covers no node and no other
    label; on a spoke, rather away from the crowded centre."""
    edge = curve.edge
    tries = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78]
    if graph.centre in (edge.subject, edge.object):
        tries = [0.62, 0.72, 0.52, 0.8, 0.45]
        if graph.centre == edge.object:
            tries = [1 - t for t in tries]
    kind = family(edge.relation)
    labels = []
    for t in tries:
        x, y = curve.at(t)
        for shift in (0.0, -EDGE_FONT * 0.9, EDGE_FONT * 0.9):
            labels.append(
                Label(
                    x,
                    y + EDGE_FONT * 0.35 + shift,
                    "middle",
                    (RELATION_WORDS[edge.relation],),
                    EDGE_FONT,
                )
            )
    chosen = next(
        (label for label in labels if not any(label.box.overlaps(b) for b in boxes)), labels[0]
    )
    boxes.append(chosen.box)
    return _text(chosen, f"bs-graph__relation bs-graph__relation--{kind}")


def _radius(graph: Graph, actor_id: str) -> float:
    return CENTRE if actor_id == graph.centre else NODE


def _toward(x: float, y: float, tx: float, ty: float, distance: float) -> tuple[float, float]:
    """The point `distance` from (x, y) in the direction of (tx, ty)."""
    length = math.hypot(tx - x, ty - y) or 1.0
    return x + (tx - x) / length * distance, y + (ty - y) / length * distance


def _text(label: Label, css_class: str) -> str:
    lines = "".join(
        f'<tspan x="{_n(label.x)}" dy="{_n(0 if i == 0 else label.size * LINE)}">'
        f"{html_text(line)}</tspan>"
        for i, line in enumerate(label.lines)
    )
    return (
        f'<text class="{css_class}" x="{_n(label.x)}" y="{_n(label.y)}" '
        f'text-anchor="{label.anchor}">{lines}</text>'
    )


def _markers() -> str:
    return (
        "<defs>"
        + "".join(
            f'<marker id="bs-arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" '
            f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path class="bs-graph__arrow bs-graph__arrow--{kind}" d="M0 0L10 5L0 10z"/></marker>'
            for kind in FAMILIES
        )
        + "</defs>"
    )


def _n(value: float) -> str:
    """A coordinate with one decimal, never `-0.0`."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text
