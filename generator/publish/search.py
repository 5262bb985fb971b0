"""Site search: index the built site with Pagefind, offline, after `mkdocs build`.

Material's lunr search finds no Korean words (`김정은`); Pagefind does. Pagefind
reads the built HTML, indexes what the theme marks `data-pagefind-body` (the page
content, see overrides/partials/content.html) and writes a static search bundle
to `<site>/pagefind/`, which the header search box loads in the browser.

The pinned Pagefind binary (installed by `make`, see tools/pagefind.py) runs as a
subprocess with nothing but the arguments below: it starts in an empty folder (so no
stray `pagefind.yml` is read) without `PAGEFIND_*` variables, and any failure becomes a
`SearchIndexError`. The same pages give byte-identical bundles.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from generator.problems import BuildError

log = logging.getLogger(__name__)

BINARY = "pagefind_extended.exe" if sys.platform == "win32" else "pagefind_extended"
"""Pagefind's npm packages carry the extended build (it also segments Chinese and Japanese)."""

ENVIRONMENT = "PAGEFIND_BINARY_PATH"
"""Pagefind's own variable for a binary somewhere else (its Python wrapper reads it too)."""


def executable() -> Path | None:
    """The Pagefind binary to run: `$PAGEFIND_BINARY_PATH`, else the installed one (by
    `python -m tools.pagefind`), else None."""
    chosen = os.environ.get(ENVIRONMENT)
    if chosen:
        return Path(chosen)
    installed = install_dir() / BINARY
    return installed if installed.is_file() else None


def install_dir() -> Path:
    """The scripts folder of the running Python: `.venv/bin` for `make`'s environment."""
    return Path(sysconfig.get_path("scripts"))


BUNDLE_DIR = "pagefind"
"""Where the bundle goes inside the site; the theme loads `pagefind/pagefind-component-ui.js`."""

LANGUAGE = "en"
"""One index for every page, whatever script it is written in, so a search from any page
finds every page (Pagefind otherwise splits the index by each page's `<html lang>`)."""

EXCLUDE_SELECTORS = (".headerlink", "[data-pagefind-body] > h1", ".bs-listing", ".bs-graph")
"""Left out of the indexed text: the `¶` permalink of each heading; the page title, which
is indexed as the `title` metadata (weighted higher) and would otherwise open every
excerpt; what a page lists from other pages (`bs-listing`: an actor's appearances, related
briefings...), which would make every page naming a briefing match its words; and the
relation graphs, whose names the page's own lists hold. Pagefind's memory grows with the
words it indexes (about 250 KB a page at 10,000 briefings)."""

TIMEOUT_SECONDS = 600


class SearchIndexError(BuildError):
    """Pagefind could not index the built site."""


def index_site(site_dir: Path) -> None:
    """Write the Pagefind search bundle for the built site in `site_dir` to `site_dir/pagefind/`.

    Raises SearchIndexError when the site is missing, Pagefind is not installed, or it fails.
    """
    site_dir = site_dir.resolve()
    if not (site_dir / "index.html").is_file():
        raise SearchIndexError(f"cannot index {site_dir} for search: it has no index.html")
    bundle = site_dir / BUNDLE_DIR
    if bundle.exists():
        shutil.rmtree(bundle)  # an earlier index's fragments would be served as stale files
    started = time.monotonic()
    output = _run_pagefind(_command(site_dir))
    if not (bundle / "pagefind-entry.json").is_file():
        raise SearchIndexError(f"Pagefind wrote no search bundle to {bundle}:\n{output}")
    pages = re.search(r"Indexed (\d+) pages?", output)
    log.info(
        "search: Pagefind indexed %s pages in %.2f s",
        pages.group(1) if pages else "?",
        time.monotonic() - started,
    )


def _command(site_dir: Path) -> list[str]:
    binary = executable()
    chosen = os.environ.get(ENVIRONMENT)
    if chosen and (binary is None or not binary.is_file()):
        raise SearchIndexError(
            f"cannot index the site for search: {ENVIRONMENT} names {chosen}, which is not a file"
        )
    if binary is None or not binary.is_file():
        raise SearchIndexError(
            "cannot index the site for search: the Pagefind binary is missing "
            f"(install it with: {sys.executable} -m tools.pagefind)"
        )
    command = [
        str(binary),
        "--site",
        str(site_dir),
        "--output-subdir",
        BUNDLE_DIR,
        "--force-language",
        LANGUAGE,
    ]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    return command


def _run_pagefind(command: list[str]) -> str:
    """Run Pagefind; its combined output, or SearchIndexError naming the cause."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.upper().startswith("PAGEFIND_")
    }
    with tempfile.TemporaryDirectory(prefix="pagefind-") as empty:
        try:
            result = subprocess.run(
                command,
                cwd=empty,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                encoding="utf-8",
                errors="replace",
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise SearchIndexError(
                f"Pagefind did not finish indexing within {TIMEOUT_SECONDS} s"
            ) from error
        except OSError as error:
            raise SearchIndexError(f"cannot run Pagefind ({command[0]}): {error}") from error
    if result.returncode != 0:
        raise SearchIndexError(
            f"Pagefind failed to index the site (exit status "
            f"{result.returncode}):\n{result.stdout.strip()}"
        )
    return result.stdout
