"""Issue 11, item 2: `diff` reads revisions from git trees, which anyone can make with
entries no checkout could have (`..`, empty names, a name that is a file and a folder).

Each test builds a hostile tree object by hand in a temporary repository (`git hash-object
--literally -t tree`, the bytes git itself stores, so nothing of git's own checks stands in
the way) and runs the real CLI: nothing is written outside the diff's temporary folder, and
every unsafe path is an error naming the revision and the path, exit status 1.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from generator.editor import revisions
from generator.editor.revisions import UnsafeTreeError
from tests.conftest import GIT_ENV, run_cli

ALPHA = b"name: Alpha\nkind: state\nsummary: A state.\n"
PWNED = b"name: Pwned\nkind: state\nsummary: Written outside.\n"

Value = "bytes | Tree | tuple[bytes, bytes]"
Tree = dict[bytes, Value] | list[tuple[bytes, Value]]
"""name -> blob content, a subtree, or (mode, object id) for a raw entry; a list for
entries in a given order, or the same name twice."""


def git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV},
        input=stdin,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode().strip()


def write_tree(repo: Path, tree: Tree) -> str:
    """A tree object with exactly these entries, in this order, unchecked."""
    body = b""
    for name, value in tree.items() if isinstance(tree, dict) else tree:
        if isinstance(value, bytes):
            mode, oid = b"100644", git(repo, "hash-object", "-w", "--stdin", stdin=value)
        elif isinstance(value, tuple):
            mode, oid = value[0], value[1].decode()
        else:
            mode, oid = b"40000", write_tree(repo, value)
        body += mode + b" " + name + b"\0" + bytes.fromhex(oid)
    return git(repo, "hash-object", "-w", "--literally", "-t", "tree", "--stdin", stdin=body)


def commit(repo: Path, briefings: Tree) -> str:
    """A commit whose root holds only `briefings/` with these entries."""
    return git(repo, "commit-tree", write_tree(repo, {b"briefings": briefings}), "-m", "hostile")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with one clean commit (tag `base`) and its working tree checked out."""
    folder = tmp_path / "repo"
    (folder / "briefings" / "actors").mkdir(parents=True)
    (folder / "briefings" / "actors" / "alpha.yaml").write_bytes(ALPHA)
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "base")
    git(folder, "tag", "base")
    return folder


def diff(repo: Path, tmp_path: Path, *revisions: str) -> tuple[int, str, str]:
    """`python -m generator diff ...` with its temporary folders in tmp_path/tmp."""
    temporary = tmp_path / "tmp"
    temporary.mkdir(exist_ok=True)
    run = run_cli("--root", repo, "diff", *revisions, env={**os.environ, "TMPDIR": str(temporary)})
    assert "Traceback" not in run.stderr
    assert list(temporary.iterdir()) == []  # the diff's own folder is gone
    return run.code, run.stdout, run.stderr


def test_a_dotdot_chain_writes_nothing_outside(repo: Path, tmp_path: Path) -> None:
    """briefings/../../../escaped.yaml, from tmp/briefing-diff-*/, is tmp_path/escaped.yaml."""
    chain: Tree = {b"escaped.yaml": PWNED}
    for _ in range(3):
        chain = {b"..": chain}
    head = commit(repo, {b"actors": {b"alpha.yaml": ALPHA}, **chain})
    canary = tmp_path / "escaped.yaml"
    code, out, err = diff(repo, tmp_path, "base", head)
    assert not canary.exists()
    assert not list(tmp_path.rglob("escaped.yaml"))
    assert (code, out) == (1, "")
    assert err == (
        f"error: revision {head} ({head[:7]}): `briefings/../../../escaped.yaml` has a `..` in it\n"
    )
    # the same tree as the base, against the working tree
    code, out, err = diff(repo, tmp_path, head)
    assert (code, out, not canary.exists()) == (1, "", True)
    assert err.endswith("`briefings/../../../escaped.yaml` has a `..` in it\n")


