"""Atom and JSON Feed files: every briefing, the briefings naming each actor, the briefings
with each tag. Pure: corpus and site in, file texts out.

Addresses are absolute (from `site_url`). Nothing depends on the time of the build: an
entry's dates are its briefing's publication date (a partial date counts from the start of
its period), and a feed's `updated` is its newest entry's (the whole corpus's newest for a
feed without entries), so the same data always gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import markdown

from generator import addresses
from generator.markup import html_text, inline_markdown
from generator.model.corpus import ArticleEntry, Corpus
from generator.siteinfo import SiteInfo

EPOCH = "1970-01-01T00:00:00Z"
"""`updated` of a feed when there is no briefing at all."""
ATOM = "http://www.w3.org/2005/Atom"
JSON_FEED = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True)
class Feed:
    scope: str  # `all`, `actors/<id>` or `tags/<tag>`
    title: str
    description: str
    page: str  # the docs-relative page the feed follows
    articles: Sequence[ArticleEntry]

    @property
    def full(self) -> bool:
        """Whether entries carry the briefing's whole text (the site's feed only)."""
        return self.scope == "all"

    @property
    def limit(self) -> int:
        return addresses.FEED_LIMIT if self.full else addresses.SCOPED_FEED_LIMIT


def site_feeds(corpus: Corpus, site: SiteInfo) -> list[Feed]:
    feeds = [Feed("all", site.name, "Every new briefing.", addresses.HOME, corpus.latest())]
    for actor_id, actor in sorted(corpus.actors.items()):
        articles = [a.article for a in corpus.appearances.get(actor_id, [])]
        feeds.append(
            Feed(
                addresses.actor_scope(actor_id),
                f"{site.name}: {actor.data.name}",
                f"Briefings naming {actor.data.name}.",
                addresses.actor_page(actor_id),
                articles,
            )
        )
    for tag, articles in corpus.tags.items():
        feeds.append(
            Feed(
                addresses.tag_scope(tag),
                f"{site.name}: {tag}",
                f"Briefings tagged {tag}.",
                addresses.tag_page(tag),
                articles,
            )
        )
    return feeds


def render_feeds(corpus: Corpus, site: SiteInfo) -> dict[str, str]:
    """docs-relative path -> text of every feed file."""
    newest = corpus.latest()[0].data.published if corpus.articles else None
    contents = _Contents(corpus, site)
    files: dict[str, str] = {}
    for feed in site_feeds(corpus, site):
        entries = list(feed.articles[: feed.limit])
        updated = (
            entries[0].data.published.timestamp()
            if entries
            else (newest.timestamp() if newest else EPOCH)
        )
        files[addresses.feed(feed.scope, "atom")] = atom(feed, entries, updated, site, contents)
        files[addresses.feed(feed.scope, "json")] = json_feed(feed, entries, site, contents)
    return files


class _Contents:
    """Each briefing's HTML for the feeds, made once whatever the number of feeds it is in."""

    def __init__(self, corpus: Corpus, site: SiteInfo) -> None:
        self.corpus = corpus
        self.site = site
        self.cache: dict[str, str] = {}
        self.markdown = markdown.Markdown(output_format="html")

    def html(self, article: ArticleEntry) -> str:
        if article.id not in self.cache:
            self.cache[article.id] = self._render(article)
        return self.cache[article.id]

    def _render(self, article: ArticleEntry) -> str:
        data = article.data
        # inline_markdown() leaves no HTML and no unsafe link: rendering it is safe.
        summary = [self.markdown.reset().convert(p) for p in inline_markdown(data.summary)]
        points = "".join(
            f"<li>{html_text(point.text)}{self._according_to(point.according_to)}</li>"
            for point in data.key_points
        )
        source = [html_text(data.source.outlet)] if data.source.outlet else []
        if data.source.url:
            source.append(f"<a href={quoteattr(data.source.url)}>original article</a>")
        parts = [*summary, f"<ul>{points}</ul>"]
        if source:
            parts.append(f"<p>Source: {', '.join(source)}</p>")
        return "\n".join(parts)

    def _according_to(self, actor_ids: list[str]) -> str:
        """` (according to <a>KCNA</a>)`: who makes a key point's claim, linked."""
        if not actor_ids:
            return ""
        names = ", ".join(
            f"<a href={quoteattr(self.site.absolute(addresses.page_url(addresses.actor_page(a))))}>"
            f"{html_text(self.corpus.actors[a].data.name)}</a>"
            for a in actor_ids
        )
        return f" <em>(according to {names})</em>"


