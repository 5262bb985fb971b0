"""The load stage: data files -> documents (their data, text and the places of their values),
read once, many by worker processes; only plain files, refused by size before reading.
YAML itself is generator/data/yaml_tree.py's."""

from __future__ import annotations

import contextlib
import errno
import gc
import multiprocessing
import os
import stat
import sys
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.characters import Loc, forbidden
from generator.data import formats, sources
from generator.data.yaml_tree import Places, decode, parse_document, places_of
from generator.problems import Problem, relative

MAX_FILE_BYTES = 2_000_000


class Document:
    """One loaded file: its data and where each value and key stands in the text.

    The places of a file read without a problem are found when first asked for, by reading
    its text again: only a file with a problem needs them, and recording them for every file
    took a quarter of the time `validate` takes on a large corpus.
    """

    def __init__(self, path: str, data: Any, text: str, places: Places | None = None) -> None:
        self.path = path
        self.data = data
        self._text = text
        self._places = places

    @property
    def text(self) -> str:
        return self._text

    @property
    def positions(self) -> dict[Loc, tuple[int, int]]:
        return self._found().positions

    @property
    def key_positions(self) -> dict[Loc, tuple[int, int]]:
        return self._found().key_positions

    @property
    def bool_words(self) -> dict[Loc, str]:
        return self._found().bool_words

    def _found(self) -> Places:
        if self._places is None:
            self._places = places_of(self._text, self.path)
        return self._places

    def place(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at `loc` (or of its key), else its nearest parent."""
        positions, key_positions = self.positions, self.key_positions
        if key and loc in key_positions:
            return key_positions[loc]
        while loc not in positions and loc:
            loc = loc[:-1]
        return positions.get(loc, (1, 1))

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        line, column = self.place(loc, key=key)
        return Problem(self.path, line, column, message)


def load_file(file: Path, root: Path) -> tuple[Document | None, list[Problem]]:
    """Read one YAML file into a Document, or say every reason it cannot be read."""
    return read_document(file, relative(file, root))


def read_document(file: Path, path: str) -> tuple[Document | None, list[Problem]]:
    """`load_file` for a caller that knows the file's path as users see it already."""
    raw, problem = read_bytes(file, path)
    if raw is None:
        return None, [problem] if problem else []
    text, problem = decode(raw, path)
    if text is None:
        return None, [problem] if problem else []
    data, places, problems = parse_document(text, path)
    return (None if data is None else Document(path, data, text, places)), problems


# Open without following a link at the file's own name, and without waiting for a writer
# (a FIFO); closed in any program the generator starts.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK_BYTES = 65_536


def read_bytes(file: Path, path: str) -> tuple[bytes | None, Problem | None]:
    """The bytes of a plain file, or why not: a link, something else than a file, or larger
    than MAX_FILE_BYTES. The size is asked first, and reading stops one byte past the limit,
    so that a huge file (or one growing meanwhile) is never read whole."""
    try:
        descriptor = os.open(file, _OPEN_FLAGS)
    except OSError as error:
        return None, _unopened(error, path)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return None, Problem(path, 1, 1, sources.NOT_A_FILE)
        raw = None if info.st_size > MAX_FILE_BYTES else _read_at_most(descriptor, info.st_size)
    except OSError as error:
        return None, Problem(path, 1, 1, f"the file cannot be read ({error.strerror})")
    finally:
        os.close(descriptor)
    if raw is None:
        return None, Problem(path, 1, 1, f"the file is larger than {MAX_FILE_BYTES:,} bytes")
    return raw, None


def _read_at_most(descriptor: int, size: int) -> bytes | None:
    """The file's bytes, or None past MAX_FILE_BYTES. Asked for its size and one byte more
    first (a buffer the size of the limit for every file made reading ten times slower),
    then on in chunks if it grew."""
    chunks: list[bytes] = []
    read = 0
    wanted = size + 1
    while chunk := os.read(descriptor, wanted):
        read += len(chunk)
        if read > MAX_FILE_BYTES:
            return None
        chunks.append(chunk)
        wanted = min(_CHUNK_BYTES, MAX_FILE_BYTES + 1 - read)
    return b"".join(chunks)


@dataclass(frozen=True)
class SourceText:
    """An article's source text (`briefings/sources/<id>.txt`): its path and its text, line
    breaks written `\\n`."""

    path: str
    text: str


def read_source_text(file: sources.DataFile) -> tuple[SourceText | None, Problem | None]:
    """A source text as plain UTF-8 text, or why not: what a data file may not be (a link,
    too large, not UTF-8), or holding a character no value may hold (binary data)."""
    raw, problem = read_bytes(file.file, file.path)
    if raw is None:
        return None, problem
    text, problem = decode(raw, file.path)
    if text is None:
        return None, problem
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    reason = forbidden(text)
    if reason is not None:
        at = next(i for i, char in enumerate(text) if forbidden(char))
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        return None, Problem(file.path, line, column, f"not plain text: {reason}")
    return SourceText(file.path, text), None


def _unopened(error: OSError, path: str) -> Problem:
    if error.errno == errno.ELOOP:  # the name is a link (or a loop of links)
        return Problem(path, 1, 1, sources.A_LINK)
    return Problem(path, 1, 1, f"the file cannot be read ({error.strerror})")


READ_IN_PARALLEL_FROM = 500  # files; below that, starting the workers costs more than it saves
_CHUNK = 100  # files a worker reads per request


def read_documents(
    jobs: list[tuple[Path, str]],
) -> Generator[tuple[Document | None, list[Problem]], None, None]:
    """`read_document` for each (file, shown path), in order. Many files are read by two
    worker processes while the caller checks what they have read: reading YAML is most of
    the time `validate` takes. Few files, one CPU, another platform than Linux, other threads
    running (forking them is unsafe), or workers that cannot start or fail: this process
    reads them itself, with the same results (or the same error) as the workers."""
    if len(jobs) < READ_IN_PARALLEL_FROM or not _can_fork():
        for file, path in jobs:
            yield read_document(file, path)
        return
    chunks = [jobs[start : start + _CHUNK] for start in range(0, len(jobs), _CHUNK)]
    done = 0
    pool = None
    try:
        pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"))
        for documents in pool.map(_read_chunk, chunks):
            done += 1
            yield from documents
    except (BrokenProcessPool, OSError):
        pass  # the workers died or could not start (no fork, no semaphores): read the rest here
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    for chunk in chunks[done:]:
        yield from _read_chunk(chunk)


def _can_fork() -> bool:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return sys.platform == "linux" and (cpus or 1) > 1 and threading.active_count() == 1


def _read_chunk(jobs: list[tuple[Path, str]]) -> list[tuple[Document | None, list[Problem]]]:
    return [read_document(file, path) for file, path in jobs]


def values_at(data: Any, pattern: tuple[str, ...], loc: Loc = ()) -> list[tuple[Loc, Any]]:
    """Every value in loaded data at a pattern of keys and "*" (each item of a list), with
    its location: `values_at(doc.data, ("actors", "*", "actor"))`."""
    if not pattern:
        return [(loc, data)]
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        items = list(enumerate(data)) if isinstance(data, list) else []
        return [found for i, item in items for found in values_at(item, rest, (*loc, i))]
    if isinstance(data, dict) and head in data:
        return values_at(data[head], rest, (*loc, head))
    return []


@dataclass(frozen=True)
class Loaded:
    """The second stage's value: every data file read.

    `documents`: kind -> id -> the document of the first file with that id (files that could
    not be read are not there); `ids`: kind -> the ids of every `.yaml` file, read or not
    (what references may name); `paths`: kind -> id -> the path of the first file with that
    id; `texts`: article id -> its source text; `unreadable`: what could not be found or
    read as data; `problems`: those and the problems of the files' names (a `.yml` file, an
    invalid, reserved or duplicate id)."""

    documents: Mapping[str, Mapping[str, Document]]
    ids: Mapping[str, frozenset[str]]
    paths: Mapping[str, Mapping[str, str]]
    unreadable: tuple[Problem, ...]
    problems: tuple[Problem, ...]
    texts: Mapping[str, SourceText] = field(default_factory=dict)


Reader = Callable[[list[tuple[Path, str]]], Iterable[tuple[Document | None, list[Problem]]]]
"""`read_documents`, or what yields the same for the same files (data/cache.py's)."""


def load(found: sources.Sources, reader: Reader = read_documents) -> Loaded:
    """Read every data file `found` (many by worker processes), once."""
    named: list[Problem] = []
    to_read = {kind: _worth_reading(files, named) for kind, files in found.files.items()}
    jobs = [(file, kind) for kind in sources.FOLDERS for file in to_read[kind]]
    unreadable = list(found.problems)
    documents: dict[str, dict[str, Document]] = {kind: {} for kind in sources.FOLDERS}
    read = reader([(file.file, file.path) for file, _ in jobs])
    for (file, kind), (doc, problems) in zip(jobs, read, strict=True):
        unreadable += problems
        if doc is not None:
            documents[kind][file.stem] = doc
    texts: dict[str, SourceText] = {}
    for file in found.texts:
        if file.suffix != sources.SOURCE_SUFFIX:
            unreadable.append(Problem(file.path, 1, 1, _renamed(file.suffix, ".txt")))
            continue
        text, problem = read_source_text(file)
        unreadable += [problem] if problem else []
        if text is not None:
            texts[file.stem] = text
    return Loaded(
        documents,
        {
            k: frozenset(f.stem for f in files if f.suffix == ".yaml")
            for k, files in found.files.items()
        },
        {k: {f.stem: f.path for f in reversed(files)} for k, files in found.files.items()},
        tuple(unreadable),
        tuple(unreadable + named),
        texts,
    )


def _renamed(suffix: str, right: str) -> str:
    return f"name the file with `{right}`, not `{suffix}`"


def _worth_reading(
    files: list[sources.DataFile], problems: list[Problem]
) -> list[sources.DataFile]:
    """The files of one kind worth reading: ids are file names, unique within the kind."""
    to_read: list[sources.DataFile] = []
    paths: dict[str, str] = {}
    for file in files:
        path = file.path
        if file.suffix != ".yaml":
            problems.append(Problem(path, 1, 1, _renamed(file.suffix, ".yaml")))
            continue
        wrong = formats.id_problem(file.stem, " (the file name)")
        if wrong:
            problems.append(Problem(path, 1, 1, wrong))
        if file.stem in paths:
            problems.append(
                Problem(
                    path, 1, 1, f"duplicate id `{file.stem}`: {paths[file.stem]} has the same name"
                )
            )
            continue
        paths[file.stem] = path
        to_read.append(file)
    return to_read


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while the corpus loads, as mypy does while
    it builds: loading makes millions of objects, most of them kept, and at 10,000 briefings
    the collector took a sixth of the time walking them again and again."""
    thresholds = gc.get_threshold()
    gc.set_threshold(200_000, 30, 30)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
