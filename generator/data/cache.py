"""A cache of loaded documents, keyed by the hash of each file's text: `validate` (and so
`build` and `serve`) parse only the files that changed since the last run.

What is kept: the data YAML made of each file read without a problem (a file with a loading
problem is read again each time, and reports it again). The schema check and the rules
across files run on every document each time, on the same data as without the cache, so the
result is the same by construction; keeping the schema's objects too would not pay: at
10,000 briefings checking takes 0.4 s, unpickling the checked objects 0.45 s and
re-validating them from JSON 0.6 s (measured 2026-12-05).

Where: `build/cache/documents.jsonl` (git-ignored; deleting `build/` is always safe). A
first line names the cache's format, the fingerprint of the code that wrote it (the
generator's version, the source of `generator/data/`, PyYAML's and pydantic's versions and
Python's), and the SHA-256 of the rest, one line per document: the hash of its text and its
data as JSON. Plain JSON, so reading a file, whatever it holds, runs no code; a file that is
not this format, is truncated or damaged, or was written by other code, is ignored (and
replaced) without a word. The cache is as trusted as the project folder: whoever can write
`build/` can write the data and the generator themselves.

Written by `validate` (so `build` and `serve` too) when the data is valid, as nothing is
written while the data has errors (the cache of the last valid data then serves), and only
when something changed: to a temporary file renamed over the old one, under an advisory
lock, so that two runs at once neither mix their writes nor leave a half file; where no lock
can be had it is not written. Reading needs no lock: a rename swaps the file whole.
`diff` (editor/revisions.py) reads revisions without it: their files are in a temporary
folder that goes when it is done.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic
import yaml

import generator
from generator.data.load import Document, read_bytes, read_documents
from generator.data.yaml_tree import decode
from generator.problems import Problem

if sys.platform != "win32":
    import fcntl

FOLDER = Path("build", "cache")
FILE = "documents.jsonl"
FORMAT = "briefing-site documents 1"
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def fingerprint() -> str:
    """What the cached data depends on besides the files: the code that reads them."""
    digest = hashlib.sha256()
    versions = (generator.__version__, pydantic.VERSION, yaml.__version__, sys.version)
    digest.update(repr((versions, hasattr(yaml, "CSafeLoader"))).encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.hexdigest()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class Cache:
    """The cached documents of one project: read once when opened, written by `save`."""

    def __init__(self, folder: Path, entries: dict[str, bytes], code: str) -> None:
        self.folder = folder
        self.code = code  # the fingerprint of the code that reads the files
        self._old = entries  # text hash -> its JSON line, as read
        self._kept: dict[str, bytes] = {}  # what this run used or added

    def read_documents(
        self, jobs: list[tuple[Path, str]]
    ) -> Iterator[tuple[Document | None, list[Problem]]]:
        """What `load.read_documents` yields for `jobs`: the documents whose text is in the
        cache from it, the others read (by worker processes when many) and remembered."""
        found: list[tuple[Document | None, list[Problem]] | None] = []
        missed: list[tuple[Path, str]] = []
        for file, path in jobs:
            doc = self._cached(file, path) if self._old else None
            found.append(None if doc is None else (doc, []))
            if doc is None:
                missed.append((file, path))
        read = iter(read_documents(missed))
        for result in found:
            if result is None:
                result = next(read)
                self._remember(*result)
            yield result

    def _cached(self, file: Path, path: str) -> Document | None:
        raw, _ = read_bytes(file, path)
        text = None if raw is None else decode(raw, path)[0]
        if text is None:
            return None  # read again, to report why
        key = text_hash(text)
        line = self._kept.get(key) or self._old.get(key)
        if line is None:
            return None
        data = _decoded(line)
        if data is None:
            return None
        self._kept[key] = line
        return Document(path, data, text)

    def _remember(self, doc: Document | None, problems: list[Problem]) -> None:
        if doc is None or problems:
            return
        line = _encoded(doc.data)
        if line is not None:
            self._kept[text_hash(doc.text)] = line

    def save(self) -> None:
        """Write what this run used, when it differs from what was read (never raises)."""
        if self._kept == self._old:
            return
        body = b"".join(key.encode() + b"\t" + line + b"\n" for key, line in self._kept.items())
        header = {"format": FORMAT, "fingerprint": self.code}
        header["sha256"] = hashlib.sha256(body).hexdigest()
        with contextlib.suppress(OSError):
            _write(self.folder, json.dumps(header).encode() + b"\n" + body)


def open_cache(root: Path) -> Cache:
    """The project's cache; empty when there is none or it cannot be trusted to be one."""
    folder, code = root / FOLDER, fingerprint()
    return Cache(folder, _read(folder, code) if _plain_folder(folder) else {}, code)


