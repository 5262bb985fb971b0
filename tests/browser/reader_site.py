"""The site the reader-side browser tests use: the real briefings and the synthetic test
corpus (shared events, partial dates, former ids) in one project, built by the real CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SEED, run_cli


@pytest.fixture(scope="session")
def reader_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("reader") / "project"
    shutil.copytree(SEED / "briefings", project / "briefings")
    shutil.copytree(FIXTURES / "corpus" / "briefings", project / "briefings", dirs_exist_ok=True)
    result = run_cli("--root", project, "build")
    assert result.code == 0, result.stdout + result.stderr
    return project / "site"
