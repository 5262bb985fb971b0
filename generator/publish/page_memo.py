"""The page memo: what each unit of output (see model/trace.py) read from the model and
which files it wrote, so that the next generation renders again only the units whose reads
changed (build/cache/pages.json; see publish/incremental.py for what the records share)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.model.corpus import Corpus
from generator.model.trace import Digests, Read, Unit, traced
from generator.publish.incremental import (
    FORMAT,
    Seen,
    digest_of,
    read_json,
    seen,
    seen_value,
    text_value,
    write_json,
    written,
)


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


class PageMemo:
    """The units of the last generation, if it was made with the same `key` (the generator
    and the site's settings)."""

    def __init__(self, file: Path, key: str, units: dict[str, Recorded]) -> None:
        self.file = file
        self.key = key
        self.units = units

    @classmethod
    def load(cls, file: Path, key: str) -> PageMemo:
        return cls(file, key, _parse_units(read_json(file), key))

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
        for key, (digest, reads, made) in rendered.units.items():
            files: dict[str, Seen] = {}
            for path, content in made.items():
                found = written(docs / path, content)
                if found is None:
                    break
                files[path] = found
            else:
                units[key] = [digest, [_READ.join(r) for r in reads], files]
        if not rendered.units and not rendered.refreshed and units.keys() == self.units.keys():
            return  # the record on disk already says all of this
        write_json(self.file, {"format": FORMAT, "key": self.key, "units": units})


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
                text_value(digest),
                tuple(_read(r) for r in reads),
                {_path(path): seen_value(stat) for path, stat in files.items()},
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
    path = text_value(value)
    names = path.split("/")
    if "\\" in path or "\0" in path or any(name in ("", ".", "..") for name in names):
        raise ValueError(path)
    return path


_READ = "\t"
"""Between a read's field and key in the record (no field name has one)."""


def _read(value: Any) -> Read:
    read = tuple(text_value(value).split(_READ, 1))
    if read[0] not in _CORPUS_FIELDS:
        raise ValueError(read)
    return read


_CORPUS_FIELDS = frozenset(Corpus.__dataclass_fields__)
