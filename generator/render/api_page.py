"""The documentation of the feeds, the JSON API and the STIX bundle: /api/."""

from __future__ import annotations

from generator import addresses
from generator.model.corpus import Corpus
from generator.render.text import block, front_matter, link, plural

HERE = addresses.API_PAGE


def render_api_page(corpus: Corpus) -> str:
    return front_matter(
        title="Open data",
        description="Feeds, a JSON API and a STIX 2.1 "
        "bundle of every briefing, actor, event and relation.",
    ) + block(
        "# Open data",
        "Everything on this site is also published as data, rebuilt with the site: feeds to "
        "follow new briefings, a static JSON API with the whole corpus, and a STIX 2.1 bundle "
        "for threat-intelligence tools. Ids are the ones in the page addresses "
        "(`/briefings/<id>/`, `/actors/<id>/`); every address in the files is absolute.",
        _feeds(corpus),
        _api(corpus),
        _records(),
        _stix(),
    )


def _feeds(corpus: Corpus) -> str:
    example_actor = min(corpus.actors, default=None)
    example_tag = next(iter(corpus.tags), None)
    rows = [("Every briefing", addresses.feed("all", "atom"), addresses.feed("all", "json"))]
    if example_actor:
        scope = addresses.actor_scope(example_actor)
        rows.append(
            (
                f"One actor, e.g. `{example_actor}`",
                addresses.feed(scope, "atom"),
                addresses.feed(scope, "json"),
            )
        )
    if example_tag:
        scope = addresses.tag_scope(example_tag)
        rows.append(
            (
                f"One tag, e.g. `{example_tag}`",
                addresses.feed(scope, "atom"),
                addresses.feed(scope, "json"),
            )
        )
    table = "\n".join(
        f"| {what} | {link(f'`{atom}`', atom, HERE)} | {link(f'`{json}`', json, HERE)} |"
        for what, atom, json in rows
    )
    return (
        "## Feeds\n\n"
        "Atom and [JSON Feed](https://www.jsonfeed.org/version/1.1/) files, for the whole "
        "site, for each actor (`feeds/actors/<id>.xml`, `.json`) and for each tag "
        "(`feeds/tags/<tag>.xml`, `.json`); each actor's and tag's page links to its own.\n\n"
        "| Feed | Atom | JSON Feed |\n|---|---|---|\n" + table + "\n\n"
        f"The site's feed holds the {addresses.FEED_LIMIT} newest briefings with their summary "
        f"and key points; an actor's or a tag's feed the {addresses.SCOPED_FEED_LIMIT} newest, "
        "each with its headline, "
        "first key point and address. An entry's date is its briefing's "
        "publication date; a date known only to the month or the year counts from the start "
        "of that period (`2024-03` is 1 March 2024). A feed is updated when its newest "
        "briefing was published, so rebuilding the site changes no feed by itself."
    )


def _api(corpus: Corpus) -> str:
    article = next(iter(corpus.latest()), None)
    actor = min(corpus.actors, default=None)
    tag = next(iter(corpus.tags), None)
    rows = [
        (
            addresses.API_INDEX,
            f"What the API holds: version ({addresses.API_VERSION}), counts, and the address "
            "of every endpoint (`{id}` and `{tag}` stand for an id or a tag).",
        ),
        (
            addresses.API_BRIEFINGS,
            f"{plural(len(corpus.articles), 'briefing')}, newest first: "
            "id, title, publication date, page and record addresses, actor ids, tags.",
        ),
        (
            addresses.api_briefing(article.id if article else "<id>"),
            "One briefing: its data (`briefing`), the events it reports (`events`) and the related "
            "briefings (`related`), each with what it shares.",
        ),
        (
            addresses.API_ACTORS,
            f"{plural(len(corpus.actors), 'actor')} by id: name, kind, "
            "aliases, number of briefings.",
        ),
        (
            addresses.api_actor(actor or "<id>"),
            "One actor: its data (`actor`), every appearance with its role (`appearances`, newest "
            "first), `relations`, `quotes`, `events`, what the briefings say it claims "
            "(`claims`) and its `feeds`.",
        ),
        (
            addresses.API_TIMELINE,
            f"{plural(len(corpus.timeline), 'event')} in date order; "
            "events that several briefings report are one event with all of them.",
        ),
        (addresses.API_TAGS, f"{plural(len(corpus.tags), 'tag')} with their briefings."),
        (
            addresses.api_tag(tag or "<tag>"),
            "One tag: its briefings, its events and its feeds.",
        ),
        (addresses.API_RELATIONS, "Every relation every briefing asserts, with the briefing."),
        (addresses.STIX_BUNDLE, "The STIX 2.1 bundle (below)."),
    ]
    table = "\n".join(f"| {_address(path)} | {text} |" for path, text in rows)
    return (
        "## JSON API\n\nStatic JSON files (UTF-8), fetched like any page; nothing to "
        "sign up for and no rate limit beyond the host's.\n\n"
        "| Address | Contents |\n|---|---|\n" + table
    )


