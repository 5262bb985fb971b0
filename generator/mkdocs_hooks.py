"""MkDocs hooks (listed under `hooks:` in mkdocs.yml), so that plain `mkdocs build` and
`mkdocs serve` work too: they regenerate the pages from briefings/ before each build, watch
the data while serving, and index the built site for search. `python -m generator build`
and `python -m generator serve` run MkDocs without them (they generate and index
themselves; serve keeps the data in memory between saves, generator/serve.py).

MkDocs loads this file by path; `import generator` works where the package is installed
(`pip install -e .`, as `make site` does)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from generator import addresses
from generator.build import generate
from generator.problems import BriefingError, DataError
from generator.publish import mkdocs
from generator.publish.search import PreviewIndex, index_site

PREVIEW_SCRIPT = Path(__file__).parent / "publish" / "preview_search.js"


def project_root(config: Any) -> Path:
    """The project whose data MkDocs builds: the generator writes its pages to
    `<root>/build/docs`, which is MkDocs' docs_dir (mkdocs.yml's, or the one
    `python -m generator serve --root DIR` gives it)."""
    return Path(config.docs_dir).resolve().parent.parent


class BriefingHooks:
    """The hooks and what they remember between MkDocs events: whether this MkDocs command
    serves (then a data error keeps the last good pages instead of failing the rebuild,
    which would leave MkDocs' server holding every request until a good one; and the
    search index is made in the background, `preview_index`), and whether the pages
    changed since the preview's index was last started (`changed`).

    MkDocs calls `on_startup` once at the start of each command and `on_shutdown` at its end
    (and keeps this module loaded in between, across the server's rebuilds)."""

    def __init__(self) -> None:
        self.serving = False
        self.changed = True
        self.preview_index = PreviewIndex()
        self.preview_script = ""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.changed = True
        self.preview_script = PREVIEW_SCRIPT.read_text(encoding="utf-8") if self.serving else ""

    def on_shutdown(self) -> None:
        self.serving = False
        self.preview_index.cancel()

    def on_config(self, config: Any) -> Any:
        """Regenerate the pages (only the changed ones are rewritten) before every build."""
        try:
            _, written = generate(project_root(config))
        except DataError as error:
            for problem in error.problems:
                print(problem, file=sys.stderr, flush=True)
            if not self.serving:
                raise mkdocs.stop(f"{error}: the site was not rebuilt") from None
            print(
                f"{error}: still showing the last good pages; fix the files to update them",
                file=sys.stderr,
                flush=True,
            )
            return config
        except BriefingError as error:  # e.g. mkdocs.yml without the site_url feeds need
            raise mkdocs.stop(f"{error}: the site was not rebuilt") from None
        if self.serving and (written.written or written.removed):
            # The pages change under a running Pagefind: its index would be stale anyway.
            self.preview_index.cancel()
            self.changed = True
            _remove_built(Path(config.site_dir), written.removed)
        return config

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        """While serving, each page gets the script that says when search results are
        updating; a built site never has it."""
        if not self.serving:
            return output
        return mkdocs.with_script(output, f"<script>{self.preview_script}</script>")

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        """Rebuild when the data, the hand-written pages or the site's assets change."""
        root = project_root(config)
        # The generated docs folder changes only because of the folders below: watching it
        # too would rebuild the site a second time after every generation.
        server.unwatch(config.docs_dir)
        for folder in (root / "briefings", root / "docs", Path(__file__).parent / "assets"):
            if folder.is_dir():
                server.watch(str(folder))
        return server

    def on_post_build(self, *, config: Any) -> None:
        """Index the freshly built site for the header search box (Pagefind); while serving,
        in the background, after the browser is told to reload (only when pages changed:
        after a data error the index of the last good pages stays). The first index is
        waited for: the search box's own script is part of it."""
        if not self.serving:
            index_site(Path(config.site_dir))
        elif self.changed:
            first = not self.preview_index.started
            self.changed = False
            running = self.preview_index.start(Path(config.site_dir))
            if first:  # the search box's script comes with the bundle: wait for the first
                running.join()


def _remove_built(site_dir: Path, removed: list[str]) -> None:
    """While serving, MkDocs builds dirty (only the pages whose Markdown changed), so it
    would keep serving a page whose source is gone: remove what it built from each."""
    for path in removed:
        (site_dir / addresses.built_file(path)).unlink(missing_ok=True)


# MkDocs takes a hooks file's `on_*` functions; these are the methods of its one object.
_hooks = BriefingHooks()
on_startup = _hooks.on_startup
on_shutdown = _hooks.on_shutdown
on_config = _hooks.on_config
on_serve = _hooks.on_serve
on_post_page = _hooks.on_post_page
on_post_build = _hooks.on_post_build
