"""MkDocs hooks of the briefing site (listed under `hooks:` in mkdocs.yml)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig


def on_post_build(config: MkDocsConfig) -> None:
    """Index the freshly built site for the header search box (Pagefind)."""
    # MkDocs loads this file by path, with only generator/ on sys.path; the import works
    # where the package is installed (pip install -e .) or mkdocs runs as `python -m mkdocs`.
    from generator.search import index_site

    index_site(Path(config.site_dir))