def _plain_folder(folder: Path) -> bool:
    """`build/cache/` and `build/` are not links (the cache is never read or written
    through one), when they exist."""
    return not (folder.is_symlink() or folder.parent.is_symlink())


def _read(folder: Path, code: str) -> dict[str, bytes]:
    try:
        descriptor = os.open(folder / FILE, _OPEN_FLAGS)
    except OSError:
        return {}
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return {}
        with os.fdopen(os.dup(descriptor), "rb") as stream:
            content = stream.read()
    except OSError:
        return {}
    finally:
        os.close(descriptor)
    return _entries(content, code)


def _entries(content: bytes, code: str) -> dict[str, bytes]:
    """The lines of a cache file written by this code for this code, else nothing."""
    first, _, body = content.partition(b"\n")
    try:
        header = json.loads(first)
    except (ValueError, RecursionError):
        return {}
    expected = {"format": FORMAT, "fingerprint": code}
    expected["sha256"] = hashlib.sha256(body).hexdigest()
    if header != expected:
        return {}
    entries = {}
    for line in body.splitlines():
        key, _, value = line.partition(b"\t")
        entries[key.decode("ascii", "replace")] = value
    return entries


def _write(folder: Path, content: bytes) -> None:
    if "fcntl" not in sys.modules or not _plain_folder(folder):
        return
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # busy: the other run writes
        temporary = folder / f".{FILE}.new"
        temporary.unlink(missing_ok=True)  # what a killed run left
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(temporary, flags, 0o644), "wb") as stream:
            stream.write(content)
        temporary.replace(folder / FILE)
    finally:
        os.close(handle)  # drops the lock


# The data of a file is plain JSON but for its dates, which stand as ISO text at the
# places listed beside it: [data, [[place, "date" or "datetime"], ...]].
_DATE_KINDS = {"date": dt.date, "datetime": dt.datetime}


def _encoded(data: Any) -> bytes | None:
    """A document's data as one line of JSON, or None if it holds what JSON cannot."""
    dates: list[list[Any]] = []
    if not _find_dates(data, [], dates):
        return None
    return json.dumps([data, dates], default=_iso, ensure_ascii=True).encode("ascii")


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value))


def _find_dates(value: Any, place: list[Any], dates: list[list[Any]]) -> bool:
    """Record where dates stand in `value`; False if it holds anything but YAML's plain
    values (text keys only)."""
    kind = type(value)
    if kind is dict:
        return all(
            type(key) is str and _find_dates(item, [*place, key], dates)
            for key, item in value.items()
        )
    if kind is list:
        return all(_find_dates(item, [*place, i], dates) for i, item in enumerate(value))
    if kind is dt.datetime or kind is dt.date:
        dates.append([place, kind.__name__])
        return True
    return kind in (str, int, float, bool, type(None))


def _decoded(line: bytes) -> dict[str, Any] | None:
    """The data of a cached line, or None if the line is not what `_encoded` writes."""
    try:
        data, dates = json.loads(line)
        for place, kind in dates:
            *parents, last = place
            container = data
            for step in parents:
                container = container[step]
            container[last] = _DATE_KINDS[kind].fromisoformat(container[last])
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None
    return data if isinstance(data, dict) else None
