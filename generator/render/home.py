"""The home page: latest briefings, most-mentioned actors, counts."""

from __future__ import annotations

from generator import addresses
from generator.model.corpus import Corpus
from generator.render.common import actor_link, briefing_item, listing, timeline_item
from generator.render.text import block, front_matter, link, plural

LATEST = 10
TOP_ACTORS = 10
RECENT_EVENTS = 5


def render_home(corpus: Corpus) -> str:
    here = addresses.HOME
    counts = " · ".join(
        [
            link(plural(len(corpus.articles), "briefing"), addresses.BRIEFING_LIST, here),
            link(plural(len(corpus.actors), "actor"), addresses.ACTOR_LIST, here),
            link(plural(len(corpus.timeline), "event"), addresses.TIMELINE, here),
            link(plural(len(corpus.tags), "tag"), addresses.TAG_LIST, here),
        ]
    )
    latest = [
        briefing_item(corpus, a, here, a.data.key_points[0].text) for a in corpus.latest()[:LATEST]
    ]
    actors = [
        listing(f"- {actor_link(corpus, actor.id, here)} ({plural(count, 'briefing')})")
        for actor, count in corpus.mentions()[:TOP_ACTORS]
        if count
    ]
    recent = [
        timeline_item(corpus, e, here, listed=True) for e in corpus.timeline[-RECENT_EVENTS:][::-1]
    ]
    return front_matter(
        title="Home",
        description="Structured briefings on news articles: who did what, with whom, and when.",
        feed_title="Every briefing",
        feed_atom=addresses.feed("all", "atom"),
        feed_json=addresses.feed("all", "json"),
    ) + block(
        "# Briefings",
        "Structured, neutral summaries of news articles: the actors, what they did, how they "
        "relate and when it happened. Search with the box at the top, by name, alias or "
        "native script.",
        counts,
        "## Latest briefings\n\n" + ("\n".join(latest) or "No briefings yet."),
        "## Most mentioned\n\n" + ("\n".join(actors) or "Nobody yet."),
        "## Latest events\n\n"
        + ("\n".join(recent) or "No events yet.")
        + f"\n\n{link('The whole timeline', addresses.TIMELINE, here)}",
        "## Follow and reuse\n\n"
        f"Every new briefing: {link('Atom feed', addresses.feed('all', 'atom'), here)} · "
        f"{link('JSON Feed', addresses.feed('all', 'json'), here)}. Each actor and each tag "
        "has its own feeds, linked from its page. All the data is open: "
        f"{link('the JSON API and the STIX 2.1 bundle', addresses.API_PAGE, here)}.",
    )
