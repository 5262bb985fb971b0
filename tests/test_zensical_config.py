"""The configuration Zensical builds from, derived from mkdocs.yml (publish/zensical.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.problems import BuildError
from generator.publish.zensical import derived_config


def _derived(tmp_path: Path, text: str) -> dict[str, object]:
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    (tmp_path / "build" / "docs").mkdir(parents=True)
    derived = derived_config(config, tmp_path / "build" / "docs")
    loaded = yaml.safe_load(derived.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.mark.parametrize(
    ("plugins", "expected"),
    [
        ("plugins: []\n", [{"search": {"enabled": False}}]),
        ("plugins:\n  - tags\n", [{"search": {"enabled": False}}, "tags"]),
        ("", [{"search": {"enabled": False}}]),
    ],
)
def test_zensicals_own_search_index_is_turned_off(
    tmp_path: Path, plugins: str, expected: list[object]
) -> None:
    derived = _derived(tmp_path, f"site_name: S\n{plugins}hooks:\n  - x.py\ndocs_dir: docs\n")
    assert derived["plugins"] == expected
    assert "hooks" not in derived
    assert derived["docs_dir"] == "docs"


def test_plugins_in_flow_style_are_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match=r"write mkdocs\.yml's plugins as a block list"):
        _derived(tmp_path, "site_name: S\nplugins: [tags]\n")


def test_any_failure_of_zensical_is_a_build_error_and_a_leftover_is_cleared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Zensical's core raises RuntimeError, OSError and others: each is "Zensical failed",
    never a traceback. A file left where it builds (`build/site`) is cleared first."""
    from generator.publish import zensical

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Test\n", encoding="utf-8")
    docs = tmp_path / "build" / "docs"
    docs.mkdir(parents=True)
    (tmp_path / "build" / "site").write_text("left over\n", encoding="utf-8")
    raised: list[str] = []

    class Failing:
        @staticmethod
        def build(config_file: str, options: dict[str, object]) -> None:
            raised.append(config_file)
            assert not (tmp_path / "build" / "site").exists()
            raise OSError("File exists (os error 17)")

    monkeypatch.setattr(zensical, "_zensical", lambda: Failing)
    target = tmp_path / "new-site"
    target.mkdir()
    with pytest.raises(BuildError, match=r"^Zensical failed: File exists \(os error 17\)$"):
        zensical.build_site(config, docs, target, strict=True)
    assert raised
