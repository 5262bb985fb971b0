"""A deterministic synthetic corpus in the contract format (briefing-format.md).

Same seed and size, byte-identical files. Sizes and shapes follow the real data: an
article file of 3 to 10 KB (summary of 2 to 3 paragraphs, key points, 3 to 9 actors with
their roles, events with partial and approximate dates, some shared with other articles
through an event `id`, relations, quotes, outlook, tags), one actor for every four
articles (at least 40) whose mentions follow a Zipf law, so that a few actors appear in
half the briefings, as states and leaders do in real news. Actors carry aliases, among
them Korean (Hangul) names and acronyms.

Words come from a Zipf-weighted vocabulary of made-up words plus common English ones.
Three words are planted for the search benchmark: `RARE_WORD` in exactly one briefing,
`COMMON_WORD` in about nine briefings out of ten; `manifest()` names them with the pages
where they should be found, and an actor's Korean name and acronym.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.data.formats import RELATIONS

FORMAT_VERSION = 4  # bump when the output changes, so cached corpora are regenerated
SEED = 20240601
RARE_WORD = "quetzalcoatlite"
COMMON_WORD = "ceasefire"
COMMON_SHARE = 0.9

_ONSETS = (
    "b",
    "br",
    "ch",
    "d",
    "dr",
    "f",
    "g",
    "gr",
    "h",
    "j",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
    "s",
    "sh",
    "st",
    "t",
    "tr",
    "v",
    "w",
    "y",
    "z",
)
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ao", "ei", "ou", "ya", "yo")
_CODAS = ("", "", "", "n", "ng", "r", "l", "k", "m", "s", "t")
_ENGLISH_WORDS = (
    "the of and to in a on for with that by as at from said its has was were will after "
    "officials government military talks minister president forces border sanctions "
    "agreement security foreign defence nuclear missile troops leaders summit meeting "
    "statement report state media capital region economic trade aid support pressure "
    "crisis tension warned announced pledged accused denied visit week month year "
    "previous new former senior national international cooperation exercise launch "
    "negotiations envoy allies opposition parliament election protest army navy"
)
_ENGLISH = tuple(_ENGLISH_WORDS.split())
_RELATIONS = RELATIONS  # the contract's vocabulary, in its order (the seed depends on it)
_KINDS = (
    ("person",) * 5 + ("state",) * 2 + ("organisation", "military", "media", "alliance", "group")
)
_OUTLETS = (
    "Korea Herald",
    "Asia Times",
    "The Observer",
    "Daily Ledger",
    "Evening Post",
    "Wire Service",
    "Pacific Report",
    "Northern Courier",
)
_TITLES = (
    "Minister of Defence",
    "President",
    "Prime Minister",
    "Chair",
    "Spokesperson",
    "Chief of Staff",
    "Foreign Minister",
    "Ambassador",
    "Director",
    "Commander",
)


def _fill(paragraph: str) -> str:
    return textwrap.fill(paragraph, 88, break_long_words=False, break_on_hyphens=False)


def _hangul(rng: random.Random, syllables: int) -> str:
    return "".join(chr(0xAC00 + rng.randrange(11172)) for _ in range(syllables))


@dataclass(frozen=True)
class SharedEvent:
    id: str
    date: Any
    circa: bool
    what: str
    where: str | None


class _Writer:
    """Generates one corpus; every random choice comes from one seeded generator."""

    def __init__(self, articles: int, seed: int) -> None:
        self.rng = random.Random(f"{seed}:{articles}")
        self.count = articles
        made_up = sorted(
            {self._word() for _ in range(9000)} - set(_ENGLISH) - {RARE_WORD, COMMON_WORD}
        )
        self.rng.shuffle(made_up)
        self.words = list(_ENGLISH) + made_up
        # Zipf weights: the English words come first, so they are the frequent ones.
        self.cum_weights = list(
            itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(self.words)))
        )
        self.actors = self._actors(max(40, articles // 4))
        self.actor_ids = [actor_id for actor_id, _ in self.actors]
        self.states = [i for i, a in self.actors if a["kind"] == "state"]
        self.actor_weights = list(
            itertools.accumulate(1 / (rank + 1) for rank in range(len(self.actor_ids)))
        )
        self.tags = sorted(
            {self._slug(self._words(self.rng.randint(1, 2))) for _ in range(20 + articles // 25)}
        )
        self.tag_weights = list(
            itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(self.tags)))
        )
        self.shared = [self._shared_event(i) for i in range(max(10, articles // 3))]

    # ---- words -------------------------------------------------------------------

    def _word(self) -> str:
        return "".join(
            self.rng.choice(_ONSETS) + self.rng.choice(_VOWELS) + self.rng.choice(_CODAS)
            for _ in range(self.rng.randint(1, 3))
        )

    def _words(self, n: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum_weights, k=n)

    def _sentence(self, low: int = 8, high: int = 24, extra: str | None = None) -> str:
        words = self._words(self.rng.randint(low, high))
        if extra:
            words.insert(self.rng.randrange(len(words) + 1), extra)
        return " ".join(words).capitalize() + "."

    def _paragraph(self, sentences: int, extra: str | None = None) -> str:
        parts = [self._sentence() for _ in range(sentences)]
        if extra:
            parts[self.rng.randrange(len(parts))] = self._sentence(extra=extra)
        return " ".join(parts)

    @staticmethod
    def _slug(words: list[str]) -> str:
        return re.sub(r"-+", "-", "-".join(words).lower()).strip("-")

    def _name(self, words: int) -> str:
        return " ".join(w.capitalize() for w in self._made_up(words))

    def _made_up(self, n: int) -> list[str]:
        return [
            self.words[len(_ENGLISH) + self.rng.randrange(len(self.words) - len(_ENGLISH))]
            for _ in range(n)
        ]

    # ---- dates -------------------------------------------------------------------

    def _date(self, start: dt.date, end: dt.date, weights: tuple[int, int, int]) -> Any:
        """A date written as YAML would have it: a date, 'YYYY-MM' or a year."""
        day = start + dt.timedelta(days=self.rng.randrange(max(1, (end - start).days)))
        precision = self.rng.choices(("day", "month", "year"), weights=weights)[0]
        if precision == "day":
            return day
        if precision == "month":
            return f"{day.year:04d}-{day.month:02d}"
        return day.year

    # ---- actors ------------------------------------------------------------------

    def _actors(self, count: int) -> list[tuple[str, dict[str, Any]]]:
        actors: list[tuple[str, dict[str, Any]]] = []
        seen: set[str] = set()
        for index in range(count):
            kind = "state" if index % 6 == 0 else self.rng.choice(_KINDS)
            name = self._name(1 if kind == "state" else 2)
            if kind == "state":
                name = self.rng.choice(("Republic of ", "Kingdom of ", "")) + name
            actor_id = self._slug(name.split())[:70].strip("-") or "actor"
            if actor_id in seen or not actor_id[0].isalpha():
                actor_id = f"a-{actor_id}-{index}"
            seen.add(actor_id)
            actors.append((actor_id, {"name": name, "kind": kind}))
        states = [actor_id for actor_id, a in actors if a["kind"] == "state"]
        return [
            (actor_id, self._actor_fields(actor_id, data, states, index))
            for index, (actor_id, data) in enumerate(actors)
        ]

    def _actor_fields(
        self, actor_id: str, data: dict[str, Any], states: list[str], index: int
    ) -> dict[str, Any]:
        rng, kind, name = self.rng, data["kind"], data["name"]
        actor: dict[str, Any] = {
            "name": name,
            "kind": kind,
            "summary": self._paragraph(rng.randint(1, 3)),
        }
        aliases = []
        if index == 0 or rng.random() < 0.3:
            aliases.append(_hangul(rng, rng.randint(2, 4)))
        if index == 0 or rng.random() < 0.3:
            aliases.append("".join(w[0] for w in name.split()).upper() + "X" * (index == 0))
        if rng.random() < 0.3:
            aliases.append(self._name(2))
        if aliases:
            actor["aliases"] = aliases
        candidates = [s for s in states if s != actor_id]
        if kind != "state" and candidates and rng.random() < 0.7:
            actor["country"] = rng.choice(candidates)
        if kind == "person" and rng.random() < 0.6:
            actor["born"] = self._date(dt.date(1940, 1, 1), dt.date(1995, 1, 1), (6, 2, 2))
            if rng.random() < 0.2:
                actor["born_circa"] = True
        positions = []
        for _ in range(rng.choices((0, 1, 2, 3), weights=(5, 3, 2, 1))[0]):
            position: dict[str, Any] = {"title": rng.choice(_TITLES)}
            if candidates and rng.random() < 0.6:
                position["of"] = rng.choice(candidates)
            if rng.random() < 0.7:
                position["since"] = self._date(dt.date(2000, 1, 1), dt.date(2020, 1, 1), (3, 5, 2))
            positions.append(position)
        if positions:
            actor["positions"] = positions
        if rng.random() < 0.5:
            actor["links"] = [
                {
                    "title": "Encyclopedia entry",
                    "url": f"https://encyclopedia.example.org/wiki/{actor_id}",
                }
            ]
        if rng.random() < 0.5:
            actor["wikidata"] = f"Q{rng.randint(1, 99_999_999)}"
        return actor

    # ---- articles ----------------------------------------------------------------

    def _shared_event(self, index: int) -> SharedEvent:
        words = self._made_up(3)
        return SharedEvent(
            id=f"{self._slug(words)[:60].strip('-')}-{index}",
            date=self._date(dt.date(2014, 1, 1), dt.date(2025, 6, 1), (6, 3, 1)),
            circa=self.rng.random() < 0.1,
            what=self._sentence(8, 20),
            where=self._name(1) if self.rng.random() < 0.5 else None,
        )

    def _pick_actors(self, n: int) -> list[str]:
        """`n` different actors, the famous ones more often."""
        picked: dict[str, None] = {}
        while len(picked) < n:
            picked.update(
                dict.fromkeys(
                    self.rng.choices(
                        self.actor_ids, cum_weights=self.actor_weights, k=n - len(picked)
                    )
                )
            )
        return list(picked)

    def article(self, index: int) -> tuple[str, int, dict[str, Any]]:
        rng = self.rng
        title_words = self._words(rng.randint(6, 12))
        title = " ".join(title_words).capitalize()
        article_id = f"{self._slug(title_words)[:60].strip('-')}-{index}"
        if not article_id[0].isalpha():
            article_id = "b-" + article_id
        published = self._date(dt.date(2015, 1, 1), dt.date(2025, 6, 1), (85, 10, 5))
        year = published if isinstance(published, int) else int(str(published)[:4])
        extra = RARE_WORD if index == self.count // 2 else None
        common = COMMON_WORD if rng.random() < COMMON_SHARE else None
        paragraphs = [
            self._paragraph(rng.randint(3, 6), extra=common if i == 0 else None)
            for i in range(rng.randint(2, 3))
        ]
        if extra:
            paragraphs[-1] += " " + self._sentence(extra=extra)
        if rng.random() < 0.3:
            paragraphs[0] += (
                f" According to *{rng.choice(_OUTLETS)}*, "
                f"[the statement](https://news.example.org/{article_id}) "
                "was **widely reported**."
            )
        cast = self._pick_actors(rng.randint(3, 9))
        data: dict[str, Any] = {
            "title": title,
            "published": published,
            "source": self._source(),
            "summary": "\n\n".join(_fill(p) for p in paragraphs) + "\n",
            "key_points": [self._sentence() for _ in range(rng.randint(3, 7))],
            "actors": [{"actor": a, "role": self._sentence(6, 30)} for a in cast],
        }
        if rng.random() < 0.03:
            data["published_circa"] = True
        self._optional(data, cast, published)
        if rng.random() < 0.02:
            data["former_ids"] = [f"old-{article_id}"[:80].strip("-")]
        return article_id, year, data

    def _source(self) -> dict[str, Any]:
        rng = self.rng
        source: dict[str, Any] = {"outlet": rng.choice(_OUTLETS)}
        if rng.random() < 0.8:
            source["author"] = (
                self._name(2)
                if rng.random() < 0.8
                else [self._name(2) for _ in range(rng.randint(2, 3))]
            )
        if rng.random() < 0.7:
            source["url"] = f"https://news.example.org/{rng.randrange(10**9)}"
        if rng.random() < 0.1:
            source["language"] = "ko"
        return source

    def _optional(self, data: dict[str, Any], cast: list[str], published: Any) -> None:
        rng = self.rng
        events = [
            self._event(cast)
            for _ in range(rng.choices((0, 1, 2, 3, 4, 5), weights=(1, 3, 3, 2, 1, 1))[0])
        ]
        if events:
            data["events"] = events
        relations = []
        for _ in range(rng.choices((0, 1, 2, 3, 4), weights=(3, 3, 2, 1, 1))[0]):
            subject, obj = rng.sample(cast, 2)
            relation: dict[str, Any] = {
                "subject": subject,
                "relation": rng.choice(_RELATIONS),
                "object": obj,
            }
            if rng.random() < 0.5:
                relation["note"] = self._sentence(5, 15)
            relations.append(relation)
        if relations:
            data["relations"] = relations
        quotes = [
            {"text": self._sentence(8, 30), "by": rng.choice(cast)}
            for _ in range(rng.choices((0, 1, 2, 3), weights=(3, 3, 2, 1))[0])
        ]
        for quote in quotes:
            if rng.random() < 0.5:
                quote["context"] = self._sentence(4, 10)
        if quotes:
            data["quotes"] = quotes
        outlook = [
            self._sentence() for _ in range(rng.choices((0, 1, 2, 3), weights=(3, 3, 2, 1))[0])
        ]
        if outlook:
            data["outlook"] = outlook
        data["tags"] = sorted(
            set(rng.choices(self.tags, cum_weights=self.tag_weights, k=rng.randint(1, 4)))
        )

    def _event(self, cast: list[str]) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.35:
            shared = rng.choice(self.shared)
            event: dict[str, Any] = {
                "date": shared.date,
                "what": shared.what,
                "actors": rng.sample(cast, min(len(cast), 2)),
                "id": shared.id,
            }
            if shared.where:
                event["where"] = shared.where
            if shared.circa:
                event["circa"] = True
            return event
        event = {
            "date": self._date(dt.date(2010, 1, 1), dt.date(2025, 6, 1), (6, 3, 1)),
            "what": self._sentence(8, 24),
            "actors": rng.sample(cast, rng.randint(1, min(4, len(cast)))),
        }
        if rng.random() < 0.4:
            event["where"] = self._name(1)
        if rng.random() < 0.1:
            event["circa"] = True
        return event


class _Dumper(yaml.CSafeDumper):
    """Multi-line text as literal blocks (`|`), as editors write summaries."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=88,
        default_flow_style=False,
    )


