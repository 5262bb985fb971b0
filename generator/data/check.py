"""Loaded documents -> checked schema objects, with pydantic's errors turned into Problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.characters import Loc, find_forbidden, may_hold_forbidden
from generator.data import formats, schema, sources
from generator.data.load import Document, Loaded, SourceText, values_at
from generator.data.source_texts import ActorNames, misquote, normalized
from generator.problems import WARNING, Problem, did_you_mean

M = TypeVar("M", bound=BaseModel)


def check_document(
    doc: Document, model: type[M], actor_ids: frozenset[str]
) -> tuple[M | None, list[Problem]]:
    """Validate one document against its model (actor references against `actor_ids`);
    every error with its place."""
    data, problems = _characters(doc)
    try:
        checked = model.model_validate(data, context={"actor_ids": actor_ids})
    except ValidationError as error:
        return None, [*problems.values(), *_problems(doc, data, model, error, problems)]
    return (None, list(problems.values())) if problems else (checked, [])


def _characters(doc: Document) -> tuple[Any, dict[Loc, Problem]]:
    """The characters no value may hold (generator/characters.py), each value or key holding
    one a problem at its place; and the data without them, for the schema to check the rest
    (pydantic cannot even report a value holding a lone surrogate)."""
    if not may_hold_forbidden(doc.text):
        return doc.data, {}
    data, found = find_forbidden(doc.data)
    problems = {}
    for loc, key, reason in found:
        what = f"the key `{loc[-1]}`" if key else f"`{label(loc)}`"
        problems[loc] = doc.problem(loc, f"{what}: {reason}", key=key)
    return data, problems


def label(loc: Loc) -> str:
    """('actors', 0, 'role') -> 'actors[0].role'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


def _data_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Loc, bool]:
    """The part of a pydantic location that names a place in the data, and whether it ends at
    a union (pydantic adds a step for each member of a union it tried; those are cut off)."""
    found: list[str | int] = []
    current = data
    for part in loc:
        if part == "text" and not isinstance(current, dict | list):
            continue  # a key point written as text stands for its `text`: the same place
        if isinstance(current, dict) and isinstance(part, str) and not _is_union_step(part):
            if part not in current:  # a missing or unknown field: name it
                return (*found, part), False
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            current = current[part]
        else:
            return tuple(found), True
        found.append(part)
    return tuple(found), False


def _is_union_step(part: str) -> bool:
    return "[" in part or part in ("str", "int", "float", "bool", "list", "dict")


_UNION_EXPECTED = {
    "author": "text or a list of text",
    "key_points[]": "text, or a mapping of `text` and `according_to`",
}
"""What a field (`name`, or `name[]` for each item of a list) takes, where it takes either."""


def _problems(
    doc: Document,
    data: Any,
    model: type[BaseModel],
    error: ValidationError,
    known: dict[Loc, Problem],
) -> list[Problem]:
    """Each of pydantic's errors as a problem, one per place (none where `known` has one)."""
    problems: dict[Loc, Problem] = {}
    for item in error.errors(include_url=False):
        loc, in_union = _data_loc(data, item["loc"])
        if loc in problems or loc in known:
            continue
        problems[loc] = _problem(doc, model, loc, item, in_union)
    return list(problems.values())


def _problem(doc: Document, model: type[BaseModel], loc: Loc, item: Any, in_union: bool) -> Problem:
    kind, value, name = item["type"], item["input"], label(loc)
    if kind == "missing":
        return doc.problem(loc[:-1], f"missing required field `{name}`")
    if kind == "extra_forbidden":
        allowed = schema.field_names(model, loc[:-1])
        hint = did_you_mean(str(loc[-1]), allowed) or f" (allowed: {', '.join(allowed)})"
        return doc.problem(loc, f"unknown field `{name}`{hint}", key=True)
    if in_union:
        field = str(loc[-1]) if not isinstance(loc[-1], int) else f"{loc[-2]}[]"
        expected = _UNION_EXPECTED.get(field, "a different type")
        return doc.problem(loc, f"`{name}` must be {expected}")
    if kind == "string_type":
        word = doc.bool_words.get(loc)
        if word is not None:
            return doc.problem(
                loc,
                f"`{name}` must be text, but YAML reads a bare `{word}` as "
                f'{str(value).lower()}: write "{word}" in quotes',
            )
        return doc.problem(loc, f"`{name}` must be text, not {describe(value)}")
    if kind == "bool_type":
        return doc.problem(loc, f"`{name}` must be true or false, not {describe(value)}")
    if kind == "list_type":
        return doc.problem(loc, f"`{name}` must be a list, not {describe(value)}")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return doc.problem(loc, f"`{name}` must be a mapping of fields, not {describe(value)}")
    if kind == "too_short":
        return doc.problem(loc, f"`{name}` must have at least one item")
    if kind == "literal_error":
        choices = [
            part.strip(" '")
            for alternative in str(item["ctx"]["expected"]).split(" or ")
            for part in alternative.split(",")
        ]
        what = "relation type" if loc[-1] == "relation" else str(loc[-1])
        hint = did_you_mean(str(value), choices) if isinstance(value, str) else ""
        return doc.problem(
            loc, f"unknown {what} `{value}`{hint} (expected one of: {', '.join(choices)})"
        )
    message = str(item["msg"]).removeprefix("Value error, ")
    return doc.problem(loc, f"`{name}`: {message}")


