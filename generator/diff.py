"""`python -m generator diff BASE [HEAD]`: what changed in the data, not in the text of files.

Briefings and actors added, removed or renamed (a new file whose `former_ids` holds a
removed id), fields changed with their old and new values, list items added and removed
(events matched by `id`, relations by subject, type and object...), events re-dated,
references that dangle now and did not before, and the site pages that change. Comparing
two snapshots is pure; revisions.py reads them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator import schema
from generator.load import Document, Loc
from generator.problems import Problem
from generator.revisions import KINDS, Snapshot

MAX_SHOWN = 100  # characters of a text value shown in a change
_MISSING = object()
FIELD_ORDER = {
    "article": list(schema.Article.model_fields),
    "actor": list(schema.Actor.model_fields),
}
REFERENCES: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (
        ("actors", "*", "actor"),
        ("events", "*", "actors", "*"),
        ("relations", "*", "subject"),
        ("relations", "*", "object"),
        ("quotes", "*", "by"),
    ),
    "actor": (("country",), ("positions", "*", "of")),
}


@dataclass(frozen=True)
class Change:
    """One difference inside a file: `field` changed, or an item of it added, removed..."""

    field: str
    action: str  # changed, added, removed, re-dated, reordered
    old: str = ""
    new: str = ""
    subject: str = ""  # the item re-dated


@dataclass(frozen=True)
class EntityChange:
    """A briefing or actor added, removed, renamed or changed."""

    kind: str  # article or actor
    status: str  # added, removed, renamed, changed
    id: str
    path: str
    name: str  # its title or name
    old_id: str = ""
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class PageChanges:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]


@dataclass(frozen=True)
class DataDiff:
    base: str
    head: str
    entities: tuple[EntityChange, ...]
    dangling: tuple[Problem, ...]
    pages: PageChanges | None  # None when either side does not validate
    base_errors: int
    head_errors: int
    unreadable: tuple[Problem, ...]  # files at HEAD that cannot be read at all

    def of_kind(self, kind: str) -> list[EntityChange]:
        return [entity for entity in self.entities if entity.kind == kind]


STATUS_ORDER = ("added", "removed", "renamed", "changed")


def compare(base: Snapshot, head: Snapshot) -> DataDiff:
    """Everything that differs between two snapshots of the data. Pure."""
    entities: list[EntityChange] = []
    renames: dict[str, dict[str, str]] = {}
    for kind in KINDS:
        found, renames[kind] = _entities(kind, base.documents[kind], head.documents[kind])
        entities += sorted(found, key=lambda e: (STATUS_ORDER.index(e.status), e.id))
    return DataDiff(
        base=base.label,
        head=head.label,
        entities=tuple(entities),
        dangling=tuple(_new_dangling(base, head, renames["actor"])),
        pages=_pages(base.pages, head.pages),
        base_errors=len(base.errors),
        head_errors=len(head.errors),
        unreadable=tuple(sorted(head.unreadable)),
    )


def _entities(
    kind: str, base: dict[str, Document], head: dict[str, Document]
) -> tuple[list[EntityChange], dict[str, str]]:
    removed = sorted(set(base) - set(head))
    added = sorted(set(head) - set(base))
    renames: dict[str, str] = {}  # old id -> new id
    for new in added:
        for old in _former_ids(head[new]):
            if old in removed and old not in renames:
                renames[old] = new
    found: list[EntityChange] = []
    for item_id in sorted(set(base) & set(head)):
        old_doc, new_doc = base[item_id], head[item_id]
        changes = compare_data(kind, old_doc.data, new_doc.data)
        if old_doc.path != new_doc.path:
            changes.insert(0, Change("file", "changed", old_doc.path, new_doc.path))
        if changes:
            found.append(_entity(kind, "changed", new_doc, item_id, changes=changes))
    new_to_old = {new: old for old, new in renames.items()}
    for new in added:
        if new in new_to_old:
            old = new_to_old[new]
            changes = [
                c
                for c in compare_data(kind, base[old].data, head[new].data)
                if not (c.field == "former_ids" and c.action == "added" and c.new == _show(old))
            ]
            found.append(_entity(kind, "renamed", head[new], new, old_id=old, changes=changes))
        else:
            found.append(_entity(kind, "added", head[new], new))
    for old in removed:
        if old not in renames:
            found.append(_entity(kind, "removed", base[old], old))
    return found, renames


def _entity(
    kind: str,
    status: str,
    doc: Document,
    item_id: str,
    *,
    old_id: str = "",
    changes: list[Change] | None = None,
) -> EntityChange:
    name = doc.data.get("title" if kind == "article" else "name")
    return EntityChange(
        kind,
        status,
        item_id,
        doc.path,
        name if isinstance(name, str) else "",
        old_id,
        tuple(changes or ()),
    )


def _former_ids(doc: Document) -> list[str]:
    former = doc.data.get("former_ids")
    return [old for old in former if isinstance(old, str)] if isinstance(former, list) else []


def compare_data(kind: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The changes between two versions of one file's data, fields in canonical order."""
    order = FIELD_ORDER[kind]
    names = [n for n in order if n in old or n in new]
    names += sorted((set(old) | set(new)) - set(order))
    changes: list[Change] = []
    for name in names:
        changes += _compare_value(name, old.get(name, _MISSING), new.get(name, _MISSING))
    return changes


