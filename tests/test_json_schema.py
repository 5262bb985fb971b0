"""The JSON Schema editors use: in step with the model, accepting every committed file,
rejecting every bad fixture that a schema can see."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator.data.json_schema import FILES, schema_texts
from generator.editor.scaffold import skeleton
from tests.conftest import FIXTURES, ROOT, run_cli

SCHEMAS = ROOT / "schemas"
BAD = FIXTURES / "bad" / "briefings"
# What only `validate` can see: the file's bytes, its name, or other files.
VALIDATE_ONLY = {
    "articles/Bad_Name.yaml": "the file name",
    "articles/alias-bomb.yaml": "a YAML alias bomb (the loader stops it)",
    "articles/duplicate-key.yaml": "a duplicate key (a YAML reader keeps one)",
    "articles/former-clash.yaml": "an actor listed twice; a former id of another file",
    "articles/latin1.yaml": "the encoding",
    "articles/python-tag.yaml": "a YAML tag",
    "actors/kim-jong-un.yaml": "nothing: the actor the other bad files point at",
}


class _EditorLoader(yaml.SafeLoader):
    """YAML as an editor's language server hands it to the schema: dates stay text (JSON
    has no date type); `no` is false as for the validator (yaml.yamlVersion 1.1)."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_EditorLoader)


def _validator(kind: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads((SCHEMAS / FILES[kind]).read_text()))


def _kind(path: Path) -> str:
    return "actor" if path.parent.name == "actors" else "article"


def test_the_committed_schemas_are_the_generated_ones() -> None:
    for name, text in schema_texts().items():
        committed = (SCHEMAS / name).read_text(encoding="utf-8")
        assert committed == text, f"schemas/{name} is out of date: python -m generator schema"


@pytest.mark.slow
def test_schema_check_and_output(tmp_path: Path) -> None:
    assert run_cli("schema", "--check").code == 0
    result = run_cli("--root", tmp_path, "schema", "--output", tmp_path / "out")
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout == ("out/: 2 schemas written (article.schema.json, actor.schema.json)\n")
    assert run_cli("--root", tmp_path, "schema", "--output", tmp_path / "out").stdout == (
        "out/: 0 schemas written, all up to date\n"
    )
    (tmp_path / "out" / "actor.schema.json").write_text("{}\n", encoding="utf-8")
    result = run_cli("--root", tmp_path, "schema", "--output", tmp_path / "out", "--check")
    assert result.code == 1
    assert result.stdout == (
        "out/actor.schema.json: not up to date; run `python -m generator schema`\n"
    )
    for name, text in schema_texts().items():
        if name != "actor.schema.json":
            assert (tmp_path / "out" / name).read_text(encoding="utf-8") == text


@pytest.mark.parametrize("kind", sorted(FILES))
def test_the_schemas_are_valid_draft_07(kind: str) -> None:
    document = json.loads((SCHEMAS / FILES[kind]).read_text())
    assert document["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(document)


COMMITTED = sorted([*(ROOT / "briefings").rglob("*.yaml"), *(FIXTURES / "corpus").rglob("*.yaml")])


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_committed_file_is_accepted(path: Path) -> None:
    errors = [e.message for e in _validator(_kind(path)).iter_errors(_load(path))]
    assert errors == []


BAD_FILES = sorted(p.relative_to(BAD).as_posix() for p in BAD.rglob("*.yaml"))


def test_the_list_of_what_only_validate_sees_names_bad_fixtures() -> None:
    assert set(VALIDATE_ONLY) <= set(BAD_FILES)


@pytest.mark.parametrize("name", [n for n in BAD_FILES if n not in VALIDATE_ONLY])
def test_every_bad_fixture_the_schema_can_see_is_rejected(name: str) -> None:
    path = BAD / name
    assert list(_validator(_kind(path)).iter_errors(_load(path))), f"{name} was accepted"


def _errors(kind: str, data: Any) -> list[tuple[str, str]]:
    found = _validator(kind).iter_errors(data)
    return sorted(("/".join(map(str, e.absolute_path)), e.message) for e in found)


def test_born_is_flagged_on_an_actor_that_is_not_a_person() -> None:
    data = _load(BAD / "actors" / "state-born.yaml")
    assert _errors("actor", data) == [("born", "1948 should not be valid under {}")]
    assert _errors("actor", {**data, "kind": "person"}) == []


def test_the_skeletons_are_flagged_where_they_must_be_filled() -> None:
    """An editor shows each empty field of a new file while typing, as validate does."""
    article = yaml.load(skeleton("article", "x-y", dt.date(2026, 1, 2)), Loader=_EditorLoader)
    assert [path for path, _ in _errors("article", article)] == [
        "actors/0/actor",
        "actors/0/role",
        "key_points/0",
        "summary",
        "title",
    ]
    actor = yaml.load(skeleton("actor", "x-y", dt.date(2026, 1, 2)), Loader=_EditorLoader)
    assert [path for path, _ in _errors("actor", actor)] == ["kind", "name", "summary"]


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2024", True),
        (2024, True),
        ("2024-02", True),
        ("2024-02-29", True),
        ("2024-13", False),
        ("2024-02-32", False),
        ("24-02", False),
        ("2024-2-3", False),
    ],
)
def test_dates(value: Any, valid: bool) -> None:
    data = {"name": "N", "kind": "person", "summary": "S", "born": value}
    assert (_errors("actor", data) == []) is valid


def test_editors_get_the_validators_words() -> None:
    article = json.loads((SCHEMAS / FILES["article"]).read_text())
    tags = article["properties"]["tags"]
    assert tags["items"]["patternErrorMessage"] == (
        "use up to 80 lowercase letters a-z, digits and single hyphens"
    )
    assert tags["markdownDescription"] == "Topic slugs such as `nuclear` or `sanctions`."
    relation = article["definitions"]["Relation"]["properties"]["relation"]
    assert relation["enumDescriptions"][:1] == ["symmetric: holds both ways"]
    assert article["properties"]["actors"]["defaultSnippets"] == [
        {"label": "- actor, role", "body": [{"actor": "$1", "role": "$2"}]}
    ]


def test_a_date_from_outside_the_article_needs_its_note() -> None:
    """As `validate` requires: `published_note` beside `published_basis: outside`, and
    `date_note` beside an event's `date_basis: outside`."""
    article = _load(FIXTURES / "corpus" / "briefings" / "articles" / "2024" / "beta-reacts.yaml")
    assert article["published_basis"] == "outside"
    assert [e.get("date_basis") for e in article["events"]] == [None, "inferred"]
    assert _errors("article", article) == []
    outside = {"date_basis": "outside", "date_note": "An archive."}
    events = [article["events"][0], {**article["events"][1], **outside}]
    assert _errors("article", {**article, "events": events}) == []
    del article["published_note"], events[1]["date_note"]
    assert _errors("article", {**article, "events": events}) == [
        ("", "'published_note' is a required property"),
        ("events/1", "'date_note' is a required property"),
    ]
    for basis in ("article", "inferred"):
        events[1]["date_basis"] = basis
        assert _errors("article", {**article, "published_basis": basis, "events": events}) == []


@pytest.mark.parametrize("name", ["\u200b", "\u3164\u2060", " \u00ad "])
def test_the_schema_refuses_a_text_of_invisible_characters_as_validate_does(name: str) -> None:
    actor = {"name": name, "kind": "media", "summary": "A news agency."}
    errors = list(_validator("actor").iter_errors(actor))
    assert [list(e.absolute_path) for e in errors] == [["name"]]
    assert list(_validator("actor").iter_errors({**actor, "name": "\u200bKCNA"})) == []
