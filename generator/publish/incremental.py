"""What makes a build incremental: the record of the last build's units (what each read
and wrote, see model/trace.py) and of the site it made, both under build/cache/.

Both records are caches: a missing, unreadable, foreign or stale one makes the build do
the full work, never a wrong one. They are plain JSON (no pickle: a cache file is read as
untrusted input) and are written atomically after the output they describe.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import generator
from generator.model.corpus import Corpus
from generator.model.trace import Digests, Read, Unit, traced

FORMAT = 1
PACKAGE = Path(generator.__file__).parent
# What MkDocs' output depends on beside the pages: the builder's and the theme's versions.
BUILDER_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "pygments")

Stat = tuple[int, int]
"""A written file's size and modification time (ns): it changes whenever the writer
replaces the file (a new file each time, see publish/write.py)."""


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


@dataclass(frozen=True)
class Recorded:
    """One unit of the last build: the digest of its reads, the reads, its files' stats."""

    digest: str
    reads: tuple[Read, ...]
    files: Mapping[str, Stat]


@dataclass
class Rendered:
    """A generation's files: those rendered now (path -> text) and those kept as the last
    build wrote them (path -> the unit that wrote them), with what to record."""

    files: dict[str, str] = field(default_factory=dict)
    kept: dict[str, str] = field(default_factory=dict)
    units: dict[str, tuple[str, tuple[Read, ...], tuple[str, ...]]] = field(default_factory=dict)
    reused: dict[str, Recorded] = field(default_factory=dict)

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

    def render(self, corpus: Corpus, units: Iterable[Unit], docs: Path) -> Rendered:
        """Render each unit whose reads changed since it was recorded (or that is new, or
        whose files are not as it left them); keep the others' files."""
        digests = Digests(corpus)
        out = Rendered()
        for unit in units:
            before = self.units.get(unit.key)
            if (
                before is not None
                and digests.of_all(before.reads) == before.digest
                and all(stat_of(docs / path) == stat for path, stat in before.files.items())
            ):
                out.reused[unit.key] = before
                for path in before.files:
                    out.kept[path] = unit.key
                continue
            files, reads = traced(corpus, unit.make)
            ordered = tuple(sorted(reads))
            out.units[unit.key] = (digests.of_all(ordered), ordered, tuple(files))
            out.files.update(files)
        return out

    def save(self, rendered: Rendered, docs: Path) -> None:
        """Record the units of a generation once its files are written (their stats now)."""
        units: dict[str, Any] = {}
        for key, recorded in rendered.reused.items():
            units[key] = [recorded.digest, [list(r) for r in recorded.reads], recorded.files]
        for key, (digest, reads, paths) in rendered.units.items():
            stats = {path: stat_of(docs / path) for path in paths}
            if any(stat is None for stat in stats.values()):
                continue  # not recorded: rendered again next time
            units[key] = [digest, [list(r) for r in reads], stats]
        _write_json(self.file, {"format": FORMAT, "key": self.key, "units": units})


def _parse_units(value: Any, key: str) -> dict[str, Recorded]:
    """The recorded units of a memo file, or none when it is not exactly what `save`
    writes for this key: anything else is ignored, never trusted."""
    if not (
        isinstance(value, dict)
        and value.get("format") == FORMAT
        and value.get("key") == key
        and isinstance(value.get("units"), dict)
    ):
        return {}
    units: dict[str, Recorded] = {}
    for name, item in value["units"].items():
        try:
            digest, reads, files = item
            recorded = Recorded(
                _text(digest),
                tuple(_read(r) for r in reads),
                {_text(path): _stat(stat) for path, stat in files.items()},
            )
        except (TypeError, ValueError, AttributeError):
            return {}
        units[name] = recorded
    return units


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _read(value: Any) -> Read:
    if not (isinstance(value, list) and 1 <= len(value) <= 2):
        raise ValueError(value)
    read = tuple(_text(part) for part in value)
    if read[0] not in _CORPUS_FIELDS:
        raise ValueError(read)
    return read


def _stat(value: Any) -> Stat:
    if not (isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)):
        raise ValueError(value)
    return (value[0], value[1])


_CORPUS_FIELDS = frozenset(Corpus.__dataclass_fields__)


def builder_fingerprint(config: Path, overrides: Path | None) -> str:
    """What MkDocs' output depends on beside the pages: mkdocs.yml, the theme overrides,
    the builder's and theme's versions and the generator's own."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(generator_fingerprint().encode())
    for package in BUILDER_PACKAGES:
        try:
            hasher.update(f"{package}={metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            hasher.update(f"{package}=;".encode())
    hasher.update(config.read_bytes())
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
    the stat of every file of the docs folder then, and the site folder's own identity
    (device, inode, modification time: another tool writing into it changes them)."""

    builder: str
    strict: bool
    docs: Mapping[str, Stat]
    site: tuple[int, int, int]

    @staticmethod
    def identity(site: Path) -> tuple[int, int, int] | None:
        try:
            found = site.stat()
        except OSError:
            return None
        return (found.st_dev, found.st_ino, found.st_mtime_ns)

    @classmethod
    def load(cls, file: Path) -> SiteRecord | None:
        value = _read_json(file)
        try:
            if not (isinstance(value, dict) and value.get("format") == FORMAT):
                return None
            site = value["site"]
            if not (
                isinstance(site, list) and len(site) == 3 and all(type(v) is int for v in site)
            ):
                return None
            strict = value["strict"]
            if not isinstance(strict, bool):
                return None
            return cls(
                _text(value["builder"]),
                strict,
                {_text(path): _stat(stat) for path, stat in value["docs"].items()},
                (site[0], site[1], site[2]),
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
                "site": list(self.site),
            },
        )


def docs_stats(docs: Path) -> dict[str, Stat]:
    """The stat of every file of the docs folder, by its path there."""
    stats: dict[str, Stat] = {}
    for folder, _, names in os.walk(docs):
        for name in names:
            file = Path(folder) / name
            found = stat_of(file)
            if found is not None:
                stats[file.relative_to(docs).as_posix()] = found
    return stats


@dataclass(frozen=True)
class SitePlan:
    """How to build the site: in full (with the reason), or from the previous site with
    only `changed` docs files (paths) built again; `unchanged` when nothing is to do."""

    full: str | None
    changed: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()

    @property
    def unchanged(self) -> bool:
        return self.full is None and not self.changed and not self.removed


def plan_site(
    record: SiteRecord | None,
    builder: str,
    *,
    strict: bool,
    docs: Mapping[str, Stat],
    site: Path,
) -> SitePlan:
    """Full, partial or nothing: partial only when the site in place is the one recorded,
    built by the same builder, and the docs folder's changes since are known."""
    if record is None:
        return SitePlan("no record of the previous site")
    if record.site != SiteRecord.identity(site):
        return SitePlan("the site folder is not the one the last build made")
    if record.builder != builder:
        return SitePlan("mkdocs.yml, overrides/, the generator or the builder changed")
    if record.strict != strict:
        return SitePlan("--no-strict changed")
    changed = frozenset(path for path, stat in docs.items() if record.docs.get(path) != stat)
    removed = frozenset(path for path in record.docs if path not in docs)
    return SitePlan(None, changed, removed)
