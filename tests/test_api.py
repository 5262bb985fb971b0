"""The static JSON API, checked against the model: every record re-validates with the
schema's own models and says what the corpus says."""

import json

import pytest

from generator import addresses
from generator.build import load_model
from generator.data import schema
from generator.formats.api import render_api
from generator.model.corpus import Corpus
from generator.siteinfo import SiteInfo
from tests.conftest import FIXTURES, SEED

SITE = SiteInfo("Briefings", "https://example.org/briefings/")


@pytest.fixture(scope="module", params=["fixture", "real"])
def corpus(request: pytest.FixtureRequest) -> Corpus:
    return load_model(FIXTURES / "corpus" if request.param == "fixture" else SEED)


@pytest.fixture(scope="module")
def api(corpus: Corpus) -> dict[str, object]:
    return {path: json.loads(text) for path, text in render_api(corpus, SITE).items()}


def test_the_files(corpus: Corpus, api: dict[str, object]) -> None:
    expected = {
        addresses.API_INDEX,
        addresses.API_BRIEFINGS,
        addresses.API_ACTORS,
        addresses.API_TIMELINE,
        addresses.API_TAGS,
        addresses.API_RELATIONS,
        *(addresses.api_briefing(a) for a in corpus.articles),
        *(addresses.api_actor(a) for a in corpus.actors),
        *(addresses.api_tag(t) for t in corpus.tags),
    }
    assert set(api) == expected


def test_briefing_records_revalidate_and_match_the_model(
    corpus: Corpus, api: dict[str, object]
) -> None:
    context = {"actor_ids": frozenset(corpus.actors)}
    for article_id, article in corpus.articles.items():
        record = api[addresses.api_briefing(article_id)]
        assert isinstance(record, dict)
        assert record["id"] == article_id
        assert record["url"] == f"https://example.org/briefings/briefings/{article_id}/"
        assert record["file"] == article.path
        again = schema.Article.model_validate(record["briefing"], context=context)
        assert again == article.data
        assert [e["key"] for e in record["events"]] == [
            e.key for e in corpus.events_of_article.get(article_id, [])
        ]
        assert [r["id"] for r in record["related"]] == [
            r.article.id for r in corpus.related[article_id]
        ]


def test_actor_records_revalidate_and_match_the_model(
    corpus: Corpus, api: dict[str, object]
) -> None:
    context = {"actor_ids": frozenset(corpus.actors)}
    for actor_id, actor in corpus.actors.items():
        record = api[addresses.api_actor(actor_id)]
        assert isinstance(record, dict)
        assert schema.Actor.model_validate(record["actor"], context=context) == actor.data
        appearances = corpus.appearances.get(actor_id, [])
        assert [(a["id"], a["role"]) for a in record["appearances"]] == [
            (a.article.id, a.role) for a in appearances
        ]
        assert [
            (r["subject"], r["relation"], r["object"], r["briefing"]) for r in record["relations"]
        ] == [
            (a.relation.subject, a.relation.relation, a.relation.object, a.article.id)
            for a in corpus.relations_of.get(actor_id, [])
        ]
        assert record["feeds"]["atom"].endswith(f"/feeds/actors/{actor_id}.xml")


def test_lists_and_timeline(corpus: Corpus, api: dict[str, object]) -> None:
    briefings = api[addresses.API_BRIEFINGS]
    assert isinstance(briefings, dict)
    assert [b["id"] for b in briefings["briefings"]] == [a.id for a in corpus.latest()]
    actors = api[addresses.API_ACTORS]
    assert isinstance(actors, dict)
    assert [a["id"] for a in actors["actors"]] == sorted(corpus.actors)
    timeline = api[addresses.API_TIMELINE]
    assert isinstance(timeline, dict)
    assert [
        (e["key"], e["date"], e["precision"], e["circa"], e["briefings"])
        for e in timeline["events"]
    ] == [
        (e.key, e.date.iso(), e.date.precision, e.circa, [s.id for s in e.sources])
        for e in corpus.timeline
    ]
    tags = api[addresses.API_TAGS]
    assert isinstance(tags, dict)
    assert {t["tag"]: t["briefings"] for t in tags["tags"]} == {
        tag: [a.id for a in articles] for tag, articles in corpus.tags.items()
    }
    relations = api[addresses.API_RELATIONS]
    assert isinstance(relations, dict)
    assert len(relations["relations"]) == sum(
        len(a.data.relations) for a in corpus.articles.values()
    )


def test_index_names_every_endpoint(corpus: Corpus, api: dict[str, object]) -> None:
    index = api[addresses.API_INDEX]
    assert isinstance(index, dict)
    assert index["counts"] == {
        "briefings": len(corpus.articles),
        "actors": len(corpus.actors),
        "events": len(corpus.timeline),
        "tags": len(corpus.tags),
    }
    endpoints = index["endpoints"]
    assert endpoints["briefing"] == "https://example.org/briefings/api/briefings/{id}.json"
    assert endpoints["stix"] == "https://example.org/briefings/api/stix-bundle.json"


