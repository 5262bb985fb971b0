"""Output formats. Pure: each function returns the text to print.

Validation results as plain text, as GitHub workflow commands (annotations on the lines
of a pull request) or as one JSON document; data diffs as plain text or Markdown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.characters import shown
from generator.problems import WARNING, Problem
from generator.render.text import plural

if TYPE_CHECKING:  # only for the diff's formats: `validate` need not import the diff's code
    from generator.editor.changes import Change
    from generator.editor.diff import DataDiff, EntityChange, PageChanges

VALIDATE_FORMATS = ("text", "github", "json")
DIFF_FORMATS = ("text", "markdown")
ANNOTATION_TITLE = "Briefing data"
JSON_VERSION = 1


@dataclass(frozen=True)
class Validation:
    """The outcome of `validate`: every problem (errors and warnings), and the counts of a
    valid corpus (one without errors)."""

    problems: tuple[Problem, ...] = ()
    briefings: int | None = None
    actors: int | None = None

    @property
    def errors(self) -> int:
        return sum(p.severity != WARNING for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    @property
    def valid(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        warnings = f", {plural(self.warnings, 'warning')}" if self.warnings else ""
        if self.valid:
            return (
                f"{plural(self.briefings or 0, 'briefing')} and "
                f"{plural(self.actors or 0, 'actor')}: no errors{warnings}."
            )
        return f"{plural(self.errors, 'error')}{warnings} in the data; nothing was written."


def validation_output(result: Validation, fmt: str) -> tuple[str, str]:
    """(stdout, stderr) of `validate --format fmt`."""
    if fmt == "json":
        return validation_json(result), ""
    if fmt == "github":
        annotations = "".join(annotation(p) + "\n" for p in result.problems)
        if result.valid:
            return annotations + result.summary() + "\n", ""
        return annotations, result.summary() + "\n"
    problems = "".join(f"{p}\n" for p in result.problems)
    if result.valid:
        return result.summary() + "\n", problems
    return "", problems + result.summary() + "\n"


def annotation(problem: Problem, title: str = ANNOTATION_TITLE) -> str:
    """A GitHub Actions `::error` (or `::warning`) workflow command: the problem shown on its
    line."""
    properties = {
        "file": problem.path,
        "line": str(problem.line),
        "col": str(problem.column),
        "title": title,
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{problem.severity} {joined}::{escape_data(problem.message)}"


def escape_data(text: str) -> str:
    """The message of a workflow command, escaped as GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value of a workflow command: also `:` and `,`, which delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def validation_json(result: Validation) -> str:
    """One JSON document with every problem; the same keys whatever the outcome."""
    document = {
        "version": JSON_VERSION,
        "valid": result.valid,
        "error_count": result.errors,
        "warning_count": result.warnings,
        "briefings": result.briefings,
        "actors": result.actors,
        "problems": [problem_json(p) for p in result.problems],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def problem_json(problem: Problem) -> dict[str, str | int]:
    return {
        "path": problem.path,
        "line": problem.line,
        "column": problem.column,
        "severity": problem.severity,
        "message": problem.message,
        "text": str(problem),
    }


# --- data diffs -------------------------------------------------------------------------

SECTIONS = {"article": "Briefings", "actor": "Actors"}
STATUSES = ("added", "removed", "renamed", "changed")
MANY_PAGES = 20  # longer page lists fold away in Markdown


def diff_output(diff: DataDiff, fmt: str) -> str:
    return diff_markdown(diff) if fmt == "markdown" else diff_text(diff)


def counts(items: list[EntityChange]) -> str:
    found = [f"{sum(e.status == s for e in items)} {s}" for s in STATUSES]
    return ", ".join(part for part in found if not part.startswith("0 ")) or "no changes"


def page_counts(pages: PageChanges) -> str:
    found = [
        (len(pages.added), "added"),
        (len(pages.removed), "removed"),
        (len(pages.changed), "changed"),
    ]
    return ", ".join(f"{n} {what}" for n, what in found if n) or "no changes"


def _invalid_sides(diff: DataDiff) -> list[tuple[str, str, int]]:
    sides = (("BASE", diff.base, diff.base_errors), ("HEAD", diff.head, diff.head_errors))
    return [side for side in sides if side[2]]


def change_text(
    change: Change, value: Callable[[str], str], arrow: str, name: Callable[[str], str]
) -> str:
    field = name(change.field)
    if change.action == "added":
        return f"{field}: added {value(change.new)}"
    if change.action == "removed":
        return f"{field}: removed {value(change.old)}"
    if change.action == "reordered":
        return f"{field}: reordered"
    if change.action == "re-dated":
        return (
            f"{field}: re-dated {value(change.subject)}: {value(change.old)} {arrow} "
            f"{value(change.new)}"
        )
    return f"{field}: {value(change.old)} {arrow} {value(change.new)}"


def diff_text(diff: DataDiff) -> str:
    """For a terminal."""
    lines = [f"Data changes from {diff.base} to {diff.head}"]
    lines += [
        f"{side} ({label}) does not validate: {plural(errors, 'data error')}"
        for side, label, errors in _invalid_sides(diff)
    ]
    for kind, title in SECTIONS.items():
        items = diff.of_kind(kind)
        lines += ["", f"{title}: {counts(items)}"]
        for entity in items:
            ids = f"{entity.old_id} -> {entity.id}" if entity.old_id else entity.id
            name = f": {shown(json.dumps(entity.name, ensure_ascii=False))}" if entity.name else ""
            lines.append(f"  {entity.status:<8} {ids}{name} ({entity.path})")
            lines += ["           " + change_text(c, shown, "->", shown) for c in entity.changes]
    if diff.dangling:
        lines += ["", f"References that now dangle: {len(diff.dangling)}"]
        lines += [f"  {problem}" for problem in diff.dangling]
    if diff.unreadable:
        lines += ["", f"Files that cannot be read at HEAD: {len(diff.unreadable)}"]
        lines += [f"  {problem}" for problem in diff.unreadable]
    lines.append("")
    if diff.pages is None:
        lines.append("Site pages: not compared (the data does not validate on both sides)")
    else:
        lines.append(f"Site pages: {page_counts(diff.pages)}")
        for what, urls in (
            ("added", diff.pages.added),
            ("removed", diff.pages.removed),
            ("changed", diff.pages.changed),
        ):
            lines += [f"  {what:<8} {url}" for url in urls]
    return "\n".join(lines) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|~!])")


