"""The field reference (/guide/fields/): every field of article and actor files, generated
from the same JSON Schema editors get (itself generated from schema.py), so the guide
can never describe a field the validator does not know."""

from __future__ import annotations

from typing import Any

from generator import addresses
from generator.data import formats
from generator.data.json_schema import Shape, json_schema, shape
from generator.render.text import RELATION_WORDS, block, front_matter

PAGE = addresses.FIELD_REFERENCE
KIND_TITLES = {"article": "Article", "actor": "Actor"}
FOLDERS = {"article": "briefings/articles/<id>.yaml", "actor": "briefings/actors/<id>.yaml"}
_SINGULAR = {
    "text": "text",
    "date": "date",
    "bool": "true/false",
    "id": "id",
    "actor": "actor id",
    "tag": "tag",
    "url": "URL (http/https)",
    "language": "language tag (BCP 47)",
    "wikidata": "Wikidata id",
}
_PLURAL = {
    "text": "text",
    "date": "dates",
    "id": "ids",
    "actor": "actor ids",
    "tag": "tags",
    "url": "URLs (http/https)",
}


def render_field_reference() -> str:
    """The whole page. Pure: it depends on the schema only, not on the data."""
    parts = [front_matter(title="Field reference"), "# Field reference", _INTRO]
    for kind in KIND_TITLES:
        parts += _kind_sections(kind)
    parts += [_relation_types(), _actor_kinds()]
    return block(*parts)


_INTRO = """\
Every field of article and actor files. This page is generated from the schema the
validator uses (`generator/data/schema.py`), as is the JSON Schema in `schemas/` that editors
use while typing, so the three always agree. How to write a briefing: the
[editor's guide](index.md).

A required field must be present and, for text, not empty; an optional one may be left
out. Any field not listed here is an error. Dates are written `YYYY-MM-DD`, `YYYY-MM` or
`YYYY`; ids and tags use lowercase letters `a-z`, digits and single hyphens."""


def _kind_sections(kind: str) -> list[str]:
    document = json_schema(kind)
    definitions: dict[str, Any] = document.get("definitions", {})
    anchors = _anchors(kind, document)
    sections = [
        f"## {KIND_TITLES[kind]}",
        f"{document.get('description', '').split(':')[0]}, in `{FOLDERS[kind]}`.",
        _table(document, anchors),
    ]
    for model, (anchor, title) in anchors.items():
        sections += [f"### {title} {{ #{anchor} }}", _table(definitions[model], anchors)]
    return sections


def _anchors(kind: str, document: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Definition name -> (anchor, heading) after the field that holds it."""
    found: dict[str, tuple[str, str]] = {}
    for name, node in document["properties"].items():
        found_shape = shape(node)
        if found_shape.kind == "mapping":
            found[found_shape.model] = (f"{kind}-{name}", f"`{name}`")
        elif found_shape.item is not None:
            # an item that is a mapping, or may be one (a key point: text or a mapping)
            for option in (found_shape.item, *found_shape.item.alternatives):
                if option.kind == "mapping":
                    written = " written as a mapping" if found_shape.item.alternatives else ""
                    found[option.model] = (f"{kind}-{name}", f"Each item of `{name}`{written}")
    return found


def _table(node: dict[str, Any], anchors: dict[str, tuple[str, str]]) -> str:
    required = set(node.get("required", []))
    rows = ["| Field | Required | Type | Meaning |", "|---|---|---|---|"]
    for name, prop in node["properties"].items():
        cells = [
            f"`{name}`",
            _required(name in required, prop),
            _words(shape(prop), anchors) + _at_least(prop),
            str(prop.get("description", "")).replace("|", "\\|"),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _required(required: bool, prop: dict[str, Any]) -> str:
    if required:
        return "yes"
    default = prop.get("default")
    if isinstance(default, bool):
        return f"no (default `{str(default).lower()}`)"
    if isinstance(default, str):
        return f"no (default `{default}`)"
    return "no"


def _at_least(prop: dict[str, Any]) -> str:
    minimum = prop.get("minItems")
    return f", at least {minimum}" if minimum else ""


def _words(found: Shape, anchors: dict[str, tuple[str, str]]) -> str:
    if found.alternatives:
        return " or ".join(_words(option, anchors) for option in found.alternatives)
    if found.kind == "mapping":
        return f"mapping: [fields below](#{anchors[found.model][0]})"
    if found.kind == "list" and found.item is not None:
        if found.item.kind == "mapping":
            return f"list of mappings: [fields below](#{anchors[found.item.model][0]})"
        return "list of " + _PLURAL.get(found.item.kind, _words(found.item, anchors))
    if found.choices == formats.RELATIONS:
        return "a [relation type](#relation-types)"
    if found.choices == formats.ACTOR_KINDS:
        return "an [actor kind](#actor-kinds)"
    if found.kind == "choice":
        return "one of " + ", ".join(f"`{choice}`" for choice in found.choices)
    return _SINGULAR[found.kind]


def _relation_types() -> str:
    rows = ["| Type | Reads | Direction |", "|---|---|---|"]
    for name in formats.RELATIONS:
        direction = (
            "symmetric: holds both ways"
            if name in formats.SYMMETRIC_RELATIONS
            else "directed: from `subject` to `object`"
        )
        rows.append(f"| `{name}` | {RELATION_WORDS[name]} | {direction} |")
    return "## Relation types { #relation-types }\n\n" + "\n".join(rows)


def _actor_kinds() -> str:
    kinds = ", ".join(f"`{kind}`" for kind in formats.ACTOR_KINDS)
    return f"## Actor kinds {{ #actor-kinds }}\n\nAn actor's `kind` is one of {kinds}."
