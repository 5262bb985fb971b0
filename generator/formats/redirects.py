"""Redirects from former ids: /briefings/<old>/ and /actors/<old>/ lead to the current page.

Each is a small static HTML file (MkDocs copies it as it is): a meta refresh for browsers,
a canonical link for search engines, and a plain link for everything else. The target is
relative, so the redirect works wherever the site is served; the canonical link is
absolute, from `site_url`.
"""

from __future__ import annotations

from generator import addresses
from generator.markup import attribute, html_text
from generator.model.corpus import Corpus
from generator.siteinfo import SiteInfo


def render_redirects(corpus: Corpus, site: SiteInfo) -> dict[str, str]:
    """docs-relative path -> HTML of every redirect page."""
    files: dict[str, str] = {}
    for article_id, article in sorted(corpus.articles.items()):
        for old in article.data.former_ids:
            files[addresses.redirect("briefings", old)] = redirect_page(
                addresses.article_page(old),
                addresses.article_page(article_id),
                article.data.title,
                site,
            )
    for actor_id, actor in sorted(corpus.actors.items()):
        for old in actor.data.former_ids:
            files[addresses.redirect("actors", old)] = redirect_page(
                addresses.actor_page(old), addresses.actor_page(actor_id), actor.data.name, site
            )
    return dict(sorted(files.items()))


def redirect_page(old_page: str, new_page: str, title: str, site: SiteInfo) -> str:
    target = addresses.url_from(new_page, old_page)
    return "\n".join(
        [
            "<!doctype html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>Moved: {html_text(title)}</title>",
            f'<meta http-equiv="refresh" content={attribute(f"0; url={target}")}>',
            f'<link rel="canonical" href={attribute(site.absolute(addresses.page_url(new_page)))}>',
            '<meta name="robots" content="noindex">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            "</head>",
            "<body>",
            f"<p>This page has moved to <a href={attribute(target)}>{html_text(title)}</a>.</p>",
            "</body>",
            "</html>",
            "",
        ]
    )
