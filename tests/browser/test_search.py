"""The header search box, as a reader uses it, in Chromium (tests marked `browser`).

The site under test is `built_site`, served by tests/browser/conftest.py. For now
this module sets it to `sample_site`: a few hand-written pages (Korean included)
built with the real mkdocs.yml, theme overrides and assets by `mkdocs build
--strict`, then indexed by generator.publish.search. To test the generator's real site
instead, delete the `built_site` fixture below (tests/conftest.py's real build
then applies) and change the queries' expected titles to the real data's.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from playwright.sync_api import Locator, Page, expect

from generator.publish.search import SearchIndexError, index_site
from tools import pagefind as indexer

ROOT = Path(__file__).resolve().parents[2]
MKDOCS = Path(sys.executable).with_name("mkdocs")

# ---- The sample site -------------------------------------------------------------

SAMPLE_PAGES = {
    "index.md": """\
        # Briefings

        Neutral summaries of news articles. Start with the
        [latest briefings](briefings/index.md) or the [actors](actors/index.md).
        """,
    "briefings/index.md": """\
        # Briefings

        - [North Korea launches a ballistic missile](dprk-missile-launch.md)
        - [Putin and Xi discuss energy deals](putin-xi-energy.md)
        """,
    "briefings/dprk-missile-launch.md": """\
        # North Korea launches a ballistic missile

        The DPRK fired an intercontinental ballistic missile into the sea east of the
        Korean peninsula, state media KCNA reported. 김정은 국무위원장은 발사를 참관했다.

        ## Key points

        - The launch was the third this year. :rocket:
        - [Kim Jong Un](../actors/kim-jong-un.md) watched the launch.

        !!! note "Outlook"
            Watch for a UN Security Council meeting.

        | Actor | Role |
        |---|---|
        | [Kim Jong Un](../actors/kim-jong-un.md) | oversaw the launch |
        """,
    "briefings/putin-xi-energy.md": """\
        # Putin and Xi discuss energy deals

        [Vladimir Putin](../actors/vladimir-putin.md) met Xi Jinping in Beijing to
        discuss gas pipelines.

        Power of Siberia 2
        :   A planned pipeline from Russia to China.
        """,
    "actors/index.md": """\
        # Actors

        - [Kim Jong Un](kim-jong-un.md): also 김정은
        - [Vladimir Putin](vladimir-putin.md): also Putin, Vladimir Vladimirovich Putin
        """,
    "actors/kim-jong-un.md": """\
        # Kim Jong Un

        Supreme Leader of North Korea since 2011.

        **Also known as:** 김정은, Kim Jong-un

        Appears in [North Korea launches a ballistic missile](../briefings/dprk-missile-launch.md).
        """,
    "actors/vladimir-putin.md": """\
        # Vladimir Putin

        President of Russia.

        Appears in [Putin and Xi discuss energy deals](../briefings/putin-xi-energy.md).
        """,
    "timeline.md": """\
        # Timeline

        - **2024**: [A missile launch](briefings/dprk-missile-launch.md)
        """,
    "tags/index.md": """\
        # Tags

        No tags yet.
        """,
    "guide/index.md": """\
        # Guide

        How to read a briefing.
        """,
    "guide/excluded.md": """\
        ---
        search:
          exclude: true
        ---

        # Excluded page

        This page mentions zanzibarite, a word no indexed page has.
        """,
}

# The hook file of the real build would regenerate the pages from YAML; the sample
# site is indexed by calling index_site() directly, as the hook's on_post_build does.
STUB_HOOKS = '"""No hooks: the sample site is indexed by the test itself."""\n'


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving its !ENV and !!python/name tags."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def nav_pages(config: Path) -> dict[str, str]:
    """docs path -> title of every page in mkdocs.yml's nav (one level, as it is)."""
    nav = yaml.load(config.read_text(encoding="utf-8"), Loader=_AnyTagLoader)["nav"]
    return {path: title for entry in nav for title, path in entry.items()}


