"""Search on the real site: the generator's build of briefings/, in Chromium. A reader types a
name, an alias or a native-script name into the header box and reaches the right page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_search import search, titled

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("query", "title", "target"),
    [
        ("Putin", "Vladimir Putin", "actors/vladimir-putin/"),
        ("DPRK", "North Korea", "actors/north-korea/"),
        ("김정은", "Kim Jong Un", "actors/kim-jong-un/"),
        ("조선중앙통신", "Korean Central News Agency", "actors/kcna/"),
        (
            "munitions",
            "Kim Jong Un orders North Korean military",
            "briefings/kim-jong-un-orders-war-preparations/",
        ),
    ],
    ids=["name", "alias", "korean", "korean-agency", "briefing-text"],
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


def test_the_actor_page_opened_from_search_lists_the_briefing(page: Page, site_url: str) -> None:
    page.goto(site_url)
    titled(page, search(page, "김정은"), "Kim Jong Un").first.click()
    link = page.locator("article a", has_text="Kim Jong Un orders North Korean military").first
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(
        re.compile(re.escape(site_url + "briefings/kim-jong-un-orders-war-preparations/"))
    )
