"""A reader on a site whose lists run over many pages (the benchmark's synthetic corpus,
tests/conftest.py `paged_site`): the pager, the year links, the timeline filter on one page
of a long timeline and its link to all of an actor's events, and a famous actor's profile
with the latest of its lists. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from generator.build import load_model
from generator.model.corpus import Corpus
from generator.render.paging import PAGE_SIZE, PREVIEW

pytestmark = pytest.mark.browser

EVENT = "li.bs-event"
NEXT = "Next \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"
PREVIOUS = "\N{SINGLE LEFT-POINTING ANGLE QUOTATION MARK} Previous"


@pytest.fixture(scope="module")
def built_site(paged_site: Path) -> Path:
    return paged_site / "site"


@pytest.fixture(scope="module")
def corpus(paged_site: Path) -> Corpus:
    return load_model(paged_site)


def test_the_pager_walks_the_timeline(
    page: Page, site_url: str, screenshot: Callable[[str], Path]
) -> None:
    page.goto(site_url + "timeline/")
    pager = page.locator("p.bs-pager").first
    expect(pager).to_have_attribute("role", "navigation")
    expect(pager.locator("strong")).to_have_text("1")
    pager.get_by_role("link", name=NEXT).click()
    expect(page).to_have_url(re.compile(r"/timeline/page/2/$"))
    expect(page.locator("h1")).to_contain_text("Timeline, page 2 of")
    expect(page.locator(EVENT)).to_have_count(PAGE_SIZE)
    screenshot("paged-timeline-page-2")
    page.locator("p.bs-pager").first.get_by_role("link", name=PREVIOUS).click()
    expect(page).to_have_url(re.compile(r"/timeline/$"))


def test_a_year_link_lands_on_that_year(page: Page, site_url: str, corpus: Corpus) -> None:
    page.goto(site_url + "timeline/")
    last = max(e.date.year for e in corpus.timeline)
    page.locator(".bs-years").get_by_role("link", name=str(last), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/timeline/page/\d+/#{last}$"))
    expect(page.locator(f'h2[id="{last}"]')).to_be_in_viewport()


def test_the_filter_of_a_long_timeline_leads_to_all_of_an_actors_events(
    page: Page, site_url: str, corpus: Corpus
) -> None:
    page.goto(site_url + "timeline/")
    form = page.locator("form.bs-filter")
    status = form.locator("[role=status]")
    expect(status).to_have_text(f"Showing all {PAGE_SIZE} events on this page.")
    # the actor with the most events on this page has more than a profile shows
    on_page = corpus.timeline[:PAGE_SIZE]
    actor = max(
        corpus.actors,
        key=lambda a: (sum(a in e.actors for e in on_page), len(corpus.events_of_actor.get(a, []))),
    )
    assert len(corpus.events_of_actor[actor]) > PREVIEW
    expected = sum(actor in e.actors for e in on_page)
    form.get_by_label("Actor").select_option(actor)
    expect(page.locator(f"{EVENT}:visible")).to_have_count(expected)
    name = corpus.actors[actor].data.name
    expect(status).to_have_text(
        f"Showing {expected} of {PAGE_SIZE} events on this page. All events of {name}"
    )
    status.get_by_role("link", name=f"All events of {name}").click()
    expect(page).to_have_url(re.compile(rf"/actors/{actor}/timeline/$"))
    expect(page.locator("h1")).to_contain_text(f"Timeline of {name}")
    total = len(corpus.events_of_actor[actor])
    expect(page.locator(EVENT)).to_have_count(min(total, PAGE_SIZE))


def test_a_famous_actor_shows_the_latest_of_each_list(
    page: Page, site_url: str, corpus: Corpus, screenshot: Callable[[str], Path]
) -> None:
    actor, count = corpus.mentions()[0]
    page.goto(site_url + f"actors/{actor.id}/")
    expect(page.locator("h2#appearances")).to_contain_text(f"Appearances ({count})")
    page.get_by_role("link", name=f"all {count:,} briefings").click()
    expect(page).to_have_url(re.compile(rf"/actors/{actor.id}/briefings/$"))
    expect(page.locator("h1")).to_contain_text(f"Briefings naming {actor.data.name}")
    expect(page.locator("article li")).to_have_count(min(count, PAGE_SIZE))
    screenshot("paged-actor-briefings")
    page.get_by_role("link", name=actor.data.name, exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"/actors/{actor.id}/$"))
    screenshot("paged-actor-profile")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_paged_lists_have_no_serious_accessibility_violation(
    page: Page, site_url: str, corpus: Corpus, scheme: str
) -> None:
    """axe on the page kinds only a long corpus has: a list's page n, an actor's whole list,
    a tag's whole timeline (tests/browser/test_accessibility.py has the others)."""
    from axe_playwright_python.sync_playwright import Axe

    actor = corpus.mentions()[0][0]
    tag = max(corpus.tags, key=lambda t: (len(corpus.tag_timeline(t)), t))
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    for address in (
        "timeline/page/2/",
        "briefings/page/2/",
        f"actors/{actor.id}/briefings/",
        f"actors/{actor.id}/timeline/",
        f"tags/{tag}/timeline/",
    ):
        page.goto(site_url + address)
        expect(page.locator("article h1")).to_be_visible()
        violations = Axe().run(page).response["violations"]
        blocking = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
        assert blocking == [], f"{address}: {blocking}"


