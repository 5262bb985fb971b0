"""YAML files -> plain Python data, with the line and column of every node.

Only the safe core of YAML is accepted: mappings with unique text keys, lists and
plain scalars. Tags that would construct objects, merge keys, documents that
expand past a budget (alias bombs), files that are not UTF-8 and empty files are
problems with their place, never crashes.

Most files have no problem, so a file is first read without recording places; the
places are found from its text when a problem needs them, and a file with a loading
problem is read the careful way at once. Many files are read by worker processes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import gc
import multiprocessing
import os
import re
import stat
import sys
import threading
from collections.abc import Generator, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.data import schema, sources
from generator.problems import Problem, relative

Loc = tuple[str | int, ...]

MAX_FILE_BYTES = 2_000_000
MAX_VALUES = 100_000  # values after alias expansion; real files have a few hundred
MAX_DEPTH = 32
_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
# YAML 1.1 reads these bare words as booleans; only true/false are meant as such.
_BOOL_WORDS = {"true", "false"}


@dataclass
class Places:
    """Where each value and key of a document stands in its text, and which bare words YAML
    read as true/false."""

    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    bool_words: dict[Loc, str] = field(default_factory=dict)


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
            self._places = _places_in(self._text, self.path)
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


class _Abort(Exception):
    """Stops converting one file; the problem is already recorded."""


class _Converter:
    """Node tree -> data, recording every node's place and every problem with its place."""

    def __init__(self, path: str, places: Places) -> None:
        self.path = path
        self.places = places
        self.values = 0
        self.problems: list[Problem] = []
        self.unsafe = False  # a tag we refused: the data is not what the file meant
        self.constructor = SafeConstructor()

    def fail(self, node: Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, message))

    def convert(self, node: Node, loc: Loc, depth: int) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            self.fail(
                node,
                f"the document expands to more than {MAX_VALUES:,} values "
                "(are aliases repeating a large part of it?)",
            )
            raise _Abort
        if depth > MAX_DEPTH:
            self.fail(node, f"values are nested more than {MAX_DEPTH} levels deep")
            raise _Abort
        if loc not in self.places.positions:
            self.places.positions[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _STANDARD_TAGS:
            self.unsafe = True
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.fail(node, f"the YAML tag `{tag}` is not allowed: write plain values")
            return None
        if isinstance(node, MappingNode):
            return self.mapping(node, loc, depth)
        if isinstance(node, SequenceNode):
            return [self.convert(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self.scalar(node, loc)

    def mapping(self, node: MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self.fail(key_node, "merge keys (`<<`) are not supported: write the fields out")
                continue
            if not isinstance(key_node, ScalarNode):
                self.fail(key_node, "a key must be plain text, not a list or mapping")
                continue
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in first_line:
                first = first_line[key]
                self.fail(key_node, f"duplicate key `{key}` (first given on line {first})")
                continue
            first_line[key] = line
            self.places.key_positions[(*loc, key)] = (line, key_node.start_mark.column + 1)
            result[key] = self.convert(value_node, (*loc, key), depth + 1)
        return result

    def scalar(self, node: ScalarNode, loc: Loc) -> Any:
        if node.tag == "tag:yaml.org,2002:bool" and node.value.lower() not in _BOOL_WORDS:
            self.places.bool_words[loc] = node.value
        return _scalar(self.constructor, node)


_INT = "tag:yaml.org,2002:int"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)")
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _scalar(constructor: SafeConstructor, node: ScalarNode) -> Any:
    if node.tag == _STR:
        return node.value  # what SafeConstructor makes of it, without its bookkeeping
    if _spelled_oddly(node):
        # YAML 1.1 reads `0x7e8`, `03750`, `+2024`, `2_024` and `33:44` as 2024, and
        # `2024-9-5` as a date: kept as written, the schema sees what was meant (a year
        # `0777` is 777) or refuses it, as the dates of the contract are written plainly.
        return str(node.value)
    try:
        value = constructor.construct_object(node)
    except (ValueError, yaml.YAMLError):
        return str(node.value)  # e.g. 2023-09-31: the schema says what is wrong with it
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def _spelled_oddly(node: ScalarNode) -> bool:
    """An integer not written in plain decimal, or a date not written YYYY-MM-DD."""
    if node.tag == _INT:
        return _DECIMAL.fullmatch(node.value) is None
    return node.tag == _TIMESTAMP and _PLAIN_DATE.match(node.value) is None


class _NotPlain(Exception):
    """The file has (or may have) something to report: `_Converter` reads it again."""


class _Plain:
    """Node tree -> data for a file without a problem, without recording places: what
    `_Converter` returns for such a file, in less than half its time. Anything it would report
    (a tag, a merge key, a key that is not text, a duplicate key, too many values or levels)
    raises _NotPlain instead.

    Why a second walk: `validate` of the benchmark's 10,000 briefings took 2.6 to 2.9 s with
    it and 3.4 s with `_Converter` alone (measured 2026-11-29, two runs each). A test reads
    every fixture both ways and compares (tests/test_load_fast.py)."""

    def __init__(self) -> None:
        self.values = 0
        self.constructor = SafeConstructor()

    def convert(self, node: Node, depth: int) -> Any:
        self.values += 1
        if self.values > MAX_VALUES or depth > MAX_DEPTH or node.tag not in _STANDARD_TAGS:
            raise _NotPlain
        if isinstance(node, ScalarNode):
            return _scalar(self.constructor, node)
        if isinstance(node, SequenceNode):
            return [self.convert(item, depth + 1) for item in node.value]
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE or not isinstance(key_node, ScalarNode):
                raise _NotPlain
            key = sys.intern(str(key_node.value))  # shared: less memory, smaller pickles
            if key in result:
                raise _NotPlain
            result[key] = self.convert(value_node, depth + 1)
        return result


def _decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        byte = raw[error.start : error.start + 1].hex()
        return None, Problem(path, line, column, f"the file is not UTF-8 (byte 0x{byte})")


class _QuickResolver:
    """PyYAML's `Resolver.resolve` for a loader without path or wildcard resolvers, without
    building a list of candidate patterns for every scalar: libyaml's loader calls it for
    each one, and took a third less time with this one."""

    # the loader's own, as PyYAML's Resolver declares them
    DEFAULT_SCALAR_TAG: str
    DEFAULT_SEQUENCE_TAG: str
    DEFAULT_MAPPING_TAG: str
    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]]

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> Any:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, pattern in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass  # only path resolvers need the path

    def ascend_resolver(self) -> None:
        pass


_CSafeLoader: Any = getattr(yaml, "CSafeLoader", None)
_QuickLoader: Any = (
    None if _CSafeLoader is None else type("_QuickLoader", (_QuickResolver, _CSafeLoader), {})
)


def _fast_loader() -> Any:
    """libyaml's safe loader, with the quick resolver while it resolves exactly as PyYAML's."""
    if _QuickLoader is None:
        return None
    exact = (
        not _QuickLoader.yaml_path_resolvers and None not in _QuickLoader.yaml_implicit_resolvers
    )
    return _QuickLoader if exact else _CSafeLoader


def _parse_fast(text: str) -> Node | None:
    """The node tree by libyaml (ten times faster than PyYAML's own parser), or None when
    libyaml is missing or finds any problem: then `_parse` reports it in PyYAML's words."""
    loader_class = _fast_loader()
    if loader_class is None:
        return None
    loader = loader_class(text)
    try:
        node: Node | None = loader.get_single_node()
        return node
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError):  # libyaml stops
        # nesting at 1,000 levels; `"\U00110000"` is no character
        return None
    finally:
        loader.dispose()


