"""The fast way files are read gives what the careful way gives: the same data, and, when a
problem needs them, the same lines and columns (found again from the text)."""

from __future__ import annotations

import gc
import re
import shutil
import threading
import unicodedata
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest
import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from bench.corpus import write_corpus
from generator.build import load_model
from generator.data import formats, load, schema, yaml_tree
from generator.data.check import check_document
from generator.problems import DataError, relative
from tests.conftest import FIXTURES, ROOT, make_project

TRICKY = {
    "anchors.yaml": "a: &x {b: 1}\nc: *x\nd: !!str 2024-01-01\ne: yes\nf: 0x1F\n",
    "scalars.yaml": "a: ~\nb: null\nc: 1_000\nd: .inf\ne: -.5\nf: +1\ng: 0o17\nh: 1:20\n"
    "i: 2024-01-01 10:00:00+02:00\nj: 2023-02-30\nk: ''\nl: On\nm: 'no'\nn: =\n",
    "explicit.yaml": "a: !!str [1, 2]\nb: !!map x\nc: !!int '7'\nd: !!float 1\ne: !!bool yes\n",
    "keys.yaml": "1: a\nyes: b\n2024-01-01: c\n~: d\n'<<': e\n",
    "nested.yaml": "a:\n" + "".join("  " * i + "- \n" for i in range(1, 20)),
    "unicode.yaml": 'title: "\\u2028 \\x85"\nname: 김정은 👩‍👩‍👧\nkey: [a, b]\n',
    "crlf.yaml": "title: x\r\nsummary: |\r\n  a\r\n  b\r\n",
}


def careful(text: str) -> tuple[Any, yaml_tree.Places]:
    """The data and places as the careful converter records them for every file."""
    node, problem = yaml_tree._parse(text, "x.yaml")
    assert node is not None and problem is None
    places = yaml_tree.Places()
    return yaml_tree._Converter("x.yaml", places).convert(node, (), 0), places


def _files(tmp_path: Path) -> list[Path]:
    write_corpus(tmp_path / "bench", 30)
    for name, text in TRICKY.items():
        (tmp_path / name).write_text(text, encoding="utf-8", newline="")
    folders = [ROOT / "briefings", FIXTURES, tmp_path]
    return sorted({f for folder in folders for f in folder.rglob("*.yaml")})


def test_files_without_a_problem_read_alike_both_ways(tmp_path: Path) -> None:
    fast = 0
    for file in _files(tmp_path):
        doc, problems = load.read_document(file, "x.yaml")
        if doc is None or problems:
            continue
        fast += doc._places is None
        data, places = careful(file.read_bytes().decode("utf-8-sig"))
        assert repr(doc.data) == repr(data), file  # repr: True and 1 are not alike here
        assert doc.positions == places.positions, file
        assert doc.key_positions == places.key_positions, file
        assert doc.bool_words == places.bool_words, file
    assert fast > 100


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",
        "a: &x {b: 1}\nc:\n  <<: *x\n",
        "a: !custom x\n",
        "a: &a [*a]\n",
        "? [a]\n: b\n",
    ],
)
def test_a_file_with_a_loading_problem_is_read_the_careful_way(tmp_path: Path, text: str) -> None:
    file = tmp_path / "x.yaml"
    file.write_text(text, encoding="utf-8")
    doc, problems = load.read_document(file, "x.yaml")
    assert problems
    assert doc is None or doc._places is not None


