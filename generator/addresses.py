"""Where the site's files other than pages live, as paths in the docs folder (MkDocs copies
them to the same place in the site). Pages link to them and the producers write them, so
both take the paths from here.

    feeds/all.xml, feeds/all.json                   every briefing (Atom, JSON Feed)
    feeds/actors/<id>.xml, .json                    the briefings naming one actor
    feeds/tags/<tag>.xml, .json                     the briefings with one tag
    api/...                                         the JSON API (generator/api.py)
    api/stix-bundle.json                            the STIX 2.1 bundle (generator/stix.py)
    briefings/<old id>/index.html, actors/<old id>/index.html    redirects

An id, a tag or a former id equal to one of the fixed segments of these addresses or of the
pages' (RESERVED_IDS) would take the place of a list page, a feed or a redirect: the schema
refuses them.
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


_SLUG = "<slug>"  # stands for any id or tag in the addresses below
PAGES = (
    # The pages (generator/render/text.py page_of_*, render/site.py, render/paging.py) and
    # the folders copied into the site (docs/, generator/assets/, Pagefind's index).
    "index.md",
    "timeline.md",
    "briefings/index.md",
    f"briefings/{_SLUG}.md",
    "actors/index.md",
    f"actors/{_SLUG}.md",
    *(f"actors/{_SLUG}/{what}.md" for what in ("briefings", "quotes", "relations", "timeline")),
    "tags/index.md",
    f"tags/{_SLUG}.md",
    f"tags/{_SLUG}/timeline.md",
    "timeline/page/2.md",
    "guide/index.md",
    "guide/fields.md",
    "images/",
    "assets/",
    "pagefind/",
)
_FILES = (
    feed("all", "atom"),
    feed("all", "json"),
    feed(actor_scope(_SLUG), "atom"),
    feed(tag_scope(_SLUG), "json"),
    API_INDEX,
    API_BRIEFINGS,
    API_ACTORS,
    API_TIMELINE,
    API_TAGS,
    API_RELATIONS,
    STIX_BUNDLE,
    API_PAGE,
    api_briefing(_SLUG),
    api_actor(_SLUG),
    api_tag(_SLUG),
    redirect("briefings", _SLUG),
    redirect("actors", _SLUG),
)


def _segments(paths: tuple[str, ...]) -> frozenset[str]:
    """Each fixed folder or file name of `paths`, without its suffix."""
    stems = {part.split(".", 1)[0] for path in paths for part in path.split("/")}
    return frozenset(stem for stem in stems if stem and stem != _SLUG and not stem.isdigit())


RESERVED_IDS = _segments(PAGES + _FILES)
"""Names no article, actor, tag or former id may have: `index`, `page`, `feeds`, `api`,
`timeline`... (`/briefings/index/` would be the list of briefings, `/tags/page/` the
address of the tags' page 2)."""
