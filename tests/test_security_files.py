"""Files on disk (issue 11, items 3 and 9a): only plain files inside `briefings/` are data.

A symbolic link (to a file or a folder, outside the project or inside it, dangling or in a
loop), a FIFO, `briefings/articles` or `briefings/` itself leading outside: each is an error
at the path users see, through the real CLI, and nothing behind it is read, published,
echoed (content, keys or absolute path), or written (`new`). A file too large is refused
before it is read.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import threading
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import load_model
from generator.data import load
from generator.data.load import MAX_FILE_BYTES, read_document
from generator.data.sources import A_LINK, BRIEFINGS_OUTSIDE, NOT_A_FILE
from generator.problems import Problem
from tests.conftest import FIXTURES, GIT_ENV, make_project, run_cli
from tests.test_docs_cli import _explained_messages, _generic

SECRET = "TOPSECRET-7f3a"
SECRET_ARTICLE = f"""\
title: {SECRET} title
published: 2024-03-05
source: {{outlet: Wire}}
summary: {SECRET} summary.
key_points: [{SECRET} point.]
actors:
  - {{actor: alpha, role: {SECRET} role.}}
"""
SECRET_ACTOR = f"name: {SECRET} name\nkind: state\nsummary: {SECRET} summary.\n"
SECRET_KEYS = f"aws_key_{SECRET}: x\n"  # not an article: its key would be named as unknown
LINK = f"error: {A_LINK}"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project holding what an attacker wants published: valid files
    (so that nothing but the link can stop them) and one whose keys are the secret."""
    folder = tmp_path / "outside"
    (folder / "articles").mkdir(parents=True)
    (folder / "actors").mkdir()
    (folder / "article.yaml").write_text(SECRET_ARTICLE, encoding="utf-8")
    (folder / "actor.yaml").write_text(SECRET_ACTOR, encoding="utf-8")
    (folder / "keys.yaml").write_text(SECRET_KEYS, encoding="utf-8")
    (folder / "articles" / "outside-news.yaml").write_text(SECRET_ARTICLE, encoding="utf-8")
    shutil.copytree(
        FIXTURES / "corpus" / "briefings" / "actors", folder / "actors", dirs_exist_ok=True
    )
    (folder / "actors" / "outsider.yaml").write_text(SECRET_ACTOR, encoding="utf-8")
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", FIXTURES / "corpus" / "briefings")


def _replace_with_link(folder: Path, target: Path) -> None:
    shutil.rmtree(folder)
    folder.symlink_to(target, target_is_directory=True)


# name -> (how to plant it, given the project's briefings/ and the outside folder; the
# errors `validate` prints, in order)
Plant = Callable[[Path, Path], None]
CASES: dict[str, tuple[Plant, list[str]]] = {
    "a link to a file outside": (
        lambda b, o: (b / "articles" / "leak.yaml").symlink_to(o / "article.yaml"),
        [f"briefings/articles/leak.yaml:1:1: {LINK}"],
    ),
    "a link in a subfolder": (
        lambda b, o: (b / "articles" / "2024" / "leak.yaml").symlink_to(o / "article.yaml"),
        [f"briefings/articles/2024/leak.yaml:1:1: {LINK}"],
    ),
    "a link among the actors": (
        lambda b, o: (b / "actors" / "leak.yaml").symlink_to(o / "actor.yaml"),
        [f"briefings/actors/leak.yaml:1:1: {LINK}"],
    ),
    "a link to a file that is not valid (its keys must not be echoed)": (
        lambda b, o: (b / "articles" / "keys.yaml").symlink_to(o / "keys.yaml"),
        [f"briefings/articles/keys.yaml:1:1: {LINK}"],
    ),
    "a relative link out of the project": (
        lambda b, o: (b / "articles" / "up.yaml").symlink_to(Path("../../../outside/article.yaml")),
        [f"briefings/articles/up.yaml:1:1: {LINK}"],
    ),
    "a link to a folder outside": (
        lambda b, o: (b / "articles" / "more").symlink_to(o / "articles"),
        [f"briefings/articles/more:1:1: {LINK}"],
    ),
    "briefings/articles itself a link": (
        lambda b, o: _replace_with_link(b / "articles", o / "articles"),
        [f"briefings/articles:1:1: {LINK}"],
    ),
    "a link to a file inside briefings/ (two ids for one file)": (
        lambda b, o: (b / "articles" / "copy.yaml").symlink_to(Path("alpha-summit.yaml")),
        [f"briefings/articles/copy.yaml:1:1: {LINK}"],
    ),
    "a link to nothing": (
        lambda b, o: (b / "articles" / "gone.yaml").symlink_to(o / "nothing.yaml"),
        [f"briefings/articles/gone.yaml:1:1: {LINK}"],
    ),
    "a loop of links": (
        lambda b, o: (
            (b / "articles" / "a.yaml").symlink_to(Path("b.yaml")),
            (b / "articles" / "b.yaml").symlink_to(Path("a.yaml")),
        ),
        [f"briefings/articles/a.yaml:1:1: {LINK}", f"briefings/articles/b.yaml:1:1: {LINK}"],
    ),
    "a folder link making a loop": (
        lambda b, o: (b / "articles" / "loop").symlink_to(Path("..")),
        [f"briefings/articles/loop:1:1: {LINK}"],
    ),
    "a FIFO named like a data file": (
        lambda b, o: os.mkfifo(b / "articles" / "pipe.yaml"),
        [f"briefings/articles/pipe.yaml:1:1: error: {NOT_A_FILE}"],
    ),
    "briefings/ a link out of the project": (
        lambda b, o: (
            shutil.copytree(b, o / "briefings"),
            (o / "briefings" / "articles" / "outside-news.yaml").write_text(SECRET_ARTICLE),
            _replace_with_link(b, o / "briefings"),
        ),
        [f"briefings:1:1: error: {BRIEFINGS_OUTSIDE}"],
    ),
}


