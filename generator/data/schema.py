"""The declared shape of article and actor files: fields, types, defaults, in one place.

Field descriptions here are the editor's documentation: the JSON Schema and the
editor's guide are generated from them.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
)

from generator.addresses import RESERVED_IDS
from generator.data.dates import DATE_PATTERN, DATE_RULE, PartialDate, parse_date
from generator.markup import links_in
from generator.problems import did_you_mean


@dataclass(frozen=True)
class Format:
    """A kind of text value, declared once: its name (`kind`, as the docs and skeletons call
    it), its pattern (the JSON Schema's, and the validator's own where it has one) and its
    rule in words (in `validate`'s messages and in editors' `patternErrorMessage`)."""

    kind: str
    pattern: str
    rule: str

    def matches(self, value: str) -> bool:
        return _compiled(self.pattern).fullmatch(value) is not None

    def json_schema(self, **extra: Any) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": self.pattern,
            **extra,
            "patternErrorMessage": self.rule,
        }


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)  # once: the validators run for every value of every file


TEXT = Format("text", r"\S", "must not be empty")
ID = Format(
    "id",
    r"^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$",
    "use 2 to 80 lowercase letters a-z, digits and single hyphens, starting with a letter",
)
TAG = Format(
    "tag",
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "use up to 80 lowercase letters a-z, digits and single hyphens",
)
URL = Format("url", "^https?://", "not an http:// or https:// URL")
DATE = Format("date", DATE_PATTERN, DATE_RULE)
LANGUAGE = Format(
    "language",
    "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
    "not a BCP 47 language tag such as `en` or `ko-KR`",
)
WIKIDATA = Format("wikidata", "^Q[1-9][0-9]*$", "not a Wikidata id such as `Q56226`")
FORMATS = (TEXT, ID, TAG, URL, DATE, LANGUAGE, WIKIDATA)
ID_PATTERN, ID_RULE, TAG_PATTERN = ID.pattern, ID.rule, TAG.pattern
RESERVED_RULE = "it is a fixed part of the site's addresses (reserved: {})".format(
    ", ".join(sorted(RESERVED_IDS))
)


@dataclass(frozen=True)
class RelationType:
    """One relation type of the fixed vocabulary, declared once: whether it holds both ways,
    and its family (how graphs colour it)."""

    name: str
    symmetric: bool
    family: Literal["cooperative", "hostile", "other"]

    @property
    def words(self) -> str:
        """How pages say it: `member-of` -> `member of`."""
        return self.name.replace("-", " ")

    @property
    def meaning(self) -> str:
        return (
            "symmetric: holds both ways" if self.symmetric else "directed: from subject to object"
        )


RELATION_TYPES = (
    RelationType("allied-with", True, "cooperative"),
    RelationType("cooperates-with", True, "cooperative"),
    RelationType("opposes", True, "hostile"),
    RelationType("negotiates-with", True, "other"),
    RelationType("supports", False, "cooperative"),
    RelationType("supplies", False, "cooperative"),
    RelationType("sanctions", False, "hostile"),
    RelationType("threatens", False, "hostile"),
    RelationType("leads", False, "other"),
    RelationType("member-of", False, "other"),
    RelationType("part-of", False, "other"),
    RelationType("speaks-for", False, "other"),
)
RELATION_TYPE = {relation.name: relation for relation in RELATION_TYPES}
SYMMETRIC_RELATIONS = tuple(r.name for r in RELATION_TYPES if r.symmetric)
DIRECTED_RELATIONS = tuple(r.name for r in RELATION_TYPES if not r.symmetric)
RELATIONS = SYMMETRIC_RELATIONS + DIRECTED_RELATIONS
ACTOR_KINDS = ("person", "state", "organisation", "military", "media", "alliance", "group")
PERSONS_ONLY_KIND = "person"
PERSONS_ONLY = ("born",)
"""Actor fields that only a person may have (`validate` and the JSON Schema say so)."""


def persons_only_rule(field: str) -> str:
    return f"`{field}` is for persons only"


def is_id(value: str) -> bool:
    return 2 <= len(value) <= 80 and ID.matches(value)


def _check_id(value: str) -> str:
    if not is_id(value):
        raise ValueError(f"invalid id `{value}`: {ID_RULE}")
    return value


def reserved(value: str, what: str = "id", where: str = "") -> str | None:
    """The problem with an id or tag that is a fixed address segment, or None."""
    if value not in RESERVED_IDS:
        return None
    return f"reserved {what} `{value}`{where}: {RESERVED_RULE}"


def id_problem(value: str, where: str = "") -> str | None:
    """What is wrong with the id of a page (a file's name, a former id, `new`'s id), or None;
    `where` follows the id in the message, e.g. " (the file name)"."""
    if not is_id(value):
        return f"invalid id `{value}`{where}: {ID_RULE}"
    return reserved(value, "id", where)


def _check_page_id(value: str) -> str:
    problem = id_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _check_actor_ref(value: str, info: ValidationInfo) -> str:
    """An actor id that names an actor file (the known ids come in the validation context)."""
    known: frozenset[str] = (info.context or {}).get("actor_ids", frozenset())
    if value in known:
        return value
    if not value.strip():  # a scaffolded `actor: ""` not filled in yet
        raise ValueError("must not be empty")
    hint = did_you_mean(value, sorted(known))
    if not is_id(value):
        raise ValueError(f"invalid actor id `{value}`{hint or ': ' + ID_RULE}")
    raise ValueError(f"unknown actor `{value}`{hint}")


def _check_tag(value: str) -> str:
    if len(value) > 80 or not TAG.matches(value):
        raise ValueError(f"invalid tag `{value}`: {TAG.rule}")
    problem = reserved(value, "tag")
    if problem:
        raise ValueError(problem)
    return value


def _check_text(value: str) -> str:
    if not value or value.isspace():  # nothing but white space, without copying the text
        raise ValueError("must not be empty")
    return value


_URL = re.compile(r"https?://(?P<authority>[^/?#]*)(?:[/?#].*)?", re.DOTALL)
_HOST = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?",
    re.IGNORECASE | re.ASCII,
)
# RFC 3986's unreserved and reserved characters and `%`; other ASCII (space, `\`, `<`, `"`,
# controls...) cannot be part of a URL. Other characters can when a reader sees them
# (an address such as https://ko.wikipedia.org/wiki/김정은), not spaces or format characters.
_URL_ASCII = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"
)
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _check_url(value: str) -> str:
    reason = _url_problem(value)
    if reason is not None:
        raise ValueError(f"`{value}` is {URL.rule}{reason}")
    return value


def _url_problem(value: str) -> str | None:
    """Why `value` is not a plain http(s) URL (": ..." or "" when it has no other shape),
    or None."""
    for char in value:
        if char in _URL_ASCII:
            continue
        if char.isascii() or not char.isprintable() or char.isspace():
            seen = f"`{char}` " if char.isprintable() and not char.isspace() else ""
            return f": it holds {seen}U+{ord(char):04X}, which a URL cannot"
    match = _URL.fullmatch(value)
    if match is None:
        return ""
    authority = match["authority"]
    if "@" in authority:
        return ": it must not carry a user name or password (`user@`)"
    host, port = _host_and_port(authority)
    if port is not None and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        return f": its port `{port}` is not a number from 1 to 65535"
    if not host:
        return ""
    if not _is_host(host):
        return f": `{host}` is not a host name"
    if _BAD_PERCENT.search(value):
        return ": a `%` must start a percent-encoded byte such as `%20`"
    return None


def _host_and_port(authority: str) -> tuple[str, str | None]:
    """(host, port or None); an IPv6 host keeps its brackets."""
    if authority.startswith("["):
        if "]" not in authority:
            return authority, None
        end = authority.index("]") + 1
        host, after = authority[:end], authority[end:]
        return (host, after[1:]) if after.startswith(":") else (host + after, None)
    host, colon, port = authority.partition(":")
    return host, port if colon else None


def _is_host(host: str) -> bool:
    """A domain name (internationalised ones as IDNA takes them) or an IP address."""
    if host.startswith("["):
        try:
            return host.endswith("]") and bool(ipaddress.IPv6Address(host[1:-1]))
        except ValueError:
            return False
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return False
    return len(host) <= 253 and _HOST.fullmatch(host) is not None


def _check_links(value: str) -> str:
    """The address of every link a summary keeps (`[text](address)`) is a URL like any other."""
    for url in links_in(value):
        if not url.lower().startswith("mailto:"):
            _check_url(url)
    return value


def _check_language(value: str) -> str:
    if not LANGUAGE.matches(value):
        raise ValueError(f"`{value}` is {LANGUAGE.rule}")
    return value


def _check_wikidata(value: str) -> str:
    if not WIKIDATA.matches(value):
        raise ValueError(f"`{value}` is {WIKIDATA.rule}")
    return value


DATE_JSON_SCHEMA = {
    "anyOf": [DATE.json_schema(), {"type": "integer", "minimum": 1, "maximum": 9999}],
    "description": "YYYY-MM-DD, YYYY-MM or YYYY",
}
_NOT_RESERVED = {"not": {"enum": sorted(RESERVED_IDS)}}

# Each type: its validator, and its JSON Schema from the same declarations.
Text = Annotated[str, AfterValidator(_check_text), WithJsonSchema(TEXT.json_schema())]
InlineMarkdown = Annotated[
    str,
    AfterValidator(_check_text),
    AfterValidator(_check_links),
    WithJsonSchema(TEXT.json_schema()),
]
"""Text that keeps its inline Markdown links: each link's address follows the URL rules."""
Language = Annotated[str, AfterValidator(_check_language), WithJsonSchema(LANGUAGE.json_schema())]
WikidataId = Annotated[str, AfterValidator(_check_wikidata), WithJsonSchema(WIKIDATA.json_schema())]
Id = Annotated[
    str, AfterValidator(_check_id), WithJsonSchema(ID.json_schema(minLength=2, maxLength=80))
]
PageId = Annotated[
    str,
    AfterValidator(_check_page_id),
    WithJsonSchema(ID.json_schema(minLength=2, maxLength=80, **_NOT_RESERVED)),
]
ActorRef = Annotated[
    str,
    AfterValidator(_check_actor_ref),
    WithJsonSchema(ID.json_schema(description="id of an actor file")),
]
Tag = Annotated[
    str, AfterValidator(_check_tag), WithJsonSchema(TAG.json_schema(maxLength=80, **_NOT_RESERVED))
]
Url = Annotated[str, AfterValidator(_check_url), WithJsonSchema(URL.json_schema(format="uri"))]
Date = Annotated[
    PartialDate,
    BeforeValidator(parse_date),
    PlainSerializer(lambda d: d.iso(), return_type=str),
    WithJsonSchema(DATE_JSON_SCHEMA),
]


