"""The search indexer: the pinned Pagefind binary, and its installation from the npm registry.

Pagefind 1.6 ranks a word found on thousands of pages several times faster than 1.5 did
(it groups the matching words by page before scoring them, Pagefind pull request #1334):
in Chromium on the 10,000-briefing benchmark site, searching a word on 9,007 of the pages
took 1.1 s in Pagefind 1.5.2 and takes 0.16 s in 1.6.0. PyPI's `pagefind-bin` stops at
1.5.2, so `make` installs the release Pagefind publishes on the npm registry instead: the
package for this platform (`@pagefind/linux-x64`, ...), checked against the sha512 pinned
in pyproject.toml (`[tool.briefing-site.pagefind]`), its one binary copied into the
virtual environment's scripts folder beside `python`. Nothing else of npm is needed.

    python -m tools.pagefind                 # install the pinned release (once)
    python -m tools.pagefind --from FILE     # from a tarball fetched some other way

Building never downloads anything: `executable()` only looks for the installed binary.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import io
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import urllib.request
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from generator.problems import BriefingError
from generator.publish.search import BINARY, install_dir

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
DOWNLOAD_TIMEOUT = 120
MAX_DOWNLOAD = 100 * 1024 * 1024  # a platform's package is about 14 MB
_REGISTRY_VARIABLES = ("npm_config_registry", "NPM_CONFIG_REGISTRY")  # npm's, for a mirror
_PLATFORMS = {"linux": "linux", "darwin": "darwin", "win32": "windows", "freebsd": "freebsd"}
_MACHINES = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}

Opener = Callable[[str], BinaryIO]


class InstallError(BriefingError):
    """The pinned Pagefind could not be installed; the message says what to do."""


@dataclass(frozen=True)
class Pin:
    """One platform's package of the pinned Pagefind release."""

    version: str
    package: str  # "@pagefind/linux-x64"
    integrity: str  # npm's "sha512-<base64>"
    registry: str

    @property
    def url(self) -> str:
        name = self.package.rsplit("/", 1)[1]
        return f"{self.registry.rstrip('/')}/{self.package}/-/{name}-{self.version}.tgz"


def platform_package(system: str | None = None, machine: str | None = None) -> str:
    """Pagefind's npm package for a platform (this one by default): `@pagefind/linux-x64`."""
    system = system or sys.platform
    machine = (machine or platform.machine()).lower()
    os_name = next((name for key, name in _PLATFORMS.items() if system.startswith(key)), None)
    cpu = _MACHINES.get(machine)
    if os_name is None or cpu is None:
        raise InstallError(f"Pagefind publishes no binary for this platform ({system}, {machine})")
    return f"@pagefind/{os_name}-{cpu}"


def read_pin(pyproject: Path, package: str, registry: str | None = None) -> Pin:
    """The pinned release of `package`, from `[tool.briefing-site.pagefind]` in pyproject.toml."""
    try:
        table = tomllib.loads(pyproject.read_text("utf-8"))["tool"]["briefing-site"]["pagefind"]
        integrity = table["sha512"].get(package.rsplit("/", 1)[1])
        version, default_registry = table["version"], table["registry"]
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError) as error:
        raise InstallError(
            f"{pyproject} has no readable [tool.briefing-site.pagefind] table ({error!r})"
        ) from error
    if integrity is None:
        raise InstallError(f"{pyproject} pins no sha512 for {package}")
    if not isinstance(integrity, str) or not integrity.startswith("sha512-"):
        raise InstallError(f"{pyproject} pins {package} to {integrity!r}, not sha512-<base64>")
    return Pin(version, package, integrity, registry or default_registry)


def installed_version(binary: Path) -> str | None:
    """What `binary --version` says ("1.6.0"), or None when it does not run."""
    try:
        result = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    words = result.stdout.split()
    return words[-1] if result.returncode == 0 and words else None