def _clean(output: str, outside: Path) -> None:
    """Nothing of what lies outside shows: no content, no key, no absolute path."""
    assert SECRET not in output
    assert str(outside) not in output
    assert str(outside.resolve()) not in output
    assert "Traceback" not in output


@pytest.mark.parametrize("case", CASES)
def test_validate_refuses_what_is_not_a_plain_file_inside(
    case: str, project: Path, outside: Path
) -> None:
    plant, errors = CASES[case]
    plant(project / "briefings", outside)
    result = run_cli("--root", project, "validate", timeout=60)
    _clean(result.stdout + result.stderr, outside)
    assert result.code == 1
    count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
    assert result.stderr == "\n".join([*errors, f"{count} in the data; nothing was written.\n"])


def test_actors_folder_a_link_is_refused_and_not_read(project: Path, outside: Path) -> None:
    """Its actors unread, every reference to them is an error too: the link comes first."""
    _replace_with_link(project / "briefings" / "actors", outside / "actors")
    result = run_cli("--root", project, "validate", "--format", "json", timeout=60)
    _clean(result.stdout + result.stderr, outside)
    assert result.code == 1
    result = run_cli("--root", project, "validate", timeout=60)
    assert result.stderr.splitlines()[0] == f"briefings/actors:1:1: {LINK}"


def test_proc_self_environ_is_not_read(project: Path, outside: Path) -> None:
    (project / "briefings" / "actors" / "env.yaml").symlink_to("/proc/self/environ")
    result = run_cli(
        "--root", project, "validate", env={**os.environ, "PLANTED": SECRET}, timeout=60
    )
    _clean(result.stdout + result.stderr, outside)
    assert result.stderr.splitlines()[0] == f"briefings/actors/env.yaml:1:1: {LINK}"
    assert result.code == 1


def test_build_refuses_links_and_publishes_nothing(project: Path, outside: Path) -> None:
    briefings = project / "briefings"
    (briefings / "articles" / "leak.yaml").symlink_to(outside / "article.yaml")
    (briefings / "actors" / "leak.yaml").symlink_to(outside / "actor.yaml")
    result = run_cli("--root", project, "build")
    _clean(result.stdout + result.stderr, outside)
    assert result.code == 1
    assert f"briefings/articles/leak.yaml:1:1: {LINK}" in result.stderr.splitlines()
    assert not (project / "site").exists()
    assert not (project / "build").exists() or not _mentions(project / "build", SECRET)


def _mentions(folder: Path, text: str) -> list[Path]:
    return [
        file for file in folder.rglob("*") if file.is_file() and text.encode() in file.read_bytes()
    ]


