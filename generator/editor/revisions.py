"""The data of a project at a git revision, or in the working tree: for `diff`.

A revision's `briefings/` folder is read with `git ls-tree` and `git cat-file --batch`
(one process for all its files) into a temporary folder, then loaded exactly as the
generator loads a project: every file's raw data with its positions, and, when the
whole folder validates, the pages the site would have.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from generator.data import sources
from generator.data.check import check
from generator.data.load import MAX_FILE_BYTES, Document, load
from generator.data.sources import KINDS
from generator.model.corpus import build_model
from generator.problems import BriefingError, Problem
from generator.render.site import render_pages


class RevisionError(BriefingError):
    """A revision git does not know, or no git repository."""


@dataclass
class Snapshot:
    """One side of a diff: each file's raw data by kind and id, and the site's pages."""

    label: str
    documents: dict[str, dict[str, Document]] = field(default_factory=dict)  # kind -> id ->
    unreadable: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # every validation problem
    pages: dict[str, str] | None = None  # docs path -> text; None when it does not validate
    actor_ids: frozenset[str] = frozenset()  # every actor file's id, read or not (as `check`)


def read_snapshot(root: Path, revision: str | None) -> Snapshot:
    """The project's data at `revision` (a commit-ish), or in the working tree if None."""
    if revision is None:
        return load_snapshot(root, "working tree")
    _git(root, "rev-parse", "--show-toplevel")  # fails clearly outside a repository
    commit = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if not commit:
        raise RevisionError(f"unknown git revision `{revision}`")
    short = commit.decode().strip()[:7]
    label = short if short.startswith(revision) else f"{revision} ({short})"
    with tempfile.TemporaryDirectory(prefix="briefing-diff-") as folder:
        export(root, commit.decode().strip(), Path(folder), label)
        return load_snapshot(Path(folder), label)


def export(root: Path, commit: str, target: Path, label: str | None = None) -> None:
    """Write the `briefings/` folder of `root` at `commit` into `target/briefings/`.

    The paths come from a git tree, which anyone can make (`git mktree`) with entries no
    checkout could have: `..`, empty names, a name that is both a file and a folder. Every
    path is checked first, as strictly as a path on disk; if any is unsafe nothing is read
    and `UnsafeTreeError` names each. A symbolic link becomes a link to nowhere (reported as
    a link on disk is); a submodule is not data (skipped);
    a file larger than the loader accepts is not read from git but written as a sparse
    file just over the limit, which the loader refuses as it refuses such a file on disk.
    """
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    try:  # git itself refuses some trees (an empty name): its message, and the revision
        listing = _git(top, "ls-tree", "-r", "-l", "-z", commit, "--", f"{prefix}briefings")
    except RevisionError as error:
        raise RevisionError(f"revision {label or commit}: {error}") from None
    entries: list[tuple[str, int, str]] = []  # oid, size, path under the project
    unsafe: list[tuple[str, str]] = []
    links: list[str] = []
    for entry in filter(None, listing.split(b"\0")):
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, oid, size = meta.decode("ascii").split()
        path = raw_path.decode("utf-8", "surrogateescape")
        if mode == "120000" and path.startswith(prefix) and not unsafe_path(path[len(prefix) :]):
            links.append(path.removeprefix(prefix))  # shown as the working tree shows a link
            continue
        if kind != "blob":  # a submodule: no file
            continue
        if not size.isdigit():  # git could not size it: the object is missing
            raise RevisionError(f"git cannot read the file `{shown_path(path)}` of this revision")
        if not path.startswith(prefix):
            unsafe.append((path, "is not inside the project's folder"))
            continue
        path = path.removeprefix(prefix)
        reason = unsafe_path(path)
        if reason:
            unsafe.append((path, reason))
        else:
            entries.append((oid, int(size), path))
    unsafe += _clashes([path for _, _, path in entries])
    if unsafe:
        raise UnsafeTreeError(label or commit, unsafe)
    small = [(oid, path) for oid, size, path in entries if size <= MAX_FILE_BYTES]
    contents = dict(zip((p for _, p in small), _cat_blobs(top, [o for o, _ in small]), strict=True))
    for _, _, path in entries:
        try:
            _write_new(target, path, contents.get(path))
        except OSError as error:
            unsafe.append((path, _write_failure(error)))
    if unsafe:
        raise UnsafeTreeError(label or commit, unsafe)
    _write_links(target, links)


def _write_links(target: Path, links: list[str]) -> None:
    """A symbolic link of the revision becomes a link to nowhere at the same path, which the
    finder reports as it reports a link on disk (`a symbolic link: not read`): its target is
    never written, read or followed."""
    for path in links:
        link = target / path
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.parent.resolve().is_relative_to(target.resolve()):
            with contextlib.suppress(OSError):  # taken by a file already, or no links here
                link.symlink_to("not-followed")