def install(
    pin: Pin, target: Path, *, tarball: Path | None = None, opener: Opener | None = None
) -> bool:
    """Put the pinned binary at `target`; False when it is there already (nothing fetched).

    The tarball comes from `tarball` or is downloaded from the registry; either way its
    sha512 must be the pinned one. The binary is written beside `target` and renamed onto
    it, so an interrupted install leaves no half-written program.
    """
    if installed_version(target) == pin.version:
        return False
    data = _read(tarball) if tarball else _download(pin, opener or _open)
    _verify(data, pin, source=str(tarball) if tarball else pin.url)
    binary = _extract(data, pin, source=str(tarball) if tarball else pin.url)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_executable(target, binary)
    except OSError as error:
        raise InstallError(f"cannot write Pagefind to {target}: {error}") from error
    return True


def _write_executable(target: Path, binary: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".pagefind-", delete=False) as out:
        temporary = Path(out.name)
        try:
            out.write(binary)
            out.close()
            temporary.chmod(0o755)
            temporary.replace(target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise


def _read(tarball: Path) -> bytes:
    try:
        return tarball.read_bytes()
    except OSError as error:
        raise InstallError(f"cannot read {tarball}: {error.strerror or error}") from error


def _open(url: str) -> BinaryIO:
    response: BinaryIO = urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT)
    return response


def _download(pin: Pin, opener: Opener) -> bytes:
    try:
        with opener(pin.url) as response:
            data = response.read(MAX_DOWNLOAD + 1)
    except (OSError, ValueError, http.client.HTTPException) as error:  # URLError: an OSError
        raise InstallError(
            f"cannot download Pagefind {pin.version} from {pin.url}: {error}\n"
            f"Fetch that file some other way and run: python -m tools.pagefind --from FILE"
        ) from error
    if len(data) > MAX_DOWNLOAD:
        raise InstallError(f"{pin.url} is larger than {MAX_DOWNLOAD // 2**20} MB: not Pagefind")
    return data


def _verify(data: bytes, pin: Pin, *, source: str) -> None:
    algorithm, _, expected = pin.integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
    if actual != expected:
        raise InstallError(
            f"{source} is not {pin.package} {pin.version}: its {algorithm} is {actual}, "
            f"pyproject.toml pins {expected}"
        )


def _extract(data: bytes, pin: Pin, *, source: str) -> bytes:
    """The binary in the package: a regular file member, read from a valid gzipped tar.

    The bytes match the pin, but the pin is only as good as whoever wrote it: bytes that
    are no gzipped tar (or a truncated one) are an install error, not a traceback.
    """
    member = f"package/bin/{BINARY}"
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            try:
                info = archive.getmember(member)
            except KeyError:
                info = None
            found = archive.extractfile(info) if info is not None and info.isfile() else None
            if found is None:
                raise InstallError(f"{pin.package} {pin.version} has no {member}")
            return found.read()
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:  # BadGzipFile: OSError
        raise InstallError(
            f"{source} has the sha512 pinned for {pin.package} {pin.version} but is not "
            f"a gzipped tar archive ({error}): check the pin in pyproject.toml"
        ) from error


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.pagefind",
        description="Install the pinned Pagefind search indexer into this Python's scripts.",
    )
    parser.add_argument("--from", dest="tarball", type=Path, help="a downloaded .tgz to use")
    parser.add_argument("--pyproject", type=Path, default=PYPROJECT, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    registry = next(
        (os.environ[name] for name in _REGISTRY_VARIABLES if os.environ.get(name)), None
    )
    target = install_dir() / BINARY
    try:
        pin = read_pin(options.pyproject, platform_package(), registry)
        fetched = install(pin, target, tarball=options.tarball)
    except InstallError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if fetched:
        print(f"Installed Pagefind {pin.version} ({pin.package}) at {target}")
    else:
        print(f"Pagefind {pin.version} is installed at {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