def test_places_are_found_when_first_asked_for_from_the_text_read(tmp_path: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_text("title: T\nactors:\n  - actor: kim\n    role: no\n", encoding="utf-8")
    doc, problems = load.read_document(file, "a.yaml")
    assert doc is not None and not problems and doc._places is None
    file.write_text("changed: since\n", encoding="utf-8")  # the text read is the one asked
    assert doc.place(("actors", 0, "role")) == (4, 11)
    assert doc.place(("actors", 0, "role"), key=True) == (4, 5)
    assert doc.bool_words == {("actors", 0, "role"): "no"}


ARTICLE = {
    "title": "title: T",
    "published": "published: 2024-01-02",
    "source": "source: {outlet: O}",
    "summary": "summary: S",
    "key_points": "key_points: [k]",
    "actors": "actors:\n  - actor: kim\n    role: R",
}
SCHEMA_ERRORS = [
    ("published", "published: [2024]", "`published`: expected a date"),
    ("title", "title: yes", 'write "yes" in quotes'),
    ("source", "source:\n  url: ftp://x", "is not an http:// or https:// URL"),
    ("actors", "actors:\n  - actor: kim\n    role: R\n  - actor: nobody", "unknown actor"),
    ("key_points", "key_points: []\ntags: [Bad Tag]", "invalid tag"),
    ("summary", "sumary: typo", "unknown field `sumary`"),
]


@pytest.mark.parametrize(("field", "replacement", "message"), SCHEMA_ERRORS)
def test_schema_errors_have_the_place_the_careful_reading_gives(
    tmp_path: Path, field: str, replacement: str, message: str
) -> None:
    file = tmp_path / "x.yaml"
    text = "\n".join(replacement if name == field else line for name, line in ARTICLE.items())
    file.write_text(text + "\n", encoding="utf-8")
    doc, problems = load.read_document(file, "x.yaml")
    assert doc is not None and not problems and doc._places is None
    _, found = check_document(doc, schema.Article, frozenset({"kim"}))
    _, places = careful(file.read_text(encoding="utf-8"))
    eager = load.Document("x.yaml", doc.data, "", places)
    _, expected = check_document(eager, schema.Article, frozenset({"kim"}))
    assert found == expected, found
    hits = [p for p in found if message in p.message]
    assert hits and all((p.line, p.column) != (1, 1) for p in hits), found


def _scalars(node: Any) -> list[tuple[str, bool, bool]]:
    """Every scalar of a node tree as (value, plain, quoted) for the resolver."""
    if isinstance(node, ScalarNode):
        return [(node.value, node.style is None, node.style is not None)]
    if isinstance(node, SequenceNode):
        return [s for item in node.value for s in _scalars(item)]
    if isinstance(node, MappingNode):
        return [s for pair in node.value for item in pair for s in _scalars(item)]
    return []


@pytest.mark.slow
def test_the_quick_resolver_resolves_as_pyyamls(tmp_path: Path) -> None:
    values = {
        (v, plain, quoted)
        for file in _files(tmp_path)
        if (node := yaml_tree._parse_fast(file.read_text(encoding="utf-8-sig", errors="replace")))
        for v, plain, quoted in _scalars(node)
    }
    words = "yes No OFF on true False NULL ~ null . .5 -.inf +.INF 0x1f 0o7 0b101 1_0 1:20 -1"
    odd = ["", "<<", "=", "!x", "&a", "*a", "2024-01-01", "2024-1-1 1:2:3", "1e3", "01", "+"]
    values |= {(v, plain, quoted) for v in words.split() + odd for plain in (True, False)
               for quoted in (True, False)}  # fmt: skip
    quick = yaml_tree._QuickLoader("")
    reference = yaml.resolver.Resolver()
    try:
        for value, plain, quoted in sorted(values):
            implicit = (plain, quoted)
            expected = reference.resolve(ScalarNode, value, implicit)
            assert quick.resolve(ScalarNode, value, implicit) == expected, value
        for kind in (SequenceNode, MappingNode):
            for implicit in ((True, False), (False, False)):
                expected = reference.resolve(kind, None, implicit)
                assert quick.resolve(kind, None, implicit) == expected
    finally:
        quick.dispose()
    assert len(values) > 1000


def test_the_quick_resolver_steps_aside_for_path_resolvers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert yaml_tree._fast_loader() is yaml_tree._QuickLoader
    monkeypatch.setattr(yaml_tree._QuickLoader, "yaml_path_resolvers", {((), None): "!x"})
    assert yaml_tree._fast_loader() is yaml.CSafeLoader


def test_the_collector_runs_as_often_as_before_once_loaded(tmp_path: Path) -> None:
    before = gc.get_threshold()
    load_model(make_project(tmp_path / "p"))
    assert gc.get_threshold() == before
    bad = make_project(tmp_path / "bad", FIXTURES / "bad" / "briefings")
    with pytest.raises(DataError):
        load_model(bad)
    assert gc.get_threshold() == before


def test_schema_error_positions_in_the_bad_fixture_come_from_the_second_reading() -> None:
    """The exact errors of tests/fixtures/bad (test_errors) include schema errors of files
    read the fast way: their places were found by reading the text again."""
    expected = (FIXTURES / "bad" / "expected.txt").read_text(encoding="utf-8")
    fast = []
    for file in sorted((FIXTURES / "bad" / "briefings").rglob("*.yaml")):
        doc, problems = load.read_document(file, relative(file, FIXTURES / "bad"))
        if doc is not None and not problems:
            fast.append(doc.path)
    lines = [line for line in expected.splitlines() if line.split(":")[0] in fast]
    assert len(lines) > 5
    assert all(re.match(r"^[^:]+:\d+:\d+: error: ", line) for line in lines)


# ---- Many files are read by worker processes, with the results of reading them here -----


def _seen(results: Any) -> list[Any]:
    """What a reading gives, places included, in a form that compares exactly."""
    seen = []
    for doc, problems in results:
        if doc is None:
            seen.append((None, problems))
        else:
            places = (doc.positions, doc.key_positions, doc.bool_words)
            seen.append((doc.path, repr(doc.data), places, problems))
    return seen


def _jobs(tmp_path: Path) -> list[tuple[Path, str]]:
    files = _files(tmp_path)
    files += sorted((FIXTURES / "bad" / "briefings").rglob("*.yaml"))
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    (tmp_path / "latin1.yaml").write_bytes(b"title: caf\xe9\n")
    files += [tmp_path / "empty.yaml", tmp_path / "latin1.yaml"]
    return [(file, f"shown/{i}.yaml") for i, file in enumerate(files)]


class _Pools:
    """Counts the worker pools read_documents starts (the real ones, or ones that fail)."""

    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, fail_after: int | None = None, *, fork: bool = True
    ) -> None:
        self.started = 0
        real = load.ProcessPoolExecutor
        pools = self

        class Pool(real):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                pools.started += 1
                super().__init__(*args, **kwargs)

            def map(self, *args: Any, **kwargs: Any) -> Any:
                results = super().map(*args, **kwargs)
                if fail_after is None:
                    return results
                return self._failing(results, fail_after)

            @staticmethod
            def _failing(results: Any, after: int) -> Any:
                for i, result in enumerate(results):
                    if i == after:
                        raise BrokenProcessPool("a worker died")
                    yield result

        monkeypatch.setattr(load, "ProcessPoolExecutor", Pool)
        if fork:
            # The whole suite runs with other threads alive (the browser tests' servers
            # and Playwright), where read_documents rightly stays serial; these tests are
            # about the workers, whose reading runs no thread of its own.
            monkeypatch.setattr(load, "_can_fork", lambda: True)
        monkeypatch.setattr(load, "READ_IN_PARALLEL_FROM", 10)
        monkeypatch.setattr(load, "_CHUNK", 7)


