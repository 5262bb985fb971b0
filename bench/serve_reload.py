"""Save-to-reload time of the live preview: `python -m bench.serve_reload [--sizes real,1000]`.

For each corpus (`real`: a copy of briefings/; a number: that many synthetic briefings from
bench/corpus.py), start `python -m generator serve` as an editor does, open a briefing's
page and its livereload channel as a browser does, then several times, once the preview
is idle (its search index ready): save the file with a new title and time (a) until the
server tells the browser to reload, (b) until the page it then fetches shows the new title
and (c) until everything the save changed is done (the other pages, the machine formats,
the search index: the search status is "ready" again). Then as many times: save, and save
again as soon as the page shows it (the first save's background work still running), and
time the second save to its page. Prints a table and writes
bench/out/serve_reload.json. Only 127.0.0.1 is contacted; each wait is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from generator.publish.search import STATUS_FILE

OUT = Path(__file__).resolve().parent / "out"
ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120.0  # seconds for any one wait
# The first build of 10,000 briefings takes minutes before the server answers at all.
STARTUP_TIMEOUT = 1800.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, timeout: float = TIMEOUT) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return str(response.read().decode("utf-8"))


def wait_for(url: str, text: str, deadline: float) -> float:
    """Poll `url` until it contains `text`; the time it did."""
    while time.monotonic() < deadline:
        try:
            if text in fetch(url, timeout=max(deadline - time.monotonic(), 0.1)):
                return time.monotonic()
        except OSError:
            pass
        time.sleep(0.02)
    raise TimeoutError(f"{url} never showed {text!r}")


def start_server(root: Path, port: int) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "generator", "--root", str(root), "serve", "--port", str(port)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def stop_server(server: subprocess.Popen[str]) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def prepare(size: str, folder: Path, corpora: Path | None = None) -> Path:
    """A project folder with the corpus of `size` ("real" or a number of briefings): a copy
    of `corpora/c<size>` when that holds one (never changed), else written anew."""
    project = folder / f"serve-{size}"
    shutil.rmtree(project, ignore_errors=True)
    existing = corpora / f"c{size}" if corpora is not None else None
    if size == "real":
        project.mkdir(parents=True)
        shutil.copytree(ROOT / "briefings", project / "briefings")
    elif existing is not None and (existing / "briefings").is_dir():
        project.mkdir(parents=True)
        shutil.copytree(existing / "briefings", project / "briefings")
    else:
        from bench.corpus import write_corpus

        write_corpus(project, int(size))
    return project


def first_article(project: Path) -> Path:
    return sorted((project / "briefings" / "articles").rglob("*.yaml"))[0]


def reload_epoch(page: str) -> int:
    """The site version a page was served at (MkDocs injects it into the page's script)."""
    match = re.search(r"livereload\((\d+),", page)
    if match is None:
        raise RuntimeError("the page carries no livereload script")
    return int(match.group(1))


def measure(project: Path, edits: int) -> dict[str, Any]:
    port = free_port()
    article = first_article(project)
    url = f"http://127.0.0.1:{port}/briefings/{article.stem}/"
    started = time.monotonic()
    server = start_server(project, port)
    try:
        original = article.read_text(encoding="utf-8")
        wait_for(url, "<title>", started + STARTUP_TIMEOUT)
        startup = time.monotonic() - started
        status = f"http://127.0.0.1:{port}/{STATUS_FILE}"
        notify, visible, settled = [], [], []
        for n in range(edits):
            # Idle first: the last save's later pages would reload the browser meanwhile.
            wait_for(status, '"ready"', time.monotonic() + STARTUP_TIMEOUT)
            epoch = reload_epoch(fetch(url))
            token = f"Reload probe {n}"
            signal: list[float] = []

            def listen(epoch: int = epoch, signal: list[float] = signal) -> None:
                """What a browser's livereload script does: wait for a newer epoch."""
                fetch(f"http://127.0.0.1:{port}/livereload/{epoch}/1")
                signal.append(time.monotonic())

            poll = threading.Thread(target=listen, daemon=True)
            poll.start()
            time.sleep(0.3)  # the browser's poll is waiting before the editor saves
            saved = time.monotonic()
            article.write_text(
                re.sub(r"^title: .*$", f"title: {token}", original, count=1, flags=re.MULTILINE),
                encoding="utf-8",
            )
            shown = wait_for(url, token, saved + TIMEOUT)
            poll.join(TIMEOUT)
            done = wait_for(status, '"ready"', saved + STARTUP_TIMEOUT)
            notify.append((signal[0] if signal else shown) - saved)
            visible.append(shown - saved)
            settled.append(done - saved)
            time.sleep(1.0)  # let the watcher settle before the next save
        # Busy: a save as soon as the last one shows, its background work still going on.
        busy = []
        for n in range(edits):
            wait_for(status, '"ready"', time.monotonic() + STARTUP_TIMEOUT)
            for step in ("first", "second"):
                token = f"Busy probe {n} {step}"
                saved = time.monotonic()
                article.write_text(
                    re.sub(r"^title: .*$", f"title: {token}", original, count=1, flags=re.M),
                    encoding="utf-8",
                )
                shown = wait_for(url, token, saved + TIMEOUT)
            busy.append(shown - saved)
        article.write_text(original, encoding="utf-8")
    finally:
        stop_server(server)
    return {
        # Other work on the machine slows every stage: the 1-minute load average, for 2 cores.
        "load_average": round(os.getloadavg()[0], 2),
        "startup_s": round(startup, 2),
        "reload_signal_s": _stats(notify),
        "page_updated_s": _stats(visible),
        "all_done_s": _stats(settled),
        "page_updated_busy_s": _stats(busy),
        "edits": edits,
    }


def _stats(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serve_reload")
    parser.add_argument("--sizes", default="real,1000", help="real and/or numbers of briefings")
    parser.add_argument("--edits", type=int, default=5, help="saves timed per corpus")
    parser.add_argument(
        "--corpora",
        type=Path,
        help="a folder of corpora made before (c1000/briefings...), copied instead of written",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = {}
    for size in args.sizes.split(","):
        results[size] = measure(prepare(size, OUT, args.corpora), args.edits)
        r = results[size]
        print(
            f"{size:>6}: startup {r['startup_s']} s; save -> reload signal median "
            f"{r['reload_signal_s']['median']} s (min {r['reload_signal_s']['min']}, max "
            f"{r['reload_signal_s']['max']}); save -> page updated median "
            f"{r['page_updated_s']['median']} s (max {r['page_updated_s']['max']}); "
            f"everything done median {r['all_done_s']['median']} s "
            f"(max {r['all_done_s']['max']}); a save while the last one's background work "
            f"runs -> page updated median {r['page_updated_busy_s']['median']} s (max "
            f"{r['page_updated_busy_s']['max']}); load average {r['load_average']}",
            flush=True,
        )
    (OUT / "serve_reload.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
