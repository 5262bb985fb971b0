"""`python -m generator new article|actor <id>`: a commented skeleton of a new file.

The skeleton is generated from the JSON Schema (itself generated from schema.py), so it
lists every field in the canonical order with its description. Required fields are
present and empty (`""`): the file is not valid until an editor fills them, and
`validate` names each one still empty ("must not be empty"), so no unfinished text can
reach a page. Optional fields are commented out; booleans show their default, so
uncommenting one asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator.data import sources
from generator.data.formats import id_problem
from generator.data.json_schema import FILES, Shape, json_schema, shape
from generator.data.load import read_document
from generator.data.sources import FOLDERS
from generator.problems import BriefingError, Problem

WIDTH = 88
# Text fields written as a block, so that an editor can type paragraphs under them.
BLOCK_TEXT = frozenset({"summary"})


class ScaffoldError(BriefingError):
    """The new file would clash with an existing one."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class _Context:
    definitions: dict[str, Any]
    today: dt.date | None  # None in commented-out fields: a date there is for the editor


def skeleton(kind: str, item_id: str, today: dt.date) -> str:
    """The text of a new `kind` file named `item_id`. Pure."""
    document = json_schema(kind)
    context = _Context(document.get("definitions", {}), today)
    lines = _header(kind, item_id)
    required = set(document.get("required", []))
    for name, node in document["properties"].items():
        lines.append("")
        lines += _comment(_description(node), "")
        live = name in required or _has_default(node)
        lines += _field(name, node, "", live=live, context=context)
    return "\n".join(lines) + "\n"


def _header(kind: str, item_id: str) -> list[str]:
    what = "Briefing" if kind == "article" else "Actor"
    lines = [
        f"# yaml-language-server: $schema=../../schemas/{FILES[kind]}",
        f"# {what} `{item_id}`, from `python -m generator new {kind} {item_id}`.",
        "#",
        '# Fill in every "" below: `python -m generator validate` names each field still',
        '# empty ("must not be empty"). Optional fields are commented out: remove the "# "',
        "# to use one. Every field is explained in docs/guide/fields.md (/guide/fields/).",
    ]
    if kind == "article":
        text = f"{sources.BRIEFINGS}/{sources.SOURCE_TEXTS}/{item_id}{sources.SOURCE_SUFFIX}"
        note = (
            f"Optional: the article's text in {text} (never published); `validate` then "
            "checks that every quote stands in it word for word."
        )
        lines += ["#", *_comment(note, "")]
    return lines


def _description(node: dict[str, Any]) -> str:
    text = str(node.get("description", ""))
    found = shape(node)
    if found.kind == "choice":
        text += " Choose from: " + ", ".join(found.choices) + "."
    return text


def _comment(text: str, indent: str) -> list[str]:
    width = WIDTH - len(indent) - 2
    return [
        f"{indent}# {line}"
        for line in textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)
    ]


def _has_default(node: dict[str, Any]) -> bool:
    """A default worth writing out, like a source's language `en` (not a choice's, like a
    date's basis `article`: left commented out, like a boolean at its default)."""
    return isinstance(node.get("default"), str) and "enum" not in node


def _field(
    name: str, node: dict[str, Any], indent: str, *, live: bool, context: _Context, note: str = ""
) -> list[str]:
    """The lines of one field, commented out unless `live`; its note trails the first line,
    or stands above the field when the line would grow too long."""
    if not live:
        context = replace(context, today=None)
    lines = _value_lines(name, node, indent, shape(node), context, optional_parts=live)
    if note and len(lines[0]) + len(note) + 4 <= WIDTH:
        lines[0] += f"  # {note}"
    elif note:
        lines = _comment(note, indent) + lines
    if live:
        return lines
    return [f"{indent}# {line[len(indent) :]}" for line in lines]


def _value_lines(
    name: str,
    node: dict[str, Any],
    indent: str,
    found: Shape,
    context: _Context,
    *,
    optional_parts: bool,
) -> list[str]:
    if found.alternatives:
        found = found.alternatives[0]
    if found.kind == "mapping":
        return [f"{indent}{name}:", *_mapping(found.model, indent + "  ", context, optional_parts)]
    if found.kind == "list" and found.item is not None:
        return [f"{indent}{name}:", *_item(found.item, indent + "  ", context, optional_parts)]
    return [f"{indent}{name}: {_scalar(name, node, found, context)}"]