class UnsafeTreeError(BriefingError):
    """A revision whose tree holds paths no checkout could have: none of its files is read."""

    def __init__(self, revision: str, paths: list[tuple[str, str]]) -> None:
        self.revision = revision
        self.paths = sorted(paths)
        super().__init__(
            "\n".join(
                f"revision {revision}: `{shown_path(path)}` {reason}" for path, reason in self.paths
            )
        )


MAX_NAME_BYTES = 255  # the longest file name Linux, macOS and Windows all accept


def unsafe_path(path: str) -> str | None:
    """Why a path read from git cannot be written under `briefings/`, or None if it can."""
    parts = path.split("/")
    if parts == ["briefings"]:
        return "is a file, not the briefings/ folder"
    if parts[0] != "briefings":
        return "is not inside briefings/"
    for part in parts:
        if part == "":
            return "has an empty name in it"
        if part in (".", ".."):
            return f"has a `{part}` in it"
        if "\\" in part:
            return "has a backslash in a name"
        if any(0xDC80 <= ord(c) <= 0xDCFF for c in part):
            return "is not UTF-8"
        if any(unicodedata.category(c) == "Cc" for c in part):
            return "has a control character in a name"
        if len(part.encode("utf-8")) > MAX_NAME_BYTES:
            return f"has a name longer than {MAX_NAME_BYTES} bytes"
    return None


def _clashes(paths: list[str]) -> list[tuple[str, str]]:
    """Paths that appear twice, or that are a file and also a folder of other files."""
    folders = {
        "/".join(path.split("/")[:end]) for path in paths for end in range(1, path.count("/") + 1)
    }
    seen: set[str] = set()
    found: list[tuple[str, str]] = []
    for path in paths:
        if path in seen:
            found.append((path, "appears twice in the tree"))
        elif path in folders:
            found.append((path, "is both a file and a folder"))
        seen.add(path)
    return found


def _write_new(target: Path, path: str, content: bytes | None) -> None:
    """Create `target/path`, which must not exist yet: on a file system that folds case
    (or normalises names), two names of the tree can be one file, and neither may win."""
    file = target.joinpath(*path.split("/"))
    if not file.resolve().is_relative_to((target / "briefings").resolve()):
        raise OSError(errno.EXDEV, "it leads outside briefings/")
    file.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(file, flags, 0o644), "wb") as out:
        if content is None:  # sparse, and just too large: the loader reads no more
            out.truncate(MAX_FILE_BYTES + 1)
        else:
            out.write(content)


def _write_failure(error: OSError) -> str:
    if isinstance(error, FileExistsError):
        return "is the same file as another path of the tree on this file system"
    return f"cannot be written: {error.strerror or error}"


def shown_path(path: str) -> str:
    """A path with what cannot be seen escaped: `\\xff` for a byte that is not UTF-8,
    `\\n`, `\\u200b` for control and invisible characters, `\\\\` for a backslash."""
    shown: list[str] = []
    for char in path:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            shown.append(f"\\x{code - 0xDC00:02x}")
        elif char == "\\":
            shown.append("\\\\")
        elif char == " " or char.isprintable():
            shown.append(char)
        else:
            shown.append(char.encode("unicode_escape").decode("ascii"))
    return "".join(shown)


def _cat_blobs(top: Path, oids: list[str]) -> list[bytes]:
    if not oids:
        return []
    output = _git(top, "cat-file", "--batch", stdin="\n".join(oids) + "\n")
    contents: list[bytes] = []
    position = 0
    for oid in oids:
        header_end = output.index(b"\n", position)
        header = output[position:header_end].split()
        if len(header) != 3 or header[1] != b"blob":
            raise RevisionError(f"git cannot read the file {oid} of this revision")
        size = int(header[2])
        start = header_end + 1
        contents.append(output[start : start + size])
        position = start + size + 1
    return contents


def _git(cwd: Path, *args: str, stdin: str | None = None) -> bytes:
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin.encode() if stdin is not None else None,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise RevisionError("git is not installed") from None
    if result.returncode != 0:
        if "--verify" in args:
            return b""
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise RevisionError(f"git {args[0]} failed: {message[-1] if message else 'no output'}")
    return result.stdout


def load_snapshot(root: Path, label: str) -> Snapshot:
    """Every article and actor file under `root/briefings` as raw data, plus the pages the
    site would have when the data validates: the build's own stages (sources -> load ->
    check -> model), each file found as the build finds it and read once."""
    loaded = load(sources.find(root))
    snapshot = Snapshot(
        label,
        {kind: dict(loaded.documents[kind]) for kind in KINDS},
        list(loaded.unreadable),
        actor_ids=loaded.ids["actor"],
    )
    if not (root / sources.BRIEFINGS).is_dir():  # before the project had data: no pages
        snapshot.pages = {}
        return snapshot
    checked = check(loaded)
    if checked.problems:
        snapshot.errors = sorted(set(checked.problems))
    else:
        snapshot.pages = render_pages(build_model(checked))
    return snapshot
