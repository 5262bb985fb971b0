"""Field-level changes between two versions of one file's raw data, for `diff`.

Fields are compared in the canonical order; nested mappings field by field; plain lists
item by item; lists of mappings (actors, events, relations...) matched on each item's
identity, so that a reordered list is no change and a re-dated event is one. Pure.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.data import formats, schema

MAX_SHOWN = 100  # characters of a text value shown in a change
_MISSING = object()
FIELD_ORDER = {
    "article": list(schema.Article.model_fields),
    "actor": list(schema.Actor.model_fields),
}


@dataclass(frozen=True)
class Change:
    """One difference inside a file: `field` changed, or an item of it added, removed..."""

    field: str
    action: str  # changed, added, removed, re-dated, reordered
    old: str = ""
    new: str = ""
    subject: str = ""  # the item re-dated


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
    if isinstance(old, str) and isinstance(new, str):
        return [Change(name, "changed", *_show_difference(old, new))]
    if show(old) == show(new):  # e.g. a date written with or without quotes
        return []
    return [Change(name, "changed", show(old), show(new))]


def _show_difference(old: str, new: str) -> tuple[str, str]:
    """Two texts shown from a little before their first difference, so that a change past
    the part `_show` keeps is still visible."""
    old, new = re.sub(r"\s+", " ", old).strip(), re.sub(r"\s+", " ", new).strip()
    same = next(
        (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
        min(len(old), len(new)),
    )
    start = max(0, same - MAX_SHOWN // 3) if max(len(old), len(new)) > MAX_SHOWN else 0
    start = old.rfind(" ", 0, start) + 1  # from the start of a word
    if start == 0:
        return show(old), show(new)
    return show("…" + old[start:]), show("…" + new[start:])


def _both(old: Any, new: Any, kind: type) -> bool:
    """Both values are of `kind`, or one is and the other is absent."""
    values = [v for v in (old, new) if v is not _MISSING]
    return bool(values) and all(isinstance(v, kind) for v in values)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _compare_plain_list(name: str, old: list[Any], new: list[Any]) -> list[Change]:
    old_shown, new_shown = [show(v) for v in old], [show(v) for v in new]
    changes = [Change(name, "added", new=v) for v in new_shown if v not in old_shown]
    changes += [Change(name, "removed", old=v) for v in old_shown if v not in new_shown]
    if not changes and old_shown != new_shown:
        changes.append(Change(name, "reordered"))
    return changes


def _compare_keyed(name: str, old: list[Any], new: list[Any]) -> list[Change]:
    """Lists of mappings matched item by item on their identity (KEYED)."""
    describe_item, key_of = KEYED[name]
    if name == "key_points":  # text or `{text, according_to}`: the same point either way
        old, new = [_as_point(p) for p in old], [_as_point(p) for p in new]

    def describe(item: Any) -> str:
        return describe_item(item) if isinstance(item, dict) else show(item)

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
        return [Change(name, "changed", show(old), show(new))]
    changes: list[Change] = []
    if name == "events" and (old.get("date"), old.get("circa")) != (
        new.get("date"),
        new.get("circa"),
    ):
        changes.append(Change(name, "re-dated", _event_date(old), _event_date(new), key))
        old = {k: v for k, v in old.items() if k not in ("date", "circa")}
        new = {k: v for k, v in new.items() if k not in ("date", "circa")}
    identity = KEY_FIELDS.get(name, ())  # matched on these: only the other fields can differ
    old = {k: v for k, v in old.items() if k not in identity}
    new = {k: v for k, v in new.items() if k not in identity}
    return changes + _compare_value(f"{name}[{key}]", old, new)


def _keyed(items: list[Any], key_of: Callable[[Any], str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in items:
        key = key_of(item) if isinstance(item, dict) else show(item)
        unique, count = key, 1
        while unique in found:
            count += 1
            unique = f"{key} #{count}"
        found[unique] = item
    return found


def _text(item: dict[str, Any], name: str) -> str:
    value = item.get(name)
    return value if isinstance(value, str) else show(value)


def _short(text: str, limit: int = 40) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _event_key(item: dict[str, Any]) -> str:
    return _text(item, "id") if item.get("id") else f'"{_short(_text(item, "what"))}"'


def _event_date(item: dict[str, Any]) -> str:
    return ("c. " if item.get("circa") is True else "") + show(item.get("date"))


def _relation_key(item: dict[str, Any]) -> str:
    subject, relation, obj = (_text(item, k) for k in ("subject", "relation", "object"))
    if relation in formats.SYMMETRIC_RELATIONS and obj < subject:
        subject, obj = obj, subject
    return f"{subject} {relation} {obj}"


def _as_point(item: Any) -> Any:
    return {"text": item} if isinstance(item, str) else item


def _point(item: dict[str, Any]) -> str:
    claimants = item.get("according_to")
    shown = show(item.get("text"))
    if isinstance(claimants, list) and claimants:
        shown += f" (according to {', '.join(show(c) for c in claimants)})"
    return shown


def _position_key(item: dict[str, Any]) -> str:
    return f'"{_text(item, "title")}"' + (f" of {_text(item, 'of')}" if item.get("of") else "")


# field -> (how an added or removed item reads, the identity that matches old and new items)
KEYED: dict[str, tuple[Callable[[Any], str], Callable[[Any], str]]] = {
    "key_points": (_point, lambda p: f'"{_short(_text(p, "text"))}"'),
    "actors": (
        lambda a: f"{_text(a, 'actor')}: {show(a.get('role'))}",
        lambda a: _text(a, "actor"),
    ),
    "events": (
        lambda e: (
            f"{_event_date(e)} {show(e.get('what'))}"
            + (f" ({_text(e, 'id')})" if e.get("id") else "")
        ),
        _event_key,
    ),
    "relations": (_relation_key, _relation_key),
    "quotes": (
        lambda q: f"{_text(q, 'by')}: {show(q.get('text'))}",
        lambda q: f'{_text(q, "by")}: "{_short(_text(q, "text"))}"',
    ),
    "positions": (_position_key, _position_key),
    "links": (
        lambda link: f"{show(link.get('title'))} {_text(link, 'url')}",
        lambda link: _text(link, "url"),
    ),
}


KEY_FIELDS = {
    "key_points": ("text",),
    "actors": ("actor",),
    "relations": ("subject", "relation", "object"),
    "quotes": ("by", "text"),
    "positions": ("title", "of"),
    "links": ("url",),
}


def show(value: Any) -> str:
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
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    return str(value)
