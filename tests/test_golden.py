"""Golden tests of the generated Markdown. After an intended change, refresh them with
`make golden` and review `git diff tests/golden`."""

import shutil
from pathlib import Path

import pytest

from generator.model import load_corpus
from generator.render.site import render_pages
from tests.conftest import FIXTURES, ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"
CORPORA = {"real": ROOT, "fixture": FIXTURES / "corpus"}


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_generated_pages_match_golden(name: str, request: pytest.FixtureRequest) -> None:
    pages = render_pages(load_corpus(CORPORA[name]))
    folder = GOLDEN / name
    if request.config.getoption("--update-golden"):
        shutil.rmtree(folder, ignore_errors=True)
        for path, text in pages.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(text, encoding="utf-8")
    expected = {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*.md"))
    }
    assert sorted(pages) == sorted(expected), "pages added or removed: run `make golden`"
    for path, text in pages.items():
        assert text == expected[path], f"{path} differs from tests/golden/{name}: `make golden`"


def test_rendering_is_deterministic() -> None:
    first = render_pages(load_corpus(FIXTURES / "corpus"))
    second = render_pages(load_corpus(FIXTURES / "corpus"))
    assert first == second
