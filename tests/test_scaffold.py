"""`new article|actor <id>` through the real CLI: scaffold, validate, fill, validate clean."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from generator.data import formats, schema
from generator.editor.scaffold import skeleton
from tests.conftest import make_project, run_cli

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def _keys(text: str, indent: str = "") -> list[str]:
    """Field names at one indentation, written out or commented out, in order."""
    pattern = re.compile(rf"^(?:# )?{indent}([a-z_]+):", re.MULTILINE)
    return pattern.findall(text)


@pytest.mark.parametrize(("kind", "model"), [("article", schema.Article), ("actor", schema.Actor)])
def test_every_field_in_canonical_order(kind: str, model: type[schema.Strict]) -> None:
    assert _keys(skeleton(kind, "some-id", TODAY)) == list(model.model_fields)


def test_the_article_skeleton_names_its_optional_source_text() -> None:
    """Where the article's text may go, which `validate` checks the quotes against; an
    actor has none."""
    header = skeleton("article", "some-id", TODAY).split("\n\n")[0]
    assert header.endswith(
        "\n#\n"
        "# Optional: the article's text in briefings/sources/some-id.txt (never published);\n"
        "# `validate` then checks that every quote stands in it word for word."
    )
    assert "briefings/sources/" not in skeleton("actor", "some-id", TODAY)


def test_the_article_skeleton_starts_with_the_schema_line_and_today() -> None:
    text = skeleton("article", "some-id", TODAY)
    assert text.splitlines()[:2] == [
        "# yaml-language-server: $schema=../../schemas/article.schema.json",
        "# Briefing `some-id`, from `python -m generator new article some-id`.",
    ]
    data = yaml.safe_load(text)
    assert data == {
        "title": "",
        "published": TODAY,
        "source": {"language": "en"},
        "summary": "",
        "key_points": [""],
        "actors": [{"actor": "", "role": ""}],
    }


def test_the_actor_skeleton() -> None:
    text = skeleton("actor", "someone", TODAY)
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/actor.schema.json"
    assert yaml.safe_load(text) == {"name": "", "kind": "", "summary": ""}
    assert (
        "# What sort of actor. Choose from: person, state, organisation, military, media," in text
    )


def test_optional_fields_uncommented_assert_nothing() -> None:
    """Uncommenting a whole optional block gives empty values that validate reports, and
    booleans at their default: never a made-up value that would reach a page."""
    text = skeleton("article", "some-id", TODAY)
    uncommented = re.sub(r"^# (?=[a-z_]+:|\s)", "", text, flags=re.MULTILINE)
    data = yaml.safe_load(uncommented)
    assert data["events"] == [
        {
            "date": "",
            "date_basis": "article",
            "date_note": "",
            "what": "",
            "actors": [""],
            "where": "",
            "circa": False,
            "id": "",
            "according_to": [""],
        }
    ]
    assert data["published_circa"] is False
    assert data["published_basis"] == "article" and data["published_note"] == ""
    assert data["tags"] == [""] and data["editor_note"] == ""


def test_scaffold_then_validate_names_each_field_to_fill(project: Path) -> None:
    result = run_cli("--root", project, "new", "article", "new-briefing")
    assert result.code == 0, result.stderr
    assert result.stdout == (
        'Created briefings/articles/new-briefing.yaml. Fill in every "" (`validate` lists '
        "them), then run\n`python -m generator validate`.\n"
    )
    path = project / "briefings" / "articles" / "new-briefing.yaml"
    assert f"published: {dt.date.today().isoformat()}\n" in path.read_text(encoding="utf-8")
    result = run_cli("--root", project, "validate")
    assert result.code == 1
    assert result.stderr == (
        "briefings/articles/new-briefing.yaml:12:8: error: `title`: must not be empty\n"
        "briefings/articles/new-briefing.yaml:38:10: error: `summary`: must not be empty\n"
        "briefings/articles/new-briefing.yaml:43:5: error: `key_points[0]`: must not be empty\n"
        "briefings/articles/new-briefing.yaml:47:12: error: `actors[0].actor`: must not be "
        "empty\n"
        "briefings/articles/new-briefing.yaml:48:11: error: `actors[0].role`: must not be "
        "empty\n"
        "5 errors in the data; nothing was written.\n"
    )


def _fill_article(text: str) -> str:
    return (
        text.replace('title: ""', "title: A new briefing")
        .replace("summary: |\n", "summary: |\n  Something happened, the article says.\n")
        .replace('  - ""', "  - Something happened.")
        .replace('- actor: ""', "- actor: kim-jong-un")
        .replace('role: ""', "role: Did something.")
    )


@pytest.mark.slow
def test_scaffold_fill_validate_clean_and_build(project: Path) -> None:
    assert run_cli("--root", project, "new", "actor", "choe-son-hui").code == 0
    assert run_cli("--root", project, "new", "article", "new-briefing").code == 0
    actor = project / "briefings" / "actors" / "choe-son-hui.yaml"
    actor.write_text(
        actor.read_text(encoding="utf-8")
        .replace('name: ""', "name: Choe Son Hui")
        .replace('kind: ""', "kind: person")
        .replace("summary: |\n", "summary: |\n  North Korean diplomat.\n")
        .replace('# country: ""', "country: north-korea"),
        encoding="utf-8",
    )
    article = project / "briefings" / "articles" / "new-briefing.yaml"
    article.write_text(_fill_article(article.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_cli("--root", project, "validate")
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout == "2 briefings and 12 actors: no errors.\n"


def test_refuses_to_overwrite(project: Path) -> None:
    target = project / "briefings" / "actors" / "japan.yaml"
    before = target.read_bytes()
    result = run_cli("--root", project, "new", "actor", "japan")
    assert (result.code, result.stdout) == (1, "")
    assert result.stderr == (
        "briefings/actors/japan.yaml:1:1: error: already exists: not overwritten; choose "
        "another id\n"
    )
    assert target.read_bytes() == before


def test_refuses_an_id_taken_in_a_subfolder_or_by_a_former_id(project: Path) -> None:
    articles = project / "briefings" / "articles"
    (articles / "2024").mkdir()
    (articles / "kim-jong-un-orders-war-preparations.yaml").rename(
        articles / "2024" / "kim-jong-un-orders-war-preparations.yaml"
    )
    result = run_cli("--root", project, "new", "article", "kim-jong-un-orders-war-preparations")
    assert result.code == 1
    assert result.stderr == (
        "briefings/articles/2024/kim-jong-un-orders-war-preparations.yaml:1:1: error: has the "
        "id `kim-jong-un-orders-war-preparations`: not overwritten; choose another id\n"
    )
    japan = project / "briefings" / "actors" / "japan.yaml"
    japan.write_text(japan.read_text(encoding="utf-8") + "former_ids: [nippon]\n", encoding="utf-8")
    result = run_cli("--root", project, "new", "actor", "nippon")
    assert result.code == 1
    line = len(japan.read_text(encoding="utf-8").splitlines())
    assert result.stderr == (
        f"briefings/actors/japan.yaml:{line}:14: error: `nippon` is a former id of this file "
        "(its address redirects here); choose another id\n"
    )
    assert not (project / "briefings" / "actors" / "nippon.yaml").exists()


@pytest.mark.parametrize("bad", ["Bad_Id", "x", "1abc", "double--hyphen", "a" * 81])
def test_a_bad_id_is_a_usage_error_with_the_validators_words(project: Path, bad: str) -> None:
    result = run_cli("--root", project, "new", "article", bad)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr.endswith(
        f"python -m generator new: error: argument id: invalid id `{bad}`: {formats.ID_RULE}\n"
    )
    assert not list((project / "briefings").rglob(f"{bad}.yaml"))


def test_an_unknown_kind_is_a_usage_error(project: Path) -> None:
    result = run_cli("--root", project, "new", "event", "some-event")
    assert result.code == 2
    assert "argument kind: invalid choice: 'event'" in result.stderr
