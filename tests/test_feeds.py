"""Atom and JSON Feed files: valid for a feed library, absolute addresses, deterministic."""

import json
from pathlib import Path

import feedparser
import jsonschema
import pytest

from generator import addresses
from generator.addresses import FEED_LIMIT as LIMIT
from generator.addresses import SCOPED_FEED_LIMIT as SCOPED_LIMIT
from generator.build import load_model
from generator.formats.feeds import EPOCH, render_feeds
from generator.model.corpus import Corpus
from generator.publish.mkdocs import read_site_info
from generator.siteinfo import SiteConfigError, SiteInfo, site_info
from tests.conftest import FIXTURES, ROOT, make_project, run_cli

SITE = SiteInfo("Briefings", "https://example.org/briefings/")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_model(FIXTURES / "corpus")


@pytest.fixture(scope="module")
def feeds(corpus: Corpus) -> dict[str, str]:
    return render_feeds(corpus, SITE)


def parse(text: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_one_atom_and_one_json_feed_for_the_site_each_actor_and_each_tag(
    corpus: Corpus, feeds: dict[str, str]
) -> None:
    scopes = ["all", *(f"actors/{a}" for a in corpus.actors), *(f"tags/{t}" for t in corpus.tags)]
    expected = {addresses.feed(s, kind) for s in scopes for kind in ("atom", "json")}
    assert set(feeds) == expected


def test_site_atom_feed_is_valid_newest_first_with_absolute_links(feeds: dict[str, str]) -> None:
    parsed = parse(feeds["feeds/all.xml"])
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Briefings"
    assert parsed.feed.updated == "2024-03-05T00:00:00Z"  # the newest briefing's date
    assert [e.link for e in parsed.entries] == [
        "https://example.org/briefings/briefings/alpha-summit/",
        "https://example.org/briefings/briefings/beta-reacts/",
        "https://example.org/briefings/briefings/alpha-tariffs/",
    ]
    first = parsed.entries[0]
    assert first.id == first.link
    assert first.published == "2024-03-05T00:00:00Z"
    assert [t.term for t in first.tags] == ["trade", "diplomacy"]
    assert "<em>Alpha</em>" in first.content[0].value
    assert "<b>" not in first.content[0].value  # the summary's raw HTML stayed text
    assert "&lt;b&gt;tag&lt;/b&gt;" in first.content[0].value
    related = [link.href for link in first.links if link.rel == "related"]
    assert related == ["https://example.org/alpha-summit"]
    self_link = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_link == ["https://example.org/briefings/feeds/all.xml"]


def test_partial_dates_count_from_the_start_of_their_period(feeds: dict[str, str]) -> None:
    parsed = parse(feeds["feeds/tags/trade.xml"])
    dates = {e.title: e.published for e in parsed.entries}
    assert dates["Beta reacts to the border meeting"] == "2024-03-01T00:00:00Z"


def test_actor_feed_lists_the_briefings_naming_the_actor(feeds: dict[str, str]) -> None:
    parsed = parse(feeds["feeds/actors/beta.xml"])
    assert [e.title for e in parsed.entries] == [
        "Alpha and Beta leaders meet at the border",
        "Beta reacts to the border meeting",
    ]
    # the headline, first key point and address; the whole text is in the site's feed
    assert parsed.entries[0].summary == "The leaders met at the border."
    assert "content" not in parsed.entries[0]
    alternate = [link.href for link in parsed.feed.links if link.rel == "alternate"]
    assert alternate == ["https://example.org/briefings/actors/beta/"]


def test_feed_without_entries_is_valid_and_dated_by_the_corpus(feeds: dict[str, str]) -> None:
    parsed = parse(feeds["feeds/actors/gamma-news.xml"])
    assert parsed.entries == []
    assert parsed.feed.updated == "2024-03-05T00:00:00Z"
    assert json.loads(feeds["feeds/actors/gamma-news.json"])["items"] == []


def test_json_feed(feeds: dict[str, str]) -> None:
    document = json.loads(feeds["feeds/all.json"])
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == "https://example.org/briefings/feeds/all.json"
    assert document["home_page_url"] == "https://example.org/briefings/"
    item = document["items"][0]
    assert item["id"] == item["url"] == "https://example.org/briefings/briefings/alpha-summit/"
    assert item["external_url"] == "https://example.org/alpha-summit"
    assert item["date_published"] == "2024-03-05T00:00:00Z"
    assert item["tags"] == ["trade", "diplomacy"]
    assert item["content_html"] == parse(feeds["feeds/all.xml"]).entries[0].content[0].value


# JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), the parts these feeds use; feedparser
# reads no JSON Feed, so the specification's rules are checked with jsonschema.
ABSOLUTE = {"type": "string", "pattern": "^https?://[^/]+/"}
RFC3339 = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
}
JSON_FEED_SCHEMA = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string", "minLength": 1},
        "home_page_url": ABSOLUTE,
        "feed_url": ABSOLUTE,
        "description": {"type": "string"},
        "language": {"type": "string"},
        "authors": {"type": "array", "items": {"type": "object", "required": ["name"]}},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "url": ABSOLUTE,
                    "external_url": ABSOLUTE,
                    "title": {"type": "string"},
                    "summary": {"type": "string"},
                    "content_html": {"type": "string"},
                    "content_text": {"type": "string"},
                    "date_published": RFC3339,
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