def _compare_value(name: str, old: Any, new: Any) -> list[Change]:
    if old == new and type(old) is type(new):
        return []
    if _both(old, new, list):
        if name in KEYED:  # top-level lists of mappings only: `events[x].actors` is plain
            return _compare_keyed(name, _as_list(old), _as_list(new))
        return _compare_plain_list(name, _as_list(old), _as_list(new))
    if _both(old, new, dict):
        old, new = old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}
        keys = list(dict.fromkeys([*old, *new]))
        return [
            change
            for key in keys
            for change in _compare_value(
                f"{name}.{key}", old.get(key, _MISSING), new.get(key, _MISSING)
            )
        ]
    if _show(old) == _show(new):
        return []
    return [Change(name, "changed", _show(old), _show(new))]


def _both(old: Any, new: Any, kind: type) -> bool:
    """Both values are of `kind`, or one is and the other is absent."""
    values = [v for v in (old, new) if v is not _MISSING]
    return bool(values) and all(isinstance(v, kind) for v in values)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _compare_plain_list(name: str, old: list[Any], new: list[Any]) -> list[Change]:
    old_shown, new_shown = [_show(v) for v in old], [_show(v) for v in new]
    changes = [Change(name, "added", new=v) for v in new_shown if v not in old_shown]
    changes += [Change(name, "removed", old=v) for v in old_shown if v not in new_shown]
    if not changes and old_shown != new_shown:
        changes.append(Change(name, "reordered"))
    return changes


def _compare_keyed(name: str, old: list[Any], new: list[Any]) -> list[Change]:
    """Lists of mappings matched item by item on their identity (KEYED)."""
    describe_item, key_of = KEYED[name]

    def describe(item: Any) -> str:
        return describe_item(item) if isinstance(item, dict) else _show(item)

    old_items, new_items = _keyed(old, key_of), _keyed(new, key_of)
    changes = [
        Change(name, "added", new=describe(v)) for k, v in new_items.items() if k not in old_items
    ]
    changes += [
        Change(name, "removed", old=describe(v)) for k, v in old_items.items() if k not in new_items
    ]
    for key, new_item in new_items.items():
        old_item = old_items.get(key)
        if old_item is not None and old_item != new_item:
            changes += _compare_item(name, key, old_item, new_item)
    return changes


def _compare_item(name: str, key: str, old: Any, new: Any) -> list[Change]:
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return [Change(name, "changed", _show(old), _show(new))]
    changes: list[Change] = []
    if name == "events" and (old.get("date"), old.get("circa")) != (
        new.get("date"),
        new.get("circa"),
    ):
        changes.append(Change(name, "re-dated", _event_date(old), _event_date(new), key))
        old = {k: v for k, v in old.items() if k not in ("date", "circa")}
        new = {k: v for k, v in new.items() if k not in ("date", "circa")}
    return changes + _compare_value(f"{name}[{key}]", old, new)