def _is_empty(text: str) -> bool:
    """Nothing but blank lines and comments. Every line break is white space, so the first
    character that is not starts a line: when it is not `#`, no need to split the lines."""
    start = text.lstrip()
    if start and not start.startswith("#"):
        return False
    return all(line.lstrip().startswith("#") for line in text.splitlines() if line.strip())


def _parse(text: str, path: str) -> tuple[Node | None, Problem | None]:
    node = _parse_fast(text)
    if node is not None:
        return node, None
    try:
        loader = yaml.SafeLoader(text)  # checks every character before parsing
    except yaml.reader.ReaderError as error:
        return None, _unprintable(text, path, error)
    try:
        return loader.get_single_node(), None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = error.problem or error.context or "unreadable"
        if error.context and error.problem and error.problem.startswith("but "):
            reason = f"{error.context}, {error.problem}"
        return None, Problem(path, line, column, f"invalid YAML: {reason}")
    except yaml.YAMLError as error:
        return None, Problem(path, 1, 1, f"invalid YAML: {error}")
    except RecursionError:
        return None, Problem(path, 1, 1, "invalid YAML: values are nested too deeply")
    except (ValueError, OverflowError):  # PyYAML's scanner, on `"\U00110000"`
        mark = loader.get_mark()
        reason = "invalid YAML: an escape names no character (the last is \\U0010FFFF)"
        return None, Problem(path, mark.line + 1, mark.column + 1, reason)
    finally:
        loader.dispose()


