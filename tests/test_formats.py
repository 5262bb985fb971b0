"""`validate --format text|github|json`: exact output through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.editor.report import annotation, escape_data, escape_property
from generator.problems import Problem
from tests.conftest import make_project, run_cli

ACTOR = "briefings/actors/japan.yaml"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """The real data with two errors in one actor file."""
    project = make_project(tmp_path / "project")
    path = project / ACTOR
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("kind: state", "kind: statee") + "motto: Forward\n", encoding="utf-8"
    )
    return project


def test_escaping_follows_the_workflow_command_rules() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    # A problem's message is one line: a line break it quotes shows as `\n`.
    problem = Problem("briefings/a,b:c.yaml", 3, 4, "50% of `x`: bad,\nreally")
    assert annotation(problem) == (
        "::error file=briefings/a%2Cb%3Ac.yaml,line=3,col=4,title=Briefing data::"
        "50%25 of `x`: bad,\\nreally"
    )


def test_github(broken: Path) -> None:
    result = run_cli("--root", broken, "validate", "--format", "github")
    assert result.code == 1
    assert result.stdout == (
        "::error file=briefings/actors/japan.yaml,line=2,col=7,title=Briefing data::unknown "
        "kind `statee`; did you mean `state`? (expected one of: person, state, organisation, "
        "military, media, alliance, group)\n"
        "::error file=briefings/actors/japan.yaml,line=14,col=1,title=Briefing data::unknown "
        "field `motto` (allowed: name, kind, summary, aliases, country, born, born_circa, "
        "positions, links, wikidata, former_ids)\n"
    )
    assert result.stderr == "2 errors in the data; nothing was written.\n"


def test_json(broken: Path) -> None:
    result = run_cli("--root", broken, "validate", "--format", "json")
    assert (result.code, result.stderr) == (1, "")
    kind = (
        "unknown kind `statee`; did you mean `state`? (expected one of: person, state, "
        "organisation, military, media, alliance, group)"
    )
    field = (
        "unknown field `motto` (allowed: name, kind, summary, aliases, country, born, "
        "born_circa, positions, links, wikidata, former_ids)"
    )
    assert json.loads(result.stdout) == {
        "version": 1,
        "valid": False,
        "error_count": 2,
        "warning_count": 0,
        "briefings": None,
        "actors": None,
        "problems": [
            {
                "path": ACTOR,
                "line": 2,
                "column": 7,
                "severity": "error",
                "message": kind,
                "text": f"{ACTOR}:2:7: error: {kind}",
            },
            {
                "path": ACTOR,
                "line": 14,
                "column": 1,
                "severity": "error",
                "message": field,
                "text": f"{ACTOR}:14:1: error: {field}",
            },
        ],
    }
    assert result.stdout.startswith('{\n  "version": 1,\n  "valid": false,\n')


def test_text_is_the_default(broken: Path) -> None:
    default = run_cli("--root", broken, "validate")
    text = run_cli("--root", broken, "validate", "--format", "text")
    assert (default.code, default.stdout, default.stderr) == (text.code, text.stdout, text.stderr)
    assert default.stderr.splitlines()[-1] == "2 errors in the data; nothing was written."
    assert default.stderr.splitlines()[0].startswith(f"{ACTOR}:2:7: error: unknown kind")


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_clean_data(fmt: str, project: Path) -> None:
    result = run_cli("--root", project, "validate", "--format", fmt)
    assert (result.code, result.stdout, result.stderr) == (
        0,
        "1 briefing and 11 actors: no errors.\n",
        "",
    )


def test_clean_data_as_json(project: Path) -> None:
    result = run_cli("--root", project, "validate", "--format", "json")
    assert (result.code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {
        "version": 1,
        "valid": True,
        "error_count": 0,
        "warning_count": 0,
        "briefings": 1,
        "actors": 11,
        "problems": [],
    }


def test_an_unknown_format_is_a_usage_error(project: Path) -> None:
    result = run_cli("--root", project, "validate", "--format", "xml")
    assert (result.code, result.stdout) == (2, "")
    assert "argument --format: invalid choice: 'xml'" in result.stderr


def test_data_in_a_diff_summary_cannot_change_its_layout() -> None:
    """A title's line breaks made new Markdown lines in the job summary (`## ✅ All checks
    passed`), and a right-to-left override went out raw (found by an attacking helper)."""
    from generator.editor.report import code, md

    title = "Kim | x |\n\n## All checks passed\u202e"
    assert md(title) == "Kim \\| x \\|\\\\n\\\\n\\#\\# All checks passed\\\\u202e"
    assert "\n" not in md(title) and "\u202e" not in md(title)
    assert code("a\u202eb\nc") == "`a\\u202eb\\nc`"
