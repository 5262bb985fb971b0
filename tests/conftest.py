"""Shared fixtures: the project root, a CLI runner, throwaway project folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A frozen copy of the first real briefing and its actors: tests read it instead of the
# editors' briefings/, which they may change at any time.
SEED = FIXTURES / "seed"


# `make test` runs the suite on two workers (pytest-xdist, `--dist loadgroup`). Each test file
# is one group, so its module fixtures (a built site, say) are made once; the files that share
# a session's site share a group: the reader-side site (tests/browser/reader_site.py) and the
# 300-briefing site (`paged_site`).
_GROUPS = {
    "tests/browser/test_accessibility.py": "reader-site",
    "tests/browser/test_reader.py": "reader-site",
    "tests/browser/test_long_lists.py": "paged-site",
    "tests/test_paging.py": "paged-site",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        item.add_marker(pytest.mark.xdist_group(_GROUPS.get(module, module)))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current output"
    )


GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
"""What git needs to commit in a test repository, the same on any machine (no user config,
fixed names and dates: the same commits, the same hashes)."""


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(
    *args: str | Path, cwd: Path = ROOT, timeout: float = 300, env: dict[str, str] | None = None
) -> Run:
    """Run `python -m generator ...` as a user would, in a separate process (`env`: its whole
    environment, else this one's)."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Run(result.returncode, result.stdout, result.stderr)


def make_project(target: Path, briefings: Path | None = None) -> Path:
    """A project folder holding only a briefings/ folder (by default a copy of the seed data):
    the generator builds it with this repository's mkdocs.yml and docs/."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(briefings or SEED / "briefings", target / "briefings")
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the seed data, safe to edit."""
    return make_project(tmp_path / "project")


@pytest.fixture
def fixture_project(tmp_path: Path) -> Path:
    """A project with the synthetic test corpus (tests/fixtures/corpus)."""
    return make_project(tmp_path / "fixture", FIXTURES / "corpus" / "briefings")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data built once into a site folder, through the real CLI."""
    project = make_project(tmp_path_factory.mktemp("built") / "project")
    result = run_cli("--root", project, "build")
    assert result.code == 0, result.stdout + result.stderr
    return project / "site"


PAGED_BRIEFINGS = 300
"""Briefings of the benchmark's synthetic corpus built by `paged_site`: enough for every
long list to run over a page (the timeline, /briefings/, tags, the famous actors' lists)."""


@pytest.fixture(scope="session")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's synthetic corpus (bench/corpus.py) of PAGED_BRIEFINGS briefings built
    through the real CLI; returns the project folder (its site is in `site/`)."""
    from bench.corpus import write_corpus

    project = tmp_path_factory.mktemp("paged") / "project"
    write_corpus(project, PAGED_BRIEFINGS)
    result = run_cli("--root", project, "build", timeout=600)
    assert result.code == 0, result.stdout + result.stderr
    return project
