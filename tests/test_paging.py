"""Long lists on pages: no page grows with the corpus, every item is on exactly one page of
its list, the pager and the year links lead where they say, and the pages that only repeat
other pages stay out of the search index.

Unit tests of generator/render/paging.py, then the benchmark's synthetic corpus built by
the real CLI (`paged_site`), big enough for every long list to run over a page."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from generator.addresses import list_page as page_path
from generator.build import load_model
from generator.model.corpus import Corpus
from generator.render.paging import PAGE_SIZE, PREVIEW, pager, paginate
from tests.test_e2e import parse, target_of

PREV = "\N{SINGLE LEFT-POINTING ANGLE QUOTATION MARK}"
NEXT = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"

# ---- Units -------------------------------------------------------------------------------


def test_page_addresses_follow_hugo() -> None:
    assert page_path("timeline.md", 1) == "timeline.md"
    assert page_path("timeline.md", 2) == "timeline/page/2.md"
    assert page_path("briefings/index.md", 3) == "briefings/page/3.md"
    assert page_path("actors/kim/briefings.md", 12) == "actors/kim/briefings/page/12.md"


def test_paginate_cuts_in_order_and_keeps_an_empty_list_on_one_page() -> None:
    pages = paginate(list(range(7)), "x.md", size=3)
    assert pages.chunks == ((0, 1, 2), (3, 4, 5), (6,))
    assert [(n, path) for n, path, _ in pages.numbered()] == [
        (1, "x.md"),
        (2, "x/page/2.md"),
        (3, "x/page/3.md"),
    ]
    assert paginate([], "x.md").chunks == ((),)
    assert paginate(list(range(PAGE_SIZE)), "x.md").count == 1
    assert paginate(list(range(PAGE_SIZE + 1)), "x.md").count == 2


def test_a_one_page_list_has_no_pager() -> None:
    assert pager(paginate([1, 2], "x.md"), 1, "x.md") == ""


def test_the_pager_shows_the_ends_and_the_pages_around_this_one() -> None:
    pages = paginate(list(range(10)), "timeline.md", size=1)
    assert pager(pages, 5, "timeline/page/5.md", [f"t{n}" for n in range(1, 11)]) == (
        f'[{PREV} Previous](4.md "t4") [1](../../timeline.md "t1") … [3](3.md "t3") '
        '[4](4.md "t4") **5** [6](6.md "t6") [7](7.md "t7") … [10](10.md "t10") '
        f'[Next {NEXT}](6.md "t6")\n'
        '{ .bs-pager role="navigation" aria-label="Page 5 of 10" }'
    )
    assert pager(pages, 1, "timeline.md") == (
        "**1** [2](timeline/page/2.md) [3](timeline/page/3.md) … [10](timeline/page/10.md) "
        f"[Next {NEXT}](timeline/page/2.md)\n"
        '{ .bs-pager role="navigation" aria-label="Page 1 of 10" }'
    )


# ---- The built site ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(paged_site: Path) -> Corpus:
    return load_model(paged_site)


@pytest.fixture(scope="module")
def site(paged_site: Path) -> Path:
    return paged_site / "site"


def follow(site: Path, first: str) -> list[Path]:
    """The pages of a list, from its first, by the pager's `Next` links."""
    pages = [site / first / "index.html"]
    while True:
        html = pages[-1].read_text(encoding="utf-8")
        found = re.search(rf'<a href="([^"]+)"[^>]*>Next {NEXT}</a>', html)
        if not found:
            return pages
        target = target_of(pages[-1], found.group(1), site)
        assert target is not None and target.is_file(), found.group(1)
        assert target not in pages
        pages.append(target)


def items(page: Path, pattern: str) -> list[str]:
    return re.findall(pattern, page.read_text(encoding="utf-8"))


EVENT = r'<li class="bs-event[ "]'


