"""MkDocs hooks (listed under `hooks:` in mkdocs.yml), so that plain `mkdocs build` and
`mkdocs serve` work too: they regenerate the pages from briefings/ before each build, watch
the data while serving, and index the built site for search.

MkDocs loads this file by path; `import generator` works where the package is installed
(`pip install -e .`, as `make site` does)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from generator.build import generate, pages_already_generated
from generator.problems import DataError

ROOT_VARIABLE = "BRIEFING_SITE_ROOT"


def _root(config: Any) -> Path:
    """The project root: set by `python -m generator serve --root DIR`, else mkdocs.yml's."""
    if os.environ.get(ROOT_VARIABLE):
        return Path(os.environ[ROOT_VARIABLE]).resolve()
    return Path(config.config_file_path).resolve().parent


def on_config(config: Any) -> Any:
    """Regenerate the pages (only the changed ones are rewritten) before every build."""
    if not pages_already_generated():
        try:
            generate(_root(config))
        except DataError as error:
            for problem in error.problems:
                print(problem, file=sys.stderr)
            # MkDocs' Abort is both an Exception and a SystemExit: `mkdocs serve`'s rebuild
            # loop catches it (a bare SystemExit would silently end that loop, and the
            # server would never rebuild again), prints it without a traceback and keeps
            # serving the last good site; `mkdocs build` exits with status 1.
            from mkdocs.exceptions import Abort

            raise Abort(f"{error}: the site was not rebuilt") from None
    return config


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Rebuild when the data, the hand-written pages or the site's assets change."""
    root = _root(config)
    for folder in (root / "briefings", root / "docs", Path(__file__).parent / "assets"):
        if folder.is_dir():
            server.watch(str(folder))
    return server


def on_post_build(config: Any) -> None:
    """Index the freshly built site for the header search box (Pagefind)."""
    from generator.search import index_site

    index_site(Path(config.site_dir))