@pytest.mark.slow
def test_hidden_links_are_skipped_and_the_site_builds_without_them(
    project: Path, outside: Path
) -> None:
    """Hidden files and folders are not data: not read, not reported, not published."""
    articles = project / "briefings" / "articles"
    (articles / ".leak.yaml").symlink_to(outside / "article.yaml")
    (articles / ".hidden").symlink_to(outside / "articles")
    (articles / "notes.txt").symlink_to(outside / "keys.yaml")  # not named as data
    result = run_cli("--root", project, "build")
    assert result.code == 0, result.stdout + result.stderr
    _clean(result.stdout + result.stderr, outside)
    assert (project / "site" / "briefings" / "alpha-summit" / "index.html").is_file()
    assert _mentions(project / "site", SECRET) == []


def test_the_project_may_be_reached_through_links(tmp_path: Path, project: Path) -> None:
    """Real paths are compared: a root given through a link, and briefings/ a link to a
    folder inside the project, are the project; its files show as under briefings/."""
    (project / "data").mkdir()
    (project / "briefings").rename(project / "data" / "briefings")
    (project / "briefings").symlink_to(Path("data/briefings"), target_is_directory=True)
    (tmp_path / "via").symlink_to(project, target_is_directory=True)
    assert len(load_model(tmp_path / "via").articles) == 3
    (project / "briefings" / "articles" / "odd.yml").write_text("title: x\n")
    result = run_cli("--root", tmp_path / "via", "validate", timeout=60)
    assert result.stderr.splitlines()[0] == (
        "briefings/articles/odd.yml:1:1: error: name the file with `.yaml`, not `.yml`"
    )


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, check=True)


def test_diff_of_the_working_tree_does_not_read_links(project: Path, outside: Path) -> None:
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "base")
    (project / "briefings" / "articles" / "leak.yaml").symlink_to(outside / "article.yaml")
    (project / "briefings" / "actors" / "keys.yaml").symlink_to(outside / "keys.yaml")
    result = run_cli("--root", project, "diff", "HEAD", timeout=120)
    _clean(result.stdout + result.stderr, outside)
    assert result.code == 0, result.stderr
    assert "Files that cannot be read at HEAD: 2\n" in result.stdout
    assert f"  briefings/actors/keys.yaml:1:1: {LINK}\n" in result.stdout
    assert f"  briefings/articles/leak.yaml:1:1: {LINK}\n" in result.stdout


def test_new_does_not_write_through_a_link_to_nowhere(project: Path, outside: Path) -> None:
    planted = outside / "planted.yaml"
    (project / "briefings" / "articles" / "fresh.yaml").symlink_to(planted)
    result = run_cli("--root", project, "new", "article", "fresh", timeout=60)
    assert result.code == 1
    assert result.stderr == (
        "briefings/articles/fresh.yaml:1:1: error: already exists: not overwritten; "
        "choose another id\n"
    )
    assert not planted.exists()


@pytest.mark.parametrize(
    ("folder", "kind", "error"),
    [
        ("briefings/articles", "article", f"briefings/articles:1:1: {LINK}"),
        ("briefings/actors", "actor", f"briefings/actors:1:1: {LINK}"),
        ("briefings", "actor", f"briefings:1:1: error: {BRIEFINGS_OUTSIDE}"),
    ],
)
def test_new_does_not_write_into_a_linked_folder(
    project: Path, outside: Path, folder: str, kind: str, error: str
) -> None:
    target = outside / folder.replace("/", "-")
    shutil.copytree(project / folder, target)
    before = sorted(target.rglob("*"))
    _replace_with_link(project / folder, target)
    result = run_cli("--root", project, "new", kind, "fresh", timeout=60)
    assert (result.code, result.stderr) == (1, error + "\n")
    assert sorted(target.rglob("*")) == before


def test_new_still_writes_when_nothing_is_linked(project: Path) -> None:
    result = run_cli("--root", project, "new", "article", "fresh", timeout=60)
    assert result.code == 0, result.stderr
    assert (project / "briefings" / "articles" / "fresh.yaml").is_file()


# Item 9a: a file too large is refused by its size, before it is read.

TOO_LARGE = f"the file is larger than {MAX_FILE_BYTES:,} bytes"


def _sparse(file: Path, size: int) -> Path:
    with file.open("wb") as stream:
        stream.truncate(size)
    return file


