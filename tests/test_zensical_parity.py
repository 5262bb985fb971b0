"""`build --builder zensical` builds the same site as the default MkDocs + Material build:
the same page addresses, the same page text (briefing, actor, timeline, tag and list pages),
the generator's files (feeds, JSON API, STIX) byte for byte, and a Pagefind index of the same
pages. Both sites are built from the synthetic corpus through the real CLI.

Known differences, by design of Zensical 0.0.73 (README, "Building with Zensical"): the
theme's own assets (Zensical's bundle and stylesheets differ from Material's) and no
`sitemap.xml.gz` (Zensical writes only `sitemap.xml`). Zensical's own search index is
turned off (its `search.json` is empty): the site searches with Pagefind."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, make_project, run_cli

pytestmark = pytest.mark.slow

ONLY_MKDOCS = {"sitemap.xml.gz"}
ONLY_ZENSICAL = {"search.json"}  # its own index, turned off: empty


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    built = {}
    for builder in ("mkdocs", "zensical"):
        project = make_project(
            tmp_path_factory.mktemp(builder) / "project", FIXTURES / "corpus" / "briefings"
        )
        result = run_cli("--root", project, "build", "--builder", builder)
        assert result.code == 0, result.stdout + result.stderr
        built[builder] = project / "site"
    return built


def _files(site: Path) -> set[str]:
    """Every file of the site but the theme's own assets and the search index."""
    return {
        path.relative_to(site).as_posix()
        for path in site.rglob("*")
        if path.is_file() and path.relative_to(site).parts[0] not in {"assets", "pagefind"}
    }


class _IndexedText(HTMLParser):
    """The text of a page's content (overrides/partials/content.html's element), after the
    attributes Pagefind reads from that element (indexed or not, title, kind, weight)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            if tag not in {"br", "img", "hr", "input", "meta", "link", "wbr", "source"}:
                self.depth += 1
        elif ("class", "bs-page") in attrs:
            self.depth = 1
            self.chunks.append(repr(sorted(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in {"br", "img", "hr", "input", "meta", "link", "wbr"}:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.chunks.append(data)


def page_text(page: Path) -> str:
    parser = _IndexedText()
    parser.feed(page.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", "".join(parser.chunks)).strip()


def test_the_same_pages_and_files(sites: dict[str, Path]) -> None:
    mkdocs, zensical = _files(sites["mkdocs"]), _files(sites["zensical"])
    assert mkdocs - zensical == ONLY_MKDOCS
    assert zensical - mkdocs == ONLY_ZENSICAL
    index = json.loads((sites["zensical"] / "search.json").read_text(encoding="utf-8"))
    assert index["items"] == []
    assert sum(name.endswith(".html") for name in mkdocs) > 15


def test_the_generators_files_are_byte_identical(sites: dict[str, Path]) -> None:
    generated = [
        name
        for name in _files(sites["mkdocs"])
        if name.split("/")[0] in {"feeds", "api"} and not name.endswith(".html")
    ]
    assert any(name.endswith(".xml") for name in generated)  # the Atom feeds
    assert any("stix" in name for name in generated)
    assert any(name.endswith(".json") and "stix" not in name for name in generated)
    for name in generated:
        assert (sites["zensical"] / name).read_bytes() == (sites["mkdocs"] / name).read_bytes(), (
            name
        )


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "briefings/index.html",
        "actors/index.html",
        "timeline/index.html",
        "tags/index.html",
    ],
)
def test_the_same_list_page_text(sites: dict[str, Path], page: str) -> None:
    text = page_text(sites["mkdocs"] / page)
    assert text
    assert page_text(sites["zensical"] / page) == text


def test_the_same_text_on_every_page(sites: dict[str, Path]) -> None:
    """Every page, briefing, actor and tag pages included (the 404 page is not indexed)."""
    pages = sorted(name for name in _files(sites["mkdocs"]) if name.endswith(".html"))
    kinds = {name.split("/")[0] for name in pages}
    assert {"briefings", "actors", "tags", "timeline"} <= kinds
    differ = [
        name
        for name in pages
        if page_text(sites["zensical"] / name) != page_text(sites["mkdocs"] / name)
    ]
    assert differ == []


def test_pagefind_indexes_the_same_pages(sites: dict[str, Path]) -> None:
    import json

    counts = {
        builder: json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
        for builder, site in sites.items()
    }
    pages = {
        builder: sum(v["page_count"] for v in e["languages"].values())
        for builder, e in counts.items()
    }
    assert pages["mkdocs"] > 10
    assert pages["zensical"] == pages["mkdocs"]


def test_switching_builders_builds_in_full_and_zensical_rebuilds_every_page(
    tmp_path: Path,
) -> None:
    """The builder is part of what a site was built with: switching builds in full; with
    Zensical an unchanged project keeps the site, and an edit builds every page (MkDocs'
    dirty build is the only partial one), the same site as a clean Zensical build."""
    project = make_project(tmp_path / "project", FIXTURES / "corpus" / "briefings")
    assert run_cli("--root", project, "build").code == 0
    switched = run_cli("--root", project, "build", "--builder", "zensical")
    assert switched.code == 0, switched.stderr
    assert "Site: built in full (" in switched.stdout
    again = run_cli("--root", project, "build", "--builder", "zensical")
    assert "Site: unchanged (nothing to rebuild)." in again.stdout, again.stdout
    article = next((project / "briefings" / "articles").rglob("*.yaml"))
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")
    edited = run_cli("--root", project, "build", "--builder", "zensical")
    assert edited.code == 0, edited.stderr
    assert "Site: built in full (Zensical builds every page)." in edited.stdout
    clean = make_project(tmp_path / "clean", project / "briefings")
    assert run_cli("--root", clean, "build", "--builder", "zensical").code == 0
    for name in sorted(_files(project / "site")):
        if name.endswith(".html"):
            assert page_text(project / "site" / name) == page_text(clean / "site" / name), name
