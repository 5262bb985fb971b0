"""The command line and its documentation in step (as sqlite-utils' test_docs.py keeps
them): every command, option and choice of `python -m generator` appears in the README's
"Command line" section and in the editor's guide's "Commands" section."""

from __future__ import annotations

import argparse
import itertools
import re

import pytest

from generator.cli import _parser
from tests.conftest import ROOT, run_cli


def _section(path: str, heading: str) -> str:
    text = (ROOT / path).read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + len(heading) + 2)
    return text[start : end if end != -1 else None]


README = _section("README.md", "## Command line")
GUIDE = _section("docs/guide/index.md", "## Commands")
DOCS = {"README.md": README, "docs/guide/index.md": GUIDE}


def _commands() -> dict[str, argparse.ArgumentParser]:
    actions = _parser()._subparsers._group_actions  # type: ignore[union-attr]
    [subparsers] = [a for a in actions if isinstance(a, argparse._SubParsersAction)]
    return dict(subparsers.choices)


def _words(parser: argparse.ArgumentParser) -> list[str]:
    """Every option string (but help) and every choice of one parser."""
    words = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        words += [s for s in action.option_strings if s.startswith("--")]
        words += [str(choice) for choice in action.choices or ()]
    return words


COMMANDS = _commands()


def test_the_commands_are_the_documented_ones() -> None:
    assert sorted(COMMANDS) == ["build", "diff", "new", "schema", "serve", "validate"]


@pytest.mark.parametrize("doc", sorted(DOCS))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_documented(doc: str, command: str) -> None:
    assert f"`{command}" in DOCS[doc] or f"generator {command}" in DOCS[doc]


@pytest.mark.parametrize("doc", sorted(DOCS))
@pytest.mark.parametrize(
    ("command", "word"),
    [(name, word) for name, parser in sorted(COMMANDS.items()) for word in _words(parser)],
)
def test_every_option_and_choice_is_documented(doc: str, command: str, word: str) -> None:
    assert word in DOCS[doc], f"`{command} {word}` is not in {doc}"


@pytest.mark.parametrize("doc", sorted(DOCS))
def test_the_global_options_are_documented(doc: str) -> None:
    for word in _words(_parser()):
        assert word in DOCS[doc]


def test_help_lists_every_command() -> None:
    result = run_cli("--help")
    assert result.code == 0
    for command in COMMANDS:
        assert f"    {command} " in result.stdout


def _explained_messages() -> list[str]:
    """The messages the guide's "Errors" section explains (its definition terms), with each
    quoted value and number made generic."""
    text = (ROOT / "docs/guide/index.md").read_text(encoding="utf-8")
    lines = text[text.index("## Errors") : text.index("## Reviews")].splitlines()
    terms = [line for line, after in itertools.pairwise(lines) if after.startswith(":   ")]
    spans = [
        m.group(1) or m.group(2)
        for term in terms
        for m in re.finditer(r"`` (.+?) ``|`([^`]+)`", term)
    ]
    return [_generic(span).split("...")[0].rstrip(" .") for span in spans]


def _generic(message: str) -> str:
    message = re.sub(r"briefings/[\w/.-]+", "PATH", re.sub(r"`[^`]*`", "`X`", message))
    return re.sub(r"\d[\d,]*", "N", message)


def test_every_error_message_is_explained_in_the_guide() -> None:
    """Each message of the folder of bad files (tests/fixtures/bad/expected.txt) has its
    entry under "Errors" in the editor's guide."""
    explained = _explained_messages()
    expected = (ROOT / "tests/fixtures/bad/expected.txt").read_text(encoding="utf-8")
    for line in expected.splitlines()[:-1]:
        message = _generic(line.split(": error: ", 1)[1])
        assert any(message.startswith(k) or k.startswith(message) for k in explained), message
