"""What the live preview keeps of the data between two rebuilds, so that a save costs the
files it changed: each file's document, kept while the file's stat is the same, and each
document's own checks, kept while it and the set of actor ids are the same.

`build` and `validate` start from nothing (and from build/cache); only `serve` keeps these,
in one object each, handed to `load` and `check` as their reader and file checker."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from generator.data.check import FileCheck, FileChecker, check_file
from generator.data.load import Document, Reader
from generator.problems import Problem

_Stat = tuple[int, int, int, int]
_Read = tuple[Document | None, list[Problem]]


RACY_NS = 100_000_000
"""A file written less than this before it was read (0.1 s) is read again next time, even
with the same stat: the clock file times come from ticks every few milliseconds, so a
second write of the same size in the same tick would leave the stat as it was (git's
"racily clean" entries)."""


def _stat(file: Path) -> _Stat | None:
    """What changes whenever a file is written or replaced (ctime: any write or rename)."""
    try:
        found = file.stat()
    except OSError:
        return None
    return (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


class DocumentMemo:
    """A reader for `load`: the files whose stat is what it was at the last call give the
    same result (the same Document object), the others are read by `reader` (the disk
    cache's). `changed` lists the paths read again at the last call."""

    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        self._kept: dict[str, tuple[_Stat, tuple[int, _Read]]] = {}  # stat, (read at, read)
        self.changed: list[str] = []

    def __call__(self, jobs: list[tuple[Path, str]]) -> Iterator[_Read]:
        started = time.time_ns()
        found: list[_Read | None] = []
        missed: list[tuple[Path, str]] = []
        stats: list[_Stat | None] = []
        for file, path in jobs:
            stat = _stat(file)
            stats.append(stat)
            before = self._kept.get(path)
            if stat is not None and before is not None and before[0] == stat:
                found.append(before[1][1])
            else:
                found.append(None)
                missed.append((file, path))
        self.changed = [path for _, path in missed]
        read = iter(self._reader(missed))
        now: dict[str, tuple[_Stat, tuple[int, _Read]]] = {}
        for (_, path), stat, result in zip(jobs, stats, found, strict=True):
            if result is None:
                result = next(read)
                read_at = started
            else:
                read_at = self._kept[path][1][0]
            if stat is not None and stat[2] + RACY_NS < read_at:
                now[path] = (stat, (read_at, result))
            yield result
        self._kept = now


class CheckMemo:
    """A file checker for `check`: a document checked at the last call with the same actor
    ids gives the same result. (Documents are told apart by identity: `DocumentMemo` gives
    the same object for an unchanged file, and a new one for a changed file.)"""

    def __init__(self, check_one: FileChecker = check_file) -> None:
        self._check_one = check_one
        self._actor_ids: frozenset[str] = frozenset()
        self._kept: dict[int, tuple[Document, FileCheck]] = {}
        self._used: dict[int, tuple[Document, FileCheck]] = {}

    def start(self, actor_ids: frozenset[str]) -> None:
        """Begin a round: what the last round checked is kept if the actor ids are the same
        (a reference to an actor is checked against them); what it did not use is dropped."""
        same = actor_ids == self._actor_ids
        self._kept = self._used if same else {}
        self._used = {}
        self._actor_ids = actor_ids

    def __call__(self, kind: str, doc: Document, actor_ids: frozenset[str]) -> FileCheck:
        if actor_ids is not self._actor_ids:
            self.start(actor_ids)
        kept = self._kept.get(id(doc))
        if kept is None or kept[0] is not doc:
            kept = (doc, self._check_one(kind, doc, actor_ids))
        self._used[id(doc)] = kept
        return kept[1]
