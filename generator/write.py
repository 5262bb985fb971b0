"""The only code that writes files: the generated docs folder and the site swap.

Pages are written atomically (a temporary file renamed over the old one), only
when their content changed, and files no longer generated are removed, so the
folder always holds exactly one build's pages and MkDocs sees few changes.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
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
"""A hidden file in the folders a build makes beside the site: `site.new-*` (the new site,
locked by its builder while it runs) and `site.old-*` (the previous site, during the swap).
An advisory lock goes with its process however it ends, so a later build tells what a
killed build left (SIGKILL, the OOM killer) from what another build, in another process,
container or machine sharing the folder, is still making. Folders without the marker are
never touched. MkDocs keeps hidden files when it cleans its folder; the marker is gone
before the new site is swapped in. On Windows (no `flock`) nothing is marked or swept."""


def replace_site(site_dir: Path, make: Callable[[Path], None]) -> None:
    """Build a new site with `make(folder)` beside `site_dir`, then swap it in. If `make`
    fails, the previous site stays exactly as it was. What killed builds left beside it is
    removed first, and a previous site they had moved aside goes back in place."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with _swap_lock(site_dir.parent) as locked:
        if locked:  # else another build may be swapping: its folders are not abandoned
            _remove_abandoned(site_dir)
    fresh = _new_folder(site_dir, "new")
    try:
        with _claimed(fresh):
            make(fresh)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    with _swap_lock(site_dir.parent):
        _swap(site_dir, fresh)


def _new_folder(site_dir: Path, kind: str) -> Path:
    folder = Path(tempfile.mkdtemp(dir=site_dir.parent, prefix=f"{site_dir.name}.{kind}-"))
    folder.chmod(0o755)  # mkdtemp's 0700 would hide the site from a web server's user
    return folder


def _swap(site_dir: Path, fresh: Path) -> None:
    """Put `fresh` at `site_dir`; the previous site waits in a marked `site.old-*` folder,
    which a later build puts back if this one is killed before the new site is in."""
    old = _new_folder(site_dir, "old") if site_dir.exists() else None
    try:
        if old:
            if sys.platform != "win32":
                (old / MARKER).touch()
            site_dir.replace(old / "site")
        try:
            fresh.replace(site_dir)
        except BaseException:
            if old:
                (old / "site").replace(site_dir)
            raise
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        if old:
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old:
        shutil.rmtree(old / "site", ignore_errors=True)  # seconds for a big site: the marker
        shutil.rmtree(old, ignore_errors=True)  # goes last, so a kill here is swept later


@contextmanager
def _swap_lock(folder: Path) -> Iterator[bool]:
    """One build at a time sweeps or swaps in `folder` (a lock on the folder itself);
    whether it is locked (not on Windows, nor on a file system without locks)."""
    if sys.platform == "win32":
        yield False
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:
            yield False
        else:
            yield True
    finally:
        os.close(handle)


@contextmanager
def _claimed(folder: Path) -> Iterator[None]:
    """Hold the lock on `folder`'s marker while the block runs; remove the marker after.
    The marker is locked under another name, then renamed: it never exists unlocked."""
    if sys.platform == "win32":
        yield
        return
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".briefing-site-claim-")
    try:
        with suppress(OSError):  # a file system without locks: the folder is never swept
            fcntl.flock(handle, fcntl.LOCK_EX)
        Path(temporary).replace(folder / MARKER)
        try:
            yield
        finally:
            (folder / MARKER).unlink(missing_ok=True)  # before the lock goes: see _abandoned
    finally:
        Path(temporary).unlink(missing_ok=True)
        os.close(handle)


def _remove_abandoned(site_dir: Path) -> None:
    """Under the swap lock: remove the folders of killed builds; a previous site that one
    moved aside and never replaced goes back in place."""
    for folder in sorted(site_dir.parent.glob(f"{site_dir.name}.old-*")):
        if (folder / MARKER).is_file():  # no build is swapping: the swap lock is held
            if (folder / "site").is_dir() and not site_dir.exists():
                (folder / "site").replace(site_dir)
            shutil.rmtree(folder, ignore_errors=True)
    for folder in sorted(site_dir.parent.glob(f"{site_dir.name}.new-*")):
        if _abandoned(folder / MARKER):
            shutil.rmtree(folder, ignore_errors=True)


def _abandoned(marker: Path) -> bool:
    """Whether `marker` exists and no process holds its lock."""
    try:
        handle = marker.open("rb")
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a build is running in it (or locks are not supported)
        try:  # its build may have finished (marker removed) while this one waited
            return marker.stat().st_ino == os.fstat(handle.fileno()).st_ino
        except OSError:
            return False
