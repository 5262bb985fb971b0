"""Who says so, and where a date comes from (issue 14), on the generated pages: the badges
credit the sources only with a date the article states."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.build import generated_files, load_model
from generator.data import schema
from generator.render.common import BADGE_TITLES
from generator.siteinfo import SiteInfo
from tests.conftest import FIXTURES, SEED, make_project

SITE = SiteInfo("Briefings", "https://briefings.example/", "A test site.")


@pytest.fixture(scope="module")
def seed_files() -> dict[str, str]:
    return dict(generated_files(load_model(SEED), SITE))


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    """The fixture corpus's files (the golden files' corpus)."""
    return dict(generated_files(load_model(FIXTURES / "corpus"), SITE))


def test_badges_credit_the_sources_with_a_date_the_article_states(files: dict[str, str]) -> None:
    assert (
        '- **c. 2023** <span class="bs-badge bs-badge--year" '
        'title="The sources give this date to the year">year only</span> '
        '<span class="bs-badge bs-badge--circa" '
        'title="The sources give this date as approximate">approximate</span>  \n'
        "  Talks between Alpha and Beta begin\\.  \n"
    ) in files["timeline.md"]


def test_badges_say_where_each_date_comes_from(seed_files: dict[str, str]) -> None:
    timeline = seed_files["timeline.md"]
    assert (
        '- **2023** <span class="bs-badge bs-badge--year" '
        'title="From outside the article, to the year">year only</span>  \n'
    ) in timeline
    assert (
        '- **September 2023** <span class="bs-badge bs-badge--month" '
        'title="From outside the article, to the month">month only</span>  \n'
    ) in timeline
    assert (
        '- **c. December 2023** <span class="bs-badge bs-badge--month" '
        'title="From outside the article, to the month">month only</span> '
        '<span class="bs-badge bs-badge--circa" '
        'title="This date from outside the article is approximate">approximate</span>  \n'
    ) in timeline
    # Every date of the seed is from outside the article: none is the sources'.
    for page in ("timeline.md", "briefings/kim-jong-un-orders-war-preparations.md"):
        assert "The sources give" not in seed_files[page]
        assert seed_files[page].count("bs-badge--") == 5


def test_the_timeline_intro_does_not_credit_the_sources(seed_files: dict[str, str]) -> None:
    assert (
        "5 events from 1 briefing, oldest first. Each date is shown at its own precision: a "
        "badge marks a date known only to the month or the year, and one that is approximate "
        "(*c.*); a date the article does not state says whether it is inferred from the "
        "article or comes from outside it.\n"
    ) in seed_files["timeline.md"]


def test_every_date_basis_has_its_badge_titles() -> None:
    assert tuple(BADGE_TITLES) == schema.DATE_BASES


def _claims_section(page: str) -> str:
    start = page.index("## Claims by this actor\n")
    return page[start : page.index("\n## ", start + 1)]


def test_claimed_events_say_where_their_date_comes_from(
    files: dict[str, str], seed_files: dict[str, str]
) -> None:
    """Under "Claims by this actor", an event's date has the timeline's badges and, below
    it, where the date comes from."""
    claims = _claims_section(files["actors/alpha.md"])
    assert (
        '- **February 2024** <span class="bs-badge bs-badge--month" '
        'title="Inferred from the article, to the month">month only</span> '
        "Beta sanctions an Alpha firm\\. · "
        "*[Beta reacts to the border meeting](../briefings/beta-reacts.md)*  \n"
        "  *inferred from the article*\n"
        "  { .bs-listing }\n"
    ) in claims
    assert (
        "- **10 January 2024** Alpha's cabinet approves the tariffs\\. · "
        "*[Alpha announces tariffs](../briefings/alpha-tariffs.md)*  \n"
        "  *date from outside the article: The cabinet's published minutes; the article says "
        'only "last week"\\.*\n'
        "  { .bs-listing }\n"
    ) in claims
    assert "- Alpha expects a trade deal within the year\\. · *[Alpha and Beta" in claims
    kcna = _claims_section(seed_files["actors/kcna.md"])
    assert (
        '- **c. December 2023** <span class="bs-badge bs-badge--month" '
        'title="From outside the article, to the month">month only</span> '
        '<span class="bs-badge bs-badge--circa" '
        'title="This date from outside the article is approximate">approximate</span> '
        "Kim Jong Un sets militant tasks"
    ) in kcna
    assert (
        "  *date from outside the article: The article calls the KCNA report recent and "
        "dates it no further; December 2023 is the editors' estimate from reporting of the "
        "time, hence approximate\\.*\n"
    ) in kcna


@pytest.mark.parametrize("actor_id", ["alpha", "kcna"])
def test_the_api_lists_the_claims_the_profile_lists(
    actor_id: str, files: dict[str, str], seed_files: dict[str, str]
) -> None:
    generated = files if actor_id in load_model(FIXTURES / "corpus").actors else seed_files
    claims = _claims_section(generated[f"actors/{actor_id}.md"])
    listed = re.findall(r"^- .* · \*\[.*\]\(\.\./briefings/([a-z0-9-]+)\.md\)\*", claims, re.M)
    record = json.loads(generated[f"api/actors/{actor_id}.json"])
    assert listed == [claim["briefing"] for claim in record["claims"]]
    assert len(listed) == claims.count("{ .bs-listing }") >= 4


def test_a_claimed_relation_reads_as_in_the_relations_list(seed_files: dict[str, str]) -> None:
    """Under "Claims by this actor", a relation has its arrows and note (and its `since`)
    as in the relations list; not "according to" the actor whose claims these are."""
    page = seed_files["actors/united-states.md"]
    claimed = (
        "- [North Korea](north-korea.md) → **supplies** → [Russia](russia.md): An accusation: "
        "Pyongyang has been accused by Washington of supplying military aid to Moscow for the "
        "war in Ukraine\\. · *[Kim Jong Un orders North Korean military to ramp up war "
        "preparations](../briefings/kim-jong-un-orders-war-preparations.md)*\n"
        "  { .bs-listing }\n"
    )
    assert claimed in _claims_section(page)
    assert "according to" not in _claims_section(page)


def test_a_claimed_relations_since_is_in_the_claims_list(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", SEED / "briefings")
    article = next((project / "briefings" / "articles").rglob("*.yaml"))
    text = article.read_text(encoding="utf-8")
    claimed = "    according_to: [united-states]\n  - subject: kim-jong-un"
    assert text.count(claimed) == 1
    article.write_text(text.replace(claimed, "    since: 2022-09\n" + claimed), encoding="utf-8")
    files = dict(generated_files(load_model(project), SITE))
    assert (
        "- [North Korea](north-korea.md) → **supplies** → [Russia](russia.md) "
        "(since September 2022): An accusation:"
    ) in _claims_section(files["actors/united-states.md"])


def test_an_inferred_dates_note_is_shown_after_it(tmp_path: Path) -> None:
    """A `date_note` may say how an inferred date was worked out: pages show it."""
    project = make_project(tmp_path / "p", SEED / "briefings")
    article = next((project / "briefings" / "articles").rglob("*.yaml"))
    text = article.read_text(encoding="utf-8")
    outside = "    date_basis: outside\n    date_note: >-\n      The article calls the visit recent"
    assert text.count(outside) == 1
    article.write_text(
        text.replace(outside, "    date_basis: inferred\n    date_note: >-\n      Recent"),
        encoding="utf-8",
    )
    files = dict(generated_files(load_model(project), SITE))
    assert (
        "  *inferred from the article: Recent and gives no date; September 2023"
        in (files["timeline.md"])
    )
