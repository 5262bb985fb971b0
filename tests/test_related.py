"""Related briefings: ranked by shared events, actors and tags, with a stable tie-break."""

from pathlib import Path

import pytest

from generator.build import load_model
from generator.model import related as model
from generator.model.corpus import Corpus
from generator.render.site import render_pages
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_model(FIXTURES / "corpus")


def test_related_ranked_by_what_is_shared(corpus: Corpus) -> None:
    related = corpus.related["alpha-summit"]
    assert [(r.article.id, r.events, r.actors, r.tags, r.score) for r in related] == [
        # a shared event (3) + two actors (2 each) + a tag (1)
        ("beta-reacts", ("border-meeting",), ("beta", "ann-leader"), ("trade",), 8),
        # one actor + one tag
        ("alpha-tariffs", (), ("alpha",), ("trade",), 3),
    ]
    assert [(r.article.id, r.score) for r in corpus.related["alpha-tariffs"]] == [
        ("alpha-summit", 3),
        ("beta-reacts", 1),
    ]


def test_a_briefing_is_never_related_to_itself(corpus: Corpus) -> None:
    for article_id, related in corpus.related.items():
        assert article_id not in [r.article.id for r in related]


def _article(path: Path, article_id: str, published: str, tags: list[str]) -> None:
    path.joinpath(f"{article_id}.yaml").write_text(
        f"title: {article_id}\npublished: {published}\nsource: {{}}\nsummary: S.\n"
        f"key_points: [K.]\nactors: []\ntags: {tags}\n",
        encoding="utf-8",
    )


def test_ties_go_to_the_newest_then_by_id(tmp_path: Path) -> None:
    articles = tmp_path / "briefings" / "articles"
    articles.mkdir(parents=True)
    (tmp_path / "briefings" / "actors").mkdir()
    _article(articles, "main", "2024-05-01", ["x"])
    _article(articles, "older", "2024-01-01", ["x"])
    _article(articles, "newer-b", "2024-03-01", ["x"])
    _article(articles, "newer-a", "2024-03-01", ["x"])
    _article(articles, "unrelated", "2024-04-01", ["y"])
    corpus = load_model(tmp_path)
    assert [r.article.id for r in corpus.related["main"]] == ["newer-a", "newer-b", "older"]
    assert corpus.related["unrelated"] == []


def test_at_most_the_limit_and_common_features_alone_do_not_relate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = tmp_path / "briefings" / "articles"
    articles.mkdir(parents=True)
    (tmp_path / "briefings" / "actors").mkdir()
    for index in range(8):
        _article(articles, f"a{index}", f"2024-01-{index + 1:02d}", ["common"])
    corpus = load_model(tmp_path)
    assert len(corpus.related["a0"]) == model.RELATED_LIMIT
    monkeypatch.setattr(model, "COMMON_FEATURE", 7)
    assert load_model(tmp_path).related["a0"] == []


def test_briefing_page_lists_related_briefings(corpus: Corpus) -> None:
    page = render_pages(corpus)["briefings/alpha-summit.md"]
    section = page.split("## Related briefings", 1)[1]
    assert section.index("beta-reacts.md") < section.index("alpha-tariffs.md")
    assert "Shared: 1 event" in section
