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
