"""Search at scale, as a reader meets it: Debian's Chromium on the built site.

For each query, three times in a fresh browser context (empty cache): open the home
page, press `/`, type the query, and time the first result from the first keystroke
(`typed_to_result`, which includes the search box's debounce) and from the page's load
event (`load_to_result`; the reader here types at once). Bytes are the response bodies
fetched from the first keystroke until the network is idle (results, excerpts and the
Pagefind runtime itself). The medians are reported; the expected page of a query must
be among its results.
"""

from __future__ import annotations

import functools
import http.server
import json
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEARCH_INPUT = ".bs-search .pf-searchbox-input"
RESULT = ".bs-search .pf-searchbox-result"
REPEATS = 3

# Records when the first result appears, measured by the page's own clock.
_OBSERVE = """() => {
  window.__firstResult = null;
  const seen = () => document.querySelector(SELECTOR);
  new MutationObserver((_, observer) => {
    if (window.__firstResult === null && seen()) {
      window.__firstResult = performance.now();
      observer.disconnect();
    }
  }).observe(document.documentElement, {childList: true, subtree: true});
  return performance.timing.loadEventEnd - performance.timing.navigationStart;
}""".replace("SELECTOR", json.dumps(RESULT))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """`site` over HTTP on 127.0.0.1 (an ephemeral port); its root URL."""
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _one_query(browser: Any, url: str, query: str, expected: str | None) -> dict[str, Any]:
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.evaluate(_OBSERVE)
        requests: list[Any] = []
        page.on("request", lambda request: requests.append(request))
        page.keyboard.press("/")
        page.wait_for_function(f"document.activeElement?.matches({SEARCH_INPUT!r})")
        times = page.evaluate("""() => ({typed: performance.now(),
            load: performance.getEntriesByType('navigation')[0].loadEventEnd})""")
        page.keyboard.type(query)
        page.wait_for_selector(RESULT, timeout=60_000)
        page.wait_for_load_state("networkidle")
        first = page.evaluate("window.__firstResult")
        hrefs = page.eval_on_selector_all(RESULT, "els => els.map(e => e.href)")
        fetched = 0
        for request in requests:
            try:
                fetched += request.sizes()["responseBodySize"]
            except PlaywrightError:  # a request that never completed fetched nothing
                continue
        found = expected is None or any(expected in href for href in hrefs)
        return {
            "typed_to_result": (first - times["typed"]) / 1000,
            "load_to_result": (first - times["load"]) / 1000,
            "bytes": fetched,
            "requests": len(requests),
            "results": len(hrefs),
            "expected_found": found,
        }
    finally:
        context.close()


def measure(site: Path, queries: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Medians over REPEATS fresh contexts for each named query."""
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {}
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, spec in queries.items():
                runs = [
                    _one_query(browser, url, spec["query"], spec.get("page"))
                    for _ in range(REPEATS)
                ]
                results[name] = {
                    "query": spec["query"],
                    "typed_to_result": round(
                        statistics.median(r["typed_to_result"] for r in runs), 3
                    ),
                    "load_to_result": round(
                        statistics.median(r["load_to_result"] for r in runs), 3
                    ),
                    "bytes": int(statistics.median(r["bytes"] for r in runs)),
                    "results_shown": runs[0]["results"],
                    "expected_found": all(r["expected_found"] for r in runs),
                }
                time.sleep(0.2)
        finally:
            browser.close()
    return results
