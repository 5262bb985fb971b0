"""The data of a project at a git revision, or in the working tree: for `diff`.

A revision's `briefings/` folder is read with `git ls-tree` and `git cat-file --batch`
(one process for all its files) into a temporary folder, then loaded exactly as the
generator loads a project: every file's raw data with its positions, and, when the
whole folder validates, the pages the site would have.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator import sources
from generator.load import Document, read_document
from generator.model import load_corpus
from generator.problems import BriefingError, DataError, Problem
from generator.render.site import render_pages

KINDS = ("article", "actor")


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
        export(root, commit.decode().strip(), Path(folder))
        return load_snapshot(Path(folder), label)


def export(root: Path, commit: str, target: Path) -> None:
    """Write the `briefings/` folder of `root` at `commit` into `target/briefings/`."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    listing = _git(top, "ls-tree", "-r", "-z", commit, "--", f"{prefix}briefings")
    blobs: list[tuple[str, str]] = []
    for entry in filter(None, listing.split(b"\0")):
        meta, _, path = entry.decode("utf-8", "surrogateescape").partition("\t")
        mode, kind, oid = meta.split()
        if kind == "blob" and mode != "120000":  # no symbolic links out of the tree
            blobs.append((oid, path.removeprefix(prefix)))
    contents = _cat_blobs(top, [oid for oid, _ in blobs])
    for (_, path), content in zip(blobs, contents, strict=True):
        file = target / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(content)


def _cat_blobs(top: Path, oids: list[str]) -> list[bytes]:
    if not oids:
        return []
    output = _git(top, "cat-file", "--batch", stdin="\n".join(oids) + "\n")
    contents: list[bytes] = []
    position = 0
    for _ in oids:
        header_end = output.index(b"\n", position)
        size = int(output[position:header_end].split()[2])
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
    site would have when the data validates. Files are found as the generator finds them
    (`sources.find`): a link or a FIFO is unreadable, never read."""
    snapshot = Snapshot(label, {kind: {} for kind in KINDS})
    found = sources.find(root)
    snapshot.unreadable += found.problems
    for kind in KINDS:
        for data in found.files[kind]:
            if data.suffix != ".yaml":
                continue
            doc, problems = read_document(data.file, data.path)
            if doc is None or not isinstance(doc.data, dict):
                snapshot.unreadable += problems
            elif data.stem not in snapshot.documents[kind]:
                snapshot.documents[kind][data.stem] = doc
    if not (root / "briefings").is_dir():  # before the project had data: no pages
        snapshot.pages = {}
        return snapshot
    try:
        snapshot.pages = render_pages(load_corpus(root))
    except DataError as error:
        snapshot.errors = list(error.problems)
    return snapshot
