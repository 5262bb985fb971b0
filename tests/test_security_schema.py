"""Issue 11, what the schema accepts: reserved ids (4), characters that break pages (5) and
lenient parsing (6), in every field of both kinds of file, with exact messages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel

from generator.addresses import RESERVED_IDS
from generator.build import generate, load_model
from generator.characters import shown
from generator.data import formats, schema
from generator.data.json_schema import json_schema
from generator.problems import DataError
from tests.conftest import ROOT, run_cli

ARTICLE = "briefings/articles/full.yaml"
ACTOR = "briefings/actors/full-actor.yaml"
RESERVED_RULE = (
    "it is a fixed part of the site's addresses (reserved: actors, all, api, assets, "
    "briefings, claims, feeds, fields, guide, images, index, page, pagefind, quotes, relations, "
    "stix-bundle, tags, timeline)"
)


class Plain(str):
    """A scalar written as it is (a date, a number), not in quotes."""


def article() -> dict[str, Any]:
    """An article with every field."""
    return {
        "title": "A title",
        "published": Plain("2024-03-05"),
        "published_circa": True,
        "published_basis": "outside",
        "published_note": "From the outlet's archive.",
        "source": {
            "outlet": "Test Wire",
            "author": ["A. Writer"],
            "url": "https://example.org/a",
            "language": "en",
        },
        "summary": "One paragraph.\n\nAnother\tone.",
        "key_points": [{"text": "A claim.", "according_to": ["other"]}, "A point."],
        "actors": [{"actor": "full-actor", "role": "Spoke."}, {"actor": "other", "role": "Met."}],
        "events": [
            {
                "date": Plain("2024-03"),
                "what": "A meeting.",
                "actors": ["full-actor"],
                "where": "A place",
                "circa": True,
                "id": "a-meeting",
                "date_basis": "outside",
                "date_note": "From the agency's report.",
                "according_to": ["other"],
            }
        ],
        "relations": [
            {
                "subject": "full-actor",
                "relation": "leads",
                "object": "other",
                "note": "A note.",
                "since": Plain("2020"),
                "according_to": ["other"],
            }
        ],
        "quotes": [{"text": "Words.", "by": "full-actor", "context": "At a place."}],
        "outlook": ["More to come."],
        "tags": ["trade"],
        "editor_note": "A note from the editors.",
        "former_ids": ["old-full"],
    }


def actor() -> dict[str, Any]:
    """An actor with every field."""
    return {
        "name": "Full Actor",
        "kind": "person",
        "summary": "A person.",
        "aliases": ["F. A."],
        "country": "other",
        "born": Plain("1970-01-02"),
        "born_circa": False,
        "positions": [
            {"title": "Leader", "of": "other", "since": Plain("2020"), "until": Plain("2021-05")}
        ],
        "links": [{"title": "Profile", "url": "https://example.org/p"}],
        "wikidata": "Q42",
        "former_ids": ["old-actor"],
    }


OTHER = 'name: Other\nkind: state\nsummary: "A state."\n'


def quoted(text: str) -> str:
    """A YAML double-quoted string of any text: what YAML cannot hold as it is, escaped."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif (code < 0xA0 and not 0x20 <= code < 0x7F) or not char.isprintable():
            out.append(f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


@dataclass
class Written:
    """A document written as block YAML, with the line and column of each value and key."""

    lines: list[str] = field(default_factory=list)
    places: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)
    key_places: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def node(self, value: Any, indent: int, loc: tuple[Any, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                name = key if key.isidentifier() and key.isascii() else quoted(key)
                prefix = " " * indent + name + ":"
                self.key_places[(*loc, key)] = (len(self.lines) + 1, indent + 1)
                self.item(prefix, item, indent, (*loc, key))
        else:
            for index, item in enumerate(value):
                self.item(" " * indent + "-", item, indent, (*loc, index))

    def item(self, prefix: str, value: Any, indent: int, loc: tuple[Any, ...]) -> None:
        if isinstance(value, dict | list) and value:
            self.lines.append(prefix)
            self.node(value, indent + 2, loc)
            return
        self.places[loc] = (len(self.lines) + 1, len(prefix) + 2)
        self.lines.append(f"{prefix} {scalar(value)}")


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Plain):
        return str(value)
    if isinstance(value, list | dict):
        return "[]" if isinstance(value, list) else "{}"
    return quoted(str(value))


def written(data: dict[str, Any]) -> Written:
    out = Written()
    out.node(data, 0, ())
    return out


def project(root: Path, art: dict[str, Any], act: dict[str, Any]) -> tuple[Written, Written]:
    docs = written(art), written(act)
    for path, doc in zip((ARTICLE, ACTOR), docs, strict=True):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(doc.text(), encoding="utf-8")
    (root / "briefings/actors/other.yaml").write_text(OTHER, encoding="utf-8")
    return docs


def problems(root: Path) -> list[str]:
    try:
        load_model(root)
    except DataError as error:
        return [str(p) for p in error.problems]
    return []


def set_at(data: Any, loc: tuple[Any, ...], value: Any) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def label(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


# Every value of both kinds (the boolean switches aside), declared text or not.
ARTICLE_VALUES = [
    ("title",),
    ("published",),
    ("source", "outlet"),
    ("source", "author", 0),
    ("source", "url"),
    ("source", "language"),
    ("summary",),
    ("published_basis",),
    ("published_note",),
    ("key_points", 0, "text"),
    ("key_points", 0, "according_to", 0),
    ("actors", 0, "actor"),
    ("actors", 0, "role"),
    ("events", 0, "date"),
    ("events", 0, "what"),
    ("events", 0, "actors", 0),
    ("events", 0, "where"),
    ("events", 0, "id"),
    ("events", 0, "date_basis"),
    ("events", 0, "date_note"),
    ("events", 0, "according_to", 0),
    ("relations", 0, "subject"),
    ("relations", 0, "relation"),
    ("relations", 0, "object"),
    ("relations", 0, "note"),
    ("relations", 0, "since"),
    ("relations", 0, "according_to", 0),
    ("quotes", 0, "text"),
    ("quotes", 0, "by"),
    ("quotes", 0, "context"),
    ("outlook", 0),
    ("tags", 0),
    ("editor_note",),
    ("former_ids", 0),
]
ACTOR_VALUES = [
    ("name",),
    ("kind",),
    ("summary",),
    ("aliases", 0),
    ("country",),
    ("born",),
    ("positions", 0, "title"),
    ("positions", 0, "of"),
    ("positions", 0, "since"),
    ("positions", 0, "until"),
    ("links", 0, "title"),
    ("links", 0, "url"),
    ("wikidata",),
    ("former_ids", 0),
]
VALUES = [("article", loc) for loc in ARTICLE_VALUES] + [("actor", loc) for loc in ACTOR_VALUES]


def _leaves(model: type[BaseModel], loc: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    for name, info in model.model_fields.items():
        annotation = info.annotation
        inner = schema._inner_model(annotation)
        here = (*loc, name)
        if "list[" in str(annotation):
            here = (*here, 0)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from _leaves(inner, here)
        elif "bool" not in str(annotation):
            yield here


def test_the_cases_cover_every_field_of_both_kinds() -> None:
    assert sorted(_leaves(schema.Article)) == sorted(ARTICLE_VALUES)
    assert sorted(_leaves(schema.Actor)) == sorted(ACTOR_VALUES)


def test_the_full_documents_are_valid(tmp_path: Path) -> None:
    project(tmp_path, article(), actor())
    assert problems(tmp_path) == []


# --- 5. characters that break pages ------------------------------------------------------

BAD_CHARACTERS = [
    ("\ud800", "the lone surrogate U+D800"),
    ("\udfff", "the lone surrogate U+DFFF"),
    ("\ufffe", "the noncharacter U+FFFE"),
    ("\uffff", "the noncharacter U+FFFF"),
    ("\ufdd0", "the noncharacter U+FDD0"),
    ("\U0001fffe", "the noncharacter U+1FFFE"),
    ("\U0010ffff", "the noncharacter U+10FFFF"),
    ("\x00", "the control character U+0000"),
    ("\x01", "the control character U+0001"),
    ("\r", "the control character U+000D"),
    ("\x1b", "the control character U+001B"),
    ("\x7f", "the control character U+007F"),
    ("\x85", "the control character U+0085"),
    ("\x9b", "the control character U+009B"),
]


def _document(kind: str, loc: tuple[Any, ...], value: Any) -> tuple[dict[str, Any], ...]:
    art, act = article(), actor()
    set_at(art if kind == "article" else act, loc, value)
    return art, act


@pytest.mark.parametrize(("kind", "loc"), VALUES, ids=[f"{k}:{label(loc)}" for k, loc in VALUES])
def test_a_lone_surrogate_is_refused_in_every_field(
    tmp_path: Path, kind: str, loc: tuple[Any, ...]
) -> None:
    """Before: accepted (a build traceback), or a traceback of `validate` itself."""
    art, act = _document(kind, loc, "x\ud800y")
    docs = project(tmp_path, art, act)
    doc, path = (docs[0], ARTICLE) if kind == "article" else (docs[1], ACTOR)
    line, column = doc.places[loc]
    assert problems(tmp_path) == [
        f"{path}:{line}:{column}: error: `{label(loc)}`: the lone surrogate U+D800 "
        "is not allowed: remove it"
    ]


@pytest.mark.parametrize(("char", "what"), BAD_CHARACTERS)
@pytest.mark.parametrize(
    ("kind", "loc"),
    [("article", ("title",)), ("article", ("summary",)), ("actor", ("aliases", 0))],
)
def test_every_character_no_text_may_hold_is_refused(
    tmp_path: Path, kind: str, loc: tuple[Any, ...], char: str, what: str
) -> None:
    art, act = _document(kind, loc, f"Text {char} here")
    docs = project(tmp_path, art, act)
    doc, path = (docs[0], ARTICLE) if kind == "article" else (docs[1], ACTOR)
    line, column = doc.places[loc]
    assert problems(tmp_path) == [
        f"{path}:{line}:{column}: error: `{label(loc)}`: {what} is not allowed: remove it"
    ]


@pytest.mark.parametrize(
    ("char", "what"),
    [("\ufdd0", "the noncharacter U+FDD0"), ("\U0001fffe", "the noncharacter U+1FFFE")],
)
def test_a_noncharacter_written_as_it_is_is_refused(tmp_path: Path, char: str, what: str) -> None:
    """YAML takes these unescaped: the quick test for a file without a backslash sees them."""
    art = article()
    art["summary"] = "One paragraph."
    docs = project(tmp_path, art, actor())
    text = docs[0].text().replace('title: "A title"', f"title: A {char} title")
    assert "\\" not in text
    (tmp_path / ARTICLE).write_text(text, encoding="utf-8")
    line, column = docs[0].places[("title",)]
    assert problems(tmp_path) == [
        f"{ARTICLE}:{line}:{column}: error: `title`: {what} is not allowed: remove it"
    ]


def test_tabs_line_breaks_and_visible_text_of_any_script_stay_allowed(tmp_path: Path) -> None:
    art = article()
    art["summary"] = "First\tparagraph.\n\nSecond, 김정은 שלום 👩‍👩‍👧\u200d\u200e\u00ad."
    art["title"] = "Title\u2028with a line separator"
    project(tmp_path, art, actor())
    assert problems(tmp_path) == []


def test_a_key_or_an_unknown_value_holding_one_is_refused(tmp_path: Path) -> None:
    art = article()
    art["ti\x01tle"] = "x"
    art["extra"] = "\ufffe"
    art["source"]["\ud800"] = "y"
    doc, _ = project(tmp_path, art, actor())
    key = doc.key_places[("ti\x01tle",)]
    source_key = doc.key_places[("source", "\ud800")]
    extra = doc.places[("extra",)]
    assert problems(tmp_path) == sorted(
        [
            f"{ARTICLE}:{key[0]}:{key[1]}: error: the key `ti\\u0001tle`: the control character "
            "U+0001 is not allowed: remove it",
            f"{ARTICLE}:{source_key[0]}:{source_key[1]}: error: the key `\\ud800`: the lone "
            "surrogate U+D800 is not allowed: remove it",
            f"{ARTICLE}:{extra[0]}:{extra[1]}: error: `extra`: the noncharacter U+FFFE is not "
            "allowed: remove it",
        ]
    )


def test_a_surrogate_in_an_actor_reference_hides_no_other_error(tmp_path: Path) -> None:
    art = article()
    art["actors"][0]["actor"] = "full\ud800actor"
    art["title"] = ""
    art["quotes"][0]["by"] = "nobody"
    doc, _ = project(tmp_path, art, actor())
    at = {loc: doc.places[loc] for loc in [("title",), ("actors", 0, "actor"), ("quotes", 0, "by")]}
    assert problems(tmp_path) == [
        f"{ARTICLE}:{at[('title',)][0]}:{at[('title',)][1]}: error: `title`: must not be empty",
        f"{ARTICLE}:{at[('actors', 0, 'actor')][0]}:{at[('actors', 0, 'actor')][1]}: error: "
        "`actors[0].actor`: the lone surrogate U+D800 is not allowed: remove it",
        f"{ARTICLE}:{at[('quotes', 0, 'by')][0]}:{at[('quotes', 0, 'by')][1]}: error: "
        "`quotes[0].by`: unknown actor `nobody`",
    ]


@pytest.mark.parametrize(
    ("loc", "value", "message"),
    [
        (
            ("actors", 0, "actor"),
            "full\u200bactor",
            "`actors[0].actor`: invalid actor id `full\\u200bactor`; did you mean `full-actor`?",
        ),
        (
            ("tags", 0),
            "tr\u00a0ade",
            "`tags[0]`: invalid tag `tr\\u00a0ade`: use up to 80 lowercase "
            "letters a-z, digits and single hyphens",
        ),
        (
            ("events", 0, "id"),
            "a\u2066meeting",
            f"`events[0].id`: invalid id `a\\u2066meeting`: {formats.ID_RULE}",
        ),
        (
            ("relations", 0, "relation"),
            "leads\u202e",
            "unknown relation type `leads\\u202e`; did you mean `leads`? (expected one of: "
            + ", ".join(formats.RELATIONS)
            + ")",
        ),
        (
            ("source", "language"),
            "en\ufeff",
            "`source.language`: `en\\ufeff` is not a BCP 47 language tag such as `en` or `ko-KR`",
        ),
    ],
)
def test_messages_show_what_a_reader_cannot_see_escaped(
    tmp_path: Path, loc: tuple[Any, ...], value: str, message: str
) -> None:
    art = article()
    set_at(art, loc, value)
    doc, _ = project(tmp_path, art, actor())
    line, column = doc.places[loc]
    assert problems(tmp_path) == [f"{ARTICLE}:{line}:{column}: error: {message}"]


def test_an_unknown_key_that_looks_known_shows_escaped(tmp_path: Path) -> None:
    act = actor()
    act["wiki\u200bdata"] = act.pop("wikidata")
    _, doc = project(tmp_path, article(), act)
    line, column = doc.key_places[("wiki\u200bdata",)]
    assert problems(tmp_path) == [
        f"{ACTOR}:{line}:{column}: error: unknown field `wiki\\u200bdata`; did you mean `wikidata`?"
    ]


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_no_output_format_crashes_on_a_surrogate(tmp_path: Path, fmt: str) -> None:
    """Before: a traceback (pydantic cannot report the value; stdout cannot encode it)."""
    art = article()
    art["actors"][0]["actor"] = "full\ud800actor"
    project(tmp_path, art, actor())
    odd_name = tmp_path / "briefings" / "actors" / "b\udcffad.yaml"  # not UTF-8 on disk
    odd_name.write_text(OTHER, encoding="utf-8")
    result = run_cli("--root", tmp_path, "validate", "--format", fmt)
    assert result.code == 1
    assert "Traceback" not in result.stderr
    out = result.stdout + result.stderr
    assert "the lone surrogate U+D800 is not allowed" in out
    assert "invalid id `b\\udcffad` (the file name)" in out.replace("\\\\", "\\")
    if fmt == "json":
        assert len(json.loads(result.stdout)["problems"]) == 2


def test_build_refuses_a_noncharacter_in_a_title(tmp_path: Path) -> None:
    """Before: MkDocs dropped the page's front matter and the title's Markdown went live."""
    art = article()
    art["title"] = "\ufffe![x](https://evil.example/x.png)"
    doc, _ = project(tmp_path, art, actor())
    result = run_cli("--root", tmp_path, "build")
    line, column = doc.places[("title",)]
    assert result.code == 1
    assert "Traceback" not in result.stderr
    assert (
        f"{ARTICLE}:{line}:{column}: error: `title`: the noncharacter U+FFFE is not allowed: "
        "remove it"
    ) in result.stderr
    assert not (tmp_path / "site").exists()


def test_shown_escapes_only_what_a_reader_cannot_see() -> None:
    assert shown("김정은 a-b") == "김정은 a-b"
    assert shown("a\u200bb\tc\n\x00\ud800\U000e0001") == "a\\u200bb\\tc\\n\\u0000\\ud800\\U000e0001"


# --- 4. reserved ids ---------------------------------------------------------------------


def test_the_reserved_ids_are_every_fixed_segment_of_the_site(tmp_path: Path) -> None:
    """Every folder and file name of the generated docs that is not an id, a tag or a page
    number is reserved (derived from addresses.py; checked here against what a build
    writes), and the list holds the issue's examples."""
    art = article()
    art["tags"] = ["trade"]
    project(tmp_path, art, actor())
    corpus, _ = generate(tmp_path)
    names = set(corpus.articles) | set(corpus.actors) | set(corpus.tags)
    names |= {old for a in corpus.articles.values() for old in a.data.former_ids}
    names |= {old for a in corpus.actors.values() for old in a.data.former_ids}
    docs = tmp_path / "build" / "docs"
    paths = [file.relative_to(docs).parts for file in docs.rglob("*") if file.is_file()]
    # what is copied into assets/ and images/ is no address an id could take
    segments = {
        part.split(".", 1)[0]
        for parts in paths
        for part in (parts[:1] if parts[0] in ("assets", "images") else parts)
    }
    fixed = {s for s in segments if s not in names and not s.isdigit()}
    assert fixed <= RESERVED_IDS, fixed - RESERVED_IDS
    issue = {"index", "page", "feeds", "api", "briefings", "quotes", "relations", "timeline"}
    assert issue | {"actors", "tags", "guide", "assets", "pagefind"} <= RESERVED_IDS


def test_the_guide_lists_every_reserved_id() -> None:
    guide = (ROOT / "docs/guide/index.md").read_text(encoding="utf-8")
    start = guide.index("The names of the site's own pages")
    listed = set(re.findall(r"`([a-z-]+)`", guide[start : guide.index("2. Create", start)]))
    assert listed == set(RESERVED_IDS)


@pytest.mark.parametrize("name", sorted(RESERVED_IDS))
def test_a_reserved_file_name_is_refused(tmp_path: Path, name: str) -> None:
    """Before: briefings/articles/index.yaml replaced the list of briefings."""
    project(tmp_path, article(), actor())
    (tmp_path / "briefings/articles" / f"{name}.yaml").write_text(
        written(article()).text(), encoding="utf-8"
    )
    (tmp_path / "briefings/actors" / f"{name}.yaml").write_text(OTHER, encoding="utf-8")
    found = problems(tmp_path)
    assert (
        f"briefings/actors/{name}.yaml:1:1: error: reserved id `{name}` (the file name): "
        f"{RESERVED_RULE}" in found
    )
    assert (
        f"briefings/articles/{name}.yaml:1:1: error: reserved id `{name}` (the file name): "
        f"{RESERVED_RULE}" in found
    )


@pytest.mark.parametrize(
    ("kind", "loc", "what"),
    [
        ("article", ("former_ids", 0), "id"),
        ("actor", ("former_ids", 0), "id"),
        ("article", ("tags", 0), "tag"),
    ],
)
@pytest.mark.parametrize("name", ["index", "page", "feeds", "timeline", "quotes"])
def test_a_reserved_former_id_or_tag_is_refused_at_its_place(
    tmp_path: Path, kind: str, loc: tuple[Any, ...], what: str, name: str
) -> None:
    """Before: `former_ids: [index]` wrote a redirect over the list; a tag `page` took
    /tags/page/."""
    docs = project(tmp_path, *_document(kind, loc, name))
    doc, path = (docs[0], ARTICLE) if kind == "article" else (docs[1], ACTOR)
    line, column = doc.places[loc]
    assert problems(tmp_path) == [
        f"{path}:{line}:{column}: error: `{label(loc)}`: reserved {what} `{name}`: {RESERVED_RULE}"
    ]


def test_an_event_id_is_no_address_and_may_be_any_id(tmp_path: Path) -> None:
    art = article()
    art["events"][0]["id"] = "timeline"
    project(tmp_path, art, actor())
    assert problems(tmp_path) == []


@pytest.mark.parametrize("kind", ["article", "actor"])
@pytest.mark.parametrize("name", ["index", "page", "api"])
def test_new_refuses_a_reserved_id(tmp_path: Path, kind: str, name: str) -> None:
    (tmp_path / "briefings").mkdir()
    result = run_cli("--root", tmp_path, "new", kind, name)
    assert result.code == 2
    assert result.stderr.endswith(
        f"python -m generator new: error: argument id: reserved id `{name}`: {RESERVED_RULE}\n"
    )
    assert not any((tmp_path / "briefings").rglob("*.yaml"))


def test_new_shows_an_invisible_character_of_an_id(tmp_path: Path) -> None:
    result = run_cli("--root", tmp_path, "new", "article", "ab\u200bc")
    assert result.code == 2
    assert "invalid id `ab\\u200bc`" in result.stderr


def test_the_json_schema_refuses_reserved_tags_and_former_ids() -> None:
    article_schema, actor_schema = json_schema("article"), json_schema("actor")
    good = {**json.loads(json.dumps(_plain(article())))}
    jsonschema.validate(good, article_schema)
    for key in ("tags", "former_ids"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**good, key: ["index"]}, article_schema)
    good_actor = json.loads(json.dumps(_plain(actor())))
    jsonschema.validate(good_actor, actor_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**good_actor, "former_ids": ["page"]}, actor_schema)


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return str(data) if isinstance(data, Plain) else data


# --- 6. lenient parsing -------------------------------------------------------------------

DATE_RULE = "expected a date written YYYY-MM-DD, YYYY-MM or YYYY"


@pytest.mark.parametrize(
    "spelling",
    [
        "0x7e8",
        "2_024",
        "+2024",
        "0o3720",
        "03750",
        "2024.0",
        "33:44",
        "0b11111101000",
        "\uff12\uff10\uff12\uff13-\uff10\uff19",
        '"\uff12\uff10\uff12\uff14"',
        "2024-9-5",
        '"2024-09-05\\n"',
        '" 2024"',
        "2024-09-05T10:00:00",
    ],
)
@pytest.mark.parametrize("loc", [("published",), ("events", 0, "date"), ("relations", 0, "since")])
def test_only_plain_dates_are_dates(tmp_path: Path, loc: tuple[Any, ...], spelling: str) -> None:
    """Before: 0x7e8, 2_024, +2024, 03750, 33:44, 0b... were the year 2024, full-width digits
    a date, 2024-9-5 the 5th of September."""
    docs = project(tmp_path, *_document("article", loc, Plain(spelling)))
    line, column = docs[0].places[loc]
    rule = DATE_RULE
    if "T" in spelling:
        rule = "a date has no time of day: write 2024-09-05"
    assert problems(tmp_path) == [f"{ARTICLE}:{line}:{column}: error: `{label(loc)}`: {rule}"]


@pytest.mark.parametrize(
    ("spelling", "iso"),
    [
        ("2024", "2024"),
        ("2024-09", "2024-09"),
        ("2024-09-05", "2024-09-05"),
        ('"2024-09-05"', "2024-09-05"),
        ("0777", "0777"),  # a year written with four digits, not an octal number
        ("0999", "0999"),
    ],
)
def test_plain_dates_stay_dates(tmp_path: Path, spelling: str, iso: str) -> None:
    project(tmp_path, *_document("article", ("published",), Plain(spelling)))
    corpus = load_model(tmp_path)
    assert corpus.articles["full"].data.published.iso() == iso


def test_a_number_written_oddly_in_a_text_field_stays_as_written(tmp_path: Path) -> None:
    art = article()
    art["key_points"] = [Plain("0x10"), Plain("+5"), Plain("1_000")]
    project(tmp_path, art, actor())
    corpus = load_model(tmp_path)
    assert [p.text for p in corpus.articles["full"].data.key_points] == ["0x10", "+5", "1_000"]


URL_BASE = "is not an http:// or https:// URL"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://user@a.example/x", ": it must not carry a user name or password (`user@`)"),
        ("https://user:pw@a.example/", ": it must not carry a user name or password (`user@`)"),
        ("https://a.example:99999/", ": its port `99999` is not a number from 1 to 65535"),
        ("https://a.example:0/", ": its port `0` is not a number from 1 to 65535"),
        ("https://a.example:8o/", ": its port `8o` is not a number from 1 to 65535"),
        ("https://a.example:/", ": its port `` is not a number from 1 to 65535"),
        (
            "https://a.example:\uff18\uff10/",
            ": its port `\uff18\uff10` is not a number from 1 to 65535",
        ),
        ("https://a.exa\u200bmple/", ": it holds U+200B, which a URL cannot"),
        ("https://a.example/x\u202e", ": it holds U+202E, which a URL cannot"),
        ("https://a.example/x\u00a0y", ": it holds U+00A0, which a URL cannot"),
        ("https://a.example/a b", ": it holds U+0020, which a URL cannot"),
        ("https://a.example\\@b.example/", ": it holds `\\` U+005C, which a URL cannot"),
        ("https://a.example/x)<script>", ": it holds `<` U+003C, which a URL cannot"),
        ('https://a.example/"onload=', ': it holds `"` U+0022, which a URL cannot'),
        ("https://a.example/x){: style=x }", ": it holds `{` U+007B, which a URL cannot"),
        ("https://a.example/100%", ": a `%` must start a percent-encoded byte such as `%20`"),
        ("https://a.example/%zz", ": a `%` must start a percent-encoded byte such as `%20`"),
        ("https://a_b.example/", ": `a_b.example` is not a host name"),
        ("https://-a.example/", ": `-a.example` is not a host name"),
        ("https://a..example/", ": `a..example` is not a host name"),
        ("https://[::1/", ": `[::1` is not a host name"),
        ("https://[zz::1]/", ": `[zz::1]` is not a host name"),
        ("https:/a.example/", ""),
        ("https:///a.example/", ""),
        ("https://", ""),
        ("https://:80/", ""),
        ("HTTPS://a.example/", ""),
        ("javascript:alert(1)//https://a.example", ""),
        ("ftp://a.example/", ""),
        ("//a.example/", ""),
    ],
)
@pytest.mark.parametrize(
    ("kind", "loc"), [("article", ("source", "url")), ("actor", ("links", 0, "url"))]
)
def test_a_url_is_plain_http_or_https(
    tmp_path: Path, kind: str, loc: tuple[Any, ...], url: str, reason: str
) -> None:
    """Before: credentials, port 99999, zero-width and other characters were taken."""
    docs = project(tmp_path, *_document(kind, loc, url))
    doc, path = (docs[0], ARTICLE) if kind == "article" else (docs[1], ACTOR)
    line, column = doc.places[loc]
    message = f"`{label(loc)}`: `{shown(url)}` {URL_BASE}{reason}"
    assert problems(tmp_path) == [f"{path}:{line}:{column}: error: {message}"]


