from pathlib import Path

import pytest

from generator.data.load import load_file


def load(tmp_path: Path, text: str | bytes) -> tuple[object, list[str]]:
    file = tmp_path / "x.yaml"
    if isinstance(text, bytes):
        file.write_bytes(text)
    else:
        file.write_text(text, encoding="utf-8")
    doc, problems = load_file(file, tmp_path)
    return (doc.data if doc else None), [str(p) for p in problems]


def test_keeps_line_and_column_of_every_node(tmp_path: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_text("title: T\nactors:\n  - actor: kim\n    role: R\n", encoding="utf-8")
    doc, problems = load_file(file, tmp_path)
    assert doc is not None and not problems
    assert doc.place(("title",)) == (1, 8)
    assert doc.place(("actors", 0, "role")) == (4, 11)
    assert doc.place(("actors", 0, "role"), key=True) == (4, 5)
    assert doc.place(("actors", 0, "missing")) == (3, 5)  # nearest parent


def test_dates_stay_as_yaml_reads_them(tmp_path: Path) -> None:
    data, problems = load(tmp_path, "a: 2023-09-13\nb: 2023-09\nc: 2023\n")
    assert problems == []
    assert data == {"a": __import__("datetime").date(2023, 9, 13), "b": "2023-09", "c": 2023}


def test_invalid_timestamp_is_kept_as_text_for_the_schema(tmp_path: Path) -> None:
    data, problems = load(tmp_path, "a: 2023-02-30\n")
    assert data == {"a": "2023-02-30"} and problems == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "x.yaml:2:1: error: duplicate key `a` (first given on line 1)"),
        ("- a\n", "x.yaml:1:1: error: expected a mapping of fields at the top level, found a list"),
        (
            "just text\n",
            "x.yaml:1:1: error: expected a mapping of fields at the top level, "
            "found a single value",
        ),
        ("", "x.yaml:1:1: error: the file is empty: expected a mapping of fields"),
        (
            "# only a comment\n",
            "x.yaml:1:1: error: the file is empty: expected a mapping of fields",
        ),
        (
            "a: !!python/object:os.system x\n",
            "x.yaml:1:4: error: the YAML tag `!!python/object:os.system` is not allowed: "
            "write plain values",
        ),
        (
            "a: !custom x\n",
            "x.yaml:1:4: error: the YAML tag `!custom` is not allowed: write plain values",
        ),
        ("a: [1\n", "x.yaml:2:1: error: invalid YAML: expected ',' or ']', but got '<stream end>'"),
        (
            "a: 1\n---\nb: 2\n",
            "x.yaml:2:1: error: invalid YAML: expected a single document "
            "in the stream, but found another document",
        ),
        (
            "a: &x {b: 1}\nc:\n  <<: *x\n",
            "x.yaml:3:3: error: merge keys (`<<`) are not supported: write the fields out",
        ),
        ("a: &a [*a]\n", "x.yaml:1:4: error: values are nested more than 32 levels deep"),
    ],
)
def test_bad_yaml_is_a_problem_with_its_place(tmp_path: Path, text: str, message: str) -> None:
    _, problems = load(tmp_path, text)
    assert problems == [message]


def test_not_utf8(tmp_path: Path) -> None:
    _, problems = load(tmp_path, b"title: ok\nname: caf\xe9\n")
    assert problems == ["x.yaml:2:10: error: the file is not UTF-8 (byte 0xe9)"]


def test_alias_bomb_is_stopped(tmp_path: Path) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdef", "bcdefg", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    _, problems = load(tmp_path, "\n".join(lines) + "\n")
    assert len(problems) == 1
    assert "expands to more than 100,000 values" in problems[0]


@pytest.mark.slow
def test_deep_nesting_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    _, problems = load(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert problems == ["x.yaml:1:1: error: invalid YAML: values are nested too deeply"]


def test_bare_yes_no_are_remembered(tmp_path: Path) -> None:
    file = tmp_path / "x.yaml"
    file.write_text("a: no\nb: true\nc: 'no'\n", encoding="utf-8")
    doc, _ = load_file(file, tmp_path)
    assert doc is not None
    assert doc.data == {"a": False, "b": True, "c": "no"}
    assert doc.bool_words == {("a",): "no"}
