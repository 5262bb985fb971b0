"""The only code that writes files: the generated docs folder and the site swap.

Pages are written atomically (a temporary file renamed over the old one), only
when their content changed, and files no longer generated are removed, so the
folder always holds exactly one build's pages and MkDocs sees few changes.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator.problems import BriefingError

if sys.platform != "win32":
    import fcntl


class WriteError(BriefingError):
    """A page could not be written (e.g. two sources claim the same path)."""


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.written)} written, {self.unchanged} unchanged, {len(self.removed)} removed"
        )


class Output:
    """Collects every file of one build by its path; refuses to take a path twice."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.origin: dict[str, str] = {}

    def add(self, path: str, content: str | bytes, origin: str) -> None:
        if path in self.files:
            raise WriteError(
                f"{path} would be written twice: by {self.origin[path]} and by {origin}"
            )
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content
        self.origin[path] = origin

    def add_tree(self, folder: Path, prefix: str, origin: str) -> None:
        """Every file under `folder` (hidden ones aside), at `prefix/<relative path>`."""
        if not folder.is_dir():
            return
        for file in sorted(folder.rglob("*")):
            relative = file.relative_to(folder)
            if file.is_file() and not any(p.startswith(".") for p in relative.parts):
                path = f"{prefix}/{relative.as_posix()}" if prefix else relative.as_posix()
                self.add(path, file.read_bytes(), origin)


# Committed in the (otherwise ignored) docs folder, so that a fresh clone has the folder that
# mkdocs.yml's docs_dir names and plain `mkdocs build` can start, and its hook generate.
KEEP = ".gitkeep"


def write_tree(out_dir: Path, files: Mapping[str, bytes]) -> WriteReport:
    """Make `out_dir` hold exactly `files`, touching only what changed."""
    report = WriteReport()
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(files):
        target = out_dir / path
        content = files[path]
        if (
            target.is_file()
            and target.stat().st_size == len(content)
            and target.read_bytes() == content
        ):
            report.unchanged += 1
            continue
        _atomic_write(target, content)
        report.written.append(path)
    wanted = set(files) | {KEEP}
    for existing in sorted(out_dir.rglob("*"), reverse=True):
        relative = existing.relative_to(out_dir).as_posix()
        if existing.is_file() and relative not in wanted:
            existing.unlink()
            report.removed.append(relative)
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()
    report.removed.sort()
    return report


def _atomic_write(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


MARKER = ".briefing-site-build"
"""A hidden file in a site being built beside the real one, locked while its build runs.
The lock goes with the process however it ends, so a later build tells a folder that a
killed build left (SIGKILL, the OOM killer) from one another build is still making, in
another process, container or machine sharing the folder. MkDocs keeps hidden files when
it cleans the folder it builds into, and the marker is gone before the site is swapped in."""


def replace_site(site_dir: Path, make: Callable[[Path], None]) -> None:
    """Build a new site with `make(folder)` beside `site_dir`, then swap it in. If `make`
    fails, the previous site stays exactly as it was. Folders that killed builds left
    beside it are removed first."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(site_dir)
    fresh = Path(tempfile.mkdtemp(dir=site_dir.parent, prefix=f"{site_dir.name}.new-"))
    try:
        with _claimed(fresh):
            make(fresh)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    old = site_dir.with_name(f"{site_dir.name}.old-{secrets.token_hex(4)}")
    if site_dir.exists():
        site_dir.replace(old)
    try:
        fresh.replace(site_dir)
    except BaseException:
        if old.exists():
            old.replace(site_dir)
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def _claimed(folder: Path) -> Iterator[None]:
    """Hold the lock on `folder`'s marker while the block runs; remove the marker after."""
    marker = folder / MARKER
    with marker.open("wb") as handle:
        if sys.platform != "win32":
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            marker.unlink(missing_ok=True)  # before the lock goes: see _abandoned


def _remove_abandoned(site_dir: Path) -> None:
    for folder in sorted(site_dir.parent.glob(f"{site_dir.name}.new-*")):
        if _abandoned(folder / MARKER):
            shutil.rmtree(folder, ignore_errors=True)


def _abandoned(marker: Path) -> bool:
    """Whether `marker` exists and no process holds its lock. A folder without one is not
    a build's (or is one just starting); on Windows nothing is taken for abandoned."""
    if sys.platform == "win32":
        return False
    try:
        handle = marker.open("rb")
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a build is running in it
        try:  # its build may have finished (marker removed) while this one waited
            return marker.stat().st_ino == os.fstat(handle.fileno()).st_ino
        except OSError:
            return False