class Strict(BaseModel):
    """Unknown fields are errors; text is text (YAML's `no` is not silently a string)."""

    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, arbitrary_types_allowed=True
    )


class Source(Strict):
    outlet: Text | None = Field(None, description="The newspaper, agency or site.")
    author: Text | list[Text] | None = Field(None, description="The author, or a list of them.")
    url: Url | None = Field(None, description="Address of the original article (http/https).")
    language: Language = Field("en", description="BCP 47 language tag of the article.")


class ArticleActor(Strict):
    actor: ActorRef = Field(description="Id of an actor file in `briefings/actors/`.")
    role: Text = Field(description="What this actor did or said in the article.")


class Event(Strict):
    date: Date = Field(description="When it happened, at the precision the source gives.")
    what: Text = Field(description="What happened, in one sentence.")
    actors: list[ActorRef] = Field(description="Ids of the actors involved.")
    where: Text | None = Field(None, description="Where it happened.")
    circa: bool = Field(False, description="`true` when the date is approximate.")
    id: Id | None = Field(
        None, description="Shared by events in several articles that report the same real event."
    )


class Relation(Strict):
    subject: ActorRef = Field(description="Actor id.")
    relation: Literal[RELATIONS] = Field(  # type: ignore[valid-type]
        description="One of the fixed relation types."
    )
    object: ActorRef = Field(description="Actor id.")
    note: Text | None = Field(None, description="How the article puts it.")
    since: Date | None = Field(None, description="Since when the relation holds.")


