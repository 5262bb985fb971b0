"""`python -m generator diff BASE [HEAD]`: what changed in the data, not in the text of files.

Briefings and actors added, removed or renamed (a new file whose `former_ids` holds a
removed id), fields changed with their old and new values, list items added and removed
(events matched by `id`, relations by subject, type and object...), events re-dated,
references that dangle now and did not before, and the site pages that change. Comparing
two snapshots is pure; revisions.py reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import addresses
from generator.characters import Loc
from generator.data import schema
from generator.data.check import label
from generator.data.load import Document, values_at
from generator.data.sources import KINDS
from generator.editor.changes import Change, compare_data, show
from generator.editor.revisions import Snapshot
from generator.problems import Problem

REFERENCES = {kind: schema.actor_references(model) for kind, model in schema.MODELS.items()}
"""Where each kind of file names actors (from the schema's `ActorRef` fields)."""


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
                if not (c.field == "former_ids" and c.action == "added" and c.new == show(old))
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


def _references(snapshot: Snapshot) -> list[tuple[str, str, Document, Loc, str]]:
    """(kind, id, document, place, actor id) of every actor reference in the snapshot."""
    found = []
    for kind in KINDS:
        for item_id, doc in sorted(snapshot.documents[kind].items()):
            for pattern in REFERENCES[kind]:
                for loc, value in values_at(doc.data, pattern):
                    if isinstance(value, str):
                        found.append((kind, item_id, doc, loc, value))
    return found


def _new_dangling(base: Snapshot, head: Snapshot, renamed: dict[str, str]) -> list[Problem]:
    """References to actors that HEAD does not have, unless they dangled at BASE too."""
    actors = head.actor_ids
    before = {
        (kind, item_id, target)
        for kind, item_id, _, _, target in _references(base)
        if target not in base.actor_ids
    }
    problems = []
    for kind, item_id, doc, loc, target in _references(head):
        if target in actors or (kind, item_id, target) in before:
            continue
        if target in renamed:
            why = f" (renamed to `{renamed[target]}`)"
        elif target in base.actor_ids:
            why = " (removed)"
        else:
            why = ""
        problems.append(doc.problem(loc, f"`{label(loc)}`: no actor `{target}`{why}"))
    return sorted(problems)


def _pages(base: dict[str, str] | None, head: dict[str, str] | None) -> PageChanges | None:
    if base is None or head is None:
        return None
    return PageChanges(
        added=tuple(sorted(addresses.site_path(p) for p in set(head) - set(base))),
        removed=tuple(sorted(addresses.site_path(p) for p in set(base) - set(head))),
        changed=tuple(
            sorted(addresses.site_path(p) for p in set(base) & set(head) if base[p] != head[p])
        ),
    )
