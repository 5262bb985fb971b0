"""Every generated page of the site, by its path in the docs folder."""

from __future__ import annotations

from generator import addresses
from generator.model.corpus import Corpus
from generator.render.actor import render_actor
from generator.render.api_page import render_api_page
from generator.render.briefing import render_briefing
from generator.render.fields import PAGE as FIELD_REFERENCE
from generator.render.fields import render_field_reference
from generator.render.home import render_home
from generator.render.lists import render_actor_list, render_briefing_list
from generator.render.tags import render_tag, render_tag_index
from generator.render.timeline import render_timeline


def render_pages(corpus: Corpus) -> dict[str, str]:
    """docs-relative path -> Markdown, for the whole corpus. Pure."""
    pages = {
        addresses.HOME: render_home(corpus),
        addresses.ACTOR_LIST: render_actor_list(corpus),
        addresses.TAG_LIST: render_tag_index(corpus),
        FIELD_REFERENCE: render_field_reference(),
        addresses.API_PAGE: render_api_page(corpus),
        **render_briefing_list(corpus),
        **render_timeline(corpus),
    }
    for article in corpus.articles.values():
        pages[addresses.article_page(article.id)] = render_briefing(corpus, article)
    for actor in corpus.actors.values():
        pages |= render_actor(corpus, actor)
    for tag in corpus.tags:
        pages |= render_tag(corpus, tag)
    return dict(sorted(pages.items()))
