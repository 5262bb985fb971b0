"""Where the site's files other than pages live, as paths in the docs folder (MkDocs copies
them to the same place in the site). Pages link to them and the producers write them, so
both take the paths from here.

    feeds/all.xml, feeds/all.json                   every briefing (Atom, JSON Feed)
    feeds/actors/<id>.xml, .json                    the briefings naming one actor
    feeds/tags/<tag>.xml, .json                     the briefings with one tag
    api/...                                         the JSON API (generator/api.py)
    api/stix-bundle.json                            the STIX 2.1 bundle (generator/stix.py)
    briefings/<old id>/index.html, actors/<old id>/index.html    redirects
"""

from __future__ import annotations

from typing import Literal

FeedFormat = Literal["atom", "json"]
FEED_SUFFIX: dict[FeedFormat, str] = {"atom": ".xml", "json": ".json"}


def feed(scope: str, kind: FeedFormat) -> str:
    """`scope` is `all`, `actors/<id>` or `tags/<tag>`."""
    return f"feeds/{scope}{FEED_SUFFIX[kind]}"


def actor_scope(actor_id: str) -> str:
    return f"actors/{actor_id}"


def tag_scope(tag: str) -> str:
    return f"tags/{tag}"


API_INDEX = "api/index.json"
API_BRIEFINGS = "api/briefings.json"
API_ACTORS = "api/actors.json"
API_TIMELINE = "api/timeline.json"
API_TAGS = "api/tags.json"
API_RELATIONS = "api/relations.json"
STIX_BUNDLE = "api/stix-bundle.json"
API_PAGE = "api/index.md"


def api_briefing(article_id: str) -> str:
    return f"api/briefings/{article_id}.json"


def api_actor(actor_id: str) -> str:
    return f"api/actors/{actor_id}.json"


def api_tag(tag: str) -> str:
    return f"api/tags/{tag}.json"


def redirect(section: str, old_id: str) -> str:
    """`section` is `briefings` or `actors`."""
    return f"{section}/{old_id}/index.html"
