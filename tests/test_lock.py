"""Issue 11, item 9: the Python dependencies install from lock files with hashes.

pyproject.toml declares the pins; requirements.lock (what `make site` installs) and
requirements-dev.lock (what `make test` installs) add every transitive dependency and the
sha256 of each file, for `pip install --require-hashes`. `make lock` (tools/lock.sh)
regenerates them; these tests keep them in step with pyproject.toml.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = canonicalize_name(PYPROJECT["project"]["name"])
# lock -> extras
LOCKS = {
    "requirements.lock": (),
    "requirements-zensical.lock": ("zensical",),
    "requirements-dev.lock": ("dev",),
}
SHA256 = re.compile(r"--hash=sha256:[0-9a-f]{64}")


@dataclass(frozen=True)
class Entry:
    version: str
    marker: str
    hashes: frozenset[str]


def read_lock(name: str) -> dict[str, Entry]:
    """name -> its pinned version, marker and hashes; anything else in the file fails."""
    text = (ROOT / name).read_text(encoding="utf-8").replace("\\\n", " ")
    entries: dict[str, Entry] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        requirement, *options = re.split(r"\s+(?=--)", line)
        hashes = frozenset(o for o in options if SHA256.fullmatch(o))
        assert hashes == set(options), f"{name}: not only sha256 hashes: {line[:80]}"
        assert hashes, f"{name}: {requirement} has no hash"
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;]+)\s*(?:;\s*(.+))?", requirement.strip())
        assert match, f"{name}: not a `name==version` pin: {requirement}"
        key = canonicalize_name(match[1])
        assert key not in entries, f"{name}: {key} twice"
        entries[key] = Entry(match[2], (match[3] or "").strip(), hashes)
    return entries


def declared(extras: tuple[str, ...]) -> list[Requirement]:
    """pyproject's requirements with the closure of the extras (`briefing-site[test]` in
    `dev`), and the build backend, which `pip install --no-build-isolation -e .` needs."""
    found = [Requirement(r) for r in PYPROJECT["build-system"]["requires"]]
    found += [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
    todo, seen = list(extras), set()
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for text in PYPROJECT["project"]["optional-dependencies"][extra]:
            requirement = Requirement(text)
            if canonicalize_name(requirement.name) == PROJECT:
                todo += requirement.extras
            else:
                found.append(requirement)
    return found


@pytest.mark.parametrize(("lock", "extras"), LOCKS.items())
def test_every_pin_of_pyproject_is_in_the_lock_at_its_version(
    lock: str, extras: tuple[str, ...]
) -> None:
    entries = read_lock(lock)
    for requirement in declared(extras):
        (spec,) = requirement.specifier
        assert spec.operator == "==", f"pyproject.toml does not pin {requirement}"
        name = canonicalize_name(requirement.name)
        assert name in entries, f"{lock} lacks {name}: run `make lock`"
        assert entries[name].version == spec.version, (
            f"{lock} has {name} {entries[name].version}, pyproject.toml pins {spec.version}: "
            "run `make lock`"
        )


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-zensical.lock"])
def test_the_site_lock_is_the_dev_lock_without_the_dev_tools(lock: str) -> None:
    site, dev = read_lock(lock), read_lock("requirements-dev.lock")
    for name, entry in site.items():
        assert name in dev, f"requirements-dev.lock lacks {name}"
        assert (dev[name].version, dev[name].hashes) == (entry.version, entry.hashes), name
    assert "pytest" not in site
    assert ("zensical" in site) == (lock == "requirements-zensical.lock")


def _closure(requirements: list[Requirement], extras: set[str]) -> dict[str, Requirement]:
    """Every requirement reached from these on this machine (markers evaluated), through
    the installed packages' metadata."""
    reached: dict[str, Requirement] = {}
    todo = [(r, frozenset(extras)) for r in requirements]
    while todo:
        requirement, active = todo.pop()
        if requirement.marker and not any(
            requirement.marker.evaluate({"extra": extra}) for extra in (active or {""})
        ):
            continue
        name = canonicalize_name(requirement.name)
        key = f"{name}[{','.join(sorted(requirement.extras))}]"
        if key in reached:
            continue
        reached[key] = requirement
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [(Requirement(text), frozenset(requirement.extras)) for text in requires]
    return reached


@pytest.mark.parametrize(("lock", "extras"), LOCKS.items())
def test_the_lock_holds_every_transitive_dependency(lock: str, extras: tuple[str, ...]) -> None:
    """Each requirement of each package reached (on this platform) is in the lock, at a
    version that satisfies it: `pip install --require-hashes` would refuse otherwise."""
    entries = read_lock(lock)
    for key, requirement in sorted(_closure(declared(extras), set()).items()):
        name = canonicalize_name(requirement.name)
        assert name in entries, f"{lock} lacks {key}, required as {requirement}"
        entry = entries[name]
        assert not entry.marker or Marker(entry.marker).evaluate(), f"{lock}: {name} skipped"
        assert requirement.specifier.contains(entry.version, prereleases=True), (
            f"{lock} has {name} {entry.version}, which does not satisfy {requirement}"
        )


def test_make_installs_only_from_the_locks_with_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line.strip() for line in makefile.splitlines() if "pip install" in line]
    assert installs, "the Makefile installs nothing"
    for line in installs:
        assert "--require-hashes" in line or "--no-deps" in line, line
    assert "$(PIP_LOCKED) requirements.lock" in makefile
    assert "$(PIP_LOCKED) requirements-dev.lock" in makefile
    assert "$(PIP_LOCKED) requirements-zensical.lock" in makefile
    for workflow in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        text = workflow.read_text(encoding="utf-8")
        assert "pip install" not in text, f"{workflow.name} installs around the locks"