class Quote(Strict):
    text: Text = Field(description="The words quoted, exactly as the article gives them.")
    by: ActorRef = Field(description="Id of the actor who said it.")
    context: Text | None = Field(None, description="Where and how it was said.")


class Article(Strict):
    """One structured summary of a news article: `briefings/articles/<id>.yaml`."""

    title: Text = Field(description="The article's headline.")
    published: Date = Field(description="When the article appeared (partial dates allowed).")
    published_circa: bool = Field(
        False,
        description="`true` when the publication date is "
        "inferred rather than printed in the article.",
    )
    source: Source = Field(description="Where the article comes from.")
    summary: InlineMarkdown = Field(
        description="Neutral summary in 1 to 3 paragraphs; inline Markdown "
        "(emphasis, links) allowed, raw HTML is not rendered."
    )
    key_points: list[Text] = Field(min_length=1, description="The takeaways, at least one.")
    actors: list[ArticleActor] = Field(description="Who appears and what they did or said.")
    events: list[Event] = Field([], description="Dated happenings the article reports.")
    relations: list[Relation] = Field([], description="Relationships the article asserts.")
    quotes: list[Quote] = Field([], description="Quotations with who said them.")
    outlook: list[Text] = Field([], description="What to watch next.")
    tags: list[Tag] = Field([], description="Topic slugs such as `nuclear` or `sanctions`.")
    editor_note: InlineMarkdown | None = Field(
        None,
        description="A note from the editors shown on the "
        "page, e.g. how a missing date was inferred.",
    )
    former_ids: list[PageId] = Field([], description="Old ids; their addresses redirect here.")


