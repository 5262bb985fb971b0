"""JSON Schema for article and actor files, generated from the pydantic models in schema.py.

pydantic's `model_json_schema` gives the fields, types, defaults and descriptions; on top of
it come what editors need while typing (VS Code's YAML extension, JetBrains IDEs, any
yaml-language-server client):

- draft-07, the draft those editors implement (`definitions`, not `$defs`);
- `markdownDescription` beside every description, so hovers render the backticks;
- text that must not be empty, strict dates, and a `patternErrorMessage` in the
  validator's own words for ids, tags, URLs, language tags and Wikidata ids;
- descriptions of the relation types, a snippet for each kind of list item, and
  `born` flagged on an actor that is not a person.

What a schema cannot know (whether an actor id names an existing file, duplicate keys,
former ids) stays with `python -m generator validate`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.data import formats, schema

DRAFT = "http://json-schema.org/draft-07/schema#"
FILES = {"article": "article.schema.json", "actor": "actor.schema.json"}
MODELS = schema.MODELS
TITLES = {
    "article": "Briefing article (briefings/articles/<id>.yaml)",
    "actor": "Briefing actor (briefings/actors/<id>.yaml)",
}

RELATION_MEANINGS = {relation.name: relation.meaning for relation in formats.RELATION_TYPES}


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of file ("article" or "actor")."""
    generated = MODELS[kind].model_json_schema(ref_template="#/definitions/{model}")
    definitions = generated.pop("$defs", {})
    body = _extend(generated, top=True)
    result: dict[str, Any] = {"$schema": DRAFT, **body, "title": TITLES[kind]}
    if kind == "actor":
        result["allOf"] = [_BORN_FOR_PERSONS_ONLY]
    if definitions:
        result["definitions"] = {
            name: _extend(node, top=True) for name, node in definitions.items()
        }
    return result


_BORN_FOR_PERSONS_ONLY = {
    "if": {
        "required": ["kind"],
        "properties": {"kind": {"not": {"const": formats.PERSONS_ONLY_KIND}}},
    },
    "then": {
        "properties": {
            field: {"not": {}, "errorMessage": formats.persons_only_rule(field)}
            for field in formats.PERSONS_ONLY
        }
    },
}


def _extend(node: Any, *, top: bool = False) -> Any:
    """One node of pydantic's output with the editors' additions, recursively."""
    if isinstance(node, list):
        return [_extend(item) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title" and not top:
            continue  # pydantic's "Title" from each field name says nothing
        if key == "properties":
            result[key] = {name: _extend(prop) for name, prop in value.items()}
        else:
            result[key] = _extend(value)
    if result.get("enum") == list(formats.RELATIONS):
        result["enumDescriptions"] = [RELATION_MEANINGS[name] for name in formats.RELATIONS]
    if "description" in result:
        result["markdownDescription"] = result["description"]
        if not result["description"]:
            del result["description"], result["markdownDescription"]
    return result


def add_snippets(document: dict[str, Any]) -> dict[str, Any]:
    """A `defaultSnippets` entry on every list of mappings: its required fields, to fill."""
    definitions = document.get("definitions", {})
    for node in _walk(document):
        items = node.get("items", {})
        ref = items.get("$ref", "") if isinstance(items, dict) else ""
        if node.get("type") == "array" and ref:
            target = definitions[ref.rsplit("/", 1)[-1]]
            required = target.get("required", [])
            body = {name: f"${index + 1}" for index, name in enumerate(required)}
            node["defaultSnippets"] = [{"label": f"- {', '.join(required)}", "body": [body]}]
    return document


def _walk(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found += _walk(value)
    elif isinstance(node, list):
        for item in node:
            found += _walk(item)
    return found


def schema_texts() -> dict[str, str]:
    """File name -> JSON text, for every kind of file. Deterministic."""
    return {
        FILES[kind]: json.dumps(add_snippets(json_schema(kind)), indent=2, ensure_ascii=False)
        + "\n"
        for kind in FILES
    }


def stale_files(folder: Path) -> list[str]:
    """The schema files in `folder` that are missing or differ from the generated ones."""
    return [
        name
        for name, text in schema_texts().items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
    ]


def write_schemas(folder: Path) -> list[str]:
    """Write the schema files into `folder`; return the names of those that changed."""
    changed = stale_files(folder)
    texts = schema_texts()
    folder.mkdir(parents=True, exist_ok=True)
    for name in changed:
        (folder / name).write_text(texts[name], encoding="utf-8")
    return changed


@dataclass(frozen=True)
class Shape:
    """What a value in a file looks like, read from the JSON Schema: for docs and skeletons."""

    kind: str  # text, date, bool, choice, id, actor, tag, url, language, wikidata, mapping, list
    item: Shape | None = None  # of a list
    model: str = ""  # of a mapping: its definition's name
    choices: tuple[str, ...] = ()
    alternatives: tuple[Shape, ...] = ()  # "text or a list of text"


_PATTERN_KINDS = {fmt.pattern: fmt.kind for fmt in formats.FORMATS}


def shape(node: dict[str, Any]) -> Shape:
    """The Shape of one property of the generated schema (optional values: their non-null
    part)."""
    options = [option for option in node.get("anyOf", []) if option.get("type") != "null"]
    if any(option.get("pattern") == formats.DATE.pattern for option in options):
        return Shape("date")
    if options:
        if len(options) == 1:
            return shape(options[0])
        return Shape("either", alternatives=tuple(shape(option) for option in options))
    if "$ref" in node:
        return Shape("mapping", model=str(node["$ref"]).rsplit("/", 1)[-1])
    if node.get("type") == "array":
        return Shape("list", item=shape(node.get("items", {})))
    if node.get("type") == "boolean":
        return Shape("bool")
    if "enum" in node:
        return Shape("choice", choices=tuple(node["enum"]))
    pattern = str(node.get("pattern", ""))
    if pattern == formats.ID_PATTERN:
        # Ids of actor files carry no length limits of their own: the file names do.
        return Shape("id" if "minLength" in node else "actor")
    return Shape(_PATTERN_KINDS.get(pattern, "text"))
