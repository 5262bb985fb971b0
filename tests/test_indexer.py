"""The pinned Pagefind binary: which package a platform takes, and its checked install.

Installs here run on a fake release (a tarball made in the test, holding a shell script
that answers `--version`), so no test downloads anything; the last test checks that
`make` installed the real pinned release.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
from pathlib import Path
from typing import BinaryIO

import pytest

from generator.publish import search
from generator.publish.search import SearchIndexError, index_site
from tools import pagefind as indexer
from tools.pagefind import BINARY, InstallError, Pin

shell_script = pytest.mark.skipif(BINARY.endswith(".exe"), reason="the fake release is sh")

PACKAGES = (
    "darwin-arm64",
    "darwin-x64",
    "freebsd-x64",
    "linux-arm64",
    "linux-x64",
    "windows-arm64",
    "windows-x64",
)


def release(version: str, *, member: str = f"package/bin/{BINARY}") -> bytes:
    """A Pagefind npm tarball whose binary says `pagefind <version>`."""
    script = f"#!/bin/sh\necho 'pagefind {version}'\n".encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in ((member, script), ("package/package.json", b"{}")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o755
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def pin_for(data: bytes, version: str = "9.9.9") -> Pin:
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    return Pin(version, "@pagefind/linux-x64", f"sha512-{digest}", "https://registry.example/")


class Registry:
    """Serves one tarball and counts the downloads."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.urls: list[str] = []

    def __call__(self, url: str) -> BinaryIO:
        self.urls.append(url)
        return io.BytesIO(self.data)


@pytest.mark.parametrize(
    ("system", "machine", "package"),
    [
        ("linux", "x86_64", "@pagefind/linux-x64"),
        ("linux", "aarch64", "@pagefind/linux-arm64"),
        ("darwin", "arm64", "@pagefind/darwin-arm64"),
        ("darwin", "x86_64", "@pagefind/darwin-x64"),
        ("win32", "AMD64", "@pagefind/windows-x64"),
        ("win32", "ARM64", "@pagefind/windows-arm64"),
        ("freebsd14", "amd64", "@pagefind/freebsd-x64"),
    ],
)
def test_each_platform_takes_its_own_package(system: str, machine: str, package: str) -> None:
    assert indexer.platform_package(system, machine) == package


def test_a_platform_without_a_release_says_so() -> None:
    with pytest.raises(InstallError) as error:
        indexer.platform_package("sunos5", "sparc")
    assert str(error.value) == "Pagefind publishes no binary for this platform (sunos5, sparc)"


@pytest.mark.parametrize("name", PACKAGES)
def test_pyproject_pins_one_release_for_every_platform(name: str) -> None:
    pin = indexer.read_pin(indexer.PYPROJECT, f"@pagefind/{name}")
    linux = indexer.read_pin(indexer.PYPROJECT, "@pagefind/linux-x64")
    assert pin.version == linux.version
    assert pin.integrity.startswith("sha512-") and len(pin.integrity) == len("sha512-") + 88
    assert pin.url == (f"https://registry.npmjs.org/@pagefind/{name}/-/{name}-{pin.version}.tgz")


def test_a_mirror_registry_keeps_the_pinned_hash() -> None:
    pin = indexer.read_pin(indexer.PYPROJECT, "@pagefind/linux-x64", "https://mirror.example/npm/")
    assert pin.url.startswith("https://mirror.example/npm/@pagefind/linux-x64/-/linux-x64-")


@shell_script
def test_install_downloads_checks_and_places_the_binary(tmp_path: Path) -> None:
    data = release("9.9.9")
    registry = Registry(data)
    target = tmp_path / "bin" / BINARY
    assert indexer.install(pin_for(data), target, opener=registry) is True
    assert registry.urls == ["https://registry.example/@pagefind/linux-x64/-/linux-x64-9.9.9.tgz"]
    assert indexer.installed_version(target) == "9.9.9"
    assert sorted(p.name for p in target.parent.iterdir()) == [BINARY]  # no temporary left


@shell_script
def test_the_right_version_installed_is_not_fetched_again(tmp_path: Path) -> None:
    data = release("9.9.9")
    target = tmp_path / BINARY
    indexer.install(pin_for(data), target, opener=Registry(data))
    again = Registry(data)
    assert indexer.install(pin_for(data), target, opener=again) is False
    assert again.urls == []


@shell_script
def test_another_version_installed_is_replaced(tmp_path: Path) -> None:
    old, new = release("1.5.2"), release("9.9.9")
    target = tmp_path / BINARY
    indexer.install(pin_for(old, "1.5.2"), target, opener=Registry(old))
    assert indexer.install(pin_for(new), target, opener=Registry(new)) is True
    assert indexer.installed_version(target) == "9.9.9"


def test_a_tarball_with_another_hash_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    pinned, served = release("9.9.9"), release("6.6.6")
    pin = pin_for(pinned)
    target = tmp_path / BINARY
    with pytest.raises(InstallError) as error:
        indexer.install(pin, target, opener=Registry(served))
    actual = base64.b64encode(hashlib.sha512(served).digest()).decode("ascii")
    assert str(error.value) == (
        f"{pin.url} is not @pagefind/linux-x64 9.9.9: its sha512 is {actual}, "
        f"pyproject.toml pins {pin.integrity.removeprefix('sha512-')}"
    )
    assert list(tmp_path.iterdir()) == []


