"""The site record: what the site in place was built from (the builder, the docs folder's
files, the site's own files, every page's anchors), and the plan it makes possible: build
the site in full, only the pages that changed, or not at all (build/cache/site.json; see
publish/incremental.py for what the records share)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.publish.incremental import (
    FORMAT,
    Seen,
    file_digest,
    generator_fingerprint,
    read_json,
    seen,
    seen_value,
    text_value,
    write_json,
)
from generator.publish.mkdocs import PageAnchors

# What MkDocs' output depends on beside the pages: the builder's and the theme's versions.
BUILDER_PACKAGES = (
    "mkdocs",
    "mkdocs-material",
    "markdown",
    "pymdown-extensions",
    "pygments",
    "zensical",
)


def builder_fingerprint(config: str, overrides: Path | None, indexer: Path | None) -> str:
    """What the site depends on beside the pages: mkdocs.yml's values as MkDocs reads them
    (`config`: environment variables and inherited files included, see
    `mkdocs.config_values`), the theme overrides, the builder's and theme's versions, the
    search indexer's binary and the generator's own."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(generator_fingerprint().encode())
    hasher.update(f"indexer={file_digest(indexer) if indexer else None};".encode())
    for package in BUILDER_PACKAGES:
        try:
            hasher.update(f"{package}={metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            hasher.update(f"{package}=;".encode())
    hasher.update(config.encode("utf-8", "surrogatepass"))
    hasher.update(b"\0")
    if overrides is not None and overrides.is_dir():
        for file in sorted(overrides.rglob("*")):
            if file.is_file():
                hasher.update(file.relative_to(overrides).as_posix().encode())
                hasher.update(b"\0")
                hasher.update(file.read_bytes())
    return hasher.hexdigest()


@dataclass(frozen=True)
class SiteRecord:
    """What the site in place was built from: the builder's fingerprint, whether strictly,
    and every file of the docs folder then; and every file of the site folder it made (a
    file another tool added, removed or rewrote, at any depth, makes the site another one;
    the same site restored elsewhere, by CI's cache, has other times but the same digests)."""

    builder: str
    strict: bool
    docs: Mapping[str, Seen]
    site: Mapping[str, Seen]
    anchors: Mapping[str, PageAnchors]

    @classmethod
    def load(cls, file: Path) -> SiteRecord | None:
        value = read_json(file)
        try:
            if not (isinstance(value, dict) and value.get("format") == FORMAT):
                return None
            strict = value["strict"]
            if not isinstance(strict, bool):
                return None
            return cls(
                text_value(value["builder"]),
                strict,
                {text_value(path): seen_value(seen) for path, seen in value["docs"].items()},
                {text_value(path): seen_value(seen) for path, seen in value["site"].items()},
                {text_value(path): _anchors(page) for path, page in value["anchors"].items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def save(self, file: Path) -> None:
        write_json(
            file,
            {
                "format": FORMAT,
                "builder": self.builder,
                "strict": self.strict,
                "docs": dict(self.docs),
                "site": dict(self.site),
                "anchors": {
                    path: [sorted(page.ids), page.links] for path, page in self.anchors.items()
                },
            },
        )


def _anchors(value: Any) -> PageAnchors:
    ids, links = value
    return PageAnchors(
        frozenset(text_value(anchor) for anchor in ids),
        {
            text_value(path): {
                text_value(anchor): text_value(link) for anchor, link in found.items()
            }
            for path, found in links.items()
        },
    )


def _files(folder: Path) -> list[tuple[str, Path]]:
    found = []
    for where, _, names in os.walk(folder):
        for name in names:
            file = Path(where) / name
            found.append((file.relative_to(folder).as_posix(), file))
    return sorted(found)


def folder_state(folder: Path, known: Mapping[str, Seen]) -> dict[str, Seen]:
    """Every file under `folder` (digests read only for files whose stat is not the one
    `known` has for them)."""
    state: dict[str, Seen] = {}
    for path, file in _files(folder):
        found = seen(file, known.get(path))
        if found is not None:
            state[path] = found
    return state


def same_files(now: Mapping[str, Seen], before: Mapping[str, Seen]) -> bool:
    """The same paths with the same contents (times aside)."""
    return now.keys() == before.keys() and all(now[p][2] == before[p][2] for p in now)


@dataclass(frozen=True)
class SitePlan:
    """How to build the site: in full (with the reason), or from the previous site with
    only `changed` docs files (paths) built again; `unchanged` when nothing is to do.
    `site`: the files of the site in place, when it is the recorded one."""

    full: str | None
    changed: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    site: Mapping[str, Seen] = field(default_factory=dict)

    @property
    def unchanged(self) -> bool:
        return self.full is None and not self.changed and not self.removed


def plan_site(
    record: SiteRecord | None,
    builder: str,
    *,
    strict: bool,
    docs: Mapping[str, Seen],
    site: Path,
    hand_written: frozenset[str] = frozenset(),
) -> SitePlan:
    """Full, partial or nothing: partial only when the site in place is the one recorded
    (every file: its stat, or its digest where the stat changed), built by the same builder,
    and the docs folder's changes since are known.

    A generated page links only to pages of the same corpus, so it changes whenever one of
    its links would break; a hand-written page (`hand_written`: paths in the docs folder)
    does not, so whenever anything changed, those are built again too (a few pages), and
    MkDocs checks their links as a full build would. (Links to anchors are checked for
    every page, see `mkdocs.build_site`.)"""
    if record is None:
        return SitePlan("no record of the previous site")
    if record.builder != builder:
        return SitePlan("mkdocs.yml, overrides/, the generator or the builder changed")
    if record.strict != strict:
        return SitePlan("--no-strict changed")
    found = folder_state(site, record.site)
    if not same_files(found, record.site):
        return SitePlan("the site folder is not the one the last build made")
    changed = frozenset(
        path
        for path, now in docs.items()
        if path not in record.docs or record.docs[path][2] != now[2]
    )
    removed = frozenset(path for path in record.docs if path not in docs)
    if changed or removed:
        changed |= hand_written & docs.keys()
    return SitePlan(None, changed, removed, found)