def _keyed(items: list[Any], key_of: Callable[[Any], str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in items:
        key = key_of(item) if isinstance(item, dict) else _show(item)
        unique, count = key, 1
        while unique in found:
            count += 1
            unique = f"{key} #{count}"
        found[unique] = item
    return found


def _text(item: dict[str, Any], name: str) -> str:
    value = item.get(name)
    return value if isinstance(value, str) else _show(value)


def _short(text: str, limit: int = 40) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _event_key(item: dict[str, Any]) -> str:
    return _text(item, "id") if item.get("id") else f'"{_short(_text(item, "what"))}"'


def _event_date(item: dict[str, Any]) -> str:
    return ("c. " if item.get("circa") is True else "") + _show(item.get("date"))


def _relation_key(item: dict[str, Any]) -> str:
    subject, relation, obj = (_text(item, k) for k in ("subject", "relation", "object"))
    if relation in schema.SYMMETRIC_RELATIONS and obj < subject:
        subject, obj = obj, subject
    return f"{subject} {relation} {obj}"


def _position_key(item: dict[str, Any]) -> str:
    return f'"{_text(item, "title")}"' + (f" of {_text(item, 'of')}" if item.get("of") else "")


# field -> (how an added or removed item reads, the identity that matches old and new items)
KEYED: dict[str, tuple[Callable[[Any], str], Callable[[Any], str]]] = {
    "actors": (
        lambda a: f"{_text(a, 'actor')}: {_show(a.get('role'))}",
        lambda a: _text(a, "actor"),
    ),
    "events": (
        lambda e: (
            f"{_event_date(e)} {_show(e.get('what'))}"
            + (f" ({_text(e, 'id')})" if e.get("id") else "")
        ),
        _event_key,
    ),
    "relations": (_relation_key, _relation_key),
    "quotes": (
        lambda q: f"{_text(q, 'by')}: {_show(q.get('text'))}",
        lambda q: f'{_text(q, "by")}: "{_short(_text(q, "text"))}"',
    ),
    "positions": (_position_key, _position_key),
    "links": (
        lambda link: f"{_show(link.get('title'))} {_text(link, 'url')}",
        lambda link: _text(link, "url"),
    ),
}


def _show(value: Any) -> str:
    """A value as a change shows it: text quoted and shortened, dates in ISO form."""
    if value is _MISSING or value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(_short(value, MAX_SHOWN), ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    return str(value)


def _references(snapshot: Snapshot) -> list[tuple[str, str, Document, Loc, str]]:
    """(kind, id, document, place, actor id) of every actor reference in the snapshot."""
    found = []
    for kind in KINDS:
        for item_id, doc in sorted(snapshot.documents[kind].items()):
            for pattern in REFERENCES[kind]:
                for loc, value in _values_at(doc.data, pattern):
                    if isinstance(value, str):
                        found.append((kind, item_id, doc, loc, value))
    return found


def _values_at(data: Any, pattern: tuple[str, ...], loc: Loc = ()) -> list[tuple[Loc, Any]]:
    if not pattern:
        return [(loc, data)]
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        items = list(enumerate(data)) if isinstance(data, list) else []
        return [found for i, item in items for found in _values_at(item, rest, (*loc, i))]
    if isinstance(data, dict) and head in data:
        return _values_at(data[head], rest, (*loc, head))
    return []


def _new_dangling(base: Snapshot, head: Snapshot, renamed: dict[str, str]) -> list[Problem]:
    """References to actors that HEAD does not have, unless they dangled at BASE too."""
    actors = head.documents["actor"]
    before = {
        (kind, item_id, target)
        for kind, item_id, _, _, target in _references(base)
        if target not in base.documents["actor"]
    }
    problems = []
    for kind, item_id, doc, loc, target in _references(head):
        if target in actors or (kind, item_id, target) in before:
            continue
        if target in renamed:
            why = f" (renamed to `{renamed[target]}`)"
        elif target in base.documents["actor"]:
            why = " (removed)"
        else:
            why = ""
        problems.append(doc.problem(loc, f"`{_label(loc)}`: no actor `{target}`{why}"))
    return sorted(problems)


def _label(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _pages(base: dict[str, str] | None, head: dict[str, str] | None) -> PageChanges | None:
    if base is None or head is None:
        return None
    return PageChanges(
        added=tuple(page_url(p) for p in sorted(set(head) - set(base))),
        removed=tuple(page_url(p) for p in sorted(set(base) - set(head))),
        changed=tuple(page_url(p) for p in sorted(set(base) & set(head)) if base[p] != head[p]),
    )


def page_url(path: str) -> str:
    """A generated file's docs path -> its address on the site."""
    for suffix in ("index.md", "index.html"):
        if path == suffix or path.endswith("/" + suffix):
            return "/" + path[: -len(suffix)]
    if path.endswith(".md"):
        return f"/{path[:-3]}/"
    return f"/{path}"
