"""The site built with `--builder zensical` in Chromium (issue 15): search by name, alias and
Korean script reaches the right page, no request leaves the machine (the `page` fixture
fails on any), and axe finds no serious or critical violation, as on the MkDocs build."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import BLOCKING, PAGES, report
from tests.browser.test_search import search, titled
from tests.conftest import FIXTURES, SEED, run_cli

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reader-side project (tests/browser/reader_site.py) built with Zensical."""
    project = tmp_path_factory.mktemp("zensical-reader") / "project"
    shutil.copytree(SEED / "briefings", project / "briefings")
    shutil.copytree(FIXTURES / "corpus" / "briefings", project / "briefings", dirs_exist_ok=True)
    result = run_cli("--root", project, "build", "--builder", "zensical")
    assert result.code == 0, result.stdout + result.stderr
    return project / "site"


@pytest.mark.parametrize(
    ("query", "title", "target"),
    [
        ("Putin", "Vladimir Putin", "actors/vladimir-putin/"),
        ("DPRK", "North Korea", "actors/north-korea/"),
        ("김정은", "Kim Jong Un", "actors/kim-jong-un/"),
    ],
    ids=["name", "alias", "korean"],
)
def test_search_reaches_the_right_page(
    page: Page, site_url: str, query: str, title: str, target: str
) -> None:
    page.goto(site_url + "briefings/")
    result = titled(page, search(page, query), title).first
    expect(result).to_be_visible()
    result.click()
    expect(page).to_have_url(re.compile(re.escape(site_url + target) + r"(\?.*)?$"))
    expect(page.locator("article h1")).to_contain_text(title)


@pytest.mark.parametrize(
    ("page", "scheme"),
    [({"color_scheme": "light"}, "default"), ({"color_scheme": "dark"}, "slate")],
    ids=["light", "dark"],
    indirect=["page"],
)
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_serious_or_critical_violation(
    page: Page, site_url: str, kind: str, scheme: str
) -> None:
    page.goto(site_url + PAGES[kind])
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
    expect(page.locator("article h1")).to_be_visible()
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert blocking == [], report(blocking)
