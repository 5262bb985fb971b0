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


def replace_site(site_dir: Path, make: Callable[[Path], None]) -> None:
    """Build a new site with `make(folder)` beside `site_dir`, then swap it in.

    The guarantee: a failed or killed build never changes `site_dir`, and the next build
    cleans up what a killed one left. It takes three pieces:

    - The new site is made in `.site.new` beside `site_dir` and renamed into place only
      once `make` has succeeded: a rename within one folder is atomic.
    - The swap is two renames (`site_dir` to `.site.old`, `.site.new` to `site_dir`). A build
      killed between them leaves no `site_dir`; the next one puts `.site.old` back first.
    - Whatever `.site.new` and `.site.old` hold when a build starts was left by a killed build
      (SIGKILL, the OOM killer: no cleanup ran), because builds of one site run one at a time
      under an advisory lock on `.site.lock`, which the kernel drops however its process ends.
      Without the lock, a second build would sweep away the first one's folder while MkDocs
      writes into it. (On Windows, which has no `flock`, builds are not serialised.)
    """
    parent = site_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    fresh = parent / f".{site_dir.name}.new"
    old = parent / f".{site_dir.name}.old"
    with _one_build_at_a_time(parent / f".{site_dir.name}.lock"):
        if old.exists():
            if site_dir.exists():
                shutil.rmtree(old)
            else:
                old.replace(site_dir)  # killed between the two renames of its swap
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir()
        fresh.chmod(0o755)  # readable by a web server's user, whatever the umask
        try:
            make(fresh)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
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
def _one_build_at_a_time(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on `lock_file` while the block runs (waiting for
    another build of the same site to finish first)."""
    if sys.platform == "win32":
        yield
        return
    handle = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        with suppress(OSError):  # a file system without locks: builds are not serialised
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)