@pytest.mark.parametrize(
    "url",
    [
        "http://a.example",
        "https://a.example/",
        "https://a.example:8080/x?q=1&r=%20#frag",
        "https://en.wikipedia.org/wiki/Foo_(bar)",
        "https://ko.wikipedia.org/wiki/김정은",
        "https://bücher.example/",
        "https://xn--bcher-kva.example/",
        "https://127.0.0.1/",
        "https://[2001:db8::1]:443/x",
        "https://a.example/?a[]=1;b=2,c=3!*'",
        "https://a.example/~user/@name",
    ],
)
def test_plain_urls_stay_allowed(tmp_path: Path, url: str) -> None:
    project(tmp_path, *_document("article", ("source", "url"), url))
    assert problems(tmp_path) == []


@pytest.mark.parametrize(
    ("loc", "value", "message"),
    [
        (
            ("source", "language"),
            "\uff45\uff4e",
            "`source.language`: `\uff45\uff4e` is not a BCP 47 language tag such as `en` "
            "or `ko-KR`",
        ),
        (
            ("source", "language"),
            "en\n",
            "`source.language`: `en\\n` is not a BCP 47 language tag such as `en` or `ko-KR`",
        ),
        (
            ("tags", 0),
            "trade\n",
            "`tags[0]`: invalid tag `trade\\n`: use up to 80 lowercase letters a-z, "
            "digits and single hyphens",
        ),
        (
            ("tags", 0),
            "\uff12\uff10\uff12\uff14",
            "`tags[0]`: invalid tag `\uff12\uff10\uff12\uff14`: use up to 80 lowercase "
            "letters a-z, digits and single hyphens",
        ),
        (("former_ids", 0), "old\n", f"`former_ids[0]`: invalid id `old\\n`: {formats.ID_RULE}"),
        (
            ("events", 0, "id"),
            "\uff41b",
            f"`events[0].id`: invalid id `\uff41b`: {formats.ID_RULE}",
        ),
    ],
)
def test_other_formats_are_strict(
    tmp_path: Path, loc: tuple[Any, ...], value: str, message: str
) -> None:
    docs = project(tmp_path, *_document("article", loc, value))
    line, column = docs[0].places[loc]
    assert problems(tmp_path) == [f"{ARTICLE}:{line}:{column}: error: {message}"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Q42\n", "`wikidata`: `Q42\\n` is not a Wikidata id such as `Q56226`"),
        ("Q\uff14\uff12", "`wikidata`: `Q\uff14\uff12` is not a Wikidata id such as `Q56226`"),
    ],
)
def test_a_wikidata_id_is_strict(tmp_path: Path, value: str, message: str) -> None:
    _, doc = project(tmp_path, *_document("actor", ("wikidata",), value))
    line, column = doc.places[("wikidata",)]
    assert problems(tmp_path) == [f"{ACTOR}:{line}:{column}: error: {message}"]


