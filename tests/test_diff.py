"""`diff BASE [HEAD]` through the real CLI, on a temporary git repository whose commits add,
change, rename and break things; the output is compared exactly."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from generator.addresses import site_path as page_url
from generator.editor.changes import Change, _compare_value, compare_data
from tests.conftest import GIT_ENV, run_cli

ACTORS = {
    "alpha": "name: Alpha\nkind: state\nsummary: A state.\n",
    "beta": "name: Beta\nkind: state\nsummary: Another state.\n",
    "carol": "name: Carol\nkind: person\nsummary: Leader of Alpha.\ncountry: alpha\n",
    "press": "name: Press\nkind: media\nsummary: An agency.\n",
}
SUMMIT = """\
title: Alpha and Beta meet
published: 2024-03-05
source: {outlet: Wire}
summary: The leaders met.
key_points:
  - They met.
actors:
  - {actor: alpha, role: Host.}
  - {actor: beta, role: Guest.}
  - {actor: carol, role: Led the talks.}
events:
  - {date: 2024-03-04, what: Leaders meet., actors: [alpha, beta], id: meeting}
relations:
  - {subject: alpha, relation: negotiates-with, object: beta}
tags: [trade]
"""
REPORT = """\
title: An old report
published: 2023
source: {outlet: Wire}
summary: The agency reported.
key_points: [It reported.]
actors:
  - {actor: press, role: Reported.}
"""
TALKS = """\
title: Talks resume
published: 2024-04
source: {outlet: Wire}
summary: Talks resumed.
key_points: [Talks resumed.]
actors:
  - {actor: beta, role: Resumed talks.}
"""


EXPECTED = Path(__file__).resolve().parent / "fixtures" / "diff"


def _expected(name: str, **shas: str) -> str:
    """An expected output, with the commits' short hashes in place of {base} and {head}."""
    return (EXPECTED / name).read_text(encoding="utf-8").format(**shas)


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    result = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def _write(repo: Path, files: dict[str, str | None]) -> None:
    for path, text in files.items():
        target = repo / "briefings" / path
        if text is None:
            target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def _commit(repo: Path, message: str) -> str:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)
    return _git(repo, "rev-parse", "--short=7", "HEAD")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """Three commits: the base; changes that break references; the references fixed."""
    repo = tmp_path_factory.mktemp("diff") / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _write(repo, {f"actors/{name}.yaml": text for name, text in ACTORS.items()})
    _write(repo, {"articles/summit.yaml": SUMMIT, "articles/2023/old-report.yaml": REPORT})
    shas = [_commit(repo, "base")]
    summit = (
        SUMMIT.replace("Alpha and Beta meet", "Alpha and Beta leaders meet")
        .replace("date: 2024-03-04", "date: 2024-03-03")
        .replace("role: Guest.", "role: Visiting delegation.")
        .replace("  - They met.\n", "  - They met.\n  - They agreed to talk again.\n")
        .replace(
            "{subject: alpha, relation: negotiates-with, object: beta}",
            "{subject: carol, relation: leads, object: alpha}",
        )
        .replace("tags: [trade]", "tags: [trade, diplomacy]")
    )
    _write(
        repo,
        {
            "articles/summit.yaml": summit,
            "articles/talks.yaml": TALKS,
            "articles/2023/old-report.yaml": None,
            "articles/2023/first-report.yaml": REPORT + "former_ids: [old-report]\n",
            "actors/carol.yaml": None,
            "actors/carol-grey.yaml": ACTORS["carol"].replace("Carol", "Carol Grey")
            + "former_ids: [carol]\n",
            "actors/press.yaml": None,
        },
    )
    shas.append(_commit(repo, "changes that break references"))
    _write(
        repo,
        {
            "articles/summit.yaml": summit.replace("carol", "carol-grey"),
            "articles/2023/first-report.yaml": REPORT.replace("press", "beta")
            + "former_ids: [old-report]\n",
        },
    )
    shas.append(_commit(repo, "references fixed"))
    return repo, shas


def test_changes_that_break_references(repo: tuple[Path, list[str]]) -> None:
    folder, (base, broken, _) = repo
    result = run_cli("--root", folder, "diff", base, broken)
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout == _expected("broken.txt", base=base, head=broken)


def test_markdown_for_the_job_summary(repo: tuple[Path, list[str]]) -> None:
    folder, (base, _, fixed) = repo
    result = run_cli("--root", folder, "diff", base, fixed, "--format", "markdown")
    assert (result.code, result.stderr) == (0, "")
    data, pages = result.stdout.split("\n### Site pages\n\n")
    shown = re.sub(r"\| Site pages \| .* \|", "| Site pages | ... |", data)
    assert shown == _expected("markdown.txt", base=base, head=fixed)
    # The pages follow the renderers, which grow: the data's own pages are checked exactly.
    lines = pages.splitlines()
    assert lines == sorted(lines, key=lambda line: ("arc".index(line[2]), line))
    for line in (
        "- added: `/actors/carol-grey/`",
        "- added: `/briefings/first-report/`",
        "- added: `/briefings/talks/`",
        "- added: `/tags/diplomacy/`",
        "- removed: `/actors/carol/`",
        "- removed: `/actors/press/`",
        "- removed: `/briefings/old-report/`",
        "- changed: `/`",
        "- changed: `/actors/alpha/`",
        "- changed: `/actors/beta/`",
        "- changed: `/briefings/summit/`",
        "- changed: `/tags/trade/`",
        "- changed: `/timeline/`",
    ):
        assert line in lines
    assert "- changed: `/actors/carol-grey/`" not in lines


