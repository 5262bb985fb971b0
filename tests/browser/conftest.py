"""Browser fixtures: Debian's Chromium driven by Playwright, a built site served on
127.0.0.1, and a guard that fails a test on any console error or any request that
leaves this machine (the site must work offline).

A test module (or a conftest above it) provides `built_site`: the folder of a built
and search-indexed site. tests/browser/test_search.py builds a small sample site.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Route,
    expect,
    sync_playwright,
)

# Assertions wait up to 15 s (Playwright's default is 5 s): on a shared 2-core machine a
# search in a site being built next door has taken longer. A wait ends as soon as it holds.
expect.set_options(timeout=15_000)

# Debian's Chromium here and in CI; GitHub's Ubuntu runners ship Google Chrome instead.
# $CHROMIUM names another build of the browser.
CHROMIUM = next(
    (
        Path(candidate)
        for candidate in (
            os.environ.get("CHROMIUM", ""),
            "/usr/bin/chromium",
            "/usr/bin/google-chrome",
        )
        if candidate and Path(candidate).is_file()
    ),
    Path("/usr/bin/chromium"),
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Debian's Chromium is missing at {CHROMIUM}: `apt-get install chromium`, "
            "or leave these tests out with -m 'not browser'"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a browser dropping a connection it no longer needs is not a failure


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    """`built_site` served over HTTP on 127.0.0.1 at an ephemeral port; its root URL."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = _SiteServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class PageWatch:
    """What went wrong in the browser while a test ran."""

    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [f"console error: {text}" for text in self.console_errors] + [
            f"request to a non-local host: {url}" for url in self.foreign_requests
        ]


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about", "file"} or parts.hostname in LOCAL_HOSTS


def watch_context(context: BrowserContext) -> PageWatch:
    """Record console errors and every request; abort (and record) those leaving localhost."""
    watch = PageWatch()

    def block(route: Route) -> None:
        watch.foreign_requests.append(route.request.url)
        route.abort("blockedbyclient")

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watch.console_errors.append(f"{message.text} ({message.location.get('url', '?')})")

    context.route(lambda url: not _is_local(url), block)
    context.on("request", lambda request: watch.requests.append(request.url))
    context.on("console", on_console)
    context.on("weberror", lambda error: watch.console_errors.append(f"uncaught {error.error}"))
    return watch


_WATCH = pytest.StashKey[PageWatch]()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh desktop-sized page; the test fails on console errors or non-local requests.

    Parametrize indirectly with a dict of `browser.new_context` options to change it
    (e.g. {"color_scheme": "dark"} or a phone viewport).
    """
    options = {"viewport": DESKTOP, "service_workers": "block", **getattr(request, "param", {})}
    context = browser.new_context(**options)
    watch = watch_context(context)
    request.node.stash[_WATCH] = watch
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
    problems = watch.problems()
    if problems:
        pytest.fail("the browser saw problems:\n  " + "\n  ".join(problems))


@pytest.fixture
def watch(page: Page, request: pytest.FixtureRequest) -> PageWatch:
    """The PageWatch of this test's `page`."""
    return request.node.stash[_WATCH]


@pytest.fixture
def screenshot(page: Page) -> Callable[[str], Path]:
    """screenshot(name) saves the page as tests/artifacts/<name>.png and returns the path."""

    def take(name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    return take
