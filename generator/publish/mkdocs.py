"""Everything the generator asks of MkDocs, in one module: reading mkdocs.yml's site values,
building the site from the generated docs folder, serving the live preview, and the error
that stops a plain `mkdocs build`. The generated Markdown is plain and builder-neutral; a
successor to MkDocs (Zensical reads the same mkdocs.yml) changes this module, not the rest.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator, Mapping
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
            for file in files:
                modified = file.src_uri in self.changed
                file.is_modified = lambda modified=modified: modified
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


def serve(config_file: Path, docs_dir: Path, port: int) -> None:
    """MkDocs' live-reload server on 127.0.0.1:`port`, with mkdocs.yml's hooks (which
    regenerate the pages from the data on every change)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    mkdocs_serve(
        str(config_file),
        dev_addr=f"127.0.0.1:{port}",
        livereload=True,
        docs_dir=str(docs_dir),
        # A warning (a broken link, say) is printed but does not stop the preview: MkDocs'
        # server would hold every request until a build passes. `build` stays strict.
        strict=False,
        # Only the pages whose Markdown the generator rewrote are rebuilt; the hooks remove
        # the built pages of deleted sources.
        build_type="dirty",
    )


def stop(message: str) -> BaseException:
    """The error that stops a plain `mkdocs build` or rebuild with `message` and exit status
    1, without a traceback (MkDocs' Abort is both an Exception and a SystemExit)."""
    from mkdocs.exceptions import Abort

    return Abort(message)
