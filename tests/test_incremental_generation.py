"""The page memo under random edits: after each edit of a synthetic corpus, the docs folder
an incremental generation leaves is exactly what rendering everything gives (no MkDocs:
this is the renderers' half of the incremental build, exercised on many more changes)."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml

from bench.corpus import write_corpus
from generator.build import ASSETS, Project, generate, generated_files, load_model
from generator.problems import DataError
from generator.publish import mkdocs

pytestmark = pytest.mark.slow

Edit = Callable[[random.Random, dict[str, Any]], None]


def _title(rng: random.Random, data: dict[str, Any]) -> None:
    data["title"] = f"{data['title']} {rng.choice(['again', 'anew', 'once more'])}"


def _summary(rng: random.Random, data: dict[str, Any]) -> None:
    data["summary"] = data["summary"] + f"\nOne more line {rng.randrange(1000)}."


def _published(rng: random.Random, data: dict[str, Any]) -> None:
    data["published"] = f"{rng.randrange(2000, 2025)}-0{rng.randrange(1, 10)}"


def _tags(rng: random.Random, data: dict[str, Any]) -> None:
    tags = list(data.get("tags", []))
    if tags and rng.random() < 0.5:
        tags.pop(rng.randrange(len(tags)))
    else:
        tags.append(rng.choice(["new-tag", "other-tag", "ceasefire"]))
    data["tags"] = list(dict.fromkeys(tags))


def _role(rng: random.Random, data: dict[str, Any]) -> None:
    item = rng.choice(data["actors"])
    item["role"] = f"{item['role']} (changed {rng.randrange(100)})"


def _event_date(rng: random.Random, data: dict[str, Any]) -> None:
    if data.get("events"):
        rng.choice(data["events"])["date"] = f"{rng.randrange(1990, 2025)}"


def _actor_name(rng: random.Random, data: dict[str, Any]) -> None:
    data["name"] = f"{data['name']} {rng.choice(['Jr', 'II', 'Group'])}"


def _alias(rng: random.Random, data: dict[str, Any]) -> None:
    data["aliases"] = [*data.get("aliases", []), f"Alias {rng.randrange(100)}"]


ARTICLE_EDITS: list[Edit] = [_title, _summary, _published, _tags, _role, _event_date]
ACTOR_EDITS: list[Edit] = [_actor_name, _alias]


def _docs(root: Path) -> dict[str, bytes]:
    docs = root / "build" / "docs"
    return {
        f.relative_to(docs).as_posix(): f.read_bytes()
        for f in sorted(docs.rglob("*"))
        if f.is_file() and f.name != ".gitkeep"
    }


def _expected(root: Path) -> dict[str, bytes]:
    """Every generated file rendered from scratch, with the copied docs/ and assets."""
    project = Project(root)
    site = mkdocs.read_site_info(project.config)
    files = {p: t.encode() for p, t in generated_files(load_model(root), site)}
    for folder, prefix in ((project.docs_src, ""), (ASSETS, "assets/")):
        for f in folder.rglob("*"):
            relative = f.relative_to(folder)
            if f.is_file() and not any(p.startswith(".") for p in relative.parts):
                files[prefix + relative.as_posix()] = f.read_bytes()
    return dict(sorted(files.items()))


def _mutate(rng: random.Random, root: Path) -> tuple[Path, str | None, Path | None]:
    """One random edit: the file changed, its text before (None: it was new) and a file
    removed (to put back if the edit makes the data invalid)."""
    articles = sorted((root / "briefings/articles").rglob("*.yaml"))
    actors = sorted((root / "briefings/actors").glob("*.yaml"))
    roll = rng.random()
    if roll < 0.08 and len(articles) > 5:
        victim = rng.choice(articles)
        text = victim.read_text("utf-8")
        victim.unlink()
        return victim, text, victim
    if roll < 0.16:
        source = rng.choice(articles)
        data = yaml.safe_load(source.read_text("utf-8"))
        data.pop("former_ids", None)
        new = source.with_name(f"copy-{rng.randrange(10**6)}.yaml")
        new.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
        return new, None, None
    if roll < 0.3:
        file, edits = rng.choice(actors), ACTOR_EDITS
    else:
        file, edits = rng.choice(articles), ARTICLE_EDITS
    text = file.read_text("utf-8")
    data = yaml.safe_load(text)
    rng.choice(edits)(rng, data)
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return file, text, None


T = TypeVar("T")


def _edit_then(rng: random.Random, root: Path, step: Callable[[], T]) -> tuple[Path, T | None]:
    """One random edit (`_mutate`), then `step`: its result, or None when the edit broke a
    rule across files (then the edit is undone)."""
    file, before, removed = _mutate(rng, root)
    try:
        return file, step()
    except DataError:
        if before is None:
            file.unlink()
        else:
            (removed or file).write_text(before, "utf-8")
        return file, None


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_generation_equals_rendering_everything(tmp_path: Path, seed: int) -> None:
    root = tmp_path / "corpus"
    write_corpus(root, 40, seed=seed)
    generate(root)
    rng = random.Random(seed)
    applied = 0
    for _ in range(30):
        file, done = _edit_then(rng, root, lambda: generate(root))
        if done is None:
            continue
        applied += 1
        assert _docs(root) == _expected(root), f"after edit {applied} of {file.name}"
    assert applied >= 20
    # And a generation that starts from a copy (other times, the same content) agrees too.
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    generate(copy)
    assert _docs(copy) == _expected(copy)
