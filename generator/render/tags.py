"""The tag index /tags/ and one page per tag, /tags/<tag>/."""

from __future__ import annotations

from generator import addresses
from generator.model import Corpus
from generator.render.common import article_link
from generator.render.text import (
    block,
    date_text,
    front_matter,
    link,
    page_of_tag,
    plural,
)
from generator.render.timeline import grouped_timeline


def render_tag_index(corpus: Corpus) -> str:
    here = "tags/index.md"
    if not corpus.tags:
        body = "No briefing has tags yet."
    else:
        body = "\n".join(
            f"- {link(f'`{tag}`', page_of_tag(tag), here)} ({plural(len(articles), 'briefing')})"
            for tag, articles in corpus.tags.items()
        )
    return front_matter(title="Tags", description="Topics of the briefings.") + block(
        "# Tags", f"{plural(len(corpus.tags), 'topic')} across the briefings.", body
    )


def render_tag(corpus: Corpus, tag: str) -> str:
    here = page_of_tag(tag)
    articles = corpus.tags[tag]
    lines = [
        f"- {date_text(a.data.published, a.data.published_circa)}: "
        f"{article_link(corpus, a.id, here)}"
        for a in articles
    ]
    events = corpus.tag_timeline(tag)
    timeline = "## Timeline\n\n" + grouped_timeline(corpus, events, here, level=3) if events else ""
    scope = addresses.tag_scope(tag)
    return front_matter(
        title=f"Tag: {tag}",
        description=f"Briefings tagged {tag}.",
        feed_title=f"Briefings tagged {tag}",
        feed_atom=addresses.feed(scope, "atom"),
        feed_json=addresses.feed(scope, "json"),
    ) + block(
        f"# Tag: `{tag}`",
        f"{plural(len(articles), 'briefing')} · {link('All tags', 'tags/index.md', here)}",
        "## Briefings\n\n" + "\n".join(lines),
        timeline,
        _follow(tag, here),
    )


def _follow(tag: str, here: str) -> str:
    scope = addresses.tag_scope(tag)
    return (
        f"Follow the briefings tagged `{tag}`: "
        f"{link('Atom feed', addresses.feed(scope, 'atom'), here)} · "
        f"{link('JSON Feed', addresses.feed(scope, 'json'), here)} · "
        f"as data: {link('JSON', addresses.api_tag(tag), here)}\n{{ .bs-data-links }}"
    )