def test_every_json_feed_follows_the_specification(feeds: dict[str, str]) -> None:
    for path, text in feeds.items():
        if path.endswith(".json"):
            jsonschema.validate(json.loads(text), JSON_FEED_SCHEMA)


def test_feeds_hold_the_newest_briefings_only(tmp_path: Path) -> None:
    articles = tmp_path / "briefings" / "articles"
    articles.mkdir(parents=True)
    (tmp_path / "briefings" / "actors").mkdir()
    for day in range(1, LIMIT + 6):
        articles.joinpath(f"a{day:03d}.yaml").write_text(
            f"title: A{day}\npublished: 2020-{1 + day // 28:02d}-{1 + day % 28:02d}\n"
            "source: {}\nsummary: S.\nkey_points: [K.]\nactors: []\ntags: [common]\n",
            encoding="utf-8",
        )
    feeds = render_feeds(load_model(tmp_path), SITE)
    assert len(parse(feeds["feeds/all.xml"]).entries) == LIMIT
    assert len(parse(feeds["feeds/tags/common.xml"]).entries) == SCOPED_LIMIT


def test_an_empty_corpus_gives_valid_feeds(tmp_path: Path) -> None:
    (tmp_path / "briefings" / "articles").mkdir(parents=True)
    (tmp_path / "briefings" / "actors").mkdir()
    feeds = render_feeds(load_model(tmp_path), SITE)
    assert parse(feeds["feeds/all.xml"]).feed.updated == EPOCH


def test_feeds_are_deterministic(corpus: Corpus, feeds: dict[str, str]) -> None:
    assert render_feeds(load_model(FIXTURES / "corpus"), SITE) == feeds


def test_site_url_comes_from_mkdocs_yml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFING_SITE_URL", raising=False)
    assert read_site_info(ROOT / "mkdocs.yml").url == "http://127.0.0.1:8000/"
    monkeypatch.setenv("BRIEFING_SITE_URL", "https://someone.github.io/briefing-site")
    info = read_site_info(ROOT / "mkdocs.yml")
    assert info.url == "https://someone.github.io/briefing-site/"
    assert info.name == "Briefings"


def test_missing_or_wrong_site_url_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SiteConfigError, match="`site_url` is not set; the feeds"):
        site_info("mkdocs.yml", "Briefings", None)
    with pytest.raises(SiteConfigError, match="must be an http:// or https:// address"):
        site_info("mkdocs.yml", "Briefings", "example.org")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: X\n", encoding="utf-8")
    with pytest.raises(SiteConfigError, match=r"mkdocs.yml: `site_url` is not set"):
        read_site_info(config)


def test_build_without_site_url_fails_clearly_and_writes_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "corpus" / "briefings")
    (project / "mkdocs.yml").write_text("site_name: Mine\n", encoding="utf-8")
    result = run_cli("--root", project, "build")
    assert result.code == 1
    assert result.stderr == (
        f"error: {project / 'mkdocs.yml'}: `site_url` is not set; the feeds, the JSON API and "
        "the STIX bundle need the site's public address, e.g. "
        "`site_url: https://example.org/briefings/`\n"
    )
    # nothing but the cache of the files read, which validated (data/cache.py)
    assert [p.name for p in (project / "build").iterdir()] == ["cache"]
    assert not (project / "site").exists()


def test_a_key_points_claimant_is_in_the_feeds() -> None:
    """The seed's attributed key points say who claims them, linked to the actor, in the
    content of both feeds; the others are their text alone."""
    from html import escape

    from tests.conftest import SEED

    corpus = load_model(SEED)
    feeds = render_feeds(corpus, SITE)
    item = json.loads(feeds["feeds/all.json"])["items"][0]
    content = item["content_html"]
    assert parse(feeds["feeds/all.xml"]).entries[0].content[0].value == content
    for point in corpus.articles[item["id"].split("/")[-2]].data.key_points:
        names = ", ".join(
            f'<a href="https://example.org/briefings/actors/{a}/">'
            f"{escape(corpus.actors[a].data.name)}</a>"
            for a in point.according_to
        )
        claim = f" <em>(according to {names})</em>" if names else ""
        assert f"<li>{escape(point.text)}{claim}</li>" in content
    assert content.count("(according to ") == 5
