"""YAML text -> plain Python data, with the line and column of every node.

Only the safe core of YAML is accepted: mappings with unique text keys, lists and
plain scalars. Tags that would construct objects, merge keys, documents that
expand past a budget (alias bombs), files that are not UTF-8 and empty files are
problems with their place, never crashes.

Most files have no problem, so a file is first read without recording places (`_Plain`);
the places are found from its text when a problem needs them (`places_of`), and a file with
a loading problem is read the careful way (`_Converter`) at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.characters import Loc
from generator.problems import Problem

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


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
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


def parse_document(text: str, path: str) -> tuple[Any, Places | None, list[Problem]]:
    """A file's text -> its data (None when it cannot be read as data), the places of its
    values (None when it had no problem: `places_of` finds them when asked), and every
    problem with its place."""
    if _is_empty(text):
        return None, None, [Problem(path, 1, 1, "the file is empty: expected a mapping of fields")]
    node, problem = _parse(text, path)
    if node is None:
        return None, None, [problem] if problem else []
    if not isinstance(node, MappingNode):
        found = "a list" if isinstance(node, SequenceNode) else "a single value"
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        message = f"expected a mapping of fields at the top level, found {found}"
        return None, None, [Problem(path, line, column, message)]
    try:
        return _Plain().convert(node, 0), None, []
    except (_NotPlain, RecursionError):
        pass
    places = Places()
    converter = _Converter(path, places)
    try:
        data = converter.convert(node, (), 0)
    except _Abort:
        return None, None, converter.problems
    except RecursionError:
        return None, None, [Problem(path, 1, 1, "values are nested too deeply")]
    return (None if converter.unsafe else data), places, converter.problems


def places_of(text: str, path: str) -> Places:
    """The places of a document read before without a problem (then this finds none)."""
    places = Places()
    node, _ = _parse(text, path)
    if node is not None:
        with contextlib.suppress(_Abort, RecursionError):
            _Converter(path, places).convert(node, (), 0)
    return places
