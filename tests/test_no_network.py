"""The build needs no network.

Two proofs, each with the real `python -m generator build` in a child process:

1. A `sitecustomize` that makes every Python socket refuse to connect or resolve a name
   anywhere but loopback, and records each attempt: the build succeeds and attempted
   nothing.
2. Where this machine allows it (root, as on CI), the build runs inside `unshare --net`:
   a new network namespace with no interface but a loopback that is down, so nothing in
   the process tree (Python, MkDocs, the Pagefind binary) can reach anything.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT, make_project, run_cli

GUARD = """
import json, os, socket

_LOG = os.environ["NO_NETWORK_LOG"]
_LOCAL = ("127.", "::1", "localhost", "0.0.0.0")


def _record(what, address):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps([what, repr(address)]) + "\\n")


def _is_local(address):
    if isinstance(address, tuple) and address:
        address = address[0]
    if isinstance(address, (bytes, str)) and not isinstance(address, str):
        address = address.decode()
    return isinstance(address, str) and (address.startswith(_LOCAL) or address == "")


def _guard(name, method):
    def guarded(self, address, *args, **kwargs):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
            _record(name, address)
            raise OSError(f"no network during the build: {name} {address!r}")
        return method(self, address, *args, **kwargs)
    return guarded


socket.socket.connect = _guard("connect", socket.socket.connect)
socket.socket.connect_ex = _guard("connect_ex", socket.socket.connect_ex)
socket.socket.sendto = _guard("sendto", socket.socket.sendto)
_getaddrinfo = socket.getaddrinfo


def getaddrinfo(host, *args, **kwargs):
    if not _is_local(host if host is not None else ""):
        _record("getaddrinfo", host)
        raise socket.gaierror(f"no network during the build: resolving {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = getaddrinfo
"""

# Exercises the guard itself, so that a guard that lets everything through fails the test.
# It runs inside `unshare --net`, so that even a broken guard sends nothing anywhere.
PROBE = """
import socket, urllib.request
for attempt in (
    lambda: socket.socket().connect(("192.0.2.1", 80)),
    lambda: socket.create_connection(("192.0.2.1", 443), timeout=1),
    lambda: urllib.request.urlopen("http://example.org/", timeout=1),
):
    try:
        attempt()
    except OSError as error:
        print("refused:", error)
"""


@pytest.fixture
def guarded_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(textwrap.dedent(GUARD), encoding="utf-8")
    log = tmp_path / "network.log"
    log.touch()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(hook), str(ROOT)]),
        "NO_NETWORK_LOG": str(log),
    }
    return env, log


@pytest.mark.slow
def test_the_build_makes_no_connection(
    guarded_env: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, log = guarded_env
    project = make_project(tmp_path / "p")
    result = run_cli("--root", project, "build", env=env)
    assert result.code == 0, result.stderr
    assert log.read_text(encoding="utf-8") == ""
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / "pagefind" / "pagefind-entry.json").is_file()


def _can_unshare() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    probe = subprocess.run([unshare, "--net", "true"], capture_output=True, timeout=30, check=False)
    return probe.returncode == 0


OFFLINE = pytest.mark.skipif(
    not _can_unshare(), reason="`unshare --net` needs root (or user namespaces); CI runs as root"
)


@OFFLINE
def test_the_guard_refuses_and_records_connections(
    guarded_env: tuple[dict[str, str], Path],
) -> None:
    env, log = guarded_env
    result = subprocess.run(
        ["unshare", "--net", sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.count("no network during the build") == 3, result
    assert len(log.read_text(encoding="utf-8").splitlines()) == 3


@pytest.mark.slow
@OFFLINE
def test_the_build_works_without_any_network_interface(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    no_route = subprocess.run(
        [
            "unshare",
            "--net",
            sys.executable,
            "-c",
            "import socket; print(socket.socket().connect_ex(('192.0.2.1', 80)))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert no_route.stdout.strip() not in ("", "0"), no_route  # the namespace is offline
    result = subprocess.run(
        ["unshare", "--net", sys.executable, "-m", "generator", "--root", str(project), "build"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / "pagefind" / "pagefind-entry.json").is_file()
