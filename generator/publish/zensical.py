"""Everything the generator asks of Zensical (`--builder zensical`), in one module.

Zensical reads mkdocs.yml but not its `hooks:` (unsupported), and it requires docs_dir and
site_dir inside the folder of its configuration file. So the generator writes the pages
itself (as for MkDocs), derives `build/zensical.yml` from mkdocs.yml (no hooks, absolute
theme overrides, docs_dir `docs`, site_dir `site`), lets Zensical build `build/site/`,
and moves that folder to where the site is being made. Pagefind then indexes it exactly as
it indexes MkDocs' output.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from generator.problems import BuildError

NO_SEARCH = "  - search:\n      enabled: false"


def derived_config(config_file: Path, docs_dir: Path) -> Path:
    """Write the configuration Zensical builds from beside `docs_dir` and return its path:
    mkdocs.yml's text without its `hooks:` block, with docs_dir, site_dir and the theme's
    custom_dir rewritten, the theme's `classic` variant and Zensical's own search index
    turned off (the rest, and its YAML tags, stays as written). The site searches with
    Pagefind; Zensical's index is unused, and it refuses a page with more than 4,096 words
    (the actor list at 10,000 briefings: "exceeds the search index limit")."""
    source = config_file.resolve()
    lines: list[str] = []
    in_hooks = False
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("hooks:"):
            in_hooks = True
            continue
        if in_hooks and (line.startswith((" ", "-")) or not line.strip()):
            continue
        in_hooks = False
        key = line.split(":", 1)[0]
        if key == "docs_dir":
            line = f"docs_dir: {docs_dir.name}"
        elif key == "site_dir":
            line = "site_dir: site"
        elif key == "plugins":
            if line.split(":", 1)[1].strip() not in {"", "[]"}:
                raise BuildError("--builder zensical: write mkdocs.yml's plugins as a block list")
            line = "plugins:\n" + NO_SEARCH
        elif key == "  custom_dir":
            line = f"  custom_dir: {_quoted(source.parent / line.split(':', 1)[1].strip())}"
        lines.append(line)
        if line == "theme:":
            # Material's look (Zensical's default `modern` variant has a light header, on
            # which the header search box of briefings.css has too little contrast).
            lines.append("  variant: classic")
    if not any(line.startswith("plugins:") for line in lines):
        lines.append("plugins:\n" + NO_SEARCH)
    derived = docs_dir.parent / "zensical.yml"
    derived.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return derived


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def build_site(config_file: Path, docs_dir: Path, site_dir: Path, *, strict: bool) -> None:
    """`zensical build` of `docs_dir` into `site_dir` (an empty folder, replaced)."""
    zensical = _zensical()
    derived = derived_config(config_file, docs_dir)
    built = derived.parent / "site"
    if built.is_dir() and not built.is_symlink():
        shutil.rmtree(built)
    else:  # a file or a link left there: Zensical would fail writing through it
        built.unlink(missing_ok=True)
    try:
        zensical.build(str(derived), {"clean": False, "strict": strict})
    except Exception as error:  # its core raises RuntimeError, OSError...: each a build error
        raise BuildError(f"Zensical failed: {error}") from None
    site_dir.rmdir()
    built.rename(site_dir)


def serve(config_file: Path, docs_dir: Path, port: int) -> None:
    """Zensical's preview server on 127.0.0.1:`port`, of the pages the generator wrote."""
    zensical = _zensical()
    derived = derived_config(config_file, docs_dir)
    zensical.serve(str(derived), {"dev_addr": f"127.0.0.1:{port}", "open": False, "strict": False})


def _zensical() -> Any:
    try:
        import zensical  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise BuildError(
            "--builder zensical needs Zensical: `make site BUILDER=zensical` installs it"
        ) from None
    return zensical
