"""The only code that writes the build's output: the generated docs folder and the site swap.
(Editors' tools write their own one file each: `new` its skeleton, `schema` the JSON Schemas,
`diff` a revision's data into a temporary folder.)

Pages are written atomically (a temporary file renamed over the old one), only
when their content changed, and files no longer generated are removed, so the
folder always holds exactly one build's pages and MkDocs sees few changes.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from generator.problems import BriefingError

if sys.platform != "win32":
    import fcntl


T = TypeVar("T")


@dataclass(frozen=True)
class Kept(Generic[T]):
    """What `make` returns to `replace_site` when the site in place is already the one it
    would build: no swap, the value is returned."""

    value: T


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
        self.kept: set[str] = set()
        self.origin: dict[str, str] = {}

    def add(self, path: str, content: str | bytes, origin: str) -> None:
        self._claim(path, origin)
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content

    def keep(self, path: str, origin: str) -> None:
        """A file the last build wrote and this one would write the same: left as it is."""
        self._claim(path, origin)
        self.kept.add(path)

    def _claim(self, path: str, origin: str) -> None:
        if path in self.origin:
            raise WriteError(
                f"{path} would be written twice: by {self.origin[path]} and by {origin}"
            )
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


def write_tree(
    out_dir: Path, files: Mapping[str, bytes], keep: Set[str] = frozenset()
) -> WriteReport:
    """Make `out_dir` hold exactly `files` and the files `keep` names (left as they are),
    touching only what changed."""
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
    report.unchanged += len(keep)
    wanted = set(files) | set(keep) | {KEEP}
    for existing in sorted(out_dir.rglob("*"), reverse=True):
        relative = existing.relative_to(out_dir).as_posix()
        if existing.is_file() and relative not in wanted:
            existing.unlink()
            report.removed.append(relative)
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()
    report.removed.sort()
    return report


def write_files(out_dir: Path, files: Mapping[str, bytes], removed: Iterable[str] = ()) -> None:
    """Write `files` into `out_dir` and remove the files `removed` names (and the folders
    that leaves empty), touching nothing else: the live preview's writer, told what changed
    (`write_tree` makes a folder hold exactly a set of files, and reads the whole folder)."""
    for path in sorted(files):
        _atomic_write(out_dir / path, files[path])
    for path in sorted(removed):
        target = out_dir / path
        target.unlink(missing_ok=True)
        for parent in target.parents:
            if parent == out_dir or not parent.is_relative_to(out_dir) or any(parent.iterdir()):
                break
            parent.rmdir()


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


def replace_site(
    site_dir: Path,
    make: Callable[[Path], T | Kept[T]],
    then: Callable[[T], None] | None = None,
) -> T:
    """Build a new site with `make(folder)` beside `site_dir`, swap it in, call `then` with
    what `make` returned (still under the lock), and return it. When `make` returns `Kept`,
    the site in place stays (nothing is swapped) and its value is returned.

    The guarantee: a failed or killed build never changes `site_dir` (but for one instant, see
    below), and the next build cleans up what a killed one left. It takes three pieces:

    - The new site is made in `.site.new` beside `site_dir` and renamed into place only
      once `make` has succeeded: a rename within one folder is atomic.
    - The swap is two renames (`site_dir` to `.site.old`, `.site.new` to `site_dir`). A build
      killed between the two leaves no `site_dir`; the next one puts `.site.old` back first.
    - Whatever `.site.new` and `.site.old` hold when a build starts was left by a killed build
      (SIGKILL, the OOM killer: no cleanup ran), because builds of one site run one at a time
      under an advisory lock on `.site.lock`, which the kernel drops however its process ends.
      Where no lock can be had (Windows, a file system without locks), a build makes its
      site in a folder of its own and sweeps nothing: it cannot tell a killed build's folder
      from a running one's.

    `make` runs under the lock too, so a build that generates its pages inside it (`build`)
    never has another build rewrite them while MkDocs reads them.
    """
    parent = site_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    old = parent / f".{site_dir.name}.old"
    with _one_build_at_a_time(parent / f".{site_dir.name}.lock") as locked:
        if locked:
            fresh = parent / f".{site_dir.name}.new"
            _restore_or_remove(old, site_dir)
            _remove(fresh)
            fresh.mkdir()
        else:
            fresh = Path(tempfile.mkdtemp(dir=parent, prefix=f".{site_dir.name}.new-"))
            old = parent / f"{fresh.name}.old"
        fresh.chmod(0o755)  # readable by a web server's user, whatever the umask
        try:
            made = make(fresh)
            if isinstance(made, Kept):
                shutil.rmtree(fresh, ignore_errors=True)
                return made.value
            _swap(site_dir, fresh, old)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        _remove(old)
        if then is not None:
            then(made)
        return made


def _swap(site_dir: Path, fresh: Path, old: Path) -> None:
    """Put `fresh` at `site_dir`; the previous site waits at `old` for the moment between."""
    try:
        if site_dir.exists() or site_dir.is_symlink():
            site_dir.replace(old)
        try:
            fresh.replace(site_dir)
        except BaseException:
            if old.exists() or old.is_symlink():
                old.replace(site_dir)
            raise
    except OSError as error:  # e.g. a file in the site held open on Windows
        raise WriteError(f"cannot put the new site in place of {site_dir}: {error}") from None


def _restore_or_remove(old: Path, site_dir: Path) -> None:
    """A previous site a killed build left aside goes back, or away when a site is in place."""
    if not (old.exists() or old.is_symlink()):
        return
    if site_dir.exists() or site_dir.is_symlink():
        _remove(old)
    else:
        old.replace(site_dir)  # killed between the two renames of its swap


def _remove(path: Path) -> None:
    """Remove a folder, or a link (say, a `site/` that was a link to elsewhere) by itself."""
    if path.is_symlink():
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def _one_build_at_a_time(lock_file: Path) -> Iterator[bool]:
    """Hold an exclusive advisory lock on `lock_file` while the block runs, waiting (and
    saying so) while another build of the same site holds it; whether it is held."""
    if sys.platform == "win32":
        yield False
        return
    handle = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Waiting for another build of {lock_file.parent}...", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:  # a file system without locks
            yield False
            return
        yield True
    finally:
        os.close(handle)
