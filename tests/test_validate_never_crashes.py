"""`validate` never prints a traceback, whatever the input: any value (of any YAML type,
nested, with any characters) in any place of both kinds of file, and any bytes in a file.
It exits with 0 or 1 and says every problem as `path:line:column: error: message`."""

from __future__ import annotations

import contextlib
import copy
import io
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from tests.test_properties import ACTORS, ARTICLE, write_project

PROBLEM = re.compile(r"^briefings/\S+:\d+:\d+: (error|warning): .+$")
SUMMARY = re.compile(r"^\d+ errors?(, \d+ warnings?)? in the data(; nothing was written\.)?$")

# Any YAML value: scalars of every type YAML knows (text with any character, surrogates
# included), nested in lists and mappings.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=3),
    st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=10),
    st.sampled_from(["\ufffe", "\u200b", "\u202e", "\x00", "a\x85b"]),
    st.dates(),
    st.sampled_from(["2024-02-30", "0x7e8", "kim-jong-um", "index", "https://a.example/x)<b>"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _places(data: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a document, the document itself aside."""
    found = [loc] if loc else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _places(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _places(value, (*loc, index))
    return found


DOCUMENTS = {"article": ARTICLE, **ACTORS}
PLACES = [(owner, loc) for owner, data in DOCUMENTS.items() for loc in _places(data)]


def _validate(root: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), "validate"])
    return code, out.getvalue(), err.getvalue()


def _assert_clean_report(code: int, out: str, err: str) -> None:
    assert code in (0, 1), (code, err)
    if code == 1:
        lines = err.splitlines()
        assert lines and SUMMARY.match(lines[-1]), err
        assert all(PROBLEM.match(line) for line in lines[:-1]), err


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(place=st.sampled_from(PLACES), value=values)
def test_any_value_in_any_place_is_a_clean_report(place: tuple[str, Any], value: Any) -> None:
    owner, loc = place
    article, actors = copy.deepcopy(ARTICLE), copy.deepcopy(ACTORS)
    target: Any = article if owner == "article" else actors[owner]
    for part in loc[:-1]:
        target = target[part]
    target[loc[-1]] = value
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        try:
            write_project(root, article, actors)
        except UnicodeEncodeError:  # a lone surrogate: written as YAML's escape instead
            (root / "briefings" / "articles" / "alpha-acts.yaml").write_text(
                yaml.safe_dump(article, allow_unicode=False), encoding="utf-8"
            )
            for actor_id, actor in actors.items():
                (root / "briefings" / "actors" / f"{actor_id}.yaml").write_text(
                    yaml.safe_dump(actor, allow_unicode=False), encoding="utf-8"
                )
        _assert_clean_report(*_validate(root))


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(content=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_any_bytes_in_a_file_are_a_clean_report(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_project(Path(folder), ARTICLE, ACTORS)
        (root / "briefings" / "articles" / "odd.yaml").write_bytes(content)
        code, out, err = _validate(root)
        _assert_clean_report(code, out, err)
        assert code == 1  # at least: not a mapping, or fields missing


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(
    content=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)),
    quote=st.text(min_size=1, max_size=40).filter(str.strip),
)
def test_any_bytes_in_a_source_text_and_any_quote_are_a_clean_report(
    content: bytes, quote: str
) -> None:
    article = copy.deepcopy(ARTICLE)
    article["quotes"][0]["text"] = quote
    with tempfile.TemporaryDirectory() as folder:
        try:
            root = write_project(Path(folder), article, ACTORS)
        except UnicodeEncodeError:
            return  # a lone surrogate in the quote: the YAML cases cover it
        (root / "briefings" / "sources").mkdir()
        (root / "briefings" / "sources" / "alpha-acts.txt").write_bytes(content)
        _assert_clean_report(*_validate(root))


def test_the_valid_project_validates() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_project(Path(folder), ARTICLE, ACTORS)
        assert _validate(root)[0] == 0


NASTY: list[Any] = [
    "\ud800",
    "x\udfffy",
    "\ufffe",
    "\x00",
    "\u202e",
    "0x7e8",
    None,
    True,
    -(2**70),
    float("nan"),
    [],
    [["deep"]],
    {"a": {"b": "\ud800"}},
    {"\ud800": 1},
]


def _leaves(data: Any) -> list[tuple[Any, ...]]:
    return [loc for loc in _places(data) if not isinstance(_at(data, loc), dict | list)]


def _at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        data = data[part]
    return data


def _with(value: Any, places: list[tuple[str, tuple[Any, ...]]]) -> tuple[Any, Any]:
    article, actors = copy.deepcopy(ARTICLE), copy.deepcopy(ACTORS)
    for owner, loc in places:
        target: Any = article if owner == "article" else actors[owner]
        _at(target, loc[:-1])[loc[-1]] = value
    return article, actors


def _crash(value: Any, places: list[tuple[str, tuple[Any, ...]]]) -> str | None:
    with tempfile.TemporaryDirectory() as folder:
        _write_escaped(Path(folder), *_with(value, places))
        try:
            _assert_clean_report(*_validate(Path(folder)))
        except BaseException as error:
            return f"{value!r} at {places if len(places) == 1 else 'every leaf'}: {error!r}"[:300]
    return None


LEAVES = [(owner, loc) for owner, data in DOCUMENTS.items() for loc in _leaves(data)]
CONTAINERS = [place for place in PLACES if place not in LEAVES]


@pytest.mark.slow
def test_each_nasty_value_in_every_place_is_a_clean_report() -> None:
    """Each value that once crashed something: in every leaf of both kinds of file at once,
    and in each place that holds a list or a mapping."""
    crashes = [_crash(value, LEAVES) for value in NASTY]
    crashes += [_crash(v, [p]) for p in CONTAINERS for v in ("\ud800", None, {"\ud800": 1})]
    assert [crash for crash in crashes if crash] == []


def _write_escaped(root: Path, article: dict[str, Any], actors: dict[str, Any]) -> None:
    """The project, with characters YAML cannot print written as its escapes."""
    folder = root / "briefings"
    (folder / "articles").mkdir(parents=True)
    (folder / "actors").mkdir()
    documents = {Path("articles/alpha-acts.yaml"): article} | {
        Path(f"actors/{name}.yaml"): actor for name, actor in actors.items()
    }
    for path, data in documents.items():
        (folder / path).write_text(yaml.safe_dump(data, allow_unicode=False), encoding="utf-8")
