"""Everything the generator asks of MkDocs, in one module: reading mkdocs.yml's site values,
building the site from the generated docs folder, serving the live preview, and the error
that stops a plain `mkdocs build`. The generated Markdown is plain and builder-neutral; a
successor to MkDocs (Zensical reads the same mkdocs.yml) changes this module, not the rest.
"""

from __future__ import annotations

from pathlib import Path

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