def _unprintable(text: str, path: str, error: yaml.reader.ReaderError) -> Problem:
    """A control character YAML refuses (e.g. a stray NUL), at its line and column."""
    position = error.position
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return Problem(
        path,
        line,
        column,
        f"invalid YAML: the control character U+{error.character:04X} is not allowed: remove it",
    )


def load_file(file: Path, root: Path) -> tuple[Document | None, list[Problem]]:
    """Read one YAML file into a Document, or say every reason it cannot be read."""
    return read_document(file, relative(file, root))


def read_document(file: Path, path: str) -> tuple[Document | None, list[Problem]]:
    """`load_file` for a caller that knows the file's path as users see it already."""
    raw, problem = _read(file, path)
    if raw is None:
        return None, [problem] if problem else []
    text, problem = _decode(raw, path)
    if text is None:
        return None, [problem] if problem else []
    if _is_empty(text):
        return None, [Problem(path, 1, 1, "the file is empty: expected a mapping of fields")]
    node, problem = _parse(text, path)
    if node is None:
        return None, [problem] if problem else []
    if not isinstance(node, MappingNode):
        found = "a list" if isinstance(node, SequenceNode) else "a single value"
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        return None, [
            Problem(
                path, line, column, f"expected a mapping of fields at the top level, found {found}"
            )
        ]
    try:
        return Document(path, _Plain().convert(node, 0), text), []
    except (_NotPlain, RecursionError):
        pass
    places = Places()
    converter = _Converter(path, places)
    try:
        data = converter.convert(node, (), 0)
    except _Abort:
        return None, converter.problems
    except RecursionError:
        return None, [Problem(path, 1, 1, "values are nested too deeply")]
    doc = Document(path, data, text, places)
    return (None if converter.unsafe else doc), converter.problems


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


def _read(file: Path, path: str) -> tuple[bytes | None, Problem | None]:
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


def _unopened(error: OSError, path: str) -> Problem:
    if error.errno == errno.ELOOP:  # the name is a link (or a loop of links)
        return Problem(path, 1, 1, sources.A_LINK)
    return Problem(path, 1, 1, f"the file cannot be read ({error.strerror})")


def _places_in(text: str, path: str) -> Places:
    """The places of a document read before without a problem (then this finds none)."""
    places = Places()
    node, _ = _parse(text, path)
    if node is not None:
        with contextlib.suppress(_Abort, RecursionError):
            _Converter(path, places).convert(node, (), 0)
    return places


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
    id; `unreadable`: what could not be found or read as data; `problems`: those and the
    problems of the files' names (a `.yml` file, an invalid, reserved or duplicate id)."""

    documents: Mapping[str, Mapping[str, Document]]
    ids: Mapping[str, frozenset[str]]
    paths: Mapping[str, Mapping[str, str]]
    unreadable: tuple[Problem, ...]
    problems: tuple[Problem, ...]


def load(found: sources.Sources) -> Loaded:
    """Read every data file `found` (many by worker processes), once."""
    named: list[Problem] = []
    to_read = {kind: _worth_reading(files, named) for kind, files in found.files.items()}
    jobs = [(file, kind) for kind in sources.FOLDERS for file in to_read[kind]]
    unreadable = list(found.problems)
    documents: dict[str, dict[str, Document]] = {kind: {} for kind in sources.FOLDERS}
    read = read_documents([(file.file, file.path) for file, _ in jobs])
    for (file, kind), (doc, problems) in zip(jobs, read, strict=True):
        unreadable += problems
        if doc is not None:
            documents[kind][file.stem] = doc
    return Loaded(
        documents,
        {
            k: frozenset(f.stem for f in files if f.suffix == ".yaml")
            for k, files in found.files.items()
        },
        {k: {f.stem: f.path for f in reversed(files)} for k, files in found.files.items()},
        tuple(unreadable),
        tuple(unreadable + named),
    )


def _worth_reading(
    files: list[sources.DataFile], problems: list[Problem]
) -> list[sources.DataFile]:
    """The files of one kind worth reading: ids are file names, unique within the kind."""
    to_read: list[sources.DataFile] = []
    paths: dict[str, str] = {}
    for file in files:
        path = file.path
        if file.suffix == ".yml":
            problems.append(Problem(path, 1, 1, "name the file with `.yaml`, not `.yml`"))
            continue
        wrong = schema.id_problem(file.stem, " (the file name)")
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
