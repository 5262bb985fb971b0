"""The whole corpus as one STIX 2.1 bundle (api/stix-bundle.json), for threat-intelligence
tools: an `identity` per actor, a `report` per briefing, a `relationship` per relation.

Deterministic: ids are UUIDv5 of the data's own ids, so an actor keeps its STIX id from one
build to the next; timestamps come from the data (an object's `created` and `modified` are
the publication date of the first briefing that mentions it, a partial date counting from
the start of its period), never from the clock. Symmetric relations (`opposes`, ...)
have no direction in the data: their relationship runs from the actor whose id sorts
first. The site itself is an identity, the creator of every other object. Who makes a claim
(`according_to`) is carried by the STIX 2.1 way of adding properties, a property extension
declared in the bundle (`extension-definition`): `according_to_refs` on a relationship (the
claimants of the relation) and on a report (the claimants of any of its key points, events
or relations), `created_by_ref` staying the producer, the site.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from generator import addresses
from generator.model.corpus import ActorEntry, ArticleEntry, Assertion, Corpus
from generator.model.graph import Edge, edges_of
from generator.siteinfo import SiteInfo

NAMESPACE = uuid.UUID("6f0d3d4e-5b8c-5f57-9a53-2f1d1b6c0e41")
"""Fixed namespace of this generator's STIX ids: changing it changes every id."""
EPOCH = "1970-01-01T00:00:00.000Z"
"""The site identity's timestamp when there is no briefing."""
SPEC = "2.1"

IDENTITY_CLASS = {
    "person": "individual",
    "state": "organization",
    "organisation": "organization",
    "military": "organization",
    "media": "organization",
    "alliance": "group",
    "group": "group",
}
SECTORS = {"state": ["government"], "military": ["defense"], "media": ["communications"]}

StixObject = dict[str, Any]
CLAIMS_EXTENSION = "extension-definition--" + str(uuid.uuid5(NAMESPACE, "according-to"))
"""The property extension that carries `according_to_refs`."""


