"""Problems in the data, each with its place; one exception base for the project."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.characters import shown


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, at `path:line:column` (1-based, path relative to root):
    an error, or a warning (`severity`), which `validate` shows but lets pass."""

    path: str
    line: int
    column: int
    message: str
    severity: str = "error"  # or WARNING

    def __post_init__(self) -> None:
        # Whatever a message quotes from the data (or a file's name), what a reader cannot
        # see shows escaped, and a surrogate never reaches an output that would crash on it.
        object.__setattr__(self, "path", shown(self.path))
        object.__setattr__(self, "message", shown(self.message))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"


WARNING = "warning"


class BriefingError(Exception):
    """Base of every error the generator reports to a user (never shown as a traceback)."""


class DataError(BriefingError):
    """The data has problems; nothing was written. (`problems` may hold warnings too: every
    problem of a run is shown in that run.)"""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        count = sum(problem.severity != WARNING for problem in self.problems)
        super().__init__(f"{count} error{'s' if count != 1 else ''} in the data")


class BuildError(BriefingError):
    """The site could not be built (MkDocs or the search indexer failed)."""


def relative(path: Path, root: Path) -> str:
    """The path as users see it: relative to the project root, with forward slashes."""
    try:
        return _resolve(path).relative_to(_resolve(root)).as_posix()
    except ValueError:
        return path.as_posix()


def _resolve(path: Path) -> Path:
    """path.resolve(), with its folder's resolution cached: every data file is resolved
    (several times), and resolving asks the file system about every folder on the way."""
    if not path.is_absolute() or path.name in ("", ".", "..") or path.is_symlink():
        return path.resolve()
    return _resolve_folder(path.parent) / path.name


@functools.lru_cache(maxsize=1024)
def _resolve_folder(folder: Path) -> Path:
    return folder.resolve()


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """'; did you mean `x`?' for the closest choice, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close:
        close = [c for c in choices if c.casefold() == word.casefold()][:1]
    return f"; did you mean `{close[0]}`?" if close else ""