def test_an_escape_beyond_unicode_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    """`"\\U00110000"` made PyYAML raise a ValueError, printed as a traceback."""
    (tmp_path / "briefings" / "actors").mkdir(parents=True)
    (tmp_path / "briefings" / "actors" / "zz.yaml").write_text(
        'name: "\\U00110000"\nkind: person\nsummary: s\n', encoding="utf-8"
    )
    result = run_cli("--root", tmp_path, "validate")
    assert result.code == 1
    assert result.stderr == (
        "briefings/actors/zz.yaml:1:10: error: invalid YAML: an escape names no character "
        "(the last is \\U0010FFFF)\n1 error in the data; nothing was written.\n"
    )


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("https://user:pw@e.org", "it must not carry a user name or password (`user@`)"),
        ("https://e.org:99999", "its port `99999` is not a number from 1 to 65535"),
    ],
)
def test_a_link_in_a_summary_follows_the_url_rules(tmp_path: Path, link: str, reason: str) -> None:
    """The links a summary keeps went to pages without the URL fields' checks (found by an
    attacking helper)."""
    art = article()
    art["summary"] = f"See [the report]({link})."
    project(tmp_path, art, actor())
    assert problems(tmp_path) == [
        f"briefings/articles/full.yaml:{_line_of(tmp_path, 'summary')}:10: error: `summary`: "
        f"`{link}` is not an http:// or https:// URL: {reason}"
    ]


def _line_of(root: Path, key: str) -> int:
    text = (root / "briefings" / "articles" / "full.yaml").read_text(encoding="utf-8")
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(f"{key}:"))