def md(text: str) -> str:
    """Text shown as itself in GitHub Markdown, on one line, what cannot be seen escaped (a
    line break or a right-to-left override in a title cannot change the summary's layout)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", shown(text).replace("&", "&amp;"))


def code(text: str) -> str:
    """A code span holding `text`, whatever backticks it contains."""
    text = shown(text)
    fence = "`" * (max((len(m) for m in re.findall("`+", text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def diff_markdown(diff: DataDiff) -> str:
    """For a pull request's job summary."""
    lines = ["## Data changes", "", f"{md(diff.base)} → {md(diff.head)}", ""]
    lines += [
        f"> [!WARNING]\n> {side} ({md(label)}) does not validate: "
        f"{plural(errors, 'data error')}; run `python -m generator validate` there.\n"
        for side, label, errors in _invalid_sides(diff)
    ]
    rows = [f"| {SECTIONS[kind]} | {counts(diff.of_kind(kind))} |" for kind in SECTIONS]
    pages = "not compared" if diff.pages is None else page_counts(diff.pages)
    rows.append(f"| Site pages | {pages} |")
    if diff.dangling:
        rows.append(f"| References that now dangle | {len(diff.dangling)} |")
    lines += ["| | |", "|---|---|", *rows]
    for kind, title in SECTIONS.items():
        items = diff.of_kind(kind)
        if items:
            lines += ["", f"### {title}", ""]
            lines += [line for entity in items for line in _entity_markdown(entity)]
    for title, problems in (
        ("References that now dangle", diff.dangling),
        ("Files that cannot be read at HEAD", diff.unreadable),
    ):
        if problems:
            lines += ["", f"### {title}", ""]
            lines += [
                f"- {code(f'{p.path}:{p.line}:{p.column}')}: {md(p.message)}" for p in problems
            ]
    if diff.pages is not None:
        lines += _pages_markdown(diff.pages)
    return "\n".join(lines) + "\n"


def _entity_markdown(entity: EntityChange) -> list[str]:
    ids = f"{code(entity.old_id)} → {code(entity.id)}" if entity.old_id else code(entity.id)
    name = f": {md(entity.name)}" if entity.name else ""
    lines = [f"- **{entity.status}** {ids}{name} ({code(entity.path)})"]
    return lines + [f"  - {change_text(c, md, '→', code)}" for c in entity.changes]


def _pages_markdown(pages: PageChanges) -> list[str]:
    items = [
        f"- {what}: {code(url)}"
        for what, urls in (
            ("added", pages.added),
            ("removed", pages.removed),
            ("changed", pages.changed),
        )
        for url in urls
    ]
    if not items:
        return []
    lines = ["", "### Site pages", ""]
    if len(items) > MANY_PAGES:
        return [
            *lines,
            f"<details><summary>{len(items)} pages</summary>",
            "",
            *items,
            "",
            "</details>",
        ]
    return lines + items