@pytest.mark.parametrize(
    ("name", "shown", "reason"),
    [
        (b".", "briefings/./x.yaml", "has a `.` in it"),
        (b"..", "briefings/../x.yaml", "has a `..` in it"),
        (b"a\\..\\..", "briefings/a\\\\..\\\\../x.yaml", "has a backslash in a name"),
        (b"new\nline", "briefings/new\\nline/x.yaml", "has a control character in a name"),
        (b"esc\x1b[31m", "briefings/esc\\x1b[31m/x.yaml", "has a control character in a name"),
        (b"latin\xe9", "briefings/latin\\xe9/x.yaml", "is not UTF-8"),
        (b"n" * 256, f"briefings/{'n' * 256}/x.yaml", "has a name longer than 255 bytes"),
    ],
    ids=["dot", "dotdot", "backslash", "newline", "escape", "not-utf8", "too-long"],
)
def test_a_folder_name_no_checkout_could_have_is_refused(
    repo: Path, tmp_path: Path, name: bytes, shown: str, reason: str
) -> None:
    head = commit(repo, {b"actors": {b"alpha.yaml": ALPHA}, name: {b"x.yaml": PWNED}})
    code, out, err = diff(repo, tmp_path, "base", head)
    assert (code, out) == (1, "")
    assert err == f"error: revision {head} ({head[:7]}): `{shown}` {reason}\n"


def test_an_empty_name_is_refused_by_git_itself(repo: Path, tmp_path: Path) -> None:
    head = commit(repo, {b"actors": {b"alpha.yaml": ALPHA}, b"": {b"x.yaml": PWNED}})
    code, out, err = diff(repo, tmp_path, "base", head)
    assert (code, out) == (2, "")
    assert err == (
        f"error: revision {head} ({head[:7]}): "
        "git ls-tree failed: fatal: empty filename in tree entry\n"
    )


def test_every_unsafe_path_is_reported_in_one_run(repo: Path, tmp_path: Path) -> None:
    head = commit(
        repo,
        {
            b"actors": {b"alpha.yaml": ALPHA, b"zero\xe2\x80\x8bwidth\x7f.yaml": ALPHA},
            b"..": {b"a.yaml": PWNED},
            b".": {b"b.yaml": PWNED},
        },
    )
    code, _, err = diff(repo, tmp_path, "base", head)
    label = f"revision {head} ({head[:7]})"
    assert code == 1
    assert err == (
        f"error: {label}: `briefings/../a.yaml` has a `..` in it\n"
        f"error: {label}: `briefings/./b.yaml` has a `.` in it\n"
        f"error: {label}: `briefings/actors/zero\\u200bwidth\\x7f.yaml` "
        "has a control character in a name\n"
    )


def test_a_name_that_is_both_a_file_and_a_folder(repo: Path, tmp_path: Path) -> None:
    head = commit(repo, [(b"actors", [(b"x.yaml", ALPHA), (b"x.yaml", [(b"y.yaml", ALPHA)])])])
    code, out, err = diff(repo, tmp_path, "base", head)
    assert (code, out) == (1, "")
    assert err == (
        f"error: revision {head} ({head[:7]}): `briefings/actors/x.yaml` "
        "is both a file and a folder\n"
    )


def test_briefings_as_a_file_is_refused(repo: Path, tmp_path: Path) -> None:
    head = git(repo, "commit-tree", write_tree(repo, {b"briefings": ALPHA}), "-m", "a file")
    code, out, err = diff(repo, tmp_path, "base", head)
    assert (code, out) == (1, "")
    assert err == (
        f"error: revision {head} ({head[:7]}): `briefings` is a file, not the briefings/ folder\n"
    )


