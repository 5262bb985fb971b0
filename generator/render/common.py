"""Pieces of Markdown that several page kinds show the same way."""

from __future__ import annotations

from collections.abc import Sequence

from generator import addresses
from generator.data.dates import PartialDate
from generator.markup import escape
from generator.model.corpus import ArticleEntry, Assertion, Corpus, TimelineEntry
from generator.render.paging import PREVIEW
from generator.render.text import RELATION_WORDS, date_text, link


def actor_events_page(corpus: Corpus, actor_id: str) -> str:
    """Where all of an actor's events are: its own timeline pages when its profile shows
    only the latest of them, else the profile's Timeline section."""
    if len(corpus.events_of_actor.get(actor_id, [])) > PREVIEW:
        return addresses.actor_list_page(actor_id, "timeline")
    return addresses.actor_page(actor_id) + "#timeline"


def tag_events_page(corpus: Corpus, tag: str) -> str:
    """Where all of a tag's events are: its own timeline pages, or its page's section."""
    if len(corpus.tag_timeline(tag)) > PREVIEW:
        return addresses.tag_timeline_page(tag)
    return addresses.tag_page(tag) + "#timeline"


def actor_link(corpus: Corpus, actor_id: str, here: str) -> str:
    return link(escape(corpus.actors[actor_id].data.name), addresses.actor_page(actor_id), here)


def briefing_item(
    corpus: Corpus, article: ArticleEntry, here: str, detail: str | None = None
) -> str:
    """A briefing in a list: its date and linked title, and under them `detail` (plain text:
    its first key point, or what an actor did in it)."""
    data = article.data
    line = f"- {date_text(data.published, data.published_circa)}: "
    line += article_link(corpus, article.id, here)
    return listing(line + (f"  \n  {escape(detail)}" if detail is not None else ""))


def article_link(corpus: Corpus, article_id: str, here: str) -> str:
    return link(
        escape(corpus.articles[article_id].data.title), addresses.article_page(article_id), here
    )


LISTING = "bs-listing"
"""The class of what a page lists from other pages (an actor's appearances, related
briefings, the latest events...): generator/publish/search.py leaves it out of the search index,
where it would only repeat the pages it comes from."""


def listing(item: str) -> str:
    """A Markdown list item marked as a LISTING."""
    return f"{item}\n  {{ .{LISTING} }}"


def quotation(text: str, by: str, *, listed: bool = False) -> str:
    """A quote (plain text) and who said it where (Markdown) below it. The attribution is a
    paragraph after the blockquote, as HTML wants it, which also keeps two quotes in a row
    from running into one blockquote (Markdown joins adjacent ones). `listed`: a LISTING
    (an actor's quotes, which their briefings hold)."""
    if listed:
        return f"> “{escape(text)}”\n> {{ .{LISTING} }}\n\n— {by}\n{{ .bs-quote-by .{LISTING} }}"
    return f"> “{escape(text)}”\n\n— {by}\n{{ .bs-quote-by }}"


def actor_list(corpus: Corpus, actor_ids: tuple[str, ...] | list[str], here: str) -> str:
    return ", ".join(actor_link(corpus, a, here) for a in actor_ids)


def relation_line(
    corpus: Corpus,
    assertion: Assertion,
    here: str,
    *,
    source: bool = False,
    attributed: bool = True,
) -> str:
    """`- A → supplies → B`, with the note, who claims it (unless not `attributed`: in a
    list of one actor's claims) and (on actor pages) the briefing asserting it."""
    relation = assertion.relation
    arrow = "↔" if assertion.symmetric else "→"
    words = RELATION_WORDS[relation.relation]
    text = (
        f"- {actor_link(corpus, relation.subject, here)} {arrow} **{words}** {arrow} "
        f"{actor_link(corpus, relation.object, here)}"
    )
    if relation.since:
        text += f" (since {date_text(relation.since)})"
    if relation.note:
        text += f": {escape(relation.note)}"
    if attributed:
        text += according_to(corpus, relation.according_to, here)
    if source:
        text += f" · *{article_link(corpus, assertion.article.id, here)}*"
        return listing(text)
    return text


PRECISION_BADGES = {"year": "year only", "month": "month only"}


