"""Issue 14, machine-readable pages: every briefing page carries a schema.org `NewsArticle`
and every actor page a `ProfilePage` as JSON-LD, read back from the HTML of real builds;
titles and names holding `</script>` or `<!--` cannot end the element."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build import generated_files, load_model
from generator.markup import script_json
from generator.siteinfo import SiteInfo
from tests.conftest import make_project, run_cli
from tests.test_properties import JSON_LD_TYPE, unsafe_html

MARKER = "xss1337"
HOSTILE = f'</script><script>alert("{MARKER}")</script><!--<script>{MARKER}</ScRiPt >&amp;'
ARTICLE_ID = "kim-jong-un-orders-war-preparations"
SITE = SiteInfo("Briefings", "https://briefings.example/", "A test site.")


class JsonLd(HTMLParser):
    """The content of each JSON-LD element of a page, as the HTML parser sees it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside = tag == "script" and attrs == [("type", JSON_LD_TYPE)]
        if self._inside:
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.found[-1] += data


def json_ld(page: Path) -> dict[str, Any]:
    """The page's one JSON-LD element, parsed: its whole content is one JSON value."""
    parser = JsonLd()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    assert len(parser.found) == 1, page
    value = json.loads(parser.found[0])
    assert isinstance(value, dict)
    return value


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def actor_thing(data: dict[str, Any]) -> dict[str, Any]:
    thing: dict[str, Any] = {
        "@type": "Person" if data["kind"] == "person" else "Organization",
        "name": data["name"],
    }
    if data.get("aliases"):
        thing["alternateName"] = data["aliases"]
    if data.get("wikidata"):
        thing["sameAs"] = f"https://www.wikidata.org/wiki/{data['wikidata']}"
    return thing


def check_site(project: Path) -> None:
    """Every briefing and actor page's JSON-LD says what the data says."""
    site, briefings = project / "site", project / "briefings"
    actors = {p.stem: load(p) for p in (briefings / "actors").glob("*.yaml")}
    articles = {p.stem: load(p) for p in (briefings / "articles").glob("*.yaml")}
    for article_id, data in articles.items():
        value = json_ld(site / "briefings" / article_id / "index.html")
        authors = data["source"]["author"]
        authors = [authors] if isinstance(authors, str) else authors
        author = [{"@type": "Person", "name": name} for name in authors]
        dates = {} if data.get("published_circa") else {"datePublished": str(data["published"])}
        based_on = {
            "@type": "NewsArticle",
            "headline": data["title"],
            "author": author,
            "inLanguage": data["source"].get("language", "en"),
            **dates,
        }
        if data["source"].get("url"):
            based_on["url"] = data["source"]["url"]
        if data["source"].get("outlet"):
            based_on["publisher"] = {"@type": "Organization", "name": data["source"]["outlet"]}
        assert value["@context"] == "https://schema.org"
        assert value["@type"] == "NewsArticle"
        assert value["headline"] == data["title"]
        assert value["author"] == author
        assert value.get("datePublished") == dates.get("datePublished")
        assert value["isBasedOn"] == based_on
        assert value["about"] == [actor_thing(actors[a["actor"]]) for a in data["actors"]]
    for actor_id, data in actors.items():
        value = json_ld(site / "actors" / actor_id / "index.html")
        assert value["@context"] == "https://schema.org"
        assert value["@type"] == "ProfilePage"
        entity = value["mainEntity"]
        shown = ("@type", "name", "alternateName", "sameAs")
        assert {k: v for k, v in entity.items() if k in shown} == actor_thing(data)
        assert entity["description"] == description(data["summary"])


def description(summary: str) -> str:
    """A summary's first paragraph on one line, each link as its text."""
    first = " ".join(re.split(r"\n\s*\n", summary.strip())[0].split())
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", first)


def test_an_actors_description_is_its_summarys_first_paragraph_as_plain_text(
    tmp_path: Path,
) -> None:
    """Not the first line of the YAML (in a `|` block, a sentence cut anywhere): the first
    paragraph, links as their text, on the page's description and in its JSON-LD."""
    project = make_project(tmp_path / "p")
    (project / "briefings" / "actors" / "kcna.yaml").write_text(
        "name: Korean Central News Agency\nkind: media\nsummary: |\n"
        "  The state news agency of [North Korea](https://en.wikipedia.org/wiki/North_Korea),\n"
        "  based in Pyongyang.\n\n  It publishes the government's statements.\n",
        encoding="utf-8",
    )
    files = dict(generated_files(load_model(project), SITE))
    page = files["actors/kcna.md"]
    expected = "The state news agency of North Korea, based in Pyongyang."
    assert expected == description(load(project / "briefings" / "actors" / "kcna.yaml")["summary"])
    assert f"description: {json.dumps(expected)}\n" in page
    parser = JsonLd()
    parser.feed(page)
    assert json.loads(parser.found[0])["mainEntity"]["description"] == expected


@pytest.mark.slow
def test_every_briefing_and_actor_page_of_the_seed_carries_its_json_ld(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    result = run_cli("--root", project, "build")
    assert result.code == 0, result.stderr
    check_site(project)
    kim = json_ld(project / "site" / "actors" / "kim-jong-un" / "index.html")["mainEntity"]
    assert (kim["@type"], kim["sameAs"]) == ("Person", "https://www.wikidata.org/wiki/Q56226")
    kcna = json_ld(project / "site" / "actors" / "kcna" / "index.html")["mainEntity"]
    assert kcna["@type"] == "Organization" and "sameAs" not in kcna


@pytest.mark.slow
def test_hostile_titles_and_names_cannot_leave_the_json_ld(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    article = project / "briefings" / "articles" / f"{ARTICLE_ID}.yaml"
    data = load(article)
    data["title"] = f"Title {HOSTILE}"
    data["published"], data["published_circa"] = "2024-03-05", False
    data["source"]["author"] = [f"A {HOSTILE}", "B"]
    data["source"]["url"] = f"https://a.example/x?q={MARKER}&y=%3C/script%3E"
    data["source"]["outlet"] = f"Outlet {HOSTILE}"
    article.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for actor_id in ("kim-jong-un", "kcna"):
        path = project / "briefings" / "actors" / f"{actor_id}.yaml"
        actor = load(path)
        actor["name"] = f"{actor['name']} {HOSTILE}"
        actor["aliases"] = [*actor.get("aliases", []), f"<!-- {MARKER}"]
        path.write_text(yaml.safe_dump(actor, allow_unicode=True), encoding="utf-8")
    result = run_cli("--root", project, "build")
    assert result.code == 0, result.stderr
    check_site(project)
    for page in (project / "site").rglob("*.html"):
        assert unsafe_html(page.read_text(encoding="utf-8"), marker=MARKER) == [], page
    briefing = json_ld(project / "site" / "briefings" / ARTICLE_ID / "index.html")
    assert briefing["datePublished"] == "2024-03-05"


def test_script_json_leaves_no_markup_and_is_the_same_json() -> None:
    value = {"b": HOSTILE, "a": ["\u2028<!--", "&lt;"], "ko": "김정은"}
    text = script_json(value)
    assert not set(text) & set("<>&\u2028\u2029")
    assert json.loads(text) == value
    assert text.startswith('{"a":') and "김정은" in text
    assert script_json(dict(reversed(value.items()))) == text
