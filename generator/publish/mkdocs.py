"""Everything the generator asks of MkDocs, in one module: reading mkdocs.yml's site values,
building the site from the generated docs folder, serving the live preview, and the error
that stops a plain `mkdocs build`. The generated Markdown is plain and builder-neutral; a
successor to MkDocs (Zensical reads the same mkdocs.yml) changes this module, not the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.problems import BuildError
from generator.siteinfo import SiteConfigError, SiteInfo, site_info


def read_site_info(config: Path) -> SiteInfo:
    """`site_name`, `site_url` and `site_description` from an mkdocs.yml, read the way MkDocs
    reads it (environment variables, inherited files)."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    try:
        with config.open("rb") as stream:
            values = yaml_load(stream)
    except (OSError, ConfigurationError) as error:
        raise SiteConfigError(f"{config}: {error}") from None
    return site_info(
        config, values.get("site_name"), values.get("site_url"), values.get("site_description")
    )


def build_site(config_file: Path, docs_dir: Path, site_dir: Path, *, strict: bool) -> None:
    """`mkdocs build` of `docs_dir` into `site_dir`, without mkdocs.yml's hooks: they are for
    plain `mkdocs build` and `mkdocs serve`, and generate the pages and index the site, which
    the generator's own build does itself, before and after."""
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
        build(config)
    except MkDocsException as error:
        raise BuildError(f"MkDocs failed: {error}") from None
    except SystemExit as error:  # MkDocs aborts strict builds this way
        raise BuildError(f"MkDocs failed: {error}") from None


def serve(config_file: Path, docs_dir: Path, port: int) -> None:
    """MkDocs' live-reload server on 127.0.0.1:`port`, with mkdocs.yml's hooks (which
    regenerate the pages from the data on every change, and index them in the background).

    MkDocs' own `mkdocs.commands.serve.serve`, but for what it watches with: MkDocs polls
    every watched file twice a second (12,500 data files at 10,000 briefings), which costs
    a core's share and up to half a second before a save is seen; the operating system's
    own notification (inotify, FSEvents, ReadDirectoryChangesW) tells at once.
    """
    import shutil
    import tempfile

    import watchdog.observers
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    site_dir = tempfile.mkdtemp(prefix="mkdocs_")
    url = f"http://127.0.0.1:{port}/"

    def get_config() -> Any:
        config = load_config(
            str(config_file),
            site_dir=site_dir,
            docs_dir=str(docs_dir),
            dev_addr=f"127.0.0.1:{port}",
            # A warning (a broken link, say) is printed but does not stop the preview:
            # MkDocs' server would hold every request until a build passes. `build` stays
            # strict.
            strict=False,
        )
        config.site_url = url
        return config

    def builder(config: Any = None) -> None:
        # Dirty: only the pages whose Markdown the generator rewrote are rebuilt; the hooks
        # remove the built pages of deleted sources.
        build(config or get_config(), serve_url=url, dirty=True)

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=True)
    server = LiveReloadServer(builder=builder, host="127.0.0.1", port=port, root=site_dir)
    server.observer = watchdog.observers.Observer()  # type: ignore[assignment]
    server.error_handler = lambda code: _error_page(Path(site_dir), code)
    try:
        builder(config)
        server.watch(config.docs_dir)
        server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


def _error_page(site_dir: Path, code: int) -> bytes | None:
    """The site's own 404 page for a missing file (as MkDocs' server shows it)."""
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None


def stop(message: str) -> BaseException:
    """The error that stops a plain `mkdocs build` or rebuild with `message` and exit status
    1, without a traceback (MkDocs' Abort is both an Exception and a SystemExit)."""
    from mkdocs.exceptions import Abort

    return Abort(message)
