"""Every address of the site, in one place: the path of each page and file in the docs
folder, and the address a reader sees for it. Renderers, output formats, the writer, `diff`
and the MkDocs hooks take them from here and build none themselves.

Pages (Markdown, `use_directory_urls`: `actors/x.md` is served at `/actors/x/`):

    index.md, briefings/index.md, actors/index.md, timeline.md, tags/index.md
    briefings/<id>.md, actors/<id>.md, tags/<tag>.md
    actors/<id>/<briefings|quotes|relations|timeline>.md    an actor's whole lists
    tags/<tag>/timeline.md                                    a tag's whole timeline
    <list>/page/<n>.md                                        page n of a long list
    api/index.md, guide/fields.md

Other files (MkDocs copies them to the same place in the site):

    feeds/all.xml, feeds/all.json                   every briefing (Atom, JSON Feed)
    feeds/actors/<id>.xml, .json                    the briefings naming one actor
    feeds/tags/<tag>.xml, .json                     the briefings with one tag
    api/...                                         the JSON API (generator/formats/api.py)
    api/stix-bundle.json                            the STIX 2.1 bundle (generator/formats/stix.py)
    briefings/<old id>/index.html, actors/<old id>/index.html    redirects

An id, a tag or a former id equal to one of the fixed segments of these addresses or of the
pages' (RESERVED_IDS) would take the place of a list page, a feed or a redirect: the schema
refuses them.
"""

from __future__ import annotations

import posixpath
from typing import Literal

HOME = "index.md"
BRIEFING_LIST = "briefings/index.md"
ACTOR_LIST = "actors/index.md"
TIMELINE = "timeline.md"
TAG_LIST = "tags/index.md"
GUIDE = "guide/index.md"
FIELD_REFERENCE = "guide/fields.md"


def article_page(article_id: str) -> str:
    return f"briefings/{article_id}.md"


def actor_page(actor_id: str) -> str:
    return f"actors/{actor_id}.md"


def tag_page(tag: str) -> str:
    return f"tags/{tag}.md"


ACTOR_LISTS = ("briefings", "quotes", "claims", "relations", "timeline")
"""The whole lists behind an actor's profile, each on pages of its own."""


def actor_list_page(actor_id: str, what: str) -> str:
    """Page 1 of the whole list of one kind (`briefings`, `quotes`, `claims`, `relations`,
    `timeline`) behind an actor's profile: /actors/<id>/<what>/."""
    return f"actors/{actor_id}/{what}.md"


def tag_timeline_page(tag: str) -> str:
    """Page 1 of a tag's whole timeline: /tags/<tag>/timeline/."""
    return f"tags/{tag}/timeline.md"


def list_page(first: str, number: int) -> str:
    """Page `number` of the list whose page 1 is `first`, as Hugo numbers them:
    `timeline.md` -> `timeline/page/2.md`, `briefings/index.md` -> `briefings/page/2.md`."""
    if number == 1:
        return first
    base = first.removesuffix(".md").removesuffix("/index")
    return f"{base}/page/{number}.md"


def page_url(page: str) -> str:
    """The address MkDocs gives a docs-relative Markdown page (use_directory_urls: true),
    relative to the site's root: `index.md` -> ``, `timeline.md` -> `timeline/`,
    `actors/x.md` -> `actors/x/`."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def site_path(path: str) -> str:
    """Any generated file's docs path -> its absolute path on the site (a page's address,
    `/feeds/all.xml` for another file, `/briefings/old/` for a redirect's index.html)."""
    if path.endswith(".md"):
        return "/" + page_url(path)
    return "/" + path.removesuffix("index.html")


def built_file(path: str) -> str:
    """The file MkDocs makes in the site from a docs path (`actors/x.md` ->
    `actors/x/index.html`; any other file is copied as it is)."""
    return page_url(path) + "index.html" if path.endswith(".md") else path


def url_from(target: str, here: str) -> str:
    """A relative address from page `here` to `target` (a page or a file in the docs
    folder), as the built site serves them: for raw HTML, which MkDocs does not rewrite."""
    base = page_url(here).rstrip("/") or "."
    if "#" in target:
        target, anchor = target.split("#", 1)
        return url_from(target, here) + "#" + anchor
    if target.endswith(".md"):
        path = page_url(target).rstrip("/") or "."
        relative = relative_path(path, base)
        return "./" if relative == "." else relative + "/"
    return relative_path(target, base)


def relative_path(path: str, start: str) -> str:
    """`posixpath.relpath(path, start)` for two paths in the docs folder, without its
    calls to the working directory (a page of the timeline makes thousands of links)."""
    to = [part for part in path.split("/") if part not in ("", ".")]
    base = [part for part in start.split("/") if part not in ("", ".")]
    if ".." in to or ".." in base or path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    common = 0
    while common < min(len(to), len(base)) and to[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."


FeedFormat = Literal["atom", "json"]
FEED_SUFFIX: dict[FeedFormat, str] = {"atom": ".xml", "json": ".json"}


def feed(scope: str, kind: FeedFormat) -> str:
    """`scope` is `all`, `actors/<id>` or `tags/<tag>`."""
    return f"feeds/{scope}{FEED_SUFFIX[kind]}"


def actor_scope(actor_id: str) -> str:
    return f"actors/{actor_id}"


def tag_scope(tag: str) -> str:
    return f"tags/{tag}"


def wikidata_url(item: str) -> str:
    """The Wikidata page of an item id (`Q56226`): profiles, JSON-LD and STIX link it."""
    return f"https://www.wikidata.org/wiki/{item}"


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
    # The pages (above) and the folders copied into the site (docs/, generator/assets/,
    # Pagefind's index).
    HOME,
    TIMELINE,
    BRIEFING_LIST,
    article_page(_SLUG),
    ACTOR_LIST,
    actor_page(_SLUG),
    *(actor_list_page(_SLUG, what) for what in ACTOR_LISTS),
    TAG_LIST,
    tag_page(_SLUG),
    tag_timeline_page(_SLUG),
    list_page(TIMELINE, 2),
    GUIDE,
    FIELD_REFERENCE,
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


# What the published files promise, which the page that documents them (/api/) states too.

API_VERSION = 1
"""Raised when a record loses or changes a field; adding fields keeps it."""
FEED_LIMIT = 50
"""Entries in the site's feed: the newest briefings. Readers poll feeds; older briefings
stay on the site and in the JSON API."""
SCOPED_FEED_LIMIT = 20
"""Entries in an actor's or a tag's feed. These entries carry the briefing's headline, first
key point and address, not its whole text (that is in the site's feed): thousands of
actors times their briefings would otherwise make the feeds most of the site's size."""
