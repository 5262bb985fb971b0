"""The live preview's search note in Chromium: while `serve` re-indexes in the background,
the search box says that results are updating, and says nothing once the index is fresh;
a built site never has the note (nor its script)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.reader_site import reader_site
from tests.conftest import make_project
from tests.test_serve import WAIT, search_state, serving, slow_pagefind

__all__ = ["reader_site"]

NOTE = ".bs-search .bs-search__status"
UPDATING = "Search results are updating…"


@pytest.fixture(scope="module")
def built_site(reader_site: Path) -> Path:
    return reader_site


@pytest.mark.browser
@pytest.mark.slow
def test_the_preview_says_while_search_results_are_updating(
    page: Page, tmp_path: Path, screenshot: Callable[[str], Path]
) -> None:
    project = make_project(tmp_path / "project")
    with serving(project, tmp_path / "serve.log", slow_pagefind(tmp_path, 6)) as server:
        assert search_state(server) == "ready"  # the first index is made before serving
        page.goto(server.url + "/actors/japan/")
        note = page.locator(NOTE)
        expect(note).to_be_hidden()
        japan = project / "briefings" / "actors" / "japan.yaml"
        original = japan.read_text(encoding="utf-8")
        japan.write_text(original.replace("name: Japan", "name: Nippon"), encoding="utf-8")
        # The browser reloads (MkDocs' livereload) to the edited page while Pagefind waits.
        expect(page.locator("h1")).to_contain_text("Nippon", timeout=WAIT * 1000)
        expect(note).to_have_text(UPDATING)
        expect(note).to_have_attribute("role", "status")  # announced politely
        expect(note).to_be_visible()
        screenshot("preview-search-updating")
        expect(note).to_have_text("", timeout=WAIT * 1000)
        expect(note).to_be_hidden()
        # The fresh index answers.
        page.locator(".bs-search .pf-searchbox-input").fill("Nippon")
        expect(page.locator(".bs-search__result").first).to_contain_text("Nippon")
        page.goto("about:blank")  # before the server stops: its reload poll would fail


@pytest.mark.browser
def test_a_built_site_has_no_updating_note(page: Page, site_url: str, built_site: Path) -> None:
    assert not (built_site / "pagefind-status.json").exists()
    assert not [
        path
        for path in built_site.rglob("*.html")
        if "bs-search__status" in path.read_text(encoding="utf-8")
    ]
    page.goto(site_url + "actors/japan/")
    expect(page.locator(".bs-search pagefind-searchbox")).to_be_attached()
    page.wait_for_timeout(1500)
    expect(page.locator(NOTE)).to_have_count(0)