class Position(Strict):
    title: Text = Field(description="The office or role.")
    of: ActorRef | None = Field(None, description="Id of the actor the position is held in.")
    since: Date | None = Field(None, description="Start of the position.")
    until: Date | None = Field(None, description="End of the position.")


class Link(Strict):
    title: Text = Field(description="The link's text.")
    url: Url = Field(description="http:// or https:// address.")


class Actor(Strict):
    """One profile of a person, state, organisation...: `briefings/actors/<id>.yaml`."""

    name: Text = Field(description="Display name.")
    kind: Literal[ACTOR_KINDS] = Field(description="What sort of actor.")  # type: ignore[valid-type]
    summary: InlineMarkdown = Field(description="Short neutral profile; inline Markdown allowed.")
    aliases: list[Text] = Field(
        [], description="Other names, including native-script names; found by search."
    )
    country: ActorRef | None = Field(None, description="Id of the state it belongs to.")
    born: Date | None = Field(None, description="Date of birth (persons only).")
    born_circa: bool = Field(False, description="`true` when the birth date is uncertain.")
    positions: list[Position] = Field([], description="Offices held.")
    links: list[Link] = Field([], description="Further reading.")
    wikidata: WikidataId | None = Field(None, description="Wikidata id such as `Q56226`.")
    former_ids: list[PageId] = Field([], description="Old ids; their addresses redirect here.")


def field_names(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The fields allowed at `loc` (a pydantic location inside `model`), for 'did you mean'."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not (
            isinstance(current, type) and issubclass(current, BaseModel)
        ):
            continue
        info = current.model_fields.get(str(part))
        if info is None:
            break
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
    return annotation


MODELS: dict[str, type[BaseModel]] = {"article": Article, "actor": Actor}


def actor_references(model: type[BaseModel]) -> tuple[tuple[str, ...], ...]:
    """Where a file of `model`'s kind names actors: the path of every `ActorRef` in it, in
    field order, with "*" for each item of a list (`("events", "*", "actors", "*")`)."""
    found: list[tuple[str, ...]] = []
    for name, info in model.model_fields.items():
        found += _references((name,), info.annotation, tuple(info.metadata))
    return tuple(found)


def _references(
    path: tuple[str, ...], annotation: Any, metadata: tuple[Any, ...]
) -> list[tuple[str, ...]]:
    if any(getattr(item, "func", None) is _check_actor_ref for item in metadata):
        return [path]
    if typing.get_origin(annotation) is Annotated:
        inner, *more = typing.get_args(annotation)
        return _references(path, inner, tuple(more))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [(*path, *inner) for inner in actor_references(annotation)]
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        return _references((*path, "*"), item, ())
    return [found for arg in typing.get_args(annotation) for found in _references(path, arg, ())]