def test_a_path_twice_in_the_tree(repo: Path, tmp_path: Path) -> None:
    head = commit(repo, [(b"actors", [(b"alpha.yaml", ALPHA), (b"alpha.yaml", PWNED)])])
    code, out, err = diff(repo, tmp_path, "base", head)
    assert (code, out) == (1, "")
    assert err == (
        f"error: revision {head} ({head[:7]}): `briefings/actors/alpha.yaml` "
        "appears twice in the tree\n"
    )


def test_links_and_submodules_are_not_data(repo: Path, tmp_path: Path) -> None:
    """A symbolic link (mode 120000) or a submodule (160000) is skipped, never followed."""
    target = git(repo, "hash-object", "-w", "--stdin", stdin=b"/etc/passwd")
    base = git(repo, "rev-parse", "base")
    head = commit(
        repo,
        {
            b"actors": {
                b"alpha.yaml": ALPHA,
                b"passwd.yaml": (b"120000", target.encode()),
                b"module": (b"160000", base.encode()),
            }
        },
    )
    code, out, err = diff(repo, tmp_path, "base", head)
    assert (code, err) == (0, "")
    assert "Actors: no changes\n" in out
    # Reported as the working tree reports a link (found by an attacking helper: it was
    # skipped silently, so the diff said nothing of data that fails `validate`).
    assert "briefings/actors/passwd.yaml:1:1: error: a symbolic link: not read" in out
    assert "root:" not in out


def test_a_file_larger_than_the_loader_accepts_is_not_read(repo: Path, tmp_path: Path) -> None:
    """Refused as on disk, by its size, without git passing its bytes to the generator."""
    huge = b"a" * (revisions.MAX_FILE_BYTES + 1)
    head = commit(repo, {b"actors": {b"alpha.yaml": ALPHA, b"huge.yaml": huge}})
    code, out, err = diff(repo, tmp_path, "base", head)
    assert (code, err) == (0, "")
    assert (
        "Files that cannot be read at HEAD: 1\n"
        "  briefings/actors/huge.yaml:1:1: error: the file is larger than 2,000,000 bytes\n"
    ) in out


def test_a_clean_tree_still_diffs(repo: Path, tmp_path: Path) -> None:
    head = commit(repo, {b"actors": {b"alpha.yaml": ALPHA, b"beta.yaml": ALPHA}})
    code, out, err = diff(repo, tmp_path, "base", head)
    assert (code, err) == (0, "")
    assert 'added    beta: "Alpha" (briefings/actors/beta.yaml)' in out


def test_a_file_is_never_overwritten(repo: Path, tmp_path: Path) -> None:
    """Two paths of a tree that are one file here (names differing only in case, on a file
    system that folds case) are an error, not the later one winning: shown by exporting
    into a folder that already holds the file."""
    (tmp_path / "out" / "briefings" / "actors").mkdir(parents=True)
    (tmp_path / "out" / "briefings" / "actors" / "alpha.yaml").write_bytes(PWNED)
    with pytest.raises(UnsafeTreeError) as error:
        revisions.export(repo, git(repo, "rev-parse", "base"), tmp_path / "out", "base")
    assert str(error.value) == (
        "revision base: `briefings/actors/alpha.yaml` "
        "is the same file as another path of the tree on this file system"
    )
    assert (tmp_path / "out" / "briefings" / "actors" / "alpha.yaml").read_bytes() == PWNED


def test_shown_paths_escape_what_cannot_be_seen() -> None:
    assert revisions.shown_path("a\u200bb\tc\\d\udcff e") == "a\\u200bb\\tc\\\\d\\xff e"


def test_a_file_git_does_not_have_is_an_error_not_a_traceback(repo: Path, tmp_path: Path) -> None:
    """A tree naming a blob the repository lacks (a corrupt or shallow clone)."""
    head = commit(repo, {b"actors": {b"alpha.yaml": ALPHA, b"ghost.yaml": (b"100644", b"1" * 40)}})
    code, out, err = diff(repo, tmp_path, "base", head)
    assert code != 0 and out == ""
    assert err.startswith("error: git ")