def _scalar(name: str, node: dict[str, Any], found: Shape, context: _Context) -> str:
    if isinstance(node.get("default"), str):
        return str(node["default"])
    if found.kind == "date" and context.today is not None:
        return context.today.isoformat()
    if found.kind == "bool":
        return "false"
    return "|" if name in BLOCK_TEXT else '""'


def _mapping(model: str, indent: str, context: _Context, optional_parts: bool) -> list[str]:
    """The fields of a nested mapping, each with its description as a trailing comment;
    optional ones commented out when the mapping itself is written out."""
    definition = context.definitions[model]
    required = set(definition.get("required", []))
    lines: list[str] = []
    for name, node in definition["properties"].items():
        live = name in required or _has_default(node) or not optional_parts
        note = _description(node) + ("" if name in required else " (optional)")
        lines += _field(name, node, indent, live=live, context=context, note=note)
    return lines


def _item(found: Shape, indent: str, context: _Context, optional_parts: bool) -> list[str]:
    """One item of a list: `- ""`, or a mapping whose first line carries the dash."""
    if found.kind != "mapping":
        return [f'{indent}- ""']
    lines = _mapping(found.model, indent + "  ", context, optional_parts)
    first = lines[0]
    if first.startswith(indent + "  # "):  # the first field is optional and commented out
        return [f"{indent}-", *lines]
    return [f"{indent}- {first[len(indent) + 2 :]}", *lines[1:]]


def target(root: Path, kind: str, item_id: str) -> Path:
    return root / sources.BRIEFINGS / FOLDERS[kind] / f"{item_id}.yaml"


def _shown(kind: str, item_id: str) -> str:
    """The new file's path as users see it."""
    return f"{sources.BRIEFINGS}/{FOLDERS[kind]}/{item_id}.yaml"


def clash(root: Path, kind: str, item_id: str) -> Problem | None:
    """Why `item_id` cannot be the id of a new `kind` file, if it cannot: not an id or a
    reserved one, the folder is a link (nothing is written through one), something has the
    new file's name already (a link to nowhere too), a file has that name in any subfolder of
    articles/, or a file lists it among its former ids."""
    new = _shown(kind, item_id)
    wrong = id_problem(item_id)
    if wrong:
        return Problem(new, 1, 1, wrong)
    _, problem = sources.kind_folder(root, kind)
    if problem is not None:
        return problem
    if os.path.lexists(target(root, kind, item_id)):
        return Problem(new, 1, 1, "already exists: not overwritten; choose another id")
    files = [f for f in sources.find(root).files[kind] if f.suffix == ".yaml"]
    for file in files:
        if file.stem == item_id:
            return Problem(
                file.path, 1, 1, f"has the id `{item_id}`: not overwritten; choose another id"
            )
    for file in files:
        doc, _ = read_document(file.file, file.path)
        if doc is None or not isinstance(doc.data, dict):
            continue  # unreadable: validate reports it
        former = doc.data.get("former_ids")
        if isinstance(former, list) and item_id in former:
            return doc.problem(
                ("former_ids", former.index(item_id)),
                f"`{item_id}` is a former id of this file (its address redirects here); "
                "choose another id",
            )
    return None


def create(root: Path, kind: str, item_id: str, today: dt.date) -> Path:
    """Write the skeleton of a new file; never overwrite, never through a link. Raises
    ScaffoldError."""
    problem = clash(root, kind, item_id)
    if problem is not None:
        raise ScaffoldError(problem)
    path = target(root, kind, item_id)
    shown = _shown(kind, item_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # e.g. briefings/ is a file
        raise ScaffoldError(Problem(shown, 1, 1, f"cannot be written ({error.strerror})")) from None
    try:
        # "x": the file is created, or the call fails, also when its name is a link
        with path.open("x", encoding="utf-8", newline="\n") as stream:
            stream.write(skeleton(kind, item_id, today))
    except FileExistsError:  # created since the check
        raise ScaffoldError(Problem(shown, 1, 1, "already exists: not overwritten")) from None
    except OSError as error:
        raise ScaffoldError(Problem(shown, 1, 1, f"cannot be written ({error.strerror})")) from None
    return path