@shell_script
def test_a_downloaded_tarball_can_be_given_instead(tmp_path: Path) -> None:
    data = release("9.9.9")
    tarball = tmp_path / "linux-x64-9.9.9.tgz"
    tarball.write_bytes(data)

    def offline(url: str) -> BinaryIO:
        raise AssertionError(f"downloaded {url}")

    target = tmp_path / "bin" / BINARY
    assert indexer.install(pin_for(data), target, tarball=tarball, opener=offline) is True
    assert indexer.installed_version(target) == "9.9.9"


def test_a_failed_download_says_how_to_install_by_hand(tmp_path: Path) -> None:
    data = release("9.9.9")

    def unreachable(url: str) -> BinaryIO:
        raise OSError("Network is unreachable")

    with pytest.raises(InstallError) as error:
        indexer.install(pin_for(data), tmp_path / BINARY, opener=unreachable)
    assert str(error.value) == (
        "cannot download Pagefind 9.9.9 from "
        "https://registry.example/@pagefind/linux-x64/-/linux-x64-9.9.9.tgz: "
        "Network is unreachable\n"
        "Fetch that file some other way and run: python -m tools.pagefind --from FILE"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_release_without_the_binary_is_refused(tmp_path: Path) -> None:
    data = release("9.9.9", member="package/bin/something-else")
    with pytest.raises(
        InstallError, match=rf"^@pagefind/linux-x64 9\.9\.9 has no package/bin/{BINARY}$"
    ):
        indexer.install(pin_for(data), tmp_path / BINARY, opener=Registry(data))


def test_the_environment_variable_chooses_another_binary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "mine"))
    assert search.executable() == tmp_path / "mine"


def test_a_build_without_the_binary_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    monkeypatch.setattr(search, "install_dir", lambda: tmp_path / "bin")
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    with pytest.raises(SearchIndexError) as error:
        index_site(tmp_path)
    assert str(error.value) == (
        "cannot index the site for search: the Pagefind binary is missing "
        f"(install it with: {sys.executable} -m tools.pagefind)"
    )


def test_make_installed_the_pinned_release(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    binary = search.executable()
    assert binary is not None, "run `make test`: it installs Pagefind"
    pin = indexer.read_pin(indexer.PYPROJECT, indexer.platform_package())
    assert indexer.installed_version(binary) == pin.version


def test_the_command_reports_a_refused_tarball(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m tools.pagefind --from FILE` with the wrong file: exit 1, and why."""
    pyproject = tmp_path / "pyproject.toml"
    names = "\n".join(f'"{name}" = "sha512-{"A" * 86}=="' for name in PACKAGES)
    pyproject.write_text(
        '[tool.briefing-site.pagefind]\nversion = "9.9.9"\n'
        f'registry = "https://registry.example"\n[tool.briefing-site.pagefind.sha512]\n{names}\n',
        encoding="utf-8",
    )
    tarball = tmp_path / "wrong.tgz"
    tarball.write_bytes(release("9.9.9"))
    monkeypatch.setattr(indexer, "install_dir", lambda: tmp_path / "bin")
    assert indexer.main(["--from", str(tarball), "--pyproject", str(pyproject)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"error: {tarball} is not @pagefind/")
    assert err.endswith(f"pyproject.toml pins {'A' * 86}==\n")
    assert not (tmp_path / "bin").exists()


def test_a_missing_tarball_is_an_install_error(tmp_path: Path) -> None:
    with pytest.raises(InstallError) as error:
        indexer.install(pin_for(b""), tmp_path / BINARY, tarball=tmp_path / "nowhere.tgz")
    assert str(error.value) == f"cannot read {tmp_path / 'nowhere.tgz'}: No such file or directory"


def test_a_download_larger_than_any_release_is_refused(tmp_path: Path) -> None:
    def endless(url: str) -> BinaryIO:
        return io.BytesIO(b"\0" * (indexer.MAX_DOWNLOAD + 1))

    with pytest.raises(InstallError, match=r"is larger than 100 MB: not Pagefind$"):
        indexer.install(pin_for(b""), tmp_path / BINARY, opener=endless)


def test_a_malformed_pin_table_is_an_install_error(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.briefing-site.pagefind]\nversion = "9.9.9"\n', encoding="utf-8")
    with pytest.raises(InstallError, match=r"has no readable \[tool\.briefing-site\.pagefind\]"):
        indexer.read_pin(pyproject, "@pagefind/linux-x64")


def test_a_binary_variable_naming_nothing_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "gone"))
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    with pytest.raises(SearchIndexError) as error:
        index_site(tmp_path)
    assert str(error.value) == (
        f"cannot index the site for search: PAGEFIND_BINARY_PATH names {tmp_path / 'gone'}, "
        "which is not a file"
    )


def test_a_pin_that_is_not_a_sha512_is_an_install_error(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[tool.briefing-site.pagefind]\nversion = "9.9.9"\nregistry = "https://r.example"\n'
        '[tool.briefing-site.pagefind.sha512]\n"linux-x64" = "md5-AAAA"\n',
        encoding="utf-8",
    )
    with pytest.raises(InstallError) as error:
        indexer.read_pin(pyproject, "@pagefind/linux-x64")
    assert str(error.value) == (
        f"{pyproject} pins @pagefind/linux-x64 to 'md5-AAAA', not sha512-<base64>"
    )