def _address(path: str) -> str:
    return f"`{path}`" if "<" in path else link(f"`{path}`", path, HERE)


def _records() -> str:
    return (
        "## Records\n\n"
        "`briefing` and `actor` hold the record's data field by field as the "
        f"{link('data format', addresses.GUIDE, HERE)} defines it, checked and normalised: "
        "every field is present (with its default when the file leaves it out), dates are "
        "written `YYYY`, `YYYY-MM` or `YYYY-MM-DD` at their own precision. The rest is "
        "derived from the whole corpus:\n\n"
        "- an **event**: `key` (the event's `id`, or `<briefing id>--<n>` for an event without "
        "one), `date`, `precision` (`day`, `month` or `year`), `circa`, `what`, `where`, "
        "`actors` (ids), `briefings` (the ids of those reporting it, oldest first), "
        "`date_basis` and `date_note` (where the date comes from) and `according_to` (the ids "
        "of who claims it);\n"
        "- a **relation**: `subject`, `relation`, `object` (ids and the relation type), "
        "`symmetric`, `note`, `since`, `according_to` and the `briefing` asserting it;\n"
        "- a **claim** (an actor's `claims`, newest briefing first, as its profile lists "
        "them): `kind` (`key_point`, `event` or `relation`), the key point or event field "
        "by field as its briefing gives it, or the relation as above, and the `briefing` "
        "reporting it;\n"
        "- a **related briefing**: the briefing's summary record with its `score` and what it "
        "`shared` (`events`, `actors`, `tags`); a shared event counts 3, an actor 2, a tag 1.\n\n"
        "Every record has `url` (its page) and `api` (its own address). Fields may be added "
        "without notice; a removed or changed field raises `version` in `api/index.json`."
    )


def _stix() -> str:
    return (
        "## STIX 2.1 bundle\n\n"
        f"{link('`' + addresses.STIX_BUNDLE + '`', addresses.STIX_BUNDLE, HERE)} holds the "
        "whole corpus as one [STIX 2.1](https://oasis-open.github.io/cti-documentation/) "
        "bundle:\n\n"
        "- an `identity` for each actor (`identity_class`: `individual` for a person, "
        "`group` for an alliance or group, `organization` otherwise), with its page, its "
        "Wikidata id and its links as external references;\n"
        "- a `report` for each briefing (`report_types: [news-briefing]`), referring to its "
        "actors and to the relationships it asserts, with its tags as `labels`;\n"
        "- a `relationship` for each distinct relation (`relationship_type` is the relation "
        "type; a mutual relation such as `opposes` runs from the actor whose id sorts "
        "first), its notes joined in `description`;\n"
        "- an `identity` for the site, the creator of every other object.\n\n"
        "Ids are stable: derived (UUIDv5) from the ids in the data, so an actor keeps its STIX "
        "id from one build to the next. An object's `created` and `modified` are the "
        "publication date of the first briefing naming it. Events have no STIX object yet; "
        f"they are in {link('`' + addresses.API_TIMELINE + '`', addresses.API_TIMELINE, HERE)}."
    )
