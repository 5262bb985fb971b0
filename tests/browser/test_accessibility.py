"""axe-core (the copy bundled in axe-playwright-python: nothing is downloaded) on every kind
of page, in the light and the dark palette: no serious or critical violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.reader_site import reader_site

pytestmark = pytest.mark.browser

__all__ = ["reader_site"]

PAGES = {
    "home": "",
    "briefings": "briefings/",
    "briefing": "briefings/kim-jong-un-orders-war-preparations/",
    "briefing-with-related": "briefings/alpha-summit/",
    "actors": "actors/",
    "actor": "actors/north-korea/",
    "timeline": "timeline/",
    "tags": "tags/",
    "tag": "tags/trade/",
    "open-data": "api/",
    "guide": "guide/",
    "field-reference": "guide/fields/",
}
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def built_site(reader_site: Path) -> Path:
    return reader_site


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def report(violations: list[dict[str, object]]) -> str:
    lines = []
    for violation in violations:
        nodes = violation.get("nodes")
        targets = [n.get("target") for n in nodes] if isinstance(nodes, list) else []
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets[:5]}"
        )
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("page", "scheme"),
    [({"color_scheme": "light"}, "default"), ({"color_scheme": "dark"}, "slate")],
    ids=["light", "dark"],
    indirect=["page"],
)
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_serious_or_critical_violation(
    page: Page, site_url: str, axe: Axe, kind: str, scheme: str
) -> None:
    page.goto(site_url + PAGES[kind])
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
    expect(page.locator("article h1")).to_be_visible()
    if kind == "timeline":
        expect(page.locator("form.bs-filter")).to_be_visible()  # checked as a reader sees it
    results = axe.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert blocking == [], report(blocking)
