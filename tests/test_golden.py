"""Golden tests of every file the generator makes (pages, feeds, JSON API, STIX bundle,
redirects) from the fixture corpus. After an intended change, refresh them with
`make golden` and review `git diff tests/golden`.

They use the fixture corpus, never the editors' data in briefings/: fixing a typo there must
not break a test."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import generated_files, load_model
from generator.siteinfo import SiteInfo
from tests.conftest import FIXTURES, ROOT

GOLDEN = Path(__file__).resolve().parent / "golden" / "fixture"
CORPUS = FIXTURES / "corpus"
SITE = SiteInfo("Briefings", "https://briefings.example/", "A test site.")


def test_generated_files_match_golden(request: pytest.FixtureRequest) -> None:
    files = dict(generated_files(load_model(CORPUS), SITE))
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, text in files.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(text.encode("utf-8"))
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes().decode("utf-8")
        for p in sorted(GOLDEN.rglob("*"))
        if p.is_file()
    }
    assert sorted(files) == sorted(expected), "files added or removed: run `make golden`"
    for path, text in files.items():
        assert text == expected[path], f"{path} differs from tests/golden/fixture: `make golden`"


def test_every_kind_of_generated_file_has_a_golden_copy() -> None:
    kinds = {path.split("/")[0] if "/" in path else path for path in _golden_paths()}
    assert {"briefings", "actors", "tags", "feeds", "api", "index.md", "timeline.md"} <= kinds
    assert any(p.endswith("/index.html") for p in _golden_paths())  # a redirect
    assert "api/stix-bundle.json" in _golden_paths()


def _golden_paths() -> list[str]:
    return [p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()]


_DIGEST = """
import hashlib, sys
from pathlib import Path
from bench.corpus import write_corpus
from generator.build import generated_files
from generator.build import load_model
from generator.siteinfo import SiteInfo

root = Path(sys.argv[1])
if not root.exists():
    write_corpus(root, 120)
digest = hashlib.sha256()
site = SiteInfo("Briefings", "https://briefings.example/")
for path, text in sorted(generated_files(load_model(root), site)):
    digest.update(path.encode() + b"\\0" + text.encode() + b"\\0")
print(digest.hexdigest())
"""


@pytest.mark.slow
def test_the_same_data_gives_the_same_files_in_any_process(tmp_path: Path) -> None:
    """Two processes with different hash seeds (so different set and dict orders wherever
    order leaks from a set) generate byte-identical files from a synthetic corpus."""
    corpus = tmp_path / "corpus"
    digests = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [sys.executable, "-c", _DIGEST, str(corpus)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        digests.append(result.stdout.strip())
    assert digests[0] == digests[1]
    assert len(digests[0]) == hashlib.sha256().digest_size * 2