def stix_id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def render_stix(corpus: Corpus, site: SiteInfo) -> dict[str, str]:
    bundle = stix_bundle(corpus, site)
    return {addresses.STIX_BUNDLE: json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"}


def stix_bundle(corpus: Corpus, site: SiteInfo) -> dict[str, Any]:
    oldest = sorted(corpus.articles.values(), key=lambda a: (a.data.published.sort_key(), a.id))
    first_seen = _first_seen(corpus, oldest)
    creator = _site_identity(
        site, oldest[0].data.published.timestamp(milliseconds=True) if oldest else EPOCH
    )
    edges = edges_of(Assertion(a, r) for a in oldest for r in a.data.relations)
    objects = [creator, _claims_extension(creator["id"], creator["created"])]
    objects += [
        _identity(corpus.actors[i], site, creator["id"], first_seen.get(i))
        for i in sorted(corpus.actors)
    ]
    objects += sorted((_relationship(e, creator["id"]) for e in edges), key=lambda o: o["id"])
    asserted: dict[str, list[str]] = {}
    for edge in edges:
        for source in edge.sources:
            asserted.setdefault(source.id, []).append(_edge_id(edge))
    objects += [
        _report(a, site, creator["id"], asserted.get(a.id, []))
        for a in sorted(corpus.articles.values(), key=lambda a: a.id)
    ]
    return {"type": "bundle", "id": stix_id("bundle", site.url), "objects": objects}


def _first_seen(corpus: Corpus, oldest: list[ArticleEntry]) -> dict[str, str]:
    """Each actor's timestamp: the first briefing naming it anywhere."""
    seen: dict[str, str] = {}
    for article in oldest:
        data = article.data
        named = [a.actor for a in data.actors] + [q.by for q in data.quotes]
        named += [a for e in data.events for a in e.actors]
        named += [a for r in data.relations for a in (r.subject, r.object)]
        for actor_id in named:
            seen.setdefault(actor_id, article.data.published.timestamp(milliseconds=True))
    return seen


def _claims_extension(creator: str, created: str) -> StixObject:
    return {
        "type": "extension-definition",
        "spec_version": SPEC,
        "id": CLAIMS_EXTENSION,
        "created_by_ref": creator,
        "created": created,
        "modified": created,
        "name": "according-to",
        "description": "Who makes a claim, as the briefing attributes it.",
        "schema": "according_to_refs (list of identifier): the identities of the actors "
        "who make the claims of the object (a relation, or a briefing's key points, events "
        "and relations), as the article attributes them; created_by_ref stays the producer.",
        "version": "1.0.0",
        "extension_types": ["property-extension"],
    }


def _according_to(found: StixObject, actor_ids: list[str]) -> None:
    if actor_ids:
        refs = [stix_id("identity", a) for a in dict.fromkeys(actor_ids)]
        found["extensions"] = {
            CLAIMS_EXTENSION: {"extension_type": "property-extension", "according_to_refs": refs}
        }


def _site_identity(site: SiteInfo, created: str) -> StixObject:
    return {
        "type": "identity",
        "spec_version": SPEC,
        "id": stix_id("identity", "site"),
        "created": created,
        "modified": created,
        "name": site.name,
        "description": site.description or "The briefing site that published this bundle.",
        "identity_class": "organization",
        "external_references": [{"source_name": "briefing-site", "url": site.url}],
    }


def _identity(actor: ActorEntry, site: SiteInfo, creator: str, seen: str | None) -> StixObject:
    data = actor.data
    created = seen or EPOCH
    references = [
        {
            "source_name": "briefing-site",
            "external_id": actor.id,
            "url": site.absolute(addresses.page_url(addresses.actor_page(actor.id))),
        }
    ]
    if data.wikidata:
        references.append(
            {
                "source_name": "wikidata",
                "external_id": data.wikidata,
                "url": addresses.wikidata_url(data.wikidata),
            }
        )
    references += [{"source_name": link.title, "url": link.url} for link in data.links]
    found: StixObject = {
        "type": "identity",
        "spec_version": SPEC,
        "id": stix_id("identity", actor.id),
        "created_by_ref": creator,
        "created": created,
        "modified": created,
        "name": data.name,
        "description": " ".join(data.summary.split()),
        "identity_class": IDENTITY_CLASS[data.kind],
    }
    if data.kind in SECTORS:
        found["sectors"] = SECTORS[data.kind]
    if data.positions:
        found["roles"] = [p.title for p in data.positions]
    found["external_references"] = references
    return found


def _relationship(edge: Edge, creator: str) -> StixObject:
    created = edge.sources[0].data.published.timestamp(milliseconds=True)
    found: StixObject = {
        "type": "relationship",
        "spec_version": SPEC,
        "id": _edge_id(edge),
        "created_by_ref": creator,
        "created": created,
        "modified": created,
        "relationship_type": edge.relation,
        "source_ref": stix_id("identity", edge.subject),
        "target_ref": stix_id("identity", edge.object),
    }
    same = [
        r
        for a in edge.sources
        for r in a.data.relations
        if (r.relation, *sorted((r.subject, r.object)))
        == (edge.relation, *sorted((edge.subject, edge.object)))
    ]
    notes = [r.note for r in same if r.note]
    if notes:
        found["description"] = " / ".join(dict.fromkeys(" ".join(n.split()) for n in notes))
    _according_to(found, [c for r in same for c in r.according_to])
    return found


def _edge_id(edge: Edge) -> str:
    return stix_id("relationship", f"{edge.subject}:{edge.relation}:{edge.object}")


def _report(
    article: ArticleEntry, site: SiteInfo, creator: str, relationships: list[str]
) -> StixObject:
    data = article.data
    published = article.data.published.timestamp(milliseconds=True)
    refs = [stix_id("identity", a.actor) for a in data.actors]
    refs += relationships
    references = [
        {
            "source_name": "briefing-site",
            "external_id": article.id,
            "url": site.absolute(addresses.page_url(addresses.article_page(article.id))),
        }
    ]
    if data.source.url:
        references.append(
            {"source_name": data.source.outlet or "original article", "url": data.source.url}
        )
    found: StixObject = {
        "type": "report",
        "spec_version": SPEC,
        "id": stix_id("report", article.id),
        "created_by_ref": creator,
        "created": published,
        "modified": published,
        "name": " ".join(data.title.split()),
        "description": "\n\n".join(
            " ".join(p.split()) for p in data.summary.split("\n\n") if p.strip()
        ),
        "report_types": ["news-briefing"],
        "published": published,
        "object_refs": list(dict.fromkeys(refs)) or [creator],
    }
    if data.tags:
        found["labels"] = list(dict.fromkeys(data.tags))
    found["external_references"] = references
    claimants = [c for p in data.key_points for c in p.according_to]
    claimants += [c for e in data.events for c in e.according_to]
    claimants += [c for r in data.relations for c in r.according_to]
    _according_to(found, claimants)
    return found