def test_head_omitted_is_the_working_tree(repo: tuple[Path, list[str]]) -> None:
    folder, (_, _, fixed) = repo
    summit = folder / "briefings" / "articles" / "summit.yaml"
    original = summit.read_text(encoding="utf-8")
    summit.write_text(
        original.replace("published: 2024-03-05", "published: 2024-03"), encoding="utf-8"
    )
    try:
        result = run_cli("--root", folder, "diff", "HEAD")
    finally:
        summit.write_text(original, encoding="utf-8")
    assert (result.code, result.stderr) == (0, "")
    data, pages = result.stdout.split("\nSite pages: ")
    assert (
        data
        == f"""\
Data changes from HEAD ({fixed}) to working tree

Briefings: 1 changed
  changed  summit: "Alpha and Beta leaders meet" (briefings/articles/summit.yaml)
           published: 2024-03-05 -> "2024-03"

Actors: no changes
"""
    )
    assert re.fullmatch(r"\d+ changed", pages.splitlines()[0])
    assert "  changed  /briefings/summit/" in pages.splitlines()
    assert not any(line.startswith(("  added", "  removed")) for line in pages.splitlines())


def test_nothing_changed(repo: tuple[Path, list[str]]) -> None:
    folder, (_, _, fixed) = repo
    result = run_cli("--root", folder, "diff", fixed, fixed)
    assert (
        result.stdout
        == f"""\
Data changes from {fixed} to {fixed}

Briefings: no changes

Actors: no changes

Site pages: no changes
"""
    )


def test_an_unknown_revision_is_a_usage_error(repo: tuple[Path, list[str]]) -> None:
    folder, _ = repo
    result = run_cli("--root", folder, "diff", "no-such-branch")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == "error: unknown git revision `no-such-branch`\n"


def test_outside_a_repository(tmp_path: Path) -> None:
    (tmp_path / "briefings").mkdir()
    result = run_cli("--root", tmp_path, "diff", "main")
    assert result.code == 2
    assert result.stderr.startswith("error: git rev-parse failed: fatal: not a git repository")


def test_a_subfolder_project_reads_its_own_briefings(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    project = repo / "site-data"
    project.mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    _write(project, {"actors/alpha.yaml": ACTORS["alpha"]})
    base = _commit(repo, "one actor")
    _write(project, {"actors/beta.yaml": ACTORS["beta"]})
    result = run_cli("--root", project, "diff", base)
    assert 'Actors: 1 added\n  added    beta: "Beta" (briefings/actors/beta.yaml)\n' in (
        result.stdout
    )


def test_fields_in_canonical_order_with_nested_mappings() -> None:
    old = {"title": "A", "source": {"outlet": "X"}, "summary": "S"}
    new = {"summary": "T", "source": {"outlet": "Y", "url": "https://e.org"}, "title": "A"}
    assert compare_data("article", old, new) == [
        Change("source.outlet", "changed", '"X"', '"Y"'),
        Change("source.url", "changed", "(none)", '"https://e.org"'),
        Change("summary", "changed", '"S"', '"T"'),
    ]


def test_lists_reordered_and_long_text_shortened() -> None:
    assert _compare_value("tags", ["a", "b"], ["b", "a"]) == [Change("tags", "reordered")]
    long_old, long_new = "word " * 40, "word " * 39 + "end"
    [change] = _compare_value("summary", long_old, long_new)
    assert change == Change(
        "summary", "changed", '"…' + "word " * 7 + 'word"', '"…' + "word " * 7 + 'end"'
    )
    short = _compare_value("title", "A " + "x" * 150, "B " + "x" * 150)
    assert short == [Change("title", "changed", '"A ' + "x" * 97 + '…"', '"B ' + "x" * 97 + '…"')]


def test_symmetric_relations_match_either_way_round() -> None:
    old = [{"subject": "a", "relation": "opposes", "object": "b"}]
    new = [{"subject": "b", "relation": "opposes", "object": "a"}]
    assert _compare_value("relations", old, new) == []


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("index.md", "/"),
        ("briefings/index.md", "/briefings/"),
        ("briefings/x.md", "/briefings/x/"),
        ("timeline.md", "/timeline/"),
        ("briefings/old/index.html", "/briefings/old/"),
        ("feeds/all.xml", "/feeds/all.xml"),
    ],
)
def test_page_addresses(path: str, url: str) -> None:
    assert page_url(path) == url