# ---- Search: a word on most briefings ---------------------------------------------------

SEARCH_RESULT = ".bs-search .pf-searchbox-result"
MORE = ".bs-search .bs-search__more"
LISTED = 50  # `max-results` in overrides/partials/pagefind-search.html


def _queries(project: Path) -> dict[str, Any]:
    manifest = json.loads((project / "corpus.json").read_text(encoding="utf-8"))
    queries: dict[str, Any] = manifest["queries"]
    return queries


# What a screen reader hears: every text Pagefind's announcer puts in its live regions,
# which it clears again within half a second.
_RECORD_ANNOUNCEMENTS = """() => {
  window.__announced = [];
  new MutationObserver(() => {
    for (const region of document.querySelectorAll("[data-pagefind-announcer] [aria-live]")) {
      if (region.textContent) window.__announced.push(region.textContent);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def _pagefind_count(page: Page, query: str) -> int:
    """How many pages Pagefind itself finds for `query`, asked apart from the search box."""
    count: int = page.evaluate(
        """async (query) => {
          const pagefind = await import(new URL("pagefind/pagefind.js", location.href).href);
          return (await pagefind.search(query)).results.length;
        }""",
        query,
    )
    return count


def test_a_word_on_most_briefings_lists_the_first_results_and_says_how_many(
    page: Page, site_url: str, paged_site: Path, screenshot: Callable[[str], Path]
) -> None:
    queries = _queries(paged_site)
    common = queries["common"]["query"]
    page.goto(site_url)
    total = _pagefind_count(page, common)
    assert total > LISTED
    page.evaluate(_RECORD_ANNOUNCEMENTS)
    page.keyboard.press("/")
    page.keyboard.type(common)
    expect(page.locator(SEARCH_RESULT)).to_have_count(LISTED)
    note = page.locator(MORE)
    said = f"The first {LISTED} of {total:,} results are listed: add a word to narrow them."
    expect(note).to_have_text(said)
    expect(note).to_be_visible()
    page.wait_for_function("(said) => window.__announced.includes(said)", arg=said)
    screenshot("search-capped-results")
    rare = queries["rare"]
    page.keyboard.press("Control+A")
    page.keyboard.type(rare["query"])
    expect(page.locator(SEARCH_RESULT)).to_have_count(1)
    expect(page.locator(SEARCH_RESULT)).to_have_attribute("href", re.compile(rare["page"]))
    expect(note).to_have_count(0)
