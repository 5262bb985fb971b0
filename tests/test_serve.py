"""`serve` for real: the CLI in a subprocess, pages fetched over HTTP from 127.0.0.1, YAML
files edited, broken, fixed, added and deleted while it runs."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.publish.search import ENVIRONMENT, STATUS_FILE, PreviewIndex, executable
from tests.conftest import ROOT, make_project

WAIT = 90.0  # seconds: a rebuild of the real data takes a few on a loaded machine
NEW_ACTOR = "name: Testland\nkind: state\nsummary: A state made up by the serve test.\n"


@dataclass
class Server:
    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, timeout: float = 20.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


def _until(what: str, check: Callable[[], bool], server: Server) -> float:
    """Poll `check` until it holds; the seconds it took. Fails with the server's output."""
    start = time.monotonic()
    while time.monotonic() - start < WAIT:
        try:
            if check():
                return time.monotonic() - start
        except OSError:
            pass
        assert server.process.poll() is None, f"the server stopped:\n{server.output()}"
        time.sleep(0.1)
    pytest.fail(f"{what} did not happen in {WAIT:.0f} s; the server said:\n{server.output()}")


@contextmanager
def serving(
    project: Path, log: Path, env: dict[str, str] | None = None, builder: str = "mkdocs"
) -> Iterator[Server]:
    """`serve` of `project` on a free port, its output in `log`, until the first page shows."""
    port = _free_port()
    with log.open("wb") as stream:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "generator",
                "--root",
                str(project),
                "serve",
                "--port",
                str(port),
                "--builder",
                builder,
            ],
            stdout=stream,
            stderr=subprocess.STDOUT,
            env=env,
        )
    running = Server(f"http://127.0.0.1:{port}", log, process)
    try:
        _until("the first page", lambda: _get(running.url + "/actors/japan/")[0] == 200, running)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with serving(make_project(tmp_path / "project"), tmp_path / "serve.log") as running:
        yield running


