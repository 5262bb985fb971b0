"""What a reader does with the connected pages, in Chromium: relation graphs whose nodes
lead to actor pages, the timeline filter, related briefings, feeds and open data, and
redirects from former ids. Screenshots of every page kind go to tests/artifacts/."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest
from playwright.sync_api import Page, expect

from generator.build import load_model
from tests.browser.reader_site import reader_site
from tests.conftest import FIXTURES, SEED

pytestmark = pytest.mark.browser

__all__ = ["reader_site"]

BRIEFING = "briefings/kim-jong-un-orders-war-preparations/"
EVENT = "li.bs-event"


@pytest.fixture(scope="module")
def built_site(reader_site: Path) -> Path:
    return reader_site


def at(site_url: str, path: str) -> re.Pattern[str]:
    return re.compile(re.escape(site_url + path) + r"(\?.*)?(#.*)?$")


# ---- Relation graphs ------------------------------------------------------------------


def test_briefing_graph_shows_every_actor_of_its_relations(page: Page, site_url: str) -> None:
    page.goto(site_url + BRIEFING)
    graph = page.locator(".bs-graph svg")
    expect(graph).to_be_visible()
    article = load_model(SEED).articles["kim-jong-un-orders-war-preparations"]
    actors = {a for r in article.data.relations for a in (r.subject, r.object)}
    expect(graph.locator("a")).to_have_count(len(actors))
    box = graph.bounding_box()
    assert box and box["width"] > 400 and box["height"] > 300
    expect(graph.locator("path.bs-graph__edge")).to_have_count(len(article.data.relations))


def test_clicking_a_node_opens_the_actor_page(page: Page, site_url: str) -> None:
    page.goto(site_url + BRIEFING)
    node = page.get_by_role("link", name="Russia (state)")
    expect(node).to_be_visible()
    node.click()
    expect(page).to_have_url(at(site_url, "actors/russia/"))
    expect(page.locator("article h1")).to_contain_text("Russia")
    # the actor's own graph has it in the centre, marked as the current page
    expect(page.locator(".bs-graph a[aria-current=page]")).to_have_attribute(
        "aria-label", "Russia (state)"
    )
    page.get_by_role("link", name="Vladimir Putin (person)").click()
    expect(page).to_have_url(at(site_url, "actors/vladimir-putin/"))


def test_graph_nodes_are_reachable_by_keyboard(page: Page, site_url: str) -> None:
    page.goto(site_url + "actors/alpha/")
    node = page.get_by_role("link", name="Beta (state)")
    node.focus()
    expect(node).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(at(site_url, "actors/beta/"))


# ---- Timeline ---------------------------------------------------------------------------


def visible_events(page: Page) -> list[str]:
    return [text.split("\n")[0] for text in page.locator(f"{EVENT}:visible").all_inner_texts()]


def test_timeline_filter_by_actor_and_tag(page: Page, site_url: str) -> None:
    corpus = load_model(FIXTURES / "corpus")
    page.goto(site_url + "timeline/")
    total = page.locator(EVENT).count()
    form = page.locator("form.bs-filter")
    expect(form).to_be_visible()
    expect(form.locator("[role=status]")).to_have_text(f"Showing all {total} events.")

    form.get_by_label("Actor").select_option("beta")
    expected = len(corpus.events_of_actor["beta"])
    expect(page.locator(f"{EVENT}:visible")).to_have_count(expected)
    expect(form.locator("[role=status]")).to_have_text(f"Showing {expected} of {total} events.")
    expect(page).to_have_url(re.compile(r"/timeline/\?actor=beta$"))
    for event in page.locator(f"{EVENT}:visible").all():
        assert "beta" in (event.get_attribute("data-actors") or "").split()
    # years and months with no event left are hidden with their events
    expect(page.locator("h3:visible", has_text="September 2023")).to_have_count(0)
    expect(page.locator("h2:visible", has_text="2024")).to_have_count(1)

    form.get_by_label("Tag").select_option("diplomacy")
    expect(page.locator(f"{EVENT}:visible")).to_have_count(2)  # beta and diplomacy
    expect(page).to_have_url(re.compile(r"/timeline/\?actor=beta&tag=diplomacy$"))

    form.get_by_role("button", name="Show all").click()
    expect(page.locator(f"{EVENT}:visible")).to_have_count(total)
    expect(page).to_have_url(at(site_url, "timeline/"))


def test_timeline_filter_by_claimant(page: Page, site_url: str) -> None:
    """The seed's events attributed to KCNA: choosing KCNA under "According to" shows them
    alone; the choice is in the address, and a linked choice is applied on arrival."""
    corpus = load_model(SEED)
    claimed = [e for e in corpus.timeline if "kcna" in e.according_to]
    assert claimed
    page.goto(site_url + "timeline/")
    total = page.locator(EVENT).count()
    form = page.locator("form.bs-filter")
    select = form.get_by_label("According to")
    # The site also holds the fixture corpus, with one event Alpha claims.
    alphas = [e for e in load_model(FIXTURES / "corpus").timeline if "alpha" in e.according_to]
    expect(select.locator("option")).to_have_text(
        ["Anyone", f"Alpha ({len(alphas)})", f"Korean Central News Agency ({len(claimed)})"]
    )
    select.select_option("kcna")
    expect(page.locator(f"{EVENT}:visible")).to_have_count(len(claimed))
    for entry in claimed:
        expect(
            page.locator(f"{EVENT}:visible", has_text=" ".join(entry.what.split()))
        ).to_have_count(1)
    for event in page.locator(f"{EVENT}:visible").all():
        assert "kcna" in (event.get_attribute("data-claimants") or "").split()
    expect(form.locator("[role=status]")).to_have_text(f"Showing {len(claimed)} of {total} events.")
    expect(page).to_have_url(re.compile(r"/timeline/\?claimant=kcna$"))
    form.get_by_label("Actor").select_option("beta")  # no event of Beta is KCNA's claim
    expect(page.locator(f"{EVENT}:visible")).to_have_count(0)
    form.get_by_role("button", name="Show all").click()
    expect(page.locator(f"{EVENT}:visible")).to_have_count(total)
    page.goto(site_url + "timeline/?claimant=kcna")
    expect(page.locator(f"{EVENT}:visible")).to_have_count(len(claimed))


def test_a_filtered_timeline_can_be_linked_to(page: Page, site_url: str) -> None:
    page.goto(site_url + "actors/ann-leader/")
    page.get_by_role("link", name="the whole timeline").click()
    expect(page).to_have_url(re.compile(r"/timeline/\?actor=ann-leader$"))
    expect(page.locator("form.bs-filter select[name=actor]")).to_have_value("ann-leader")
    expect(page.locator(f"{EVENT}:visible")).to_have_count(1)


@pytest.mark.parametrize("page", [{"java_script_enabled": False}], indirect=True)
def test_without_script_every_event_shows_and_the_filter_hides(page: Page, site_url: str) -> None:
    page.goto(site_url + "timeline/")
    expect(page.locator("form.bs-filter")).to_be_hidden()
    expect(page.locator(f"{EVENT}:visible")).to_have_count(page.locator(EVENT).count())


def test_precision_and_circa_are_marked(page: Page, site_url: str) -> None:
    page.goto(site_url + "timeline/")
    talks = page.locator(EVENT, has_text="Talks between Alpha and Beta begin")
    expect(talks.locator(".bs-badge--year")).to_have_text("year only")
    expect(talks.locator(".bs-badge--circa")).to_have_text("approximate")
    expect(talks).to_contain_text("c. 2023")
    sanction = page.locator(EVENT, has_text="Beta sanctions an Alpha firm")
    expect(sanction.locator(".bs-badge--month")).to_have_text("month only")


# ---- Connected pages, feeds, data, redirects -------------------------------------------


def test_related_briefings_and_shared_events_link_across(page: Page, site_url: str) -> None:
    page.goto(site_url + "briefings/alpha-summit/")
    related = page.locator("h2#related-briefings + p + ul > li")
    expect(related.first).to_contain_text("Beta reacts to the border meeting")
    related.first.get_by_role("link", name="Beta reacts to the border meeting").click()
    expect(page).to_have_url(at(site_url, "briefings/beta-reacts/"))
    page.locator(EVENT, has_text="Also reported in").get_by_role(
        "link", name="Alpha and Beta leaders meet at the border"
    ).click()
    expect(page).to_have_url(at(site_url, "briefings/alpha-summit/"))


@pytest.mark.parametrize(
    ("old", "new", "title"),
    [
        (
            "briefings/alpha-beta-meeting/",
            "briefings/alpha-summit/",
            "Alpha and Beta leaders meet at the border",
        ),
        ("actors/beta-state/", "actors/beta/", "Beta"),
    ],
)
def test_former_addresses_redirect(
    page: Page, site_url: str, old: str, new: str, title: str
) -> None:
    page.goto(site_url + old)
    expect(page).to_have_url(at(site_url, new))
    expect(page.locator("article h1")).to_contain_text(title)


def test_feed_and_data_links_serve_valid_files(page: Page, site_url: str) -> None:
    page.goto(site_url + "actors/beta/")
    head = page.locator('head link[rel~=alternate][type="application/atom+xml"]')
    expect(head).to_have_attribute("href", "../../feeds/actors/beta.xml")
    links = page.locator(".bs-data-links a")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert [h.rsplit("/", 2)[-2:] for h in hrefs] == [
        ["actors", "beta.xml"],
        ["actors", "beta.json"],
        ["actors", "beta.json"],
    ]
    atom = page.request.get(links.nth(0).evaluate("a => a.href"))
    assert atom.ok
    parsed = feedparser.parse(atom.body())
    assert not parsed.bozo and len(parsed.entries) == 2
    data = page.request.get(links.nth(2).evaluate("a => a.href"))
    assert data.ok and data.json()["id"] == "beta"
    page.goto(site_url + "api/")
    expect(page.locator("article h1")).to_contain_text("Open data")
    bundle = page.request.get(site_url + "api/stix-bundle.json")
    assert bundle.ok and bundle.json()["type"] == "bundle"


# ---- Screenshots --------------------------------------------------------------------------

PAGES = {
    "home": "",
    "briefing": BRIEFING,
    "actor": "actors/north-korea/",
    "timeline": "timeline/",
    "tags": "tags/",
    "tag": "tags/trade/",
    "open-data": "api/",
}
PHONE = {"viewport": {"width": 390, "height": 800}, "is_mobile": True, "has_touch": True}


@pytest.mark.parametrize(
    "page",
    [{"color_scheme": "light"}, {"color_scheme": "dark"}, {"color_scheme": "light", **PHONE}],
    ids=["light", "dark", "phone"],
    indirect=True,
)
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_screenshot_of_each_page_kind(
    page: Page, site_url: str, kind: str, request: pytest.FixtureRequest
) -> None:
    mode = request.node.callspec.id.split("-")[-1]
    page.goto(site_url + PAGES[kind])
    expect(page.locator("article h1")).to_be_visible()
    scheme = "slate" if mode == "dark" else "default"
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
    if mode == "phone":
        # nothing but a wide graph may scroll sideways
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{kind} is {width}px wide on a phone"
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"reader-{kind}-{mode}.png"), full_page=True)
