"""Issue 11, item 9: bytes that match the pinned sha512 but are no Pagefind package.

The pin is checked first; what it lets through must still be a gzipped tar holding the
binary as a regular file, or the installer says so (an InstallError, never a traceback).
"""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

import pytest

from tests.test_indexer import PACKAGES, Registry, pin_for, release
from tools import pagefind as indexer
from tools.pagefind import BINARY, InstallError

URL = "https://registry.example/@pagefind/linux-x64/-/linux-x64-9.9.9.tgz"
TAIL = "check the pin in pyproject.toml"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html>not a package</html>", "not a gzip file"),
        (b"", "empty file"),
        (gzip.compress(b"plain text, not a tar archive"), "truncated header"),
        (
            release("9.9.9")[:100],
            "Compressed file ended before the end-of-stream marker was reached",
        ),
    ],
    ids=["not-gzip", "empty", "gzip-not-tar", "truncated"],
)
def test_pinned_bytes_that_are_no_archive_are_an_install_error(
    tmp_path: Path, data: bytes, reason: str
) -> None:
    with pytest.raises(InstallError) as error:
        indexer.install(pin_for(data), tmp_path / BINARY, opener=Registry(data))
    assert str(error.value) == (
        f"{URL} has the sha512 pinned for @pagefind/linux-x64 9.9.9 but is not "
        f"a gzipped tar archive ({reason}): {TAIL}"
    )
    assert list(tmp_path.iterdir()) == []


def test_the_binary_as_a_link_or_folder_is_not_the_binary(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        link = tarfile.TarInfo(f"package/bin/{BINARY}")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        archive.addfile(link)
    data = buffer.getvalue()
    with pytest.raises(InstallError) as error:
        indexer.install(pin_for(data), tmp_path / BINARY, opener=Registry(data))
    assert str(error.value) == f"@pagefind/linux-x64 9.9.9 has no package/bin/{BINARY}"
    assert list(tmp_path.iterdir()) == []


def test_the_command_reports_a_pinned_file_that_is_no_archive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m tools.pagefind --from FILE`: exit 1 and the message, no traceback."""
    data = b"not gzip"
    integrity = pin_for(data).integrity
    pyproject = tmp_path / "pyproject.toml"
    names = "\n".join(f'"{name}" = "{integrity}"' for name in PACKAGES)
    pyproject.write_text(
        '[tool.briefing-site.pagefind]\nversion = "9.9.9"\n'
        f'registry = "https://registry.example"\n[tool.briefing-site.pagefind.sha512]\n{names}\n',
        encoding="utf-8",
    )
    tarball = tmp_path / "pinned.tgz"
    tarball.write_bytes(data)
    monkeypatch.setattr(indexer, "install_dir", lambda: tmp_path / "bin")
    assert indexer.main(["--from", str(tarball), "--pyproject", str(pyproject)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"error: {tarball} has the sha512 pinned for {indexer.platform_package()} 9.9.9 "
        f"but is not a gzipped tar archive (not a gzip file): {TAIL}\n"
    )
    assert not (tmp_path / "bin").exists()
