"""The declared shape of article and actor files: fields, types, defaults, in one place.

Field descriptions here are the editor's documentation: the JSON Schema and the
editor's guide are generated from them.
"""

from __future__ import annotations

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
from generator.characters import visible
from generator.data.dates import PartialDate, parse_date
from generator.data.formats import (
    ACTOR_KINDS,
    DATE,
    ID,
    ID_RULE,
    LANGUAGE,
    RELATIONS,
    TAG,
    TEXT,
    URL,
    WIKIDATA,
    check_url,
    id_problem,
    is_id,
    reserved,
)
from generator.markup import links_in
from generator.problems import did_you_mean


def _check_id(value: str) -> str:
    if not is_id(value):
        raise ValueError(f"invalid id `{value}`: {ID_RULE}")
    return value


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
        raise ValueError(TEXT.rule)
    if not visible(value):
        raise ValueError(f"{TEXT.rule}: it holds only characters no one can see")
    return value


def _check_links(value: str) -> str:
    """The address of every link a summary keeps (`[text](address)`) is a URL like any other."""
    for url in links_in(value):
        if not url.lower().startswith("mailto:"):
            check_url(url)
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
Url = Annotated[str, AfterValidator(check_url), WithJsonSchema(URL.json_schema(format="uri"))]
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


DATE_BASES = ("article", "inferred", "outside")
"""Where a date comes from: the article states it, it is worked out from the article's words
(such as "last year"), or it comes from outside the article (a note then says from where)."""
OUTSIDE = DATE_BASES[2]


@dataclass(frozen=True)
class OutsideNote:
    """`<prefix>_note` is required beside `<prefix>_basis: outside`. Declared once: as JSON
    Schema (`if`/`then`) for editors, and as the check `validate` makes, whose problem is
    reported at the `_basis` field (a schema error would name no line)."""

    prefix: str

    @property
    def basis(self) -> str:
        return f"{self.prefix}_basis"

    @property
    def note(self) -> str:
        return f"{self.prefix}_note"

    def json_schema(self) -> dict[str, Any]:
        return {
            "if": {"required": [self.basis], "properties": {self.basis: {"const": OUTSIDE}}},
            "then": {"required": [self.note], "properties": {self.note: {"type": "string"}}},
        }

    def missing(self, data: Any) -> bool:
        """Whether `data` (a mapping as loaded) has an outside date without its note (none
        written, or written as null)."""
        if not isinstance(data, dict) or data.get(self.basis) != OUTSIDE:
            return False
        return data.get(self.note) is None

    def message(self, basis: str, note: str) -> str:
        """The problem, with the fields' labels as the report writes them."""
        return f"`{note}` is required when `{basis}` is `{OUTSIDE}`: say where the date comes from"


DATE_NOTE = OutsideNote("date")
"""An event's date from outside the article says where it comes from."""
PUBLISHED_NOTE = OutsideNote("published")
"""So does an article's publication date."""

AccordingTo = Annotated[
    list[ActorRef],
    Field(
        description="Ids of the actors who make this claim (e.g. a news agency or a "
        "government), when the article attributes it."
    ),
]


class KeyPoint(Strict):
    text: Text = Field(description="The takeaway.")
    according_to: AccordingTo = []


def _key_point(value: Any) -> Any:
    """A key point written as text (or as anything but a mapping) stands for its `text`."""
    return value if isinstance(value, dict) else {"text": value}


def _dump_key_point(point: KeyPoint) -> Any:
    """As written: the text alone when no one is named."""
    if not point.according_to:
        return point.text
    return {"text": point.text, "according_to": list(point.according_to)}


KeyPointItem = Annotated[
    KeyPoint,
    BeforeValidator(_key_point, json_schema_input_type=Text | KeyPoint),
    PlainSerializer(_dump_key_point),
]
"""A key point: its text, or `{text, according_to}`."""


class Event(Strict):
    model_config = ConfigDict(json_schema_extra=DATE_NOTE.json_schema())

    date: Date = Field(description="When it happened, at the precision the source gives.")
    date_basis: Literal[DATE_BASES] = Field(  # type: ignore[valid-type]
        "article",
        description="Where the date comes from: `article` (the article states it), "
        '`inferred` (worked out from the article\'s words, such as "last year") or '
        "`outside` (from outside the article; `date_note` then says from where).",
    )
    date_note: Text | None = Field(
        None,
        description="Where an `outside` date comes from (required for one), or how an "
        "`inferred` one was worked out.",
    )
    what: Text = Field(description="What happened, in one sentence.")
    actors: list[ActorRef] = Field(description="Ids of the actors involved.")
    where: Text | None = Field(None, description="Where it happened.")
    circa: bool = Field(False, description="`true` when the date is approximate.")
    id: Id | None = Field(
        None, description="Shared by events in several articles that report the same real event."
    )
    according_to: AccordingTo = []


class Relation(Strict):
    subject: ActorRef = Field(description="Actor id.")
    relation: Literal[RELATIONS] = Field(  # type: ignore[valid-type]
        description="One of the fixed relation types."
    )
    object: ActorRef = Field(description="Actor id.")
    note: Text | None = Field(None, description="How the article puts it.")
    since: Date | None = Field(None, description="Since when the relation holds.")
    according_to: AccordingTo = []


class Quote(Strict):
    text: Text = Field(description="The words quoted, exactly as the article gives them.")
    by: ActorRef = Field(description="Id of the actor who said it.")
    context: Text | None = Field(None, description="Where and how it was said.")


class Article(Strict):
    """One structured summary of a news article: `briefings/articles/<id>.yaml`."""

    model_config = ConfigDict(json_schema_extra=PUBLISHED_NOTE.json_schema())

    title: Text = Field(description="The article's headline.")
    published: Date = Field(description="When the article appeared (partial dates allowed).")
    published_circa: bool = Field(
        False,
        description="`true` when the publication date is approximate, known only roughly "
        'even at the precision written (shown as "c. 2024"); `published_basis` says where '
        "it comes from.",
    )
    published_basis: Literal[DATE_BASES] = Field(  # type: ignore[valid-type]
        "article",
        description="Where the publication date comes from: `article`, `inferred` or "
        "`outside` (`published_note` then says from where).",
    )
    published_note: Text | None = Field(
        None,
        description="Where an `outside` publication date comes from (required for one), or "
        "how an `inferred` one was worked out.",
    )
    source: Source = Field(description="Where the article comes from.")
    summary: InlineMarkdown = Field(
        description="Neutral summary in 1 to 3 paragraphs; inline Markdown "
        "(emphasis, links) allowed, raw HTML is not rendered."
    )
    key_points: list[KeyPointItem] = Field(
        min_length=1,
        description="The takeaways, at least one: each a text, or `{text, according_to}` "
        "when the article attributes it.",
    )
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