def atom(
    feed: Feed, entries: list[ArticleEntry], updated: str, site: SiteInfo, contents: _Contents
) -> str:
    feed_url = site.absolute(addresses.feed(feed.scope, "atom"))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM}" xml:lang="en">',
        f"  <id>{xml_escape(feed_url)}</id>",
        f"  <title>{_xml_text(feed.title)}</title>",
        f"  <subtitle>{_xml_text(feed.description)}</subtitle>",
        f"  <updated>{updated}</updated>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" '
        f"href={quoteattr(site.absolute(addresses.page_url(feed.page)))}/>",
        f"  <author><name>{_xml_text(site.name)}</name><uri>{xml_escape(site.url)}</uri></author>",
        "  <generator>briefing-site</generator>",
    ]
    for article in entries:
        lines += _atom_entry(article, site, contents if feed.full else None)
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _atom_entry(article: ArticleEntry, site: SiteInfo, contents: _Contents | None) -> list[str]:
    data = article.data
    url = site.absolute(addresses.page_url(addresses.article_page(article.id)))
    when = data.published.timestamp()
    lines = [
        "  <entry>",
        f"    <id>{xml_escape(url)}</id>",
        f"    <title>{_xml_text(data.title)}</title>",
        f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
    ]
    if data.source.url:
        lines.append(f'    <link rel="related" href={quoteattr(data.source.url)}/>')
    lines += [
        f"    <published>{when}</published>",
        f"    <updated>{when}</updated>",
        f"    <summary>{_xml_text(data.key_points[0].text)}</summary>",
        *(
            [f'    <content type="html">{xml_escape(_xml_chars(contents.html(article)))}</content>']
            if contents
            else []
        ),
        *(f"    <category term={quoteattr(tag)}/>" for tag in dict.fromkeys(data.tags)),
        "  </entry>",
    ]
    return lines


def json_feed(feed: Feed, entries: list[ArticleEntry], site: SiteInfo, contents: _Contents) -> str:
    items = []
    for article in entries:
        data = article.data
        url = site.absolute(addresses.page_url(addresses.article_page(article.id)))
        item: dict[str, object] = {"id": url, "url": url}
        if data.source.url:
            item["external_url"] = data.source.url
        item.update(
            {
                "title": " ".join(data.title.split()),
                "summary": " ".join(data.key_points[0].text.split()),
                "date_published": data.published.timestamp(),
            }
        )
        if feed.full:
            item["content_html"] = contents.html(article)
        else:
            item["content_text"] = item["summary"]
        if data.tags:
            item["tags"] = list(dict.fromkeys(data.tags))
        items.append(item)
    document = {
        "version": JSON_FEED,
        "title": feed.title,
        "home_page_url": site.absolute(addresses.page_url(feed.page)),
        "feed_url": site.absolute(addresses.feed(feed.scope, "json")),
        "description": feed.description,
        "language": "en",
        "authors": [{"name": site.name, "url": site.url}],
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _xml_chars(text: str) -> str:
    """Only the characters XML 1.0 allows."""
    return "".join(
        ch
        for ch in text
        if ch in "\t\n\r"
        or " " <= ch <= "\ud7ff"
        or "\ue000" <= ch <= "\ufffd"
        or ch >= "\U00010000"
    )


def _xml_text(text: str) -> str:
    return xml_escape(_xml_chars(" ".join(text.split())))