@dataclass(frozen=True)
class Checked:
    """The third stage's value: every file that passed its schema, as the schema's objects
    by id with its path, and every problem of the data (reading and naming ones included).
    The data is valid when `problems` is empty; `warnings` do not stop it."""

    articles: Mapping[str, tuple[str, schema.Article]]
    actors: Mapping[str, tuple[str, schema.Actor]]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()


FileCheck = tuple[BaseModel | None, list[Problem], list[Problem]]
"""One file checked alone: its schema object (None when it has problems), the problems
its schema finds, and those of the rules within the file (an article's)."""

FileChecker = Callable[[str, Document, frozenset[str]], FileCheck]
"""`check_file`, or what gives the same for the same file and actor ids (the live
preview's memo, data/memo.py)."""


def check_file(kind: str, doc: Document, actor_ids: frozenset[str]) -> FileCheck:
    """The checks of one file (of `kind`) that read no other file, but for the ids of
    every actor (`actor_ids`)."""
    model: type[BaseModel] = schema.Actor if kind == "actor" else schema.Article
    value, found = check_document(doc, model, actor_ids)
    return value, found, _check_article(doc) if kind == "article" else []


def check(loaded: Loaded, check_one: FileChecker = check_file) -> Checked:
    """Check each document against its schema, then the rules across files."""
    problems = list(loaded.problems)
    actor_ids = loaded.ids["actor"]
    checked: dict[str, dict[str, Any]] = {}
    within: list[Problem] = []
    for kind in ("actor", "article"):
        checked[kind] = {}
        for item_id, doc in loaded.documents[kind].items():
            value, found, rules = check_one(kind, doc, actor_ids)
            problems += found
            within += rules
            if value is not None:
                checked[kind][item_id] = (doc.path, value)
    articles, actors = loaded.documents["article"], loaded.documents["actor"]
    problems += _check_former_ids(articles, loaded.paths["article"])
    problems += _check_former_ids(actors, loaded.paths["actor"])
    problems += within
    problems += [p for doc in actors.values() for p in _check_actor(doc, actors)]
    problems += _check_source_texts(loaded)
    return Checked(
        checked["article"],
        checked["actor"],
        tuple(p for p in problems if p.severity != WARNING),
        tuple(p for p in problems if p.severity == WARNING),
    )


def _check_former_ids(docs: Mapping[str, Document], paths: Mapping[str, str]) -> list[Problem]:
    """A former id may not be a current id (`paths`: every file of the kind by id), nor be
    claimed by two files."""
    problems: list[Problem] = []
    claimed: dict[str, str] = {}
    for _, doc in sorted(docs.items()):
        for loc, old in values_at(doc.data, ("former_ids", "*")):
            if not isinstance(old, str):
                continue
            if old in paths:
                problems.append(doc.problem(loc, f"former id `{old}` is the id of {paths[old]}"))
            elif old in claimed:
                problems.append(
                    doc.problem(loc, f"former id `{old}` is also claimed by {claimed[old]}")
                )
            else:
                claimed[old] = doc.path
    return problems


