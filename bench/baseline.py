"""The baseline: plain MkDocs + Material building the same generated Markdown.

Plain means: Material's theme without this project's overrides, no hooks, no plugins
(so no search plugin), the same Markdown extensions (so the same Markdown means the same
thing), the same top-level navigation with every briefing, actor and tag page out of it.
Our search indexer (Pagefind) runs after MkDocs, so the baseline's time is MkDocs plus
the same indexer on the baseline's site, as issue 6 asks.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CONFIG = """\
site_name: Briefings (baseline)
docs_dir: {docs}
site_dir: {site}
use_directory_urls: true
theme:
  name: material
plugins: []
nav:
  - Home: index.md
  - Briefings: briefings/index.md
  - Actors: actors/index.md
  - Timeline: timeline.md
  - Tags: tags/index.md
  - Guide: guide/index.md
not_in_nav: |
  /briefings/
  /actors/
  /tags/
  /timeline/
  /guide/
markdown_extensions:
  - toc:
      permalink: true
  - admonition
  - attr_list
  - def_list
  - tables
  - pymdownx.superfences
  - pymdownx.details
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:pymdownx.emoji.to_alt
"""


def write_config(folder: Path, docs: Path) -> Path:
    """A plain mkdocs.yml in `folder` that builds `docs` into folder/site."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "mkdocs.yml"
    config.write_text(
        CONFIG.format(docs=docs.resolve(), site=(folder / "site").resolve()), encoding="utf-8"
    )
    return config


def mkdocs_command(config: Path) -> list[str]:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    return [str(mkdocs), "build", "--quiet", "--clean", "--config-file", str(config)]


def plain_env() -> dict[str, str]:
    """The environment without this project's variables (the hooks are not loaded anyway)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_SITE")}
