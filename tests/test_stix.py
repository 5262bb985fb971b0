"""The STIX 2.1 bundle, parsed and checked by the `stix2` library."""

import json

import pytest
import stix2

from generator import addresses
from generator.build import load_model
from generator.formats.stix import render_stix, stix_id
from generator.model.corpus import Corpus
from generator.siteinfo import SiteInfo
from tests.conftest import FIXTURES, SEED

SITE = SiteInfo("Briefings", "https://example.org/briefings/", "Test site.")


@pytest.fixture(scope="module", params=["fixture", "real"])
def corpus(request: pytest.FixtureRequest) -> Corpus:
    return load_model(FIXTURES / "corpus" if request.param == "fixture" else SEED)


@pytest.fixture(scope="module")
def text(corpus: Corpus) -> str:
    return render_stix(corpus, SITE)[addresses.STIX_BUNDLE]


def test_the_library_accepts_the_bundle(text: str) -> None:
    bundle = stix2.parse(text, allow_custom=False, version="2.1")
    assert isinstance(bundle, stix2.v21.Bundle)


def test_objects_for_actors_briefings_and_relations(corpus: Corpus, text: str) -> None:
    bundle = stix2.parse(text, allow_custom=False, version="2.1")
    by_type: dict[str, list[object]] = {}
    for found in bundle.objects:
        by_type.setdefault(found.type, []).append(found)
    assert set(by_type) == {"identity", "report", "relationship", "extension-definition"}
    names = {o.name for o in by_type["identity"]}
    assert names == {SITE.name} | {a.data.name for a in corpus.actors.values()}
    assert {o.id for o in by_type["report"]} == {stix_id("report", a) for a in corpus.articles}
    distinct = {
        (r.subject, r.relation, r.object)
        if r.relation not in ("allied-with", "cooperates-with", "opposes", "negotiates-with")
        else (min(r.subject, r.object), r.relation, max(r.subject, r.object))
        for a in corpus.articles.values()
        for r in a.data.relations
    }
    assert {(o.source_ref, o.relationship_type, o.target_ref) for o in by_type["relationship"]} == {
        (stix_id("identity", s), r, stix_id("identity", o)) for s, r, o in distinct
    }


def test_every_reference_resolves_inside_the_bundle(text: str) -> None:
    bundle = stix2.parse(text, allow_custom=False, version="2.1")
    ids = {o.id for o in bundle.objects}
    for found in bundle.objects:
        refs = list(getattr(found, "object_refs", []))
        refs += [
            getattr(found, name)
            for name in ("created_by_ref", "source_ref", "target_ref")
            if hasattr(found, name)
        ]
        assert set(refs) <= ids, found.id
        for extension in getattr(found, "extensions", {}):
            assert extension in ids, found.id
            refs = found.extensions[extension]["according_to_refs"]
            assert set(refs) <= ids, found.id


def test_claimants_are_carried_by_the_declared_extension() -> None:
    """The seed's Washington accusation: the `supplies` relationship and the briefing's report
    carry the United States (and the report KCNA) in `according_to_refs`, through the
    property extension the bundle declares; the producer stays the site."""
    text = render_stix(load_model(SEED), SITE)[addresses.STIX_BUNDLE]
    bundle = stix2.parse(text, allow_custom=False, version="2.1")
    objects = {o.id: o for o in bundle.objects}
    (definition,) = [o for o in bundle.objects if o.type == "extension-definition"]
    assert definition.extension_types == ["property-extension"]
    supplies = objects[stix_id("relationship", "north-korea:supplies:russia")]
    assert supplies.created_by_ref == stix_id("identity", "site")
    assert supplies.extensions[definition.id]["according_to_refs"] == [
        stix_id("identity", "united-states")
    ]
    leads = objects[stix_id("relationship", "kim-jong-un:leads:north-korea")]
    assert "extensions" not in leads
    report = objects[stix_id("report", "kim-jong-un-orders-war-preparations")]
    assert report.extensions[definition.id]["according_to_refs"] == [
        stix_id("identity", "kcna"),
        stix_id("identity", "united-states"),
    ]


def test_reports_are_dated_by_their_briefings(corpus: Corpus, text: str) -> None:
    bundle = stix2.parse(text, allow_custom=False, version="2.1")
    for report in (o for o in bundle.objects if o.type == "report"):
        article_id = report.external_references[0].external_id
        date = corpus.articles[article_id].data.published
        assert report.published.year == date.year
        assert report.published.month == (date.month or 1)
        assert report.published.day == (date.day or 1)
        assert report.created == report.modified == report.published


def test_ids_and_bytes_are_deterministic(corpus: Corpus, text: str) -> None:
    assert render_stix(corpus, SITE)[addresses.STIX_BUNDLE] == text
    document = json.loads(text)
    actor_id = sorted(corpus.actors)[0]
    assert stix_id("identity", actor_id) in {o["id"] for o in document["objects"]}


def test_identity_classes() -> None:
    corpus = load_model(FIXTURES / "corpus")
    document = json.loads(render_stix(corpus, SITE)[addresses.STIX_BUNDLE])
    identities = {o["name"]: o for o in document["objects"] if o["type"] == "identity"}
    assert identities["Ann Leader"]["identity_class"] == "individual"
    assert identities["Ann Leader"]["roles"] == ["President", "Minister"]
    assert identities["Alpha"]["identity_class"] == "organization"
    assert identities["Alpha"]["sectors"] == ["government"]
    wikidata = identities["Alpha"]["external_references"][1]
    assert wikidata == {
        "source_name": "wikidata",
        "external_id": "Q1",
        "url": "https://www.wikidata.org/wiki/Q1",
    }
