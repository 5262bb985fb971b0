"""The cache of loaded documents (generator/data/cache.py): with it, `validate` gives exactly
what it gives without it, whatever changed, whatever the cache file holds."""

from __future__ import annotations

import fcntl
import hashlib
import importlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.corpus import write_corpus
from generator.data import cache, load, sources
from generator.data.check import Checked, check
from tests.conftest import FIXTURES, SEED, make_project, run_cli


def uncached(root: Path) -> Checked:
    return check(load.load(sources.find(root)))


def cached(root: Path) -> Checked:
    """What `validate` runs: the cache opened, the files loaded through it, the cache saved."""
    found = cache.open_cache(root)
    checked = check(load.load(sources.find(root), found.read_documents))
    if not checked.problems:
        found.save()
    return checked


def cache_file(root: Path) -> Path:
    return root / cache.FOLDER / cache.FILE


def cached_lines(root: Path) -> int:
    return len(cache_file(root).read_bytes().splitlines()) - 1


def same_both_ways(root: Path) -> Checked:
    """The result through the cache (as it stands) equals the result without it, twice."""
    expected = uncached(root)
    assert cached(root) == expected
    assert cached(root) == expected  # and from what that run saved
    return expected


@pytest.fixture(params=["corpus", "seed", "bad", "bench"])
def corpus(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "bench":
        write_corpus(tmp_path / "bench", 30)
        return tmp_path / "bench"
    return make_project(tmp_path / request.param, FIXTURES / request.param / "briefings")


def _articles(root: Path) -> list[Path]:
    return sorted((root / "briefings" / "articles").rglob("*.yaml"))


def _actors(root: Path) -> list[Path]:
    return sorted((root / "briefings" / "actors").glob("*.yaml"))


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, (file, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(file: Path, text: str) -> None:
    file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "a file changed": lambda root: _edit(_articles(root)[0], "title: ", "title: Changed "),
    "a file added": lambda root: shutil.copy(
        _articles(root)[0], _articles(root)[0].with_name("a-new-one.yaml")
    ),
    "a file removed": lambda root: _articles(root)[-1].unlink(),
    "a file renamed": lambda root: _articles(root)[0].rename(
        _articles(root)[0].with_name("renamed-one.yaml")
    ),
    "a schema error": lambda root: _append(_articles(root)[0], "titel: a misspelt field\n"),
    "a date for a text": lambda root: _edit(
        _articles(root)[0], "title: ", "title: 2024-01-31T10:20:30\nold_title: "
    ),
    "a YAML error": lambda root: _append(_articles(root)[0], "broken: [unclosed\n"),
    "a byte order mark": lambda root: _articles(root)[0].write_bytes(
        b"\xef\xbb\xbf" + _articles(root)[0].read_bytes()
    ),
    "two files alike": lambda root: shutil.copy(
        _actors(root)[0], _actors(root)[0].with_name("a-twin.yaml")
    ),
    "an actor removed": lambda root: _actors(root)[0].unlink(),
}


def test_cold_then_warm_equals_uncached(corpus: Path) -> None:
    expected = same_both_ways(corpus)
    assert cache_file(corpus).is_file() == (expected.problems == ())


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_after_each_edit_equals_uncached(corpus: Path, edit: str) -> None:
    same_both_ways(corpus)
    EDITS[edit](corpus)
    same_both_ways(corpus)


def test_every_edit_in_a_row_equals_uncached(tmp_path: Path) -> None:
    root = make_project(tmp_path / "seed", SEED / "briefings")
    same_both_ways(root)
    for edit in EDITS.values():
        if _articles(root) and _actors(root):
            edit(root)
            same_both_ways(root)


def test_an_unchanged_article_reports_the_actor_removed_at_its_own_place(project: Path) -> None:
    """The reference of an article read from the cache dangles when its actor goes: the
    message stands at the article's line and column, as without the cache."""
    assert cached(project).problems == ()
    (project / "briefings" / "actors" / "kim-jong-un.yaml").unlink()
    problems = [str(p) for p in cached(project).problems]
    article = "briefings/articles/kim-jong-un-orders-war-preparations.yaml"
    assert problems == [str(p) for p in uncached(project).problems]
    assert any(p.startswith(f"{article}:") and "unknown actor `kim-jong-un`" in p for p in problems)


def test_only_changed_files_are_parsed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached(project)
    parsed: list[str] = []
    real = load.read_document

    def counting(file: Path, path: str) -> tuple[load.Document | None, list[object]]:
        parsed.append(path)
        return real(file, path)  # type: ignore[return-value]

    monkeypatch.setattr(load, "read_document", counting)
    cached(project)
    assert parsed == []
    _edit(_articles(project)[0], "title: ", "title: Changed ")
    cached(project)
    assert parsed == [_articles(project)[0].relative_to(project).as_posix()]


def test_the_worker_processes_fill_the_cache_too(
    fixture_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load, "READ_IN_PARALLEL_FROM", 1)
    monkeypatch.setattr(load, "_CHUNK", 2)
    same_both_ways(fixture_project)


def test_entries_of_files_gone_are_dropped(project: Path) -> None:
    cached(project)
    before = cached_lines(project)
    _articles(project)[0].unlink()
    cached(project)
    assert cached_lines(project) == before - 1


def test_nothing_is_written_when_nothing_changed(project: Path) -> None:
    cached(project)
    written = cache_file(project).stat().st_mtime_ns
    cached(project)
    assert cache_file(project).stat().st_mtime_ns == written


# What may be found at the cache's place: each is ignored, and replaced by a good cache.
def _flip_a_byte(file: Path) -> None:
    content = bytearray(file.read_bytes())
    content[-10] ^= 0x01
    file.write_bytes(bytes(content))


def _forge_entries(file: Path) -> None:
    """Lines that are not what the cache writes, under a header that checks out."""
    body = b"".join(
        [
            b"x\tnot json\n",
            b"y\t[1, 2, 3]\n",
            b'z\t[{}, [[["nowhere"], "date"]]]\n',
            b'w\t["text", []]\n',
            b'v\t[{"date": 5}, [[["date"], "datetime"]]]\n',
            b"u\t" + b"[" * 100_000 + b"\n",
        ]
    )
    header = json.loads(file.read_bytes().partition(b"\n")[0])
    header["sha256"] = hashlib.sha256(body).hexdigest()
    file.write_bytes(json.dumps(header).encode() + b"\n" + body)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated": lambda f: f.write_bytes(f.read_bytes()[: len(f.read_bytes()) // 2]),
    "empty": lambda f: f.write_bytes(b""),
    "a byte flipped": _flip_a_byte,
    "not JSON": lambda f: f.write_bytes(b"\x80\x00garbage\n" * 100),
    "deeply nested header": lambda f: f.write_bytes(b"[" * 100_000 + b"\n"),
    "a pickle": lambda f: f.write_bytes(
        b"cos\nsystem\n(S'touch /tmp/should-not-exist'\ntR."  # never unpickled
    ),
    "another version": lambda f: f.write_bytes(
        f.read_bytes().replace(b'"fingerprint": "', b'"fingerprint": "0', 1)
    ),
    "forged entries": _forge_entries,
    "a folder": lambda f: (f.unlink(), f.mkdir()),
    "a FIFO": lambda f: (f.unlink(), os.mkfifo(f)),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_cache_is_ignored(fixture_project: Path, damage: str) -> None:
    expected = same_both_ways(fixture_project)
    DAMAGE[damage](cache_file(fixture_project))
    assert cached(fixture_project) == expected


@pytest.mark.parametrize("damage", ["truncated", "a byte flipped", "forged entries"])
def test_a_damaged_cache_is_replaced(fixture_project: Path, damage: str) -> None:
    cached(fixture_project)
    good = cache_file(fixture_project).read_bytes()
    DAMAGE[damage](cache_file(fixture_project))
    cached(fixture_project)
    assert cache_file(fixture_project).read_bytes() == good


def test_a_link_in_place_of_the_cache_folder_is_neither_read_nor_written(
    project: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "build").mkdir()
    (project / cache.FOLDER).symlink_to(elsewhere)
    assert cached(project) == uncached(project)
    assert list(elsewhere.iterdir()) == []
    (project / cache.FOLDER).unlink()
    (project / "build").rmdir()
    (project / "build").symlink_to(elsewhere)
    assert cached(project) == uncached(project)
    assert list(elsewhere.iterdir()) == []


def test_an_edit_of_the_generator_data_code_invalidates_the_cache(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fingerprint covers the source of generator/data/ (an edit of the schema or the
    rules in a checkout, without a new version), and the versions of the generator, PyYAML
    and pydantic."""
    cached(project)
    parsed: list[str] = []
    real = load.read_document
    monkeypatch.setattr(
        load, "read_document", lambda file, path: parsed.append(path) or real(file, path)
    )
    monkeypatch.setattr(cache, "fingerprint", lambda: "another generator")
    cached(project)
    assert len(parsed) == len(_articles(project)) + len(_actors(project))


@pytest.mark.parametrize(
    "change",
    ["generator.__version__", "pydantic.VERSION", "yaml.__version__", "source"],
)
def test_the_fingerprint_changes_with_the_code_and_versions(
    change: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = cache.fingerprint()
    if change == "source":
        copy = tmp_path / "data"
        shutil.copytree(Path(cache.__file__).parent, copy)
        schema = copy / "schema.py"
        schema.write_text(schema.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        monkeypatch.setattr(cache, "__file__", str(copy / "cache.py"))
    else:
        module, name = change.rsplit(".", 1)
        monkeypatch.setattr(importlib.import_module(module), name, "0.0.0-other")
    assert cache.fingerprint() != before


def test_a_warm_validate_prints_exactly_what_a_cold_one_prints(project: Path) -> None:
    """Warm: the cache of the data as it was when last valid; cold: no cache at all."""
    article = project / "briefings/articles/kim-jong-un-orders-war-preparations.yaml"
    for output in ("text", "json", "github"):
        shutil.rmtree(project / "build", ignore_errors=True)
        cold = run_cli("--root", project, "validate", "--format", output)
        assert cache_file(project).is_file()
        warm = run_cli("--root", project, "validate", "--format", output)
        assert (warm.code, warm.stdout, warm.stderr) == (cold.code, cold.stdout, cold.stderr)
    _append(article, "titel: a misspelt field\n")
    (project / "briefings" / "actors" / "kcna.yaml").unlink()
    for output in ("text", "json", "github"):
        warm = run_cli("--root", project, "validate", "--format", output)
        kept = cache_file(project).read_bytes()
        shutil.rmtree(project / "build")
        cold = run_cli("--root", project, "validate", "--format", output)
        assert (warm.code, warm.stdout, warm.stderr) == (cold.code, cold.stdout, cold.stderr)
        shown = cold.stdout + cold.stderr
        assert cold.code == 1 and "titel" in shown and "unknown actor `kcna`" in shown
        assert "Traceback" not in shown + warm.stderr
        assert not (project / "build").exists()  # nothing written while the data has errors
        cache_file(project).parent.mkdir(parents=True)
        cache_file(project).write_bytes(kept)


def test_a_damaged_cache_through_the_cli(project: Path) -> None:
    cold = run_cli("--root", project, "validate")
    assert cold.code == 0 and cache_file(project).is_file()
    cache_file(project).write_bytes(b"\x00" * 1000)
    warm = run_cli("--root", project, "validate")
    assert (warm.code, warm.stdout, warm.stderr) == (cold.code, cold.stdout, cold.stderr)


def test_a_run_that_cannot_have_the_lock_leaves_the_cache_to_the_other(project: Path) -> None:
    """Two runs at once: the second one to save, finding the lock held, writes nothing (the
    other's file is whole), and its result is the same."""
    cached(project)
    before = cache_file(project).read_bytes()
    _edit(_articles(project)[0], "title: ", "title: Changed ")
    handle = os.open(project / cache.FOLDER / ".lock", os.O_RDWR)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert cached(project) == uncached(project)
        assert cache_file(project).read_bytes() == before
        assert sorted(p.name for p in cache_file(project).parent.iterdir()) == [
            ".lock",
            cache.FILE,
        ]
    finally:
        os.close(handle)
    cached(project)
    assert cache_file(project).read_bytes() != before


def test_what_a_killed_run_left_is_replaced(project: Path) -> None:
    cached(project)
    leftover = cache_file(project).with_name(f".{cache.FILE}.new")
    leftover.write_bytes(b"half a file")
    _edit(_articles(project)[0], "title: ", "title: Changed ")
    assert cached(project) == uncached(project)
    assert not leftover.exists()
    assert cached(project) == uncached(project)