def test_shared_event_names_both_briefings() -> None:
    corpus = load_model(FIXTURES / "corpus")
    record = json.loads(render_api(corpus, SITE)["api/briefings/alpha-summit.json"])
    meeting = next(e for e in record["events"] if e["key"] == "border-meeting")
    assert meeting["briefings"] == ["beta-reacts", "alpha-summit"]
    related = record["related"][0]
    assert related["id"] == "beta-reacts"
    assert related["shared"] == {
        "events": ["border-meeting"],
        "actors": ["beta", "ann-leader"],
        "tags": ["trade"],
    }
    assert related["score"] == 8


def test_claimants_and_date_bases_in_the_records() -> None:
    """The seed briefing's record keeps each key point as written (text, or text and who
    claims it); events and relations carry `according_to`, events where their date comes
    from."""
    corpus = load_model(SEED)
    api = {path: json.loads(text) for path, text in render_api(corpus, SITE).items()}
    article_id = "kim-jong-un-orders-war-preparations"
    record = api[addresses.api_briefing(article_id)]
    assert isinstance(record, dict)
    points = record["briefing"]["key_points"]
    assert points[0] == {
        "text": corpus.articles[article_id].data.key_points[0].text,
        "according_to": ["kcna"],
    }
    assert points[4] == corpus.articles[article_id].data.key_points[4].text  # plain text
    assert record["briefing"]["published_basis"] == "outside"
    assert record["briefing"]["published_note"].startswith("The article carries no date.")
    events = {e["key"]: e for e in record["events"]}
    orders = events["kim-orders-accelerated-war-preparations-2023-12"]
    assert (orders["date_basis"], orders["according_to"]) == ("outside", ["kcna"])
    assert orders["date_note"].startswith("The article calls the KCNA report recent")
    cooperation = events["trilateral-cooperation-strengthened-2023"]
    assert cooperation["date_basis"] == "outside"
    assert cooperation["date_note"].startswith('The article says "last year"')
    assert cooperation["according_to"] == []
    listed = api[addresses.API_RELATIONS]["relations"]
    supplies = [r for r in listed if (r["subject"], r["relation"]) == ("north-korea", "supplies")]
    assert [r["according_to"] for r in supplies] == [["united-states"]]
    assert all(r["according_to"] == [] for r in listed if r["relation"] == "leads")


def test_actor_records_list_their_claims(corpus: Corpus, api: dict[str, object]) -> None:
    """An actor's `claims`: each key point, event or relation of `claims_by` (the profile's
    "Claims by this actor"), as its briefing gives it, in the same order."""
    context = {"actor_ids": frozenset(corpus.actors)}
    models = {"key_point": schema.KeyPoint, "event": schema.Event}
    for actor_id in corpus.actors:
        record = api[addresses.api_actor(actor_id)]
        assert isinstance(record, dict)
        entries = corpus.claims_by.get(actor_id, [])
        assert [c["briefing"] for c in record["claims"]] == [e.article.id for e in entries]
        for claim, entry in zip(record["claims"], entries, strict=True):
            fields = {k: v for k, v in claim.items() if k not in ("kind", "briefing")}
            if claim["kind"] == "relation":
                del fields["symmetric"]
                again = schema.Relation.model_validate(fields, context=context)
            else:
                again = models[claim["kind"]].model_validate(fields, context=context)
            assert again == entry.claim
            assert actor_id in claim["according_to"]


def test_an_actors_claims_in_its_record() -> None:
    corpus = load_model(FIXTURES / "corpus")
    api = {path: json.loads(text) for path, text in render_api(corpus, SITE).items()}
    assert api[addresses.api_actor("alpha")]["claims"] == [
        {
            "kind": "key_point",
            "text": "Alpha expects a trade deal within the year.",
            "according_to": ["alpha"],
            "briefing": "alpha-summit",
        },
        {
            "kind": "event",
            "date": "2024-02",
            "date_basis": "inferred",
            "date_note": None,
            "what": "Beta sanctions an Alpha firm.",
            "actors": ["beta", "alpha"],
            "where": None,
            "circa": False,
            "id": None,
            "according_to": ["alpha"],
            "briefing": "beta-reacts",
        },
        {
            "kind": "relation",
            "subject": "beta",
            "relation": "sanctions",
            "object": "alpha",
            "symmetric": False,
            "note": None,
            "since": None,
            "according_to": ["alpha"],
            "briefing": "beta-reacts",
        },
        {
            "kind": "event",
            "date": "2024-01-10",
            "date_basis": "outside",
            "date_note": 'The cabinet\'s published minutes; the article says only "last week".',
            "what": "Alpha's cabinet approves the tariffs.",
            "actors": ["alpha"],
            "where": "Alpha City",
            "circa": False,
            "id": None,
            "according_to": ["alpha"],
            "briefing": "alpha-tariffs",
        },
    ]
    assert api[addresses.api_actor("beta")]["claims"] == []
