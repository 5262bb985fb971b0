"""Everything the generator asks of MkDocs, in one module: reading mkdocs.yml's site values,
building the site from the generated docs folder, the live preview's builds and server,
and the error that stops a plain `mkdocs build`. The generated Markdown is plain and
builder-neutral; a successor to MkDocs (Zensical reads the same mkdocs.yml) changes this
module, not the rest.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.problems import BuildError
from generator.siteinfo import SiteConfigError, SiteInfo, site_info


def read_site_info(config: Path) -> SiteInfo:
    """`site_name`, `site_url` and `site_description` from an mkdocs.yml, read the way MkDocs
    reads it (environment variables, inherited files)."""
    values = _load(config)
    return site_info(
        config, values.get("site_name"), values.get("site_url"), values.get("site_description")
    )


def _load(config: Path) -> dict[str, Any]:
    """mkdocs.yml's values as MkDocs reads them: `!ENV` resolved, `INHERIT` merged."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    try:
        with config.open("rb") as stream:
            values = yaml_load(stream)
    except (OSError, ConfigurationError) as error:
        raise SiteConfigError(f"{config}: {error}") from None
    if not isinstance(values, dict):
        raise SiteConfigError(f"{config}: not a mapping of settings")
    return values


def config_values(config: Path) -> str:
    """Every value of mkdocs.yml as MkDocs sees it, as one text: what the site depends on
    in it, where its bytes are not all (a `site_url` from `!ENV`, a file `INHERIT` names).
    A value with no stable text (an object MkDocs' YAML makes) gives another text each time:
    the site is then built in full, never wrongly."""
    return json.dumps(_plain(_load(config)), sort_keys=True, ensure_ascii=False)