def according_to(corpus: Corpus, actor_ids: Sequence[str], here: str) -> str:
    """` (according to KCNA)`: who makes a claim, linked; nothing when no one is named."""
    if not actor_ids:
        return ""
    return f" *(according to {actor_list(corpus, list(actor_ids), here)})*"


def date_basis(basis: str, note: str | None) -> str:
    """Where a date comes from, in words (nothing when the article states it): Markdown."""
    if basis == "outside":
        return f"date from outside the article: {escape(note or '')}"
    if basis == "inferred":  # a note may say how it was worked out
        return "inferred from the article" + (f": {escape(note)}" if note else "")
    return ""


BADGE_TITLES = {
    "article": (
        "The sources give this date to the {}",
        "The sources give this date as approximate",
    ),
    "inferred": (
        "Inferred from the article, to the {}",
        "Inferred from the article as approximate",
    ),
    "outside": (
        "From outside the article, to the {}",
        "This date from outside the article is approximate",
    ),
}
"""Each badge's title by where the date comes from (`schema.DATE_BASES`): only a date the
article states is credited to the sources."""


def date_badges(date: PartialDate, circa: bool, basis: str) -> str:
    """How exact a date is, visibly: a badge for a year or a month without a day, one for an
    approximate date, each titled with where the date comes from."""
    precision_title, circa_title = BADGE_TITLES[basis]
    badges = []
    if date.precision in PRECISION_BADGES:
        title = precision_title.format(date.precision)
        badges.append(
            f'<span class="bs-badge bs-badge--{date.precision}" title="{title}">'
            f"{PRECISION_BADGES[date.precision]}</span>"
        )
    if circa:
        badges.append(
            f'<span class="bs-badge bs-badge--circa" title="{circa_title}">approximate</span>'
        )
    return "".join(f" {badge}" for badge in badges)


def event_date(date: PartialDate, circa: bool, basis: str) -> str:
    """An event's date in bold at its own precision, with its badges: Markdown."""
    return f"**{date_text(date, circa)}**{date_badges(date, circa, basis)}"


def timeline_item(
    corpus: Corpus,
    entry: TimelineEntry,
    here: str,
    *,
    sources: bool = True,
    filterable: bool = False,
    listed: bool = False,
    more: str = "",
) -> str:
    """One event as a list item: date and how exact it is, what, where, actors and the
    briefings reporting it, then `more` (a line of Markdown). `filterable` adds the actors
    and tags the timeline filter reads (ids and tags are slugs: safe in an attribute);
    `listed` marks it a LISTING (an event shown on a page other than its briefings')."""
    text = f"- {event_date(entry.date, entry.circa, entry.basis)}  \n  {escape(entry.what)}"
    if entry.where:
        text += f" ({escape(entry.where)})"
    text += according_to(corpus, entry.according_to, here)
    if entry.basis != "article":
        text += f"  \n  *{date_basis(entry.basis, entry.note)}*"
    if entry.actors:
        text += f"  \n  Actors: {actor_list(corpus, entry.actors, here)}"
    if sources:
        names = ", ".join(article_link(corpus, s.id, here) for s in entry.sources)
        label = "Source" if len(entry.sources) == 1 else "Sources"
        text += f"  \n  {label}: {names}"
    if more:
        text += f"  \n  {more}"
    attributes = ".bs-event" + (f" .{LISTING}" if listed else "")
    if filterable:
        tags = dict.fromkeys(t for s in entry.sources for t in s.data.tags)
        attributes += f' data-actors="{" ".join(entry.actors)}" data-tags="{" ".join(tags)}"'
        if entry.according_to:
            attributes += f' data-claimants="{" ".join(entry.according_to)}"'
    return text + f"\n  {{ {attributes} }}"


def timeline_span(entries: Sequence[TimelineEntry]) -> str:
    """The dates a page of events (oldest first) covers: `March 2019 to 2021`."""
    if not entries:
        return ""
    return _span(entries[0].date.display(), entries[-1].date.display())


def published_span(articles: Sequence[ArticleEntry]) -> str:
    """The publication dates a page of briefings (newest first) covers."""
    if not articles:
        return ""
    return _span(articles[0].data.published.display(), articles[-1].data.published.display())


def _span(first: str, last: str) -> str:
    return first if first == last else f"{first} to {last}"
