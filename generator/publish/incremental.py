"""What makes a build incremental: two records of the last build, under build/cache/ (what
they share is here): the page memo (publish/page_memo.py), what each unit of output read
from the model and wrote, and the site record (publish/site_record.py), what the site in
place was built from.

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
from pathlib import Path
from typing import Any

import generator

FORMAT = 3
PACKAGE = Path(generator.__file__).parent

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


def written(file: Path, digest: str) -> Seen | None:
    """The size and time of `file`, just written with content of `digest`."""
    stat = stat_of(file)
    return None if stat is None else (*stat, digest)


def read_json(file: Path) -> Any:
    try:
        return json.loads(file.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None


def write_json(file: Path, value: Any) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(value, stream, ensure_ascii=False, separators=(",", ":"))
        Path(temporary).replace(file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def text_value(value: Any) -> str:
    """A string read from a record (anything else: TypeError, the record is not used)."""
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def seen_value(value: Any) -> Seen:
    """A file's `Seen` read from a record (anything else: ValueError)."""
    if not (
        isinstance(value, list)
        and len(value) == 3
        and type(value[0]) is int
        and type(value[1]) is int
        and isinstance(value[2], str)
    ):
        raise ValueError(value)
    return (value[0], value[1], value[2])