def _plain(value: Any) -> Any:
    """`value` as JSON: a mapping's keys as text, a function or class (`!!python/name:`) by
    its name, anything else unknown by its repr."""
    if isinstance(value, dict):
        return {repr(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{value.__module__}.{value.__qualname__}"
    return repr(value)


class StaleSite(BuildError):
    """The previous site lacks a file a partial build would keep: build in full instead."""


def custom_dir(config: Path) -> Path | None:
    """The theme's overrides folder that mkdocs.yml names (`theme.custom_dir`), if any."""
    theme = _load(config).get("theme")
    folder = theme.get("custom_dir") if isinstance(theme, dict) else None
    return config.parent / folder if isinstance(folder, str) else None


@dataclass(frozen=True)
class PageAnchors:
    """What MkDocs' check of links to anchors (`validation: links: anchors`) needs of a page:
    the ids it holds, and its links to anchors (page linked to -> anchor -> the link as
    written, which the warning quotes)."""

    ids: frozenset[str]
    links: Mapping[str, Mapping[str, str]]


def build_site(
    config_file: Path,
    docs_dir: Path,
    site_dir: Path,
    *,
    strict: bool,
    previous: Path | None = None,
    changed: frozenset[str] = frozenset(),
    anchors: Mapping[str, PageAnchors] | None = None,
) -> dict[str, PageAnchors]:
    """`mkdocs build` of `docs_dir` into the empty folder `site_dir`, without mkdocs.yml's
    hooks: they are for plain `mkdocs build` and `mkdocs serve`, and generate the pages and
    index the site, which the generator's own build does itself, before and after. Returns
    the anchors of every page (by its path in `docs_dir`).

    With `previous` (the site built from the same configuration, before the docs files
    `changed` were written; `anchors`: its pages' anchors), only the changed files are
    built: MkDocs' dirty mode, told which files changed instead of comparing times. Every
    other file of the new site is then linked from `previous` (a hard link: nothing is
    copied, and the previous site is never written to: MkDocs wrote only into the empty
    folder). The navigation is fixed by mkdocs.yml, so a page's HTML depends on its own
    Markdown and the configuration only; its links to anchors of other pages are checked
    with the anchors MkDocs found on those pages when it last built them."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(
            str(config_file),
            docs_dir=str(docs_dir),
            site_dir=str(site_dir),
            strict=strict,
            hooks=[],
        )
        pages = _Pages(None if previous is None else changed, anchors or {})
        # MkDocs registers the on_* methods of whatever object it is given as a plugin.
        config.plugins["briefing-site-pages"] = pages  # type: ignore[assignment]
        if previous is None:
            build(config)
            return pages.anchors
        with _quiet_dirty_warning():
            build(config, dirty=True)
        pages.link_the_rest(previous, site_dir)
        return pages.anchors
    except MkDocsException as error:
        raise BuildError(f"MkDocs failed: {error}") from None
    except SystemExit as error:  # MkDocs aborts strict builds this way
        raise BuildError(f"MkDocs failed: {error}") from None


class _Pages:
    """An MkDocs plugin: by its `on_files` event, it marks which files changed (in a partial
    build); by its `on_env` event, once MkDocs has read the pages it builds, it gives the
    others (unchanged) the anchors recorded for them, so that MkDocs checks every link to an
    anchor as a full build does, and it collects every page's anchors for the record."""

    def __init__(self, changed: frozenset[str] | None, known: Mapping[str, PageAnchors]) -> None:
        self.changed = changed
        self.known = known
        self.files: list[Any] = []
        self.anchors: dict[str, PageAnchors] = {}

    def on_files(self, files: Any, *, config: Any) -> Any:
        if self.changed is not None:
            _mark_changed(files, self.changed)
        self.files = list(files)
        return files

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        for file in files.documentation_pages():
            page = file.page
            if page is None:
                continue
            if page.present_anchor_ids is None and self.changed is not None:
                self._restore(page, files)  # not read: an unchanged page
            links = page.links_to_anchors or {}
            self.anchors[file.src_uri] = PageAnchors(
                # (an attribute `id` with no value is there as None: nothing links to it)
                frozenset(i for i in page.present_anchor_ids or () if isinstance(i, str)),
                # Not its links to itself (each heading's permalink): they hold while the
                # page is unchanged, and are checked again whenever it is built.
                {t.src_uri: dict(v) for t, v in links.items() if t.src_uri != file.src_uri},
            )
        return env

    def _restore(self, page: Any, files: Any) -> None:
        known = self.known.get(page.file.src_uri)
        if known is None:
            raise StaleSite(f"no record of the anchors of {page.file.src_uri}")
        targets = {}
        for path, links in known.links.items():
            target = files.get_file_from_path(path)
            if target is None:
                raise StaleSite(f"{page.file.src_uri} links to {path}, which is gone")
            targets[target] = dict(links)
        page.present_anchor_ids = set(known.ids)
        page.links_to_anchors = targets

    def link_the_rest(self, previous: Path, site_dir: Path) -> None:
        for file in self.files:
            if not file.inclusion.is_included():
                continue
            target = site_dir / file.dest_uri
            if target.exists():
                continue
            source = previous / file.dest_uri
            if not source.is_file() or source.is_symlink():
                raise StaleSite(f"the previous site has no {file.dest_uri}")
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:  # a file system without hard links
                shutil.copy2(source, target)


@contextmanager
def _quiet_dirty_warning() -> Iterator[None]:
    """MkDocs warns that a dirty build may leave navigation stale (true of its time-based
    dirty mode, not of this one) and a strict build counts the warning as a failure."""
    logger = logging.getLogger("mkdocs.commands.build")
    quiet = _DropDirtyWarning()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


class LiveSite:
    """MkDocs for `python -m generator serve`: the site in `site_dir`, built from `docs_dir`
    with mkdocs.yml's settings but not its hooks (the preview generates and indexes itself),
    and MkDocs' configuration, files, navigation and templates kept between two saves, so
    that a save converts only the pages it changed, in the order given: the page being
    edited first, the others after the browser has reloaded it. This keeps MkDocs' own
    steps, taken as `mkdocs.commands.build.build` takes them (its internals: here only).

    `script` is added to every page before `</body>` (the preview's search status)."""

    def __init__(
        self, config_file: Path, docs_dir: Path, site_dir: Path, serve_url: str, script: str
    ) -> None:
        self._where = (config_file, docs_dir, site_dir)
        self.serve_url = serve_url
        self._script = f"<script>{script}</script>"
        self._kept: _Kept | None = None

    def build(self, changed: frozenset[str] | None = None) -> None:
        """MkDocs' build: of every page, or (dirty) of the docs files `changed` only, and of
        none other: a new or removed page changes MkDocs' list of files, which this makes
        again. Raises BuildError when MkDocs fails."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        config_file, docs_dir, site_dir = self._where
        self._kept = None
        try:
            config = load_config(
                str(config_file),
                docs_dir=str(docs_dir),
                site_dir=str(site_dir),
                strict=False,  # a warning (a broken link) is shown, and the preview goes on
                hooks=[],
            )
            config.site_url = self.serve_url
            kept = _Kept(changed, self._script)
            config.plugins["briefing-site-preview"] = kept  # type: ignore[assignment]
            with _quiet_dirty_warning():
                build(config, serve_url=self.serve_url, dirty=changed is not None)
        except (MkDocsException, SystemExit) as error:
            raise BuildError(f"MkDocs failed: {error}") from None
        kept.config = config
        self._kept = kept

    def knows(self, paths: frozenset[str]) -> bool:
        """Whether every docs file of `paths` is one MkDocs listed at the last `build` (else
        the next build must list them again: `build(changed)`)."""
        kept = self._kept
        return kept is not None and all(p in kept.by_path for p in paths)

    def convert(self, path: str) -> None:
        """Build one docs file MkDocs listed (`knows`) again: a page is read, converted and
        written with its template; another file is copied."""
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.exceptions import MkDocsException

        kept = self._kept
        assert kept is not None and kept.config is not None, "build first"
        file = kept.by_path[path]
        try:
            if file.page is None:
                file.copy_file()
                return
            _populate_page(file.page, kept.config, kept.files)
            _build_page(file.page, kept.config, kept.doc_files, kept.nav, kept.env)
        except (MkDocsException, SystemExit) as error:
            raise BuildError(f"MkDocs failed: {error}") from None


class _Kept:
    """A plugin of the live preview's builds: marks the changed files (a dirty build), adds
    the preview's script to each page, and keeps what MkDocs made for the next save."""

    def __init__(self, changed: frozenset[str] | None, script: str) -> None:
        self.changed = changed
        self.script = script
        self.config: Any = None
        self.files: Any = None
        self.by_path: dict[str, Any] = {}
        self.doc_files: Any = None
        self.nav: Any = None
        self.env: Any = None

    def on_files(self, files: Any, *, config: Any) -> Any:
        if self.changed is not None:
            _mark_changed(files, self.changed)
        return files

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        self.nav = nav
        return nav

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        from mkdocs.structure.files import InclusionLevel

        self.env = env
        self.files = files
        self.by_path = {file.src_uri: file for file in files}
        self.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        return env

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        return with_script(output, self.script)


def _mark_changed(files: Any, changed: frozenset[str]) -> None:
    """MkDocs' dirty mode, told which files changed instead of comparing times."""
    for file in files:
        modified = file.src_uri in changed
        file.is_modified = lambda modified=modified: modified


def with_script(page: str, script: str) -> str:
    """A built page with `script` (a `<script>` element) before its `</body>`."""
    end = page.rfind("</body>")
    return page + script if end < 0 else page[:end] + script + page[end:]


class LiveServer:
    """MkDocs' live-reload server on 127.0.0.1:`port`, serving `site_dir` at `mount_path`:
    `rebuild` runs whenever a file under the watched paths changes, and the browsers
    reload when it returns (or when `reload` is called: the preview's later pages)."""

    def __init__(
        self, site_dir: Path, port: int, mount_path: str, rebuild: Callable[[], None]
    ) -> None:
        from mkdocs.livereload import LiveReloadServer

        self._server = LiveReloadServer(
            builder=rebuild, host="127.0.0.1", port=port, root=str(site_dir), mount_path=mount_path
        )

        def error_page(code: int) -> bytes | None:
            page = site_dir / f"{code}.html"
            return page.read_bytes() if code in (404, 500) and page.is_file() else None

        self._server.error_handler = error_page

    @property
    def url(self) -> str:
        return str(self._server.url)

    def serve(self, watched: list[Path]) -> None:
        """Serve until interrupted (Ctrl-C)."""
        for path in watched:
            if path.exists():
                self._server.watch(str(path))
        try:
            self._server.serve()  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            logging.getLogger("mkdocs").info("Shutting down...")
        finally:
            self._server.shutdown()

    def reload(self) -> None:
        """Tell the browsers to reload, unless a rebuild is under way or due (its end
        reloads them): MkDocs' server does so only when its builder returns."""
        from mkdocs.livereload import _timestamp

        server = self._server
        with server._rebuild_cond, server._epoch_cond:
            if server._want_rebuild or server._wanted_epoch != server._visible_epoch:
                return
            server._wanted_epoch = server._visible_epoch = _timestamp()
            server._epoch_cond.notify_all()


def stop(message: str) -> BaseException:
    """The error that stops a plain `mkdocs build` or rebuild with `message` and exit status
    1, without a traceback (MkDocs' Abort is both an Exception and a SystemExit)."""
    from mkdocs.exceptions import Abort

    return Abort(message)
