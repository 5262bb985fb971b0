"""The package's shape: each module imports only from its own layer or below, the page
renderers and the output formats never import each other, and no module rebinds a global
after import (no hidden process state)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# Lowest first. A module may import from its own layer and the layers before it.
# A package's entry covers its modules; `generator` itself (its __init__) only itself.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("generator", "generator.characters", "generator.problems", "generator.addresses"),
    ("generator.siteinfo", "generator.markup"),
    ("generator.data",),
    ("generator.model",),
    ("generator.render", "generator.formats"),
    ("generator.publish",),
    ("generator.editor",),
    ("generator.build",),
    ("generator.preview", "generator.serve"),
    ("generator.mkdocs_hooks", "generator.cli", "generator.__main__"),
)
PEERS_APART = ("generator.render", "generator.formats")


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> tuple[int, str]:
    """The layer of `module` and the entry of LAYERS it belongs to (the longest that fits)."""
    best = (-1, "")
    for index, entries in enumerate(LAYERS):
        for entry in entries:
            fits = module == entry or (entry != "generator" and module.startswith(entry + "."))
            if fits and len(entry) > len(best[1]):
                best = (index, entry)
    return best


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every `generator...` module `path` imports (at any depth: lazy imports count too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            found.append((node.lineno, "a relative import"))
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "generator":
                found += [(node.lineno, f"generator.{alias.name}") for alias in node.names]
            elif node.module.startswith("generator."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("generator")]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_import_runs_up_a_layer(path: Path) -> None:
    module = _module(path)
    mine, my_entry = _layer(module)
    assert mine >= 0, f"{module} is in no layer: add it to LAYERS"
    wrong = []
    for line, imported in _imports(path):
        if imported == "a relative import":
            wrong.append(f"line {line}: import by the absolute name, so the layers can be read")
            continue
        theirs, their_entry = _layer(imported)
        if theirs > mine:
            wrong.append(f"line {line}: {imported} (layer {theirs}) from layer {mine}")
        elif {my_entry, their_entry} == set(PEERS_APART):
            wrong.append(f"line {line}: {imported}: renderers and formats never import each other")
    assert wrong == [], f"{module}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_rebinds_a_global(path: Path) -> None:
    """State a run needs lives on an object that owns it (the MkDocs hooks' one object, which
    MkDocs' hooks API reaches through module functions). What may change after import is
    memoisation only (`functools` caches of pure functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rebinding = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Global)]
    assert rebinding == [], f"`global` at lines {rebinding}: keep state on an object"


def test_every_module_is_in_a_layer() -> None:
    assert [m for m in map(_module, MODULES) if _layer(m)[0] < 0] == []
    assert _layer("generator.newmodule") == (-1, "")  # a new top-level module must be placed