def build_sample_site(project: Path) -> Path:
    """A project folder with the real mkdocs.yml, overrides and assets, built and indexed.

    Every nav page the sample does not write gets a one-line page, so the sample
    builds whatever sections mkdocs.yml lists.
    """
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    (project / "generator").mkdir()
    (project / "generator" / "mkdocs_hooks.py").write_text(STUB_HOOKS, encoding="utf-8")
    docs = project / "build" / "docs"
    shutil.copytree(ROOT / "generator" / "assets", docs / "assets")
    pages = {path: f"# {title}\n" for path, title in nav_pages(ROOT / "mkdocs.yml").items()}
    pages.update({path: textwrap.dedent(text) for path, text in SAMPLE_PAGES.items()})
    for path, text in pages.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    result = subprocess.run(
        [str(MKDOCS), "build", "--strict"], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    site = project / "site"
    index_site(site)
    return site


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_site(tmp_path_factory.mktemp("sample-site"))


@pytest.fixture(scope="module")
def built_site(sample_site: Path) -> Path:
    return sample_site


# ---- The indexer on its own (no browser) ---------------------------------------


def test_indexing_a_folder_without_a_site_says_so(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match=r"it has no index\.html"):
        index_site(tmp_path)


def test_a_pagefind_failure_is_a_search_index_error(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("", encoding="utf-8")
    with pytest.raises(
        SearchIndexError, match=r"Pagefind failed to index the site \(exit status 1\)"
    ):
        index_site(tmp_path)


def test_the_sample_bundle_is_written(sample_site: Path) -> None:
    entry = json.loads((sample_site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == ["en"]  # one index, in one language, for every page
    pinned = indexer.read_pin(indexer.PYPROJECT, indexer.platform_package())
    assert entry["version"] == pinned.version  # the pinned release indexed it


# ---- Helpers ---------------------------------------------------------------------

SEARCH_INPUT = ".bs-search .pf-searchbox-input"
RESULT = ".bs-search .pf-searchbox-result"


def search(page: Page, query: str) -> Locator:
    """Focus the header box with `/` as a reader would and type `query`.

    Returns the result links of the whole query: each carries the query in its
    highlight parameter (lower-cased and decomposed, as Pagefind writes it), which
    tells them from the results of a prefix typed on the way.
    """
    page.keyboard.press("/")
    expect(page.locator(SEARCH_INPUT)).to_be_focused()
    page.keyboard.type(query)
    term = quote(unicodedata.normalize("NFD", query.lower()))
    return page.locator(f'{RESULT}[href*="?h={term}"]')


def titled(page: Page, results: Locator, title: str) -> Locator:
    """The results whose title (not excerpt) contains `title`."""
    return results.filter(has=page.locator(".bs-search__title", has_text=title))


# ---- Tests -----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(
    ("start", "query", "title", "target"),
    [
        ("", "Putin", "Vladimir Putin", "actors/vladimir-putin/"),
        (
            "actors/",
            "DPRK",
            "North Korea launches a ballistic missile",
            "briefings/dprk-missile-launch/",
        ),
        ("briefings/putin-xi-energy/", "김정은", "Kim Jong Un", "actors/kim-jong-un/"),
    ],
    ids=["Putin-from-home", "DPRK-from-section", "Korean-from-deep-page"],
)
def test_a_result_leads_to_its_page(
    page: Page, site_url: str, start: str, query: str, title: str, target: str
) -> None:
    page.goto(site_url + start)
    results = search(page, query)
    result = titled(page, results, title)
    expect(result).to_have_count(1)
    result.click()
    expect(page).to_have_url(re.compile(re.escape(site_url + target) + r"(\?.*)?$"))
    expect(page.locator("article h1")).to_contain_text(title)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "address"), [("KCNA", "h=kcna"), ("김정은", "h=김정은")], ids=["latin", "hangul"]
)
def test_the_page_opened_from_a_result_marks_the_term(
    page: Page, site_url: str, query: str, address: str
) -> None:
    page.goto(site_url)
    titled(page, search(page, query), "ballistic missile").click()
    target = f"{site_url}briefings/dprk-missile-launch/?{quote(address, safe='=')}"
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    expect(page.locator("article mark")).to_have_text([query])


@pytest.mark.browser
def test_results_name_the_page_kind(page: Page, site_url: str) -> None:
    page.goto(site_url)
    results = search(page, "Putin")
    expect(titled(page, results, "Vladimir Putin").locator(".bs-search__kind")).to_have_text(
        "Actor"
    )
    expect(titled(page, results, "energy deals").locator(".bs-search__kind")).to_have_text(
        "Briefing"
    )


@pytest.mark.browser
def test_a_page_of_its_own_ranks_before_the_lists(page: Page, site_url: str) -> None:
    page.goto(site_url)
    results = search(page, "김정은")  # in none of the titles: weights decide
    expect(results.locator(".bs-search__title")).to_contain_text(["Kim Jong Un", "Actors"])


@pytest.mark.browser
def test_keyboard_shortcuts_focus_the_search(page: Page, site_url: str) -> None:
    page.goto(site_url + "briefings/")
    box = page.locator(SEARCH_INPUT)
    for key in ("s", "/", "f"):
        page.locator("body").click(position={"x": 5, "y": 300})
        expect(box).not_to_be_focused()
        page.keyboard.press(key)
        expect(box).to_be_focused()
        expect(box).to_have_value("")
    page.keyboard.type("st")
    expect(box).to_have_value("st")


@pytest.mark.browser
@pytest.mark.parametrize(
    "query", ["Material", "zanzibarite"], ids=["footer-not-indexed", "excluded-page"]
)
def test_only_page_content_is_indexed(page: Page, site_url: str, query: str) -> None:
    page.goto(site_url)
    search(page, query)
    expect(page.locator(".bs-search .pf-searchbox-empty")).to_be_visible()
    expect(page.locator(RESULT)).to_have_count(0)


@pytest.mark.browser
def test_search_loads_its_index_only_when_used(page: Page, site_url: str, watch: Any) -> None:
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    assert not [url for url in watch.requests if "/pagefind/pagefind.js" in url]
    expect(search(page, "Putin").first).to_be_visible()
    assert [url for url in watch.requests if "/pagefind/pagefind.js" in url]


@pytest.mark.browser
def test_opened_from_files_the_box_says_search_needs_a_server(page: Page, built_site: Path) -> None:
    page.goto((built_site / "briefings" / "index.html").as_uri())
    box = page.locator(SEARCH_INPUT)
    expect(box).to_be_disabled()
    expect(box).to_have_attribute("placeholder", "Search needs a web server")


PHONE = {"viewport": {"width": 390, "height": 760}, "is_mobile": True, "has_touch": True}


@pytest.mark.browser
@pytest.mark.parametrize(
    "page",
    [{"color_scheme": "light"}, {"color_scheme": "dark"}, {"color_scheme": "light", **PHONE}],
    ids=["light", "dark", "phone"],
    indirect=True,
)
def test_screenshot_of_search(
    page: Page, site_url: str, request: pytest.FixtureRequest, screenshot: Callable[[str], Path]
) -> None:
    page.goto(site_url + "briefings/dprk-missile-launch/")
    scheme = "slate" if "dark" in request.node.callspec.id else "default"
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
    screenshot(f"page-{request.node.callspec.id}")
    if "phone" in request.node.callspec.id:
        page.locator(SEARCH_INPUT).tap()
        expect(page.locator(SEARCH_INPUT)).to_be_focused()
        page.keyboard.type("DPRK")
    else:
        search(page, "DPRK")
    expect(page.locator(RESULT).first).to_be_visible()
    expect(page.locator(".bs-search .pf-searchbox-placeholder")).to_have_count(0)
    screenshot(f"search-{request.node.callspec.id}")
