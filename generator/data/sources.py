"""The data files of a project on disk: the one finder for every command that reads them.

`validate`, `build`, `serve` (through the build), `diff` (the working tree) and `new` find
the files of `briefings/` here, so one rule decides what is data. A pull request can carry
symbolic links, and a link can reach any file of the machine (`/proc/self/environ`, a key
in the home folder), so only plain files in real folders inside `briefings/` are data:

- a symbolic link named like a data file, or to a folder where the finder would look
  (`articles/`, `actors/`, a subfolder of `articles/`), is an error at the link's own path,
  and is never read or followed. That holds for links whose target is inside `briefings/`
  too: the same file under two names would be the same briefing twice under two ids (an
  old address is what `former_ids` is for), `diff` reads a git revision without its links
  (so a link would make the working tree and its commit disagree), and a link to a folder
  can make a loop. The message names neither the target nor its content.
- a FIFO, socket or device named like a data file is an error: reading one could block or
  never end.
- hidden files and folders (`.name`) and files of other names are not data, and skipped.
- `briefings/` itself may be a link to a folder inside the project, and the project may be
  reached through links (`--root` is compared by real path); `briefings/` leading outside
  the project is an error.

The source texts of articles (`briefings/sources/<article id>.txt`, never published) are
found by the same rules, in that one folder. Actors and source texts have no subfolders:
a folder there holding a file named like data, or a link to a folder, is an error (the
files in it would be left out without a word); other folders (images, PDFs) are not data.

Files are found in the order of their paths (as `sorted` orders them), so that "the first
file with this id" does not depend on the file system.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.problems import Problem

BRIEFINGS = "briefings"
KINDS = ("article", "actor")
FOLDERS = {"actor": "actors", "article": "articles"}  # kind -> folder; actors read first
SUFFIXES = (".yaml", ".yml")  # `.yml` is found, to be told to be renamed
SOURCE_TEXTS = "sources"  # briefings/sources/<article id>.txt: what an article quotes from
SOURCE_SUFFIX = ".txt"
A_LINK = "a symbolic link: not read (data files must be plain files inside briefings/)"
NOT_A_FILE = "not a regular file (a FIFO, socket or device): not read"
BRIEFINGS_OUTSIDE = "a symbolic link to a folder outside the project: not read"


@dataclass(frozen=True)
class DataFile:
    """One file to read: where it is, and its path as users see it (relative to the root)."""

    file: Path
    path: str

    @property
    def stem(self) -> str:
        """The file's id: its name without `.yaml`."""
        return self.file.stem

    @property
    def suffix(self) -> str:
        return self.file.suffix


@dataclass
class Sources:
    """Every data file of a project by kind, and every entry refused as data."""

    files: dict[str, list[DataFile]] = field(default_factory=dict)  # kind -> files
    texts: list[DataFile] = field(default_factory=list)  # the articles' source texts
    problems: list[Problem] = field(default_factory=list)


def find(root: Path) -> Sources:
    """The data files under `root/briefings`, and the problems of what looks like data but
    is not a plain file inside it. Reads no file."""
    sources = Sources({kind: [] for kind in FOLDERS})
    for kind in FOLDERS:
        folder, problem = kind_folder(root, kind)
        if problem is not None:
            if problem not in sources.problems:
                sources.problems.append(problem)
            continue
        if folder is not None:
            shown = f"{BRIEFINGS}/{FOLDERS[kind]}"
            _walk(folder, shown, kind == "article", SUFFIXES, sources.files[kind], sources.problems)
    folder, problem = _folder(root, SOURCE_TEXTS)
    if problem is not None and problem not in sources.problems:
        sources.problems.append(problem)
    elif folder is not None:
        shown = f"{BRIEFINGS}/{SOURCE_TEXTS}"
        _walk(folder, shown, False, (SOURCE_SUFFIX,), sources.texts, sources.problems)
    return sources


def kind_folder(root: Path, kind: str) -> tuple[Path | None, Problem | None]:
    """The folder of one kind's files (None when it does not exist), or why it may not be
    used: it, or `briefings/`, is a link out of bounds. What `new` writes into, too."""
    return _folder(root, FOLDERS[kind])


def _folder(root: Path, name: str) -> tuple[Path | None, Problem | None]:
    base = root / BRIEFINGS
    if base.is_symlink():
        real_root, real_base = root.resolve(), base.resolve()
        if not real_base.is_relative_to(real_root):
            return None, Problem(BRIEFINGS, 1, 1, BRIEFINGS_OUTSIDE)
    folder = base / name
    if folder.is_symlink():
        return None, Problem(f"{BRIEFINGS}/{name}", 1, 1, A_LINK)
    return (folder if folder.is_dir() else None), None


def _walk(
    folder: Path,
    shown: str,
    recursive: bool,
    suffixes: tuple[str, ...],
    found: list[DataFile],
    problems: list[Problem],
) -> None:
    """The data files in `folder` (and its subfolders when `recursive`), in path order. The
    type of each entry comes with the folder's listing: no file is asked about itself."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        problems.append(Problem(shown, 1, 1, f"the folder cannot be read ({error.strerror})"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = f"{shown}/{entry.name}"
        named_as_data = entry.name.lower().endswith(suffixes)  # `.YAML` is told to be renamed
        if entry.is_symlink():
            if named_as_data or Path(entry.path).is_dir():
                problems.append(Problem(path, 1, 1, A_LINK))
        elif entry.is_dir(follow_symlinks=False):
            if recursive:
                _walk(Path(entry.path), path, recursive, suffixes, found, problems)
            elif _holds(Path(entry.path), suffixes):  # else its files would be left out
                problems.append(Problem(path, 1, 1, _in_a_subfolder(shown, suffixes[0])))
        elif named_as_data:
            if entry.is_file(follow_symlinks=False):
                found.append(DataFile(Path(entry.path), path))
            else:
                problems.append(Problem(path, 1, 1, NOT_A_FILE))


def _in_a_subfolder(folder: str, suffix: str) -> str:
    return f"a folder: not read (these files go directly in {folder}/, as {folder}/<id>{suffix})"


def _holds(folder: Path, suffixes: tuple[str, ...]) -> bool:
    """Whether a file named like data is anywhere in `folder` (links not followed)."""
    return any(name.lower().endswith(suffixes) for _, _, names in os.walk(folder) for name in names)
