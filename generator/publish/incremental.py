"""What makes a build incremental: the record of the last build's units (what each read
and wrote, see model/trace.py) and of the site it made, both under build/cache/.

Both records are caches: a missing, unreadable, foreign or stale one makes the build do
the full work, never a wrong one. They are plain JSON (no pickle: a cache file is read as
untrusted input) and are written atomically after the output they describe. A record is
used only when it is one the build could have written (paths inside the docs folder, each
file by one unit, units that read something); beyond that, what it says a unit read is
taken as said, as the files of build/ are: `build --full`, or deleting build/, starts over.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import generator
from generator.model.corpus import Corpus
from generator.model.trace import Digests, Read, Unit, traced
from generator.publish.mkdocs import PageAnchors

FORMAT = 3
PACKAGE = Path(generator.__file__).parent
# What MkDocs' output depends on beside the pages: the builder's and the theme's versions.
BUILDER_PACKAGES = (
    "mkdocs",
    "mkdocs-material",
    "markdown",
    "pymdown-extensions",
    "pygments",
    "zensical",
)

Stat = tuple[int, int]
"""A written file's size and modification time (ns): it changes whenever the writer
replaces the file (a new file each time, see publish/write.py)."""

Seen = tuple[int, int, str]
"""A file's size, modification time (ns) and content digest. Its stat is checked first;
only a file whose stat differs is read, and it is the same file when its digest is (a
cache restored by CI, say, has the same files with other times)."""


def generator_fingerprint() -> str:
    """The generator's version and a hash of its own code and assets: a checkout with an
    edited renderer or template is another generator, whatever its version says."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(generator.__version__.encode())
    for file in sorted(PACKAGE.rglob("*")):
        if file.is_file() and file.suffix in {".py", ".css", ".js", ".svg", ".html"}:
            hasher.update(file.relative_to(PACKAGE).as_posix().encode())
            hasher.update(b"\0")
            hasher.update(file.read_bytes())
    return hasher.hexdigest()


def stat_of(file: Path) -> Stat | None:
    try:
        found = file.stat()
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns)


def digest_of(content: bytes) -> str:
    return hashlib.blake2b(content, digest_size=16).hexdigest()


def file_digest(file: Path) -> str | None:
    try:
        return digest_of(file.read_bytes())
    except OSError:
        return None


def seen(file: Path, before: Seen | None = None) -> Seen | None:
    """`file`'s size, time and digest (the digest of `before` when its stat is the same)."""
    stat = stat_of(file)
    if stat is None:
        return None
    if before is not None and before[:2] == stat:
        return before
    digest = file_digest(file)
    return None if digest is None else (*stat, digest)


@dataclass(frozen=True)
class Recorded:
    """One unit of the last build: the digest of its reads, the reads, its files' stats."""

    digest: str
    reads: tuple[Read, ...]
    files: Mapping[str, Seen]


@dataclass
class Rendered:
    """A generation's files: those rendered now (path -> text) and those kept as the last
    build wrote them (path -> the unit that wrote them), with what to record."""

    files: dict[str, str] = field(default_factory=dict)
    kept: dict[str, str] = field(default_factory=dict)
    units: dict[str, tuple[str, tuple[Read, ...], dict[str, str]]] = field(default_factory=dict)
    reused: dict[str, Recorded] = field(default_factory=dict)
    refreshed: bool = False

    @property
    def rendered_units(self) -> int:
        return len(self.units)