@pytest.mark.slow
def test_no_page_grows_with_the_corpus(site: Path, corpus: Corpus) -> None:
    assert len(corpus.timeline) > 3 * PAGE_SIZE  # the lists are long
    sizes = {p: p.stat().st_size for p in site.rglob("index.html")}
    largest = max(sizes, key=lambda p: sizes[p])
    # 100 events with their actors and sources: about 130 KB; the whole timeline here ~800 KB
    assert sizes[largest] < 200_000, f"{largest} is {sizes[largest]:,} bytes"


@pytest.mark.slow
def test_the_timeline_pages_hold_every_event_once_in_date_order(site: Path, corpus: Corpus) -> None:
    pages = follow(site, "timeline")
    assert len(pages) == -(-len(corpus.timeline) // PAGE_SIZE)
    counts = [len(items(page, EVENT)) for page in pages]
    assert counts[:-1] == [PAGE_SIZE] * (len(pages) - 1)
    assert sum(counts) == len(corpus.timeline)
    assert pages[1] == site / "timeline" / "page" / "2" / "index.html"
    second = pages[1].read_text(encoding="utf-8")
    assert f"Timeline, page 2 of {len(pages)}" in second
    # each page's first event is the next one of the timeline
    for number, page in enumerate(pages):
        first = corpus.timeline[number * PAGE_SIZE]
        text = " ".join(parse(page).text)
        assert first.date.display(circa=first.circa) in text


@pytest.mark.slow
def test_the_year_links_land_on_each_year(site: Path, corpus: Corpus) -> None:
    page = site / "timeline" / "index.html"
    links = re.findall(r'<a href="([^"]*#(\d{4}))">\2</a>', page.read_text(encoding="utf-8"))
    assert [int(year) for _, year in links] == sorted({e.date.year for e in corpus.timeline})
    for href, year in links:
        target = target_of(page, href, site)
        assert target is not None
        assert year in parse(target).ids, href


@pytest.mark.slow
def test_the_briefing_list_pages_hold_every_briefing_once(site: Path, corpus: Corpus) -> None:
    pages = follow(site, "briefings")
    found = [
        href
        for page in pages
        for href in items(page, r'<li class="bs-listing">(?:<p>)?[^<]*<a href="([^"]+)"')
        if "/page/" not in href
    ]
    assert len(found) == len(corpus.articles) == len(set(found))


@pytest.mark.slow
def test_a_famous_actor_shows_the_latest_and_links_to_all(site: Path, corpus: Corpus) -> None:
    actor, count = corpus.mentions()[0]
    assert count > PAGE_SIZE
    profile = (site / "actors" / actor.id / "index.html").read_text(encoding="utf-8")
    assert f"The latest {PREVIEW} of" in profile
    assert f">all {count:,} briefings</a>" in profile
    section = profile.split('id="appearances"', 1)[1].split("<h2", 1)[0]
    assert section.count("<li") == PREVIEW
    pages = follow(site, f"actors/{actor.id}/briefings")
    listed = [
        href
        for page in pages
        for href in items(page, r'<li[^>]*>(?:<p>)?[^<]*<a href="(\.\./\.\./[^"]*briefings/[^"]+)"')
    ]
    assert len(pages) == -(-count // PAGE_SIZE)
    assert len(listed) == count == len(set(listed))
    events = corpus.events_of_actor[actor.id]
    timeline = follow(site, f"actors/{actor.id}/timeline")
    assert sum(len(items(p, EVENT)) for p in timeline) == len(events)
    quotes = follow(site, f"actors/{actor.id}/quotes")
    assert sum(p.read_text(encoding="utf-8").count("<blockquote>") for p in quotes) == len(
        corpus.quotes_by[actor.id]
    )
    relations = follow(site, f"actors/{actor.id}/relations")
    assert sum(len(items(p, r"<li[^>]*>(?:<p>)?<a ")) for p in relations) == len(
        corpus.relations_of[actor.id]
    )


@pytest.mark.slow
def test_an_actor_named_rarely_keeps_everything_on_its_profile(site: Path, corpus: Corpus) -> None:
    actor = next(a for a, count in reversed(corpus.mentions()) if 0 < count <= PREVIEW)
    assert not (site / "actors" / actor.id / "briefings").exists()
    profile = (site / "actors" / actor.id / "index.html").read_text(encoding="utf-8")
    assert "The latest" not in profile


@pytest.mark.slow
def test_a_big_tag_is_paged_with_its_whole_timeline_apart(site: Path, corpus: Corpus) -> None:
    tag, articles = max(corpus.tags.items(), key=lambda item: len(item[1]))
    assert len(articles) > PAGE_SIZE
    pages = follow(site, f"tags/{tag}")
    assert len(pages) == -(-len(articles) // PAGE_SIZE)
    events = corpus.tag_timeline(tag)
    timeline = follow(site, f"tags/{tag}/timeline")
    assert sum(len(items(p, EVENT)) for p in timeline) == len(events)
    first = pages[0].read_text(encoding="utf-8")
    assert len(items(pages[0], EVENT)) == PREVIEW
    assert f">all {len(events):,} events</a>" in first


@pytest.mark.slow
def test_lists_that_repeat_other_pages_are_not_searchable(site: Path, corpus: Corpus) -> None:
    actor = corpus.mentions()[0][0]
    tag = max(corpus.tags, key=lambda t: len(corpus.tags[t]))
    left_out = [
        "timeline/",
        "timeline/page/2/",
        "briefings/page/2/",
        f"tags/{tag}/page/2/",
        f"tags/{tag}/timeline/",
        f"actors/{actor.id}/briefings/",
        f"actors/{actor.id}/timeline/page/2/",
    ]
    indexed = [f"actors/{actor.id}/", f"tags/{tag}/", "briefings/"]
    for address in left_out:
        html = (site / address / "index.html").read_text(encoding="utf-8")
        assert "data-pagefind-body" not in html, address
    for address in indexed:
        html = (site / address / "index.html").read_text(encoding="utf-8")
        assert "data-pagefind-body" in html, address
    # and Pagefind's bundle holds exactly the pages marked for it
    urls = set()
    for fragment in (site / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        urls.add(json.loads(data)["url"])
    marked = {
        "/" + p.parent.relative_to(site).as_posix().removeprefix(".") + "/"
        for p in site.rglob("index.html")
        if "data-pagefind-body" in p.read_text(encoding="utf-8")
    }
    assert {u.replace("//", "/") for u in urls} == {m.replace("//", "/") for m in marked}
    assert not any("/page/" in u or "timeline/" in u for u in urls)


@pytest.mark.slow
def test_what_a_page_lists_from_others_is_not_indexed_as_its_text(
    site: Path, corpus: Corpus
) -> None:
    """An actor's appearances and a briefing's related briefings are other pages' titles:
    in the index they would make every page that lists a briefing match its words."""
    fragments = {}
    for fragment in (site / "pagefind" / "fragment").iterdir():
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        fragments[data["url"].strip("/")] = data["content"]
    actor, _ = corpus.mentions()[0]
    profile = fragments[f"actors/{actor.id}"]
    assert actor.data.summary.split()[0] in profile
    for appearance in corpus.appearances[actor.id][:PREVIEW]:
        assert appearance.article.data.title not in profile
    named = next(a for a, _ in corpus.mentions() if a.data.aliases)
    for alias in named.data.aliases:  # on the actor's page, not on the list of actors
        assert alias in fragments[f"actors/{named.id}"]
        assert alias not in fragments["actors"]
    article = next(a for a in corpus.articles.values() if corpus.related.get(a.id))
    text = fragments[f"briefings/{article.id}"]
    assert article.data.key_points[0].text.split()[0] in text
    for related in corpus.related[article.id]:
        assert related.article.data.title not in text