def slow_pagefind(folder: Path, seconds: float) -> dict[str, str]:
    """An environment whose Pagefind waits `seconds` before indexing, so that a test sees
    the index being made (serve takes the binary from $PAGEFIND_BINARY_PATH)."""
    real = executable()
    assert real is not None, "Pagefind is not installed"
    wrapper = folder / "slow-pagefind"
    wrapper.write_text(f'#!/bin/sh\nsleep {seconds}\nexec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return {**os.environ, ENVIRONMENT: str(wrapper)}


def search_state(server: Server) -> str:
    status, text = _get(server.url + "/pagefind-status.json")
    return str(json.loads(text)["state"]) if status == 200 else f"HTTP {status}"


def _page(server: Server, path: str) -> str:
    return _get(server.url + path)[1]


@pytest.mark.slow
def test_edit_break_fix_add_delete(server: Server, tmp_path: Path) -> None:
    actors = tmp_path / "project" / "briefings" / "actors"
    japan = actors / "japan.yaml"
    original = japan.read_text(encoding="utf-8")

    japan.write_text(original.replace("name: Japan", "name: Japan Edited"), encoding="utf-8")
    _until("the edit", lambda: "Japan Edited" in _page(server, "/actors/japan/"), server)

    broken = original.replace("name: Japan", "name: Japan Broken").replace(
        "kind: state", "kind: statee"
    )
    japan.write_text(broken, encoding="utf-8")
    error = (
        "briefings/actors/japan.yaml:2:7: error: unknown kind `statee`; did you mean "
        "`state`? (expected one of: person, state, organisation, military, media, "
        "alliance, group)"
    )
    _until("the error report", lambda: error in server.output(), server)
    _until(
        "the message",
        lambda: "1 error in the data: still showing the last good pages" in server.output(),
        server,
    )
    # The server answers at once, with the last good page.
    status, page = _get(server.url + "/actors/japan/", timeout=10)
    assert status == 200 and "Japan Edited" in page and "Japan Broken" not in page

    japan.write_text(original.replace("name: Japan", "name: Japan Fixed"), encoding="utf-8")
    _until("the recovery", lambda: "Japan Fixed" in _page(server, "/actors/japan/"), server)

    (actors / "testland.yaml").write_text(NEW_ACTOR, encoding="utf-8")
    _until("the new page", lambda: "Testland" in _page(server, "/actors/testland/"), server)
    _until("the actor list", lambda: "Testland" in _page(server, "/actors/"), server)

    (actors / "testland.yaml").unlink()
    _until("the removal", lambda: _get(server.url + "/actors/testland/")[0] == 404, server)
    assert server.process.poll() is None
    assert "Traceback" not in server.output()
    assert "dirty" not in server.output()


def test_a_broken_file_at_start_is_reported_and_nothing_is_served(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    (project / "briefings" / "actors" / "japan.yaml").write_text(
        "name: Japan\nkind: state\n", encoding="utf-8"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "--root",
            str(project),
            "serve",
            "--port",
            str(_free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "briefings/actors/japan.yaml:1:1: error: missing required field `summary`\n"
        "1 error in the data; nothing was written.\n"
    )


@pytest.mark.slow
def test_the_page_shows_first_and_search_is_indexed_in_the_background(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    with serving(project, tmp_path / "serve.log", slow_pagefind(tmp_path, 4)) as server:
        page = _page(server, "/actors/japan/")
        assert "pagefind-status.json" in page  # the preview's script
        _until("the first index", lambda: search_state(server) == "ready", server)
        assert _get(server.url + "/pagefind/pagefind-entry.json")[0] == 200

        japan = project / "briefings" / "actors" / "japan.yaml"
        original = japan.read_text(encoding="utf-8")
        japan.write_text(original.replace("name: Japan", "name: Nippon"), encoding="utf-8")
        # The page shows the edit while Pagefind still waits: the index comes after it.
        _until("the edit", lambda: "Nippon" in _page(server, "/actors/japan/"), server)
        assert search_state(server) == "updating"
        # The last index stays served, whole, while the next one is made.
        assert _get(server.url + "/pagefind/pagefind-entry.json")[0] == 200
        _until("the new index", lambda: search_state(server) == "ready", server)
        assert _get(server.url + "/pagefind/pagefind-entry.json")[0] == 200
    assert "Traceback" not in server.output()


@pytest.mark.slow
def test_a_burst_of_saves_ends_with_the_last(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    with serving(project, tmp_path / "serve.log", slow_pagefind(tmp_path, 2)) as server:
        japan = project / "briefings" / "actors" / "japan.yaml"
        original = japan.read_text(encoding="utf-8")
        for n in range(5):
            japan.write_text(original.replace("name: Japan", f"name: Japan {n}"), "utf-8")
            time.sleep(0.15 * (n % 3))  # some saves land during a rebuild, some before it
        # The last one as editors that save atomically do: a new file renamed over the old.
        saved = japan.with_name(".japan.yaml.swp")
        saved.write_text(original.replace("name: Japan", "name: Japan 5"), "utf-8")
        saved.replace(japan)
        _until("the last save", lambda: "Japan 5" in _page(server, "/actors/japan/"), server)
        _until("the index", lambda: search_state(server) == "ready", server)
        # Nothing older comes back once every rebuild and index run is over.
        time.sleep(2)
        assert "Japan 5" in _page(server, "/actors/japan/")
        assert search_state(server) == "ready"
        entry = json.loads(_get(server.url + "/pagefind/pagefind-entry.json")[1])
        assert entry["languages"]
    assert "Traceback" not in server.output()


def _tiny_site(folder: Path) -> Path:
    folder.mkdir()
    (folder / "index.html").write_text(
        "<html><body><main data-pagefind-body><h1>Tiny</h1><p>Quetzal words.</p></main>"
        "</body></html>",
        encoding="utf-8",
    )
    return folder


def test_a_failed_preview_index_is_reported_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _tiny_site(tmp_path / "site")
    failing = tmp_path / "failing-pagefind"
    failing.write_text("#!/bin/sh\necho broken index >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setenv(ENVIRONMENT, str(failing))
    PreviewIndex().start(site).join(WAIT)
    assert json.loads((site / STATUS_FILE).read_text("utf-8")) == {"state": "failed"}
    assert capsys.readouterr().err == (
        "error: Pagefind failed to index the site (exit status 3):\nbroken index\n"
    )
    assert not (site / "pagefind").exists()


def test_a_newer_preview_index_supersedes_the_one_in_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _tiny_site(tmp_path / "site")
    monkeypatch.setenv(ENVIRONMENT, slow_pagefind(tmp_path, 2)[ENVIRONMENT])
    index = PreviewIndex()
    first = index.start(site)
    time.sleep(0.5)
    second = index.start(site)
    first.join(WAIT)
    assert json.loads((site / STATUS_FILE).read_text("utf-8")) == {"state": "updating"}
    second.join(WAIT)
    assert json.loads((site / STATUS_FILE).read_text("utf-8")) == {"state": "ready"}
    link = site / "pagefind"
    assert link.is_symlink() and (link / "pagefind-entry.json").is_file()
    # Only the last run's bundle is there: the cancelled one left nothing behind.
    assert sorted(p.name for p in site.glob(".pagefind-*")) == [link.resolve().name]


def _epoch(page: str) -> int:
    """The site version a page was served at (the livereload script carries it)."""
    match = re.search(r"livereload\((\d+),", page)
    assert match is not None, "the page carries no livereload script"
    return int(match.group(1))


def _replace(file: Path, text: str) -> None:
    """Save as many editors do: write a new file beside it and rename it over the old."""
    new = file.with_name(f".{file.name}.swp")
    new.write_text(text, encoding="utf-8")
    new.replace(file)


@pytest.mark.slow
def test_saves_by_rename_are_seen_and_reading_starts_no_rebuild(tmp_path: Path) -> None:
    """The watcher sees a file renamed over a data file and
    over mkdocs.yml, each time; the files the preview reads to rebuild start no rebuild."""
    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text("utf-8"), encoding="utf-8")
    for name in ("overrides", "generator"):  # what mkdocs.yml names, beside it
        (project / name).symlink_to(ROOT / name)
    japan = project / "briefings" / "actors" / "japan.yaml"
    original = japan.read_text(encoding="utf-8")
    with serving(project, tmp_path / "serve.log") as server:
        for n in (1, 2):
            _replace(japan, original.replace("name: Japan", f"name: Japan Renamed {n}"))
            shown = f"Renamed {n}"
            _until(shown, lambda t=shown: t in _page(server, "/actors/japan/"), server)
        for name in ("Briefs One", "Briefs Two"):
            _replace(
                config,
                config.read_text("utf-8").replace("\nsite_name: ", f"\nsite_name: {name} #", 1),
            )
            _until(name, lambda t=name: t in _page(server, "/actors/japan/"), server)
        _until("the search index", lambda: search_state(server) == "ready", server)
        epoch = _epoch(_page(server, "/actors/japan/"))
        time.sleep(3)  # a rebuild that its own reads started would have come by now
        assert _epoch(_page(server, "/actors/japan/")) == epoch
    assert "Traceback" not in server.output()


def test_the_background_rests_after_each_stretch_of_work(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import serve as serve_module

    clock = [100.0]
    slept: list[float] = []
    monkeypatch.setattr(serve_module.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(serve_module.time, "sleep", slept.append)
    pace = serve_module._Pace()
    for step in (0.005, 0.01, 0.004):  # 19 ms of work: no rest yet
        clock[0] += step
        pace()
    assert slept == []
    clock[0] += 0.002
    pace()
    assert slept == [serve_module._Pace.REST]
    clock[0] += 0.019  # the stretch starts again after the rest
    pace()
    assert slept == [serve_module._Pace.REST]
    clock[0] += 0.0015
    pace()
    assert slept == [serve_module._Pace.REST] * 2


@pytest.mark.slow
def test_the_preview_keeps_to_its_own_folder_and_address_and_follows_the_overrides(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "project")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary)}
    with serving(project, tmp_path / "serve.log", env) as server:
        # Its pages are its own: a `build` beside it reads build/docs, which it never writes.
        assert not (project / "build" / "docs").exists()
        # Every address it makes is its own, the machine formats' too (not site_url's).
        api = _page(server, "/api/index.json")
        assert f'"{server.url}/api/briefings.json"' in api, api[:300]
        feed = _page(server, "/feeds/all.xml")
        assert f"{server.url}/briefings/" in feed
        # A change to the theme's overrides is followed, like one to mkdocs.yml.
        main = project / "overrides" / "main.html"
        main.write_text(
            main.read_text(encoding="utf-8").replace("(Atom)", "(Atom feed)"), encoding="utf-8"
        )
        _until("the new template", lambda: "(Atom feed)" in _page(server, "/actors/japan/"), server)
        japan = project / "briefings" / "actors" / "japan.yaml"
        japan.write_text(
            japan.read_text(encoding="utf-8").replace("name: Japan", "name: Nippon"), "utf-8"
        )
        _until("the edit", lambda: "Nippon" in _page(server, "/actors/japan/"), server)
        assert "(Atom feed)" in _page(server, "/actors/japan/")
        assert not (project / "build" / "docs").exists()
    # Stopped by SIGTERM (`terminate`), as by Ctrl+C: its temporary folder is gone.
    assert server.process.returncode == 0, server.output()
    assert list(temporary.iterdir()) == []
    assert "Traceback" not in server.output()


@pytest.mark.slow
def test_zensicals_preview_keeps_to_its_own_folder(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    with serving(project, tmp_path / "serve.log", builder="zensical") as server:
        assert "Japan" in _page(server, "/actors/japan/")
        assert (project / "build" / "preview" / "docs" / "actors" / "japan.md").is_file()
        assert not (project / "build" / "docs").exists()