def _read_json(file: Path) -> Any:
    try:
        return json.loads(file.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None


def _write_json(file: Path, value: Any) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(value, stream, ensure_ascii=False, separators=(",", ":"))
        Path(temporary).replace(file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class PageMemo:
    """The units of the last generation, if it was made with the same `key` (the generator
    and the site's settings)."""

    def __init__(self, file: Path, key: str, units: dict[str, Recorded]) -> None:
        self.file = file
        self.key = key
        self.units = units

    @classmethod
    def load(cls, file: Path, key: str) -> PageMemo:
        return cls(file, key, _parse_units(_read_json(file), key))

    @classmethod
    def empty(cls, file: Path, key: str) -> PageMemo:
        return cls(file, key, {})

    def render(
        self, corpus: Corpus, units: Iterable[Unit], docs: Path, taken: Set[str] = frozenset()
    ) -> Rendered:
        """Render each unit whose reads changed since it was recorded (or that is new, or
        whose files are not as it left them); keep the others' files. `taken`: the docs
        folder's other files (hand-written pages, assets). A record that has a unit keep a
        file another unit now renders, or one of `taken`, is not one `save` wrote for these
        units: it is ignored, and every unit rendered."""
        units = list(units)
        out = self._render(corpus, units, docs)
        if self.units and not out.kept.keys().isdisjoint(out.files.keys() | taken):
            return PageMemo.empty(self.file, self.key).render(corpus, units, docs)
        return out

    def _render(self, corpus: Corpus, units: list[Unit], docs: Path) -> Rendered:
        digests = Digests(corpus)
        out = Rendered()
        for unit in units:
            before = self.units.get(unit.key)
            if before is not None and digests.of_all(before.reads) == before.digest:
                now = {path: seen(docs / path, was) for path, was in before.files.items()}
                if all(
                    found is not None and found[2] == before.files[path][2]
                    for path, found in now.items()
                ):
                    kept = {path: found for path, found in now.items() if found is not None}
                    if kept != before.files:  # the same files, other times (a restore)
                        before = Recorded(before.digest, before.reads, kept)
                        out.refreshed = True
                    out.reused[unit.key] = before
                    for path in before.files:
                        out.kept[path] = unit.key
                    continue
            files, reads = traced(corpus, unit.make)
            out.files.update(files)
            if reads and files:  # else nothing could tell when to render it again
                ordered = tuple(sorted(reads))
                written = {path: digest_of(text.encode("utf-8")) for path, text in files.items()}
                out.units[unit.key] = (digests.of_all(ordered), ordered, written)
        return out

    def save(self, rendered: Rendered, docs: Path) -> None:
        """Record the units of a generation once its files are written (their stats now)."""
        units: dict[str, Any] = {}
        for key, recorded in rendered.reused.items():
            units[key] = [recorded.digest, [_READ.join(r) for r in recorded.reads], recorded.files]
        for key, (digest, reads, written) in rendered.units.items():
            files: dict[str, Seen] = {}
            for path, content in written.items():
                stat = stat_of(docs / path)
                if stat is None:
                    break
                files[path] = (*stat, content)
            else:
                units[key] = [digest, [_READ.join(r) for r in reads], files]
        if not rendered.units and not rendered.refreshed and units.keys() == self.units.keys():
            return  # the record on disk already says all of this
        _write_json(self.file, {"format": FORMAT, "key": self.key, "units": units})


def _parse_units(value: Any, key: str) -> dict[str, Recorded]:
    """The recorded units of a memo file, or none when it is not exactly what `save`
    writes for this key: anything else is ignored, never trusted. `save` records only units
    that read something and wrote something, each file by its own plain path in the docs
    folder, no file by two units."""
    if not (
        isinstance(value, dict)
        and value.get("format") == FORMAT
        and value.get("key") == key
        and isinstance(value.get("units"), dict)
    ):
        return {}
    units: dict[str, Recorded] = {}
    claimed: set[str] = set()
    for name, item in value["units"].items():
        try:
            digest, reads, files = item
            recorded = Recorded(
                _text(digest),
                tuple(_read(r) for r in reads),
                {_path(path): _seen(stat) for path, stat in files.items()},
            )
        except (TypeError, ValueError, AttributeError):
            return {}
        if not (recorded.reads and recorded.files) or not claimed.isdisjoint(recorded.files):
            return {}
        claimed.update(recorded.files)
        units[name] = recorded
    return units


def _path(value: Any) -> str:
    """A file's path in the docs folder as the writer takes it: relative, `/` between its
    names, none of them empty, `.` or `..` (nothing that leads out of the folder)."""
    path = _text(value)
    names = path.split("/")
    if "\\" in path or "\0" in path or any(name in ("", ".", "..") for name in names):
        raise ValueError(path)
    return path


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


_READ = "\t"
"""Between a read's field and key in the record (no field name has one)."""


def _read(value: Any) -> Read:
    read = tuple(_text(value).split(_READ, 1))
    if read[0] not in _CORPUS_FIELDS:
        raise ValueError(read)
    return read


def _seen(value: Any) -> Seen:
    if not (
        isinstance(value, list)
        and len(value) == 3
        and type(value[0]) is int
        and type(value[1]) is int
        and isinstance(value[2], str)
    ):
        raise ValueError(value)
    return (value[0], value[1], value[2])


_CORPUS_FIELDS = frozenset(Corpus.__dataclass_fields__)


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
        value = _read_json(file)
        try:
            if not (isinstance(value, dict) and value.get("format") == FORMAT):
                return None
            strict = value["strict"]
            if not isinstance(strict, bool):
                return None
            return cls(
                _text(value["builder"]),
                strict,
                {_text(path): _seen(seen) for path, seen in value["docs"].items()},
                {_text(path): _seen(seen) for path, seen in value["site"].items()},
                {_text(path): _anchors(page) for path, page in value["anchors"].items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def save(self, file: Path) -> None:
        _write_json(
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
        frozenset(_text(anchor) for anchor in ids),
        {
            _text(path): {_text(anchor): _text(link) for anchor, link in found.items()}
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
