"""Every generated page of the site, by its path in the docs folder, as units: one call of
one renderer each (see model/trace.py), so that a build re-renders only the units whose
reads changed."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from generator import addresses
from generator.model.corpus import Corpus
from generator.model.trace import Files, Unit
from generator.render.actor import render_actor
from generator.render.api_page import render_api_page
from generator.render.briefing import render_briefing
from generator.render.fields import PAGE as FIELD_REFERENCE
from generator.render.fields import render_field_reference
from generator.render.home import render_home
from generator.render.lists import render_actor_list, render_briefing_list
from generator.render.tags import render_tag, render_tag_index
from generator.render.timeline import render_timeline, timeline_pages


def page_units(corpus: Corpus) -> list[Unit]:
    """The units of every page: a few whole-site ones, one per page of the timeline, then
    one per briefing, actor and tag.
    Each unit takes what it renders from the corpus it is given (a briefing's unit looks
    its briefing up by id), so that everything it reads is traced."""
    units = [
        Unit("home", lambda c: {addresses.HOME: render_home(c)}),
        Unit("actor-list", lambda c: {addresses.ACTOR_LIST: render_actor_list(c)}),
        Unit("tag-list", lambda c: {addresses.TAG_LIST: render_tag_index(c)}),
        Unit("field-reference", lambda c: {FIELD_REFERENCE: render_field_reference()}),
        Unit("api-page", lambda c: {addresses.API_PAGE: render_api_page(c)}),
        Unit("briefing-list", render_briefing_list),
    ]
    units += [Unit(f"timeline:{n}", _timeline(n)) for n in range(1, timeline_pages(corpus) + 1)]
    units += file_units(corpus.articles, corpus.actors)
    units += [Unit(f"tag:{tag}", _tag(tag)) for tag in corpus.tags]
    return units


def file_units(articles: Iterable[str], actors: Iterable[str]) -> list[Unit]:
    """The units of these briefings' and actors' own pages (among `page_units`)."""
    units = [Unit(f"briefing:{i}", _briefing(i)) for i in articles]
    return units + [Unit(f"actor:{i}", _actor(i)) for i in actors]


def _briefing(article_id: str) -> Callable[[Corpus], Files]:
    def make(corpus: Corpus) -> Files:
        article = corpus.articles[article_id]
        return {addresses.article_page(article_id): render_briefing(corpus, article)}

    return make


def _timeline(number: int) -> Callable[[Corpus], Files]:
    return lambda corpus: render_timeline(corpus, number)


def _actor(actor_id: str) -> Callable[[Corpus], Files]:
    return lambda corpus: render_actor(corpus, corpus.actors[actor_id])


def _tag(tag: str) -> Callable[[Corpus], Files]:
    return lambda corpus: render_tag(corpus, tag)


def render_pages(corpus: Corpus) -> dict[str, str]:
    """docs-relative path -> Markdown, for the whole corpus. Pure."""
    pages: dict[str, str] = {}
    for unit in page_units(corpus):
        for path, text in unit.make(corpus).items():
            pages[path] = text
    return dict(sorted(pages.items()))