@pytest.mark.slow
def test_workers_read_as_this_process_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = _jobs(tmp_path)
    serial = _seen(load._read_chunk(jobs))
    pools = _Pools(monkeypatch)
    assert _seen(load.read_documents(jobs)) == serial
    assert pools.started == 1
    assert len(jobs) > 100 and any(doc is None for doc, _ in load._read_chunk(jobs))


@pytest.mark.slow
def test_failing_workers_leave_the_reading_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = _jobs(tmp_path)
    serial = _seen(load._read_chunk(jobs))
    pools = _Pools(monkeypatch, fail_after=3)
    assert _seen(load.read_documents(jobs)) == serial
    assert pools.started == 1

    def cannot_start(*args: Any, **kwargs: Any) -> Any:
        raise OSError("no semaphores here")

    monkeypatch.setattr(load, "ProcessPoolExecutor", cannot_start)
    assert _seen(load.read_documents(jobs)) == serial


def test_few_files_or_other_threads_are_read_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = _jobs(tmp_path)
    pools = _Pools(monkeypatch, fork=False)
    assert len(list(load.read_documents(jobs[:9]))) == 9
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not load._can_fork()
        assert len(list(load.read_documents(jobs))) == len(jobs)
    finally:
        stop.set()
        thread.join()
    assert pools.started == 0


def test_a_corpus_read_by_workers_is_the_corpus_read_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_corpus(tmp_path / "bench", 40)
    bad = make_project(tmp_path / "bad", FIXTURES / "bad" / "briefings")
    serial = load_model(tmp_path / "bench")
    with pytest.raises(DataError) as serial_error:
        load_model(bad)
    pools = _Pools(monkeypatch)
    shutil.rmtree(tmp_path / "bench" / "build")  # the cache of loaded files: all read again
    parallel = load_model(tmp_path / "bench")
    with pytest.raises(DataError) as parallel_error:
        load_model(bad)
    assert pools.started == 2
    assert parallel_error.value.problems == serial_error.value.problems
    for kind in ("articles", "actors"):
        mine, theirs = getattr(parallel, kind), getattr(serial, kind)
        assert list(mine) == list(theirs)
        assert [(e.path, e.data) for e in mine.values()] == [
            (e.path, e.data) for e in theirs.values()
        ]


def test_the_quicker_validators_judge_as_before() -> None:
    """_check_text without copying the text refuses a text of nothing a reader can see
    (white space, format characters, the letters that show as blank); _check_url refuses
    white space, what a reader cannot see, ASCII that no URL holds and a `%` that starts no
    percent-encoded byte."""
    blank = "\u115f\u1160\u3164\uffa0\u2800"
    characters = [chr(i) for i in range(0x3000 + 1)] + ["\u205f", "\ufeff", "\U0001f600"]
    for character in [*characters, *blank]:
        for text in ("", character, character * 3, f"a{character}", f"{character}a"):
            unseen = all(
                ch.isspace() or ch in blank or unicodedata.category(ch) == "Cf" for ch in text
            )
            assert _judged(schema._check_text, text) == unseen, repr(text)
            url = f"https://example.org/{text}"
            odd = any(ch.isspace() or not ch.isprintable() or ch in '\\"<>^`{|}%' for ch in url)
            assert _judged(formats.check_url, url) == odd, repr(url)


def _judged(check: Any, value: str) -> bool:
    """Whether `check` refuses `value`."""
    try:
        check(value)
    except ValueError:
        return True
    return False


@pytest.mark.parametrize(
    "text",
    ["", " \n\t\n", "# a\n  # b\n\n", "a: 1\n", "  # a\nb: 1\n", "\u2028# a\x1c#b\x85", "\f a",
     "#a\r\n\r\n  x", "\u3000# a", "\u3000a: 1", "a # b", " \x0b\n"],
)  # fmt: skip
def test_empty_means_blank_lines_and_comments_only(text: str) -> None:
    lines = text.splitlines()
    before = not text.strip() or all(
        line.lstrip().startswith("#") for line in lines if line.strip()
    )
    assert yaml_tree._is_empty(text) == before