def _peak_while(read: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        read()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_50_mb_file_is_refused_without_being_read(tmp_path: Path) -> None:
    big = _sparse(tmp_path / "big.yaml", 50_000_000)
    found: list[object] = []
    peak = _peak_while(lambda: found.append(read_document(big, "big.yaml")))
    assert found == [(None, [Problem("big.yaml", 1, 1, TOO_LARGE)])]
    assert peak < 1_000_000


def test_a_file_growing_after_its_size_was_asked_is_read_no_further(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size said it was small (it grew since): at most one byte more than the limit is
    read, and the file is still refused."""
    big = tmp_path / "big.yaml"
    big.write_bytes(b"title: x\n" + b"#" * 20_000_000)
    real_fstat = os.fstat

    def small(descriptor: int) -> os.stat_result:
        info = real_fstat(descriptor)
        return os.stat_result((*info[:6], 10, *info[7:]))

    monkeypatch.setattr(load.os, "fstat", small)
    found: list[object] = []
    peak = _peak_while(lambda: found.append(read_document(big, "big.yaml")))
    assert found == [(None, [Problem("big.yaml", 1, 1, TOO_LARGE)])]
    assert peak < 2 * MAX_FILE_BYTES


def test_a_file_too_large_through_the_cli(project: Path) -> None:
    _sparse(project / "briefings" / "articles" / "big.yaml", 50_000_000)
    result = run_cli("--root", project, "validate", timeout=60)
    assert result.code == 1
    assert result.stderr == (
        f"briefings/articles/big.yaml:1:1: error: {TOO_LARGE}\n"
        "1 error in the data; nothing was written.\n"
    )


def test_the_reader_itself_refuses_links_and_fifos_without_waiting(tmp_path: Path) -> None:
    """Whoever calls it: a link is not followed, a FIFO without a writer does not block."""
    (tmp_path / "real.yaml").write_text(SECRET_ARTICLE, encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    found: dict[str, object] = {}

    def read() -> None:
        for name in ("link.yaml", "pipe.yaml"):
            found[name] = read_document(tmp_path / name, name)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "reading a FIFO blocked"
    assert found == {
        "link.yaml": (None, [Problem("link.yaml", 1, 1, A_LINK)]),
        "pipe.yaml": (None, [Problem("pipe.yaml", 1, 1, NOT_A_FILE)]),
    }


def test_a_file_that_cannot_be_opened_is_an_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(Permission bits do not stop root, who runs these tests in CI: the refusal is made.)"""
    file = tmp_path / "locked.yaml"
    file.write_text("title: x\n", encoding="utf-8")
    real_open = os.open

    def refuse(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        if Path(path) == file:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_open(path, flags, mode)

    monkeypatch.setattr(load.os, "open", refuse)
    assert read_document(file, "locked.yaml") == (
        None,
        [Problem("locked.yaml", 1, 1, "the file cannot be read (Permission denied)")],
    )


def test_each_message_is_explained_in_the_guide() -> None:
    explained = _explained_messages()
    messages = [A_LINK, BRIEFINGS_OUTSIDE, NOT_A_FILE, TOO_LARGE]
    messages += ["the file cannot be read (Permission denied)"]
    for message in map(_generic, messages):
        assert any(message.startswith(k) or k.startswith(message) for k in explained), message


def test_new_where_briefings_is_a_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "briefings").write_text("not a folder\n", encoding="utf-8")
    result = run_cli("--root", tmp_path, "new", "actor", "fresh", timeout=60)
    assert (result.code, result.stderr) == (
        1,
        "briefings/actors/fresh.yaml:1:1: error: cannot be written (Not a directory)\n",
    )


def test_data_files_named_in_capitals_are_told_to_be_renamed(project: Path) -> None:
    """`.YAML` (or `.Yml`, `.TXT`) is no data file to read, but never passed over in silence:
    an editor would wait for a page that never comes."""
    (project / "briefings" / "articles" / "shout.YAML").write_text("title: x\n")
    (project / "briefings" / "actors" / "mixed.Yml").write_text("name: x\n")
    sources = project / "briefings" / "sources"
    sources.mkdir(exist_ok=True)
    (sources / "shout.TXT").write_text("Some text.\n")
    result = run_cli("--root", project, "validate", timeout=60)
    assert result.code == 1
    assert result.stderr.splitlines()[:3] == [
        "briefings/actors/mixed.Yml:1:1: error: name the file with `.yaml`, not `.Yml`",
        "briefings/articles/shout.YAML:1:1: error: name the file with `.yaml`, not `.YAML`",
        "briefings/sources/shout.TXT:1:1: error: name the file with `.txt`, not `.TXT`",
    ]
