"""Relation graphs: the edges and ring order the model derives, and the SVG drawn from them."""

import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.addresses import page_url, relative_path, url_from
from generator.build import load_model
from generator.model.corpus import Assertion, Corpus
from generator.model.graph import actor_graph, article_graph, edges_of, family
from generator.render.graph import render_graph
from generator.render.site import render_pages
from tests.conftest import FIXTURES, SEED

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_model(FIXTURES / "corpus")


def figure(page: str) -> ET.Element:
    """The graph's <figure> of a generated page, parsed as XML (it must be well formed)."""
    found = re.search(r"<figure class=\"bs-graph\".*?</figure>", page, re.S)
    assert found, "no graph on the page"
    text = found.group(0).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1)
    return ET.fromstring(text)


def test_actor_graph_has_the_actor_in_the_centre(corpus: Corpus) -> None:
    graph = actor_graph(corpus, "alpha")
    assert graph.centre == "alpha"
    # grouped by relation type in the data format's order: negotiates-with, sanctions, leads
    assert graph.ring == ("beta", "ann-leader")
    assert [(e.subject, e.relation, e.object) for e in graph.edges] == [
        ("alpha", "negotiates-with", "beta"),
        ("ann-leader", "leads", "alpha"),
        ("beta", "sanctions", "alpha"),
    ]


def test_an_actor_without_relations_has_no_graph(corpus: Corpus) -> None:
    graph = actor_graph(corpus, "gamma-news")
    assert graph.edges == () and graph.centre is None
    assert render_graph(corpus, graph, "actors/gamma-news.md", caption="x") == ""
    assert "bs-graph" not in render_pages(corpus)["actors/gamma-news.md"]


def test_symmetric_relations_are_one_edge_whatever_the_order(corpus: Corpus) -> None:
    article = corpus.articles["alpha-summit"]
    relation = article.data.relations[0]  # alpha negotiates-with beta
    flipped = relation.model_copy(update={"subject": "beta", "object": "alpha"})
    edges = edges_of([Assertion(article, relation), Assertion(article, flipped)])
    assert [(e.subject, e.object, e.symmetric) for e in edges] == [("alpha", "beta", True)]
    assert edges[0].sources == (article,)


def test_relation_families() -> None:
    assert family("opposes") == "hostile"
    assert family("supplies") == "cooperative"
    assert family("leads") == "other"


def test_briefing_graph_centres_the_most_connected_actor() -> None:
    real = load_model(SEED)
    for article in real.articles.values():
        graph = article_graph(real, article)
        assert set(graph.nodes) == {
            a for r in article.data.relations for a in (r.subject, r.object)
        }
        if graph.centre:
            degree = {
                a: len({e.other(a) for e in graph.edges if a in (e.subject, e.object)})
                for a in graph.nodes
            }
            assert degree[graph.centre] == max(degree.values())


def test_svg_has_a_labelled_link_per_node_and_arrows_only_on_directed_edges(
    corpus: Corpus,
) -> None:
    page = render_pages(corpus)["actors/alpha.md"]
    drawing = figure(page)
    links = drawing.findall(f".//{SVG}a")
    assert [(a.get("href"), a.get("aria-label")) for a in links] == [
        ("./", "Alpha (state)"),
        ("../beta/", "Beta (state)"),
        ("../ann-leader/", "Ann Leader (person)"),
    ]
    assert links[0].get("aria-current") == "page"
    paths = drawing.findall(f".//{SVG}path[@class]")
    edges = [p for p in paths if "bs-graph__edge" in (p.get("class") or "")]
    arrows = {p.get("class", "").split("--")[-1]: p.get("marker-end") for p in edges}
    assert arrows == {"other": "url(#bs-arrow-other)", "hostile": "url(#bs-arrow-hostile)"}
    negotiates = [p for p in edges if p.get("marker-end") is None]
    assert len(negotiates) == 1  # the symmetric relation has no arrow
    labels = [
        t.findtext(f"{SVG}tspan")
        for t in drawing.iter(f"{SVG}text")
        if "bs-graph__relation" in (t.get("class") or "")
    ]
    assert sorted(labels) == ["leads", "negotiates with", "sanctions"]
    assert drawing.find(f"{SVG}figcaption") is not None or drawing.find("figcaption") is not None


def test_labels_are_escaped(tmp_path: Path) -> None:
    actors = tmp_path / "briefings" / "actors"
    articles = tmp_path / "briefings" / "articles"
    actors.mkdir(parents=True)
    articles.mkdir()
    (actors / "aa.yaml").write_text(
        'name: "<b>A</b> & \\"Co\\""\nkind: group\nsummary: S.\n', encoding="utf-8"
    )
    (actors / "bb.yaml").write_text(
        "name: B</text><script>x</script>\nkind: group\nsummary: S.\n", encoding="utf-8"
    )
    (articles / "xx.yaml").write_text(
        "title: T\npublished: 2024\nsource: {}\nsummary: S.\nkey_points: [K.]\n"
        "actors: [{actor: aa, role: R.}]\n"
        "relations: [{subject: aa, relation: opposes, object: bb}]\n",
        encoding="utf-8",
    )
    page = render_pages(load_model(tmp_path))["briefings/xx.md"]
    drawing = figure(page)  # well-formed: nothing broke out of its element
    names = [a.get("aria-label") for a in drawing.iter(f"{SVG}a")]
    assert sorted(names) == ['<b>A</b> & "Co" (group)', "B</text><script>x</script> (group)"]
    assert "<script>" not in page and "<b>" not in page


def test_drawing_is_deterministic(corpus: Corpus) -> None:
    first = render_graph(corpus, actor_graph(corpus, "alpha"), "actors/alpha.md", caption="c")
    second = render_graph(corpus, actor_graph(corpus, "alpha"), "actors/alpha.md", caption="c")
    assert first == second
    assert "-0.0" not in first


@pytest.mark.parametrize(
    ("target", "here", "expected"),
    [
        ("actors/b.md", "actors/a.md", "../b/"),
        ("actors/a.md", "actors/a.md", "./"),
        ("actors/b.md", "briefings/x.md", "../../actors/b/"),
        ("briefings/x.md", "timeline.md", "../briefings/x/"),
        ("index.md", "actors/a.md", "../../"),
        ("actors/a.md", "index.md", "actors/a/"),
        ("tags/index.md", "tags/x.md", "../"),
        ("feeds/all.xml", "actors/a.md", "../../feeds/all.xml"),
    ],
)
def test_addresses_in_raw_html_match_mkdocs(target: str, here: str, expected: str) -> None:
    assert url_from(target, here) == expected


_PART = st.sampled_from(["a", "b", "actors", "x", ".", "..", ""])


@given(st.lists(_PART, max_size=5), st.lists(_PART, max_size=5), st.booleans())
def test_relative_paths_are_posixpaths(to: list[str], start: list[str], rooted: bool) -> None:
    """The docs-folder relpath (no working directory) gives what posixpath's gives."""
    path, base = "/".join(to) or ".", "/".join(start) or "."
    if rooted:
        path, base = "/" + path, "/" + base
    assert relative_path(path, base) == posixpath.relpath(path, base)


def test_page_urls() -> None:
    assert page_url("index.md") == ""
    assert page_url("tags/index.md") == "tags/"
    assert page_url("timeline.md") == "timeline/"
    assert page_url("actors/kim-jong-un.md") == "actors/kim-jong-un/"
