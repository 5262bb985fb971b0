"""A reader on a site whose lists run over many pages (the benchmark's synthetic corpus,
tests/conftest.py `paged_site`): the pager, the year links, the timeline filter on one page
of a long timeline and its link to all of an actor's events, and a famous actor's profile
with the latest of its lists. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from generator.model import Corpus, load_corpus
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
    return load_corpus(paged_site)


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
