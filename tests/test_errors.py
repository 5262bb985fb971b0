"""The error messages are part of the interface: exact tests, through the real CLI."""

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, make_project, run_cli

BAD = FIXTURES / "bad"


def test_every_error_of_the_bad_folder_in_one_run_exactly() -> None:
    result = run_cli("--root", BAD, "validate")
    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr == (BAD / "expected.txt").read_text(encoding="utf-8")


def test_every_line_has_the_contract_format() -> None:
    lines = (BAD / "expected.txt").read_text(encoding="utf-8").splitlines()
    for line in lines[:-1]:
        path, row, column, rest = line.split(":", 3)
        assert path.startswith("briefings/") and int(row) >= 1 and int(column) >= 1
        assert rest.startswith(" error: ")
    assert lines[-1] == f"{len(lines) - 1} errors in the data; nothing was written."


def test_build_with_errors_writes_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", BAD / "briefings")
    result = run_cli("--root", project, "build")
    assert result.code == 1
    assert result.stderr == (BAD / "expected.txt").read_text(encoding="utf-8")
    assert sorted(p.name for p in project.iterdir()) == ["briefings"]


@pytest.mark.slow
def test_a_broken_edit_keeps_the_previous_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    assert run_cli("--root", project, "build").code == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    pages = {p: p.read_bytes() for p in (project / "build").rglob("*") if p.is_file()}
    actor = project / "briefings" / "actors" / "japan.yaml"
    actor.write_text(actor.read_text(encoding="utf-8") + "kind: nation\n", encoding="utf-8")
    result = run_cli("--root", project, "build")
    assert result.code == 1
    assert "briefings/actors/japan.yaml" in result.stderr
    assert "duplicate key `kind`" in result.stderr
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before
    assert {p: p.read_bytes() for p in (project / "build").rglob("*") if p.is_file()} == pages


def test_unknown_actor_suggests_the_close_id(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    article = next((project / "briefings" / "articles").glob("*.yaml"))
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text.replace("actor: kim-jong-un", "actor: kim-jong-um", 1), encoding="utf-8"
    )
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "actor: kim-jong-un" in row)
    column = text.splitlines()[line - 1].index("kim-jong-un") + 1
    result = run_cli("--root", project, "validate")
    assert result.code == 1
    rel = article.relative_to(project).as_posix()
    assert result.stderr.splitlines()[0] == (
        f"{rel}:{line}:{column}: error: `actors[0].actor`: unknown actor `kim-jong-um`; "
        "did you mean `kim-jong-un`?"
    )


def test_usage_errors_exit_2() -> None:
    assert run_cli("frobnicate").code == 2
    assert run_cli().code == 2


def test_missing_briefings_folder(tmp_path: Path) -> None:
    result = run_cli("--root", tmp_path, "validate")
    assert result.code == 1
    assert result.stderr.splitlines()[0] == (
        "briefings:1:1: error: no briefings/ folder: is --root the project root?"
    )


def test_root_option_after_the_command(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "corpus" / "briefings", tmp_path / "briefings")
    result = run_cli("validate", "--root", tmp_path)
    assert (result.code, result.stdout) == (0, "3 briefings and 4 actors: no errors.\n")
