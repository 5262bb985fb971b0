"""The only code that writes files: the generated docs folder and the site swap.

Pages are written atomically (a temporary file renamed over the old one), only
when their content changed, and files no longer generated are removed, so the
folder always holds exactly one build's pages and MkDocs sees few changes.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.problems import BriefingError


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
    """Build a new site with `make(folder)` beside `site_dir`, then swap it in. If `make`
    fails, the previous site stays exactly as it was.

    The folders beside it carry the builder's process id (`site.new-<pid>-*`,
    `site.old-<pid>`), so a build removes those of a build that was killed before it could
    (SIGKILL, the OOM killer, a power cut), and leaves those of a build still running."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(site_dir)
    fresh = Path(
        tempfile.mkdtemp(dir=site_dir.parent, prefix=f"{site_dir.name}.new-{os.getpid()}-")
    )
    try:
        make(fresh)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    old = site_dir.with_name(f"{site_dir.name}.old-{os.getpid()}")
    if site_dir.exists():
        site_dir.replace(old)
    fresh.replace(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def _remove_abandoned(site_dir: Path) -> None:
    """Remove what killed builds left beside the site; a site moved aside and never replaced
    (killed between the two renames of the swap) goes back in place."""
    pattern = re.compile(rf"{re.escape(site_dir.name)}\.(?:new-(\d+)-\w+|old-(\d+))")
    for sibling in sorted(site_dir.parent.glob(f"{site_dir.name}.*")):
        found = pattern.fullmatch(sibling.name)
        if not found or not sibling.is_dir() or _another_build(int(found[1] or found[2])):
            continue
        if found[2] and not site_dir.exists():
            sibling.replace(site_dir)
        else:
            shutil.rmtree(sibling, ignore_errors=True)


def _another_build(pid: int) -> bool:
    """Whether process `pid` is running and not this one (a folder named with this process's
    id was left by a killed build whose id the system gave again, as containers do)."""
    if pid == os.getpid():
        return False
    if os.name == "nt":  # its os.kill would end the process; assume it runs
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