def _check_article(doc: Document) -> list[Problem]:
    problems: list[Problem] = []
    listed = values_at(doc.data, ("actors", "*", "actor"))
    problems += _twice(doc, listed, "listed twice in `actors`")
    for field in ("key_points", "events", "relations"):
        for loc, claimants in values_at(doc.data, (field, "*", "according_to")):
            named = values_at(claimants, ("*",), loc)
            problems += _twice(doc, named, f"named twice in `{label(loc)}`")
    for loc, relation in values_at(doc.data, ("relations", "*")):
        if isinstance(relation, dict) and relation.get("subject") == relation.get("object"):
            problems.append(doc.problem(loc, "a relation's subject and object are the same actor"))
    problems += _outside_note(doc, (), doc.data, schema.PUBLISHED_NOTE)
    for loc, event in values_at(doc.data, ("events", "*")):
        problems += _outside_note(doc, loc, event, schema.DATE_NOTE)
    return problems


def _twice(doc: Document, found: list[tuple[Loc, Any]], how: str) -> list[Problem]:
    """Each actor once in a list of actor ids (`actors`, an `according_to`): an error at
    each repetition, "actor `x` is <how>"."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for loc, value in found:
        if isinstance(value, str) and value in seen:
            problems.append(doc.problem(loc, f"actor `{value}` is {how}"))
        seen.add(str(value))
    return problems


def _outside_note(doc: Document, loc: Loc, data: Any, rule: schema.OutsideNote) -> list[Problem]:
    """A date from outside the article says where it comes from, reported at `_basis`."""
    if not rule.missing(data):
        return []
    basis = (*loc, rule.basis)
    return [doc.problem(basis, rule.message(label(basis), label((*loc, rule.note))))]


def _check_actor(doc: Document, actors: Mapping[str, Document]) -> list[Problem]:
    problems: list[Problem] = []
    kind = doc.data.get("kind")
    if kind in formats.ACTOR_KINDS and kind != formats.PERSONS_ONLY_KIND:
        for field in formats.PERSONS_ONLY:
            if field in doc.data:
                rule = formats.persons_only_rule(field)
                problems.append(doc.problem((field,), f"{rule} (this is a {kind})"))
    country = doc.data.get("country")
    if isinstance(country, str) and country in actors:
        country_kind = actors[country].data.get("kind")
        if country_kind != "state":
            problems.append(
                doc.problem(
                    ("country",), f"`country`: `{country}` is a {country_kind}, not a state"
                )
            )
    return problems


def _check_source_texts(loaded: Loaded) -> list[Problem]:
    """Each source text names an article; each quote of that article is in it; each actor
    it names is among the article's actors (a warning: the article may leave one out on
    purpose)."""
    problems: list[Problem] = []
    if not loaded.texts:
        return problems  # most projects: no actor's names to gather
    articles = loaded.documents["article"]
    names = ActorNames(
        {actor_id: _names(doc.data) for actor_id, doc in loaded.documents["actor"].items()}
    )
    for article_id, source in sorted(loaded.texts.items()):
        if article_id not in loaded.ids["article"]:
            hint = did_you_mean(article_id, loaded.ids["article"])
            problems.append(
                Problem(
                    source.path,
                    1,
                    1,
                    f"no article has the id `{article_id}`{hint} (the source text of an "
                    f"article is {sources.BRIEFINGS}/{sources.SOURCE_TEXTS}/<its id>.txt)",
                )
            )
        elif article_id in articles:
            problems += _check_quotes(articles[article_id], source)
            problems += _check_mentions(articles[article_id], source, names)
    return problems


def _names(data: Any) -> list[str]:
    if not isinstance(data, dict):
        return []
    aliases = data.get("aliases")
    found = [data.get("name"), *(aliases if isinstance(aliases, list) else [])]
    return [name for name in found if isinstance(name, str)]


def _check_quotes(doc: Document, source: SourceText) -> list[Problem]:
    problems: list[Problem] = []
    text = normalized(source.text)
    for loc, quote in values_at(doc.data, ("quotes", "*", "text")):
        if not isinstance(quote, str):
            continue
        why = misquote(quote, text)
        if why is not None:
            problems.append(
                doc.problem(loc, f"`{label(loc)}`: not in the source text {source.path}; {why}")
            )
    return problems


def _check_mentions(doc: Document, source: SourceText, names: ActorNames) -> list[Problem]:
    listed = {value for _, value in values_at(doc.data, ("actors", "*", "actor"))}
    line, column = doc.place(("actors",), key=True)
    return [
        Problem(
            doc.path,
            line,
            column,
            f"`actors`: actor `{mention.actor}` is not listed, but the source text names it "
            f"({source.path}:{mention.line}:{mention.column}: `{mention.words}`)",
            WARNING,
        )
        for mention in names.mentions(source.text)
        if mention.actor not in listed
    ]
