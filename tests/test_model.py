"""The checked corpus: references resolved, backlinks, timeline, tags."""

from pathlib import Path

import pytest

from generator.build import load_model
from generator.data.dates import PartialDate
from generator.model.corpus import Corpus
from generator.problems import DataError
from tests.conftest import FIXTURES, SEED


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_model(FIXTURES / "corpus")


def test_ids_are_file_names_and_subfolders_do_not_count(corpus: Corpus) -> None:
    assert sorted(corpus.articles) == ["alpha-summit", "alpha-tariffs", "beta-reacts"]
    assert corpus.articles["beta-reacts"].path == "briefings/articles/2024/beta-reacts.yaml"
    assert sorted(corpus.actors) == ["alpha", "ann-leader", "beta", "gamma-news"]


def test_appearances_newest_first_with_roles(corpus: Corpus) -> None:
    beta = corpus.appearances["beta"]
    assert [(a.article.id, a.role) for a in beta] == [
        ("alpha-summit", "Attended the meeting."),
        ("beta-reacts", "Commented on the meeting."),
    ]
    assert "gamma-news" not in corpus.appearances


def test_shared_event_is_one_timeline_entry_with_all_sources(corpus: Corpus) -> None:
    meeting = [e for e in corpus.timeline if e.key == "border-meeting"]
    assert len(meeting) == 1
    assert [s.id for s in meeting[0].sources] == ["beta-reacts", "alpha-summit"]
    # the oldest briefing's wording stands for the event
    assert meeting[0].what == "Leaders of Alpha and Beta meet."


def test_timeline_in_date_order_partial_dates_first(corpus: Corpus) -> None:
    assert [(e.date, e.circa) for e in corpus.timeline] == [
        (PartialDate(2023), True),
        (PartialDate(2024, 1, 10), False),
        (PartialDate(2024, 2), False),
        (PartialDate(2024, 3, 4), False),
    ]


def test_relations_aggregate_on_both_actors(corpus: Corpus) -> None:
    alpha = [(a.article.id, a.relation.relation) for a in corpus.relations_of["alpha"]]
    assert alpha == [
        ("alpha-summit", "negotiates-with"),
        ("alpha-summit", "leads"),
        ("beta-reacts", "sanctions"),
    ]


def test_tags_and_mentions(corpus: Corpus) -> None:
    assert {t: [a.id for a in arts] for t, arts in corpus.tags.items()} == {
        "diplomacy": ["alpha-summit"],
        "trade": ["alpha-summit", "beta-reacts", "alpha-tariffs"],
    }
    assert [(a.id, n) for a, n in corpus.mentions()] == [
        ("alpha", 2),
        ("ann-leader", 2),
        ("beta", 2),
        ("gamma-news", 0),
    ]


def test_latest_sorts_partial_dates_at_the_start_of_their_period(corpus: Corpus) -> None:
    # 2024-03 sorts as 1 March, before 5 March: so alpha-summit (5 March) is newest.
    assert [a.id for a in corpus.latest()] == ["alpha-summit", "beta-reacts", "alpha-tariffs"]


def test_real_data_is_valid_and_complete() -> None:
    corpus = load_model(SEED)
    assert set(corpus.actors) == {
        "kim-jong-un",
        "north-korea",
        "kcna",
        "korean-peoples-army",
        "united-states",
        "south-korea",
        "japan",
        "russia",
        "vladimir-putin",
        "china",
        "ukraine",
    }
    assert len(corpus.articles) >= 1
    for actor in corpus.actors.values():
        assert actor.data.summary.strip() and actor.data.aliases
    assert "김정은" in corpus.actors["kim-jong-un"].data.aliases


def test_former_id_collisions_are_errors(tmp_path: Path) -> None:
    actors = tmp_path / "briefings" / "actors"
    actors.mkdir(parents=True)
    (actors / "aa.yaml").write_text(
        "name: A\nkind: group\nsummary: S.\nformer_ids: [bb]\n", encoding="utf-8"
    )
    (actors / "bb.yaml").write_text(
        "name: B\nkind: group\nsummary: S.\nformer_ids: [cc]\n", encoding="utf-8"
    )
    (actors / "dd.yaml").write_text(
        "name: D\nkind: group\nsummary: S.\nformer_ids: [cc]\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as caught:
        load_model(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        "briefings/actors/aa.yaml:4:14: error: former id `bb` is the id of "
        "briefings/actors/bb.yaml",
        "briefings/actors/dd.yaml:4:14: error: former id `cc` is also claimed by "
        "briefings/actors/bb.yaml",
    ]
