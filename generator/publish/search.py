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

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
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


def _command(site_dir: Path, output: Path | None = None) -> list[str]:
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
        *(["--output-subdir", BUNDLE_DIR] if output is None else ["--output-path", str(output)]),
        "--force-language",
        LANGUAGE,
    ]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    return command


def _environment() -> dict[str, str]:
    """The environment Pagefind runs in: this one without Pagefind's own variables."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.upper().startswith("PAGEFIND_")
    }


def _run_pagefind(command: list[str]) -> str:
    """Run Pagefind; its combined output, or SearchIndexError naming the cause."""
    env = _environment()
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


STATUS_FILE = "pagefind-status.json"
"""In the live preview only, at the site's root: `{"state": "updating"}` while the index is
being rebuilt, `"ready"` once it matches the pages, `"failed"` when Pagefind failed
(generator/publish/preview_search.js shows it under the search box). A built site has none."""

PREVIEW_BUNDLE_PREFIX = ".pagefind-"
"""The preview's bundles, one folder per indexing run; `pagefind` is a link to the newest."""


class PreviewIndex:
    """The search index of the live preview, made in the background so that the page shows
    an edit before Pagefind has read the site (Pagefind has no incremental mode).

    Each run indexes into a fresh folder beside the site's pages, and the `pagefind` link
    is then switched to it in one rename: a half-written bundle is never served. The bundle
    it replaces is kept until the next switch, for a page that loaded it just before. A new
    `start` (or `cancel`) ends the run in progress: the index finally matches the last build.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()  # held for `_run`, `_process` and the switch
        self._run = 0
        self._process: subprocess.Popen[str] | None = None
        self._shown: list[Path] = []

    @property
    def started(self) -> bool:
        """Whether an index run was ever started."""
        return self._run > 0

    def cancel(self) -> None:
        """End the run in progress, if any; a bundle it was writing is never shown."""
        with self._lock:
            self._run += 1
            process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()

    def start(self, site_dir: Path) -> threading.Thread:
        """Say that results are updating and index `site_dir` in a new thread (returned)."""
        self.cancel()
        with self._lock:
            run = self._run
            write_status(site_dir, "updating")
        thread = threading.Thread(
            target=self._index, args=(site_dir.resolve(), run), name="pagefind", daemon=True
        )
        thread.start()
        return thread

    def _index(self, site_dir: Path, run: int) -> None:
        fresh = site_dir / f"{PREVIEW_BUNDLE_PREFIX}{run}"
        try:
            output = self._pagefind(site_dir, fresh, run)
        except SearchIndexError as error:
            with self._lock:
                if run == self._run:
                    print(f"error: {error}", file=sys.stderr, flush=True)
                    write_status(site_dir, "failed")
            shutil.rmtree(fresh, ignore_errors=True)
            return
        with self._lock:
            if run != self._run or not (fresh / "pagefind-entry.json").is_file():
                superseded = True
            else:
                superseded = False
                self._switch(site_dir, fresh)
                write_status(site_dir, "ready")
        if superseded:
            shutil.rmtree(fresh, ignore_errors=True)
        else:
            pages = re.search(r"Indexed (\d+) pages?", output)
            log.info("search: the preview's index is up to date (%s pages)", pages and pages[1])

    def _pagefind(self, site_dir: Path, fresh: Path, run: int) -> str:
        """Pagefind's output, after it wrote the bundle of `site_dir` into `fresh` (started
        in an empty folder, as `index_site` does); only its start and end are under the
        lock, so that `cancel` can end it meanwhile."""
        with tempfile.TemporaryDirectory(prefix="pagefind-") as empty:
            with self._lock:
                if run != self._run:
                    return ""
                try:
                    process = subprocess.Popen(
                        _command(site_dir, fresh),
                        cwd=empty,
                        env=_environment(),
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT,
                        encoding="utf-8",
                        errors="replace",
                    )
                except OSError as error:
                    raise SearchIndexError(f"cannot run Pagefind: {error}") from error
                self._process = process
            try:
                output, _ = process.communicate(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
                raise SearchIndexError(
                    f"Pagefind did not finish indexing within {TIMEOUT_SECONDS} s"
                ) from None
        with self._lock:
            cancelled = run != self._run
        if process.returncode != 0 and not cancelled:
            raise SearchIndexError(
                f"Pagefind failed to index the site (exit status "
                f"{process.returncode}):\n{output.strip()}"
            )
        return output

    def _switch(self, site_dir: Path, fresh: Path) -> None:
        """Point `pagefind` at `fresh` in one rename; remove the bundles before the last."""
        link = site_dir / BUNDLE_DIR
        staged = site_dir / f"{PREVIEW_BUNDLE_PREFIX}link"
        staged.unlink(missing_ok=True)
        staged.symlink_to(fresh.name, target_is_directory=True)
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        staged.replace(link)
        self._shown.append(fresh)
        for old in self._shown[:-2]:
            shutil.rmtree(old, ignore_errors=True)
        del self._shown[:-2]


def write_status(site_dir: Path, state: str) -> None:
    """Write the preview's search state (see STATUS_FILE) in one rename."""
    staged = site_dir / f".{STATUS_FILE}.tmp"
    staged.write_text(json.dumps({"state": state}) + "\n", encoding="utf-8")
    staged.replace(site_dir / STATUS_FILE)
