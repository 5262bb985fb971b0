"""End to end: the real CLI builds the real data with `mkdocs build --strict`; the HTML is
checked as a reader's browser would follow it."""

import hashlib
import re
import subprocess
import sys
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.build import load_model
from tests.conftest import ROOT, SEED, make_project, run_cli

pytestmark = pytest.mark.slow


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        # <link rel="canonical|alternate"> names an address (absolute, from site_url) that
        # the browser does not load: a reference, like <a>.
        kind = "a" if tag == "link" and found.get("rel") in ("canonical", "alternate") else tag
        for name in ("href", "src"):
            if found.get(name):
                self.links.append((kind, str(found[name])))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def target_of(page: Path, href: str, site: Path) -> Path | None:
    """The file a relative link points at, or None for an external or special link."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "mailto:")):
        return None
    path = (page.parent / unquote(parts.path)).resolve()
    if path.is_dir() or href.endswith("/"):
        path = path / "index.html"
    assert site.resolve() in path.parents or path == site.resolve(), f"{href} leaves the site"
    return path


def test_every_internal_link_and_anchor_resolves(built_site: Path) -> None:
    # 404.html is served at any depth, so MkDocs gives it root-relative links: not checked here.
    pages = sorted(p for p in built_site.rglob("*.html") if p.name != "404.html")
    assert len(pages) > 20
    ids = {page.resolve(): parse(page).ids for page in pages}
    for page in pages:
        for _tag, href in parse(page).links:
            target = target_of(page, href, built_site)
            if target is None:
                continue
            assert target.exists(), f"{page.relative_to(built_site)}: broken link {href}"
            fragment = urlsplit(href).fragment
            if fragment and target.suffix == ".html":
                assert unquote(fragment) in ids[target], f"{page}: missing anchor {href}"


def test_contract_addresses_exist(built_site: Path) -> None:
    corpus = load_model(SEED)
    for address in [
        "index.html",
        "briefings/index.html",
        "actors/index.html",
        "timeline/index.html",
        "tags/index.html",
        "guide/index.html",
    ]:
        assert (built_site / address).is_file(), address
    for article_id in corpus.articles:
        assert (built_site / "briefings" / article_id / "index.html").is_file()
    for actor_id in corpus.actors:
        assert (built_site / "actors" / actor_id / "index.html").is_file()


def test_actor_pages_list_their_appearances(built_site: Path) -> None:
    corpus = load_model(SEED)
    for actor_id, appearances in corpus.appearances.items():
        page = built_site / "actors" / actor_id / "index.html"
        links = {href for _, href in parse(page).links}
        text = "".join(parse(page).text)
        assert f"Appearances ({len(appearances)})" in text
        for appearance in appearances:
            assert f"../../briefings/{appearance.article.id}/" in links
            assert appearance.role.split()[0] in text


def test_briefing_page_shows_every_part(built_site: Path) -> None:
    corpus = load_model(SEED)
    for article in corpus.articles.values():
        page = built_site / "briefings" / article.id / "index.html"
        text = re.sub(r"\s+", " ", "".join(parse(page).text))
        assert article.data.title in text
        for heading in (
            "Summary",
            "Key points",
            "Actors",
            "Timeline",
            "Relations",
            "Quotes",
            "Outlook",
            "Tags",
        ):
            assert heading in text
        for item in article.data.actors:
            assert f"../../actors/{item.actor}/" in {h for _, h in parse(page).links}
        for quote in article.data.quotes:
            assert quote.text in text


def test_timeline_shows_dates_at_their_precision(built_site: Path) -> None:
    text = re.sub(r"\s+", " ", "".join(parse(built_site / "timeline" / "index.html").text))
    assert "September 2023" in text
    assert "c. December 2023" in text
    assert "1 September 2023" not in text


def test_each_quote_is_its_own_blockquote_with_its_attribution(built_site: Path) -> None:
    """Markdown joins blockquotes that follow each other; each quote must stay apart, with
    who said it (a briefing page) or where (an actor page) right under it."""
    corpus = load_model(SEED)
    for page, quotes in [
        (f"briefings/{article.id}", len(article.data.quotes))
        for article in corpus.articles.values()
    ] + [(f"actors/{actor}", len(entries)) for actor, entries in corpus.quotes_by.items()]:
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        assert quotes > 0
        assert html.count("<blockquote>") == quotes, page
        assert len(re.findall(r'</blockquote>\n<p class="bs-quote-by[^"]*">— ', html)) == quotes


def test_no_request_to_any_other_host(built_site: Path) -> None:
    """Pages load nothing from elsewhere: no external script, style, font, image or frame."""
    for page in built_site.rglob("*.html"):
        for tag, href in parse(page).links:
            if tag != "a":
                assert not urlsplit(href).netloc, f"{page}: {tag} loads {href}"
    for style in built_site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)", style.read_text(encoding="utf-8")):
            assert "//" not in url or url.strip("'\"").startswith("data:"), f"{style}: {url}"
    for page in built_site.rglob("*.html"):
        assert "fonts.googleapis" not in page.read_text(encoding="utf-8")


def test_navigation_does_not_list_every_briefing(built_site: Path) -> None:
    """The guide's content names no briefing, so any link to one would come from navigation
    that grows with the corpus."""
    corpus = load_model(SEED)
    guide = (built_site / "guide" / "index.html").read_text(encoding="utf-8")
    assert 'class="md-nav md-nav--primary' in guide
    for article_id in corpus.articles:
        assert f"briefings/{article_id}/" not in guide
    for actor_id in corpus.actors:
        assert f"actors/{actor_id}/" not in guide


def test_two_builds_are_identical(tmp_path: Path) -> None:
    outputs = []
    for name in ("one", "two"):
        project = make_project(tmp_path / name)
        assert run_cli("--root", project, "build").code == 0
        pages = project / "build" / "docs"
        outputs.append(
            {
                p.relative_to(pages).as_posix(): hashlib.sha256(p.read_bytes()).digest()
                for p in sorted(pages.rglob("*"))
                if p.is_file()
            }
        )
        html = project / "site"
        outputs.append(
            {
                p.relative_to(html).as_posix(): hashlib.sha256(p.read_bytes()).digest()
                for p in sorted(html.rglob("*.html"))
            }
        )
    assert outputs[0] == outputs[2]
    assert outputs[1] == outputs[3]


def test_plain_mkdocs_build_strict_works_too(tmp_path: Path) -> None:
    """`mkdocs build --strict` regenerates the pages itself (the hooks) and indexes the site
    for search, in a project of its own (the repository's build/ is never written)."""
    project = make_project(tmp_path / "project")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    config = config.replace("generator/mkdocs_hooks.py", str(ROOT / "generator/mkdocs_hooks.py"))
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    (project / "build" / "docs").mkdir(parents=True)  # as the repository commits it
    before = sorted(p.name for p in (ROOT / "build" / "docs").iterdir())
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert (site / "actors" / "kim-jong-un" / "index.html").is_file()
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    assert (project / "build" / "docs" / "briefings" / "index.md").is_file()
    assert sorted(p.name for p in (ROOT / "build" / "docs").iterdir()) == before


def test_the_editors_briefings_validate() -> None:
    """The committed data is valid (what `make site` checks first). This pins no content:
    the other tests read the frozen copy in tests/fixtures/seed."""
    result = run_cli("validate", cwd=ROOT)
    assert result.code == 0, result.stderr


def _items(page: Path) -> list[str]:
    """Each list item of a built page, its HTML with white space collapsed."""
    html = page.read_text(encoding="utf-8")
    return [re.sub(r"\s+", " ", item) for item in re.findall(r"<li[ >].*?</li>", html, re.S)]


def test_briefing_page_says_where_each_date_comes_from_and_who_claims(built_site: Path) -> None:
    """Each event's date basis and each attributed key point and relation, on the built page
    of the seed briefing; a date from outside the article never carries the badge saying the
    sources give it to the month or year."""
    corpus = load_model(SEED)
    article = corpus.articles["kim-jong-un-orders-war-preparations"]
    page = built_site / "briefings" / article.id / "index.html"
    items = _items(page)
    outside = [e for e in article.data.events if e.date_basis == "outside"]
    assert len(outside) == 5  # the article dates none of its events
    for event in article.data.events:
        (item,) = [i for i in items if escape(" ".join(event.what.split()), quote=False) in i]
        note = escape(" ".join((event.date_note or "").split()), quote=False)
        if event.date_basis == "outside":
            assert f"<em>date from outside the article: {note}</em>" in item
            assert "The sources give this date" not in item
        elif event.date_basis == "inferred":
            assert "<em>inferred from the article</em>" in item
        for claimant in event.according_to:
            name = corpus.actors[claimant].data.name
            assert f'(according to <a href="../../actors/{claimant}/">{name}</a>)' in item
    attributed = [p for p in article.data.key_points if p.according_to]
    assert {c for p in attributed for c in p.according_to} == {"kcna", "united-states"}
    for point in attributed:
        (item,) = [i for i in items if escape(" ".join(point.text.split()), quote=False) in i]
        names = ", ".join(
            f'<a href="../../actors/{c}/">{corpus.actors[c].data.name}</a>'
            for c in point.according_to
        )
        assert item.endswith(f"<em>(according to {names})</em></li>")
    (supplies,) = [i for i in items if "supplies" in i and "accused by Washington" in i]
    assert '(according to <a href="../../actors/united-states/">United States</a>)' in supplies
    text = re.sub(r"\s+", " ", page.read_text(encoding="utf-8"))
    assert "Published c. 2024 (date from outside the article: The article carries no date." in text


def test_an_actor_profile_lists_its_claims(built_site: Path) -> None:
    corpus = load_model(SEED)
    page = built_site / "actors" / "kcna" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert 'id="claims-by-this-actor">Claims by this actor' in html
    section = html[html.index('id="claims-by-this-actor"') :]
    section = re.sub(r"\s+", " ", section[: section.index("</ul>")])
    claims = corpus.claims_by["kcna"]
    assert len(claims) == 5  # four key points and the event of Kim's orders
    assert section.count('<li class="bs-listing">') == len(claims)
    for entry in claims:
        text = getattr(entry.claim, "text", None) or getattr(entry.claim, "what", "")
        assert escape(" ".join(text.split()), quote=False) in section
    assert "Claims by this actor" not in (built_site / "actors/japan/index.html").read_text(
        encoding="utf-8"
    )
