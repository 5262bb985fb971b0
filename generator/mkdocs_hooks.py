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

from generator.build import (
    generate,
    keep_serving_on_data_errors,
    pages_already_generated,
    serving,
)
from generator.problems import BriefingError, DataError

ROOT_VARIABLE = "BRIEFING_SITE_ROOT"


def _root(config: Any) -> Path:
    """The project root: set by `python -m generator serve --root DIR`, else mkdocs.yml's."""
    if os.environ.get(ROOT_VARIABLE):
        return Path(os.environ[ROOT_VARIABLE]).resolve()
    return Path(config.config_file_path).resolve().parent


def on_startup(command: str, dirty: bool) -> None:
    """`mkdocs serve` and `python -m generator serve` keep the last good pages on data errors."""
    if command == "serve":
        keep_serving_on_data_errors()


def on_config(config: Any) -> Any:
    """Regenerate the pages (only the changed ones are rewritten) before every build."""
    if not pages_already_generated():
        try:
            _, written = generate(_root(config))
        except DataError as error:
            for problem in error.problems:
                print(problem, file=sys.stderr, flush=True)
            if serving():
                # Failing the rebuild would make MkDocs' server hold every request until a
                # good one; rebuilding from the last good pages keeps the preview answering.
                print(
                    f"{error}: still showing the last good pages; fix the files to update them",
                    file=sys.stderr,
                    flush=True,
                )
                return config
            # MkDocs' Abort is both an Exception and a SystemExit: `mkdocs build` exits with
            # status 1 and prints it without a traceback.
            from mkdocs.exceptions import Abort

            raise Abort(f"{error}: the site was not rebuilt") from None
        except BriefingError as error:  # e.g. mkdocs.yml without the site_url feeds need
            from mkdocs.exceptions import Abort

            raise Abort(f"{error}: the site was not rebuilt") from None
        if serving():
            _remove_built(Path(config.site_dir), written.removed)
    return config


def _remove_built(site_dir: Path, removed: list[str]) -> None:
    """While serving, MkDocs builds dirty (only the pages whose Markdown changed), so it
    would keep serving a page whose source is gone: remove what it built from each."""
    for path in removed:
        if path.endswith(".md"):
            folder = path[: -len("index.md")] if path.endswith("index.md") else path[:-3] + "/"
            (site_dir / folder / "index.html").unlink(missing_ok=True)
        else:
            (site_dir / path).unlink(missing_ok=True)


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Rebuild when the data, the hand-written pages or the site's assets change."""
    root = _root(config)
    # The generated docs folder changes only because of the folders below: watching it too
    # would rebuild the site a second time after every generation.
    server.unwatch(config.docs_dir)
    for folder in (root / "briefings", root / "docs", Path(__file__).parent / "assets"):
        if folder.is_dir():
            server.watch(str(folder))
    return server


def on_post_build(config: Any) -> None:
    """Index the freshly built site for the header search box (Pagefind), unless build()
    drives this run: it indexes after MkDocs has returned and freed its memory."""
    if pages_already_generated():
        return
    from generator.search import index_site

    index_site(Path(config.site_dir))