def manifest_path(root: Path) -> Path:
    return root / "corpus.json"


def write_corpus(root: Path, articles: int, *, seed: int = SEED) -> dict[str, Any]:
    """Write `articles` briefings and their actors to root/briefings (replacing any there);
    return the manifest, also saved as root/corpus.json."""
    if root.exists():
        shutil.rmtree(root)
    writer = _Writer(articles, seed)
    actors_dir = root / "briefings" / "actors"
    actors_dir.mkdir(parents=True)
    for actor_id, actor in writer.actors:
        (actors_dir / f"{actor_id}.yaml").write_text(_dump(actor), encoding="utf-8")
    found_rare, common_pages, sizes = "", 0, []
    for index in range(articles):
        article_id, year, data = writer.article(index)
        folder = root / "briefings" / "articles" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        text = _dump(data)
        (folder / f"{article_id}.yaml").write_text(text, encoding="utf-8")
        sizes.append(len(text.encode("utf-8")))
        summary = data["summary"].lower()  # a sentence may start with the word
        found_rare = article_id if RARE_WORD in summary else found_rare
        common_pages += COMMON_WORD in summary
    first_id, first = writer.actors[0]
    manifest = {
        "format": FORMAT_VERSION,
        "seed": seed,
        "articles": articles,
        "actors": len(writer.actors),
        "article_bytes": {"mean": round(sum(sizes) / len(sizes)), "max": max(sizes)},
        "queries": {
            "rare": {"query": RARE_WORD, "page": f"briefings/{found_rare}/", "pages": 1},
            "common": {"query": COMMON_WORD, "pages": common_pages},
            "korean": {"query": first["aliases"][0], "page": f"actors/{first_id}/"},
            "alias": {"query": first["aliases"][1], "page": f"actors/{first_id}/"},
        },
    }
    manifest_path(root).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def ensure_corpus(root: Path, articles: int, *, seed: int = SEED) -> dict[str, Any]:
    """The corpus at `root`, written unless a complete one of this format is there."""
    try:
        manifest: dict[str, Any] = json.loads(manifest_path(root).read_text(encoding="utf-8"))
        if (manifest.get("format"), manifest.get("seed"), manifest.get("articles")) == (
            FORMAT_VERSION,
            seed,
            articles,
        ):
            return manifest
    except (OSError, ValueError):
        pass
    return write_corpus(root, articles, seed=seed)
