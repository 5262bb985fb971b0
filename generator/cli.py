"""The command line: commands and exit codes only; the work is in the modules it calls."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.characters import shown
from generator.data.formats import id_problem
from generator.data.sources import KINDS
from generator.editor.report import DIFF_FORMATS, VALIDATE_FORMATS, Validation, validation_output
from generator.problems import BriefingError, DataError, relative
from generator.publish import BUILDERS
from generator.render.text import plural

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _id(value: str) -> str:
    problem = id_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(shown(problem))
    return value


def _parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(add_help=False)
    root.add_argument(
        "--root",
        type=Path,
        default=argparse.SUPPRESS,
        help="the project root (default: the current directory)",
    )
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        parents=[root],
        description="Check briefing data and build the briefing site.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    command = commands.add_parser(
        "validate", parents=[root], help="check all data, print every error"
    )
    command.add_argument(
        "--format",
        choices=VALIDATE_FORMATS,
        default="text",
        help="text (default), github (workflow-command annotations) or json",
    )
    command = commands.add_parser(
        "build", parents=[root], help="validate, generate the pages, build site/"
    )
    command.add_argument(
        "--no-strict",
        dest="strict",
        action="store_false",
        help="let MkDocs warnings pass (default: strict)",
    )
    command.add_argument(
        "--full",
        action="store_true",
        help="render and build every page (default: only what changed since the last build)",
    )
    _builder_option(command)
    command = commands.add_parser(
        "serve", parents=[root], help="live preview on localhost, rebuilt on every change"
    )
    command.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    _builder_option(command)
    command = commands.add_parser(
        "new", parents=[root], help="write the commented skeleton of a new article or actor"
    )
    command.add_argument("kind", choices=KINDS, help="article or actor")
    command.add_argument("id", type=_id, help="the new file's id (its name without .yaml)")
    command = commands.add_parser(
        "schema", parents=[root], help="write the JSON Schema of article and actor files"
    )
    command.add_argument(
        "--output", type=Path, metavar="DIR", help="where to write (default: schemas/)"
    )
    command.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit with 1 if the files in DIR are not up to date",
    )
    command = commands.add_parser(
        "diff", parents=[root], help="what changed in the data between two git revisions"
    )
    command.add_argument("base", metavar="BASE", help="the git revision to compare from")
    command.add_argument(
        "head",
        metavar="HEAD",
        nargs="?",
        help="the git revision to compare to (default: the working tree)",
    )
    command.add_argument(
        "--format",
        choices=DIFF_FORMATS,
        default="text",
        help="text (default) or markdown (for a pull request's job summary)",
    )
    return parser


class _NotTheDirtyBuildWarning(logging.Filter):
    """`serve` builds dirty on purpose (see _serve); MkDocs warns about it on every build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def _show_mkdocs_warnings() -> None:
    """MkDocs logs its warnings; show them the way MkDocs' own command line does."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_briefing", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler.setLevel(logging.WARNING)
        handler._briefing = True  # type: ignore[attr-defined]
        handler.addFilter(_NotTheDirtyBuildWarning())
        logger.addHandler(handler)


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a lone surrogate in a file's name, say
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = _parser().parse_args(argv)
    _show_mkdocs_warnings()
    root: Path = getattr(args, "root", Path.cwd()).resolve()
    try:
        return _run(args, root)
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{error}; nothing was written.", file=sys.stderr)
        return EXIT_ERRORS
    except BriefingError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERRORS


def _builder_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--builder",
        choices=BUILDERS,
        default=BUILDERS[0],
        help=f"the site builder (default: {BUILDERS[0]}, with Material)",
    )


def _run(args: argparse.Namespace, root: Path) -> int:
    if args.command == "validate":
        return _validate(root, args.format)
    if args.command == "build":
        return _build(root, strict=args.strict, full=args.full, builder=args.builder)
    if args.command == "serve":
        return _serve(root, args.port, args.builder)
    if args.command == "new":
        return _new(root, args.kind, args.id)
    if args.command == "schema":
        return _schema(root, args.output, check=args.check)
    if args.command == "diff":
        return _diff(root, args.base, args.head, args.format)
    return EXIT_USAGE


def _validate(root: Path, fmt: str) -> int:
    from generator.build import validate

    try:
        checked = validate(root)
        result = Validation(checked.warnings, len(checked.articles), len(checked.actors))
    except DataError as error:
        result = Validation(tuple(error.problems))
    stdout, stderr = validation_output(result, fmt)
    sys.stdout.write(stdout)
    sys.stderr.write(stderr)
    return EXIT_OK if result.valid else EXIT_ERRORS


def _build(root: Path, *, strict: bool, full: bool, builder: str) -> int:
    from generator.build import build

    report = build(root, strict=strict, full=full, builder=builder)
    print(f"Pages: {report.pages.summary()}.")
    plan = report.plan
    if plan.full is not None:
        print(f"Site: built in full ({plan.full}).")
    elif plan.unchanged:
        print("Site: unchanged (nothing to rebuild).")
    else:
        print(
            f"Site: incremental ({plural(len(plan.changed), 'page')} rebuilt, "
            f"{len(plan.removed)} removed; `build --full` rebuilds everything)."
        )
    print(
        f"Built {plural(report.articles, 'briefing')} and "
        f"{plural(report.actors, 'actor')} into {report.site}."
    )
    print(
        "Look at it with `python -m generator serve` (live preview), or serve the folder: "
        f"`python -m http.server --bind 127.0.0.1 --directory {report.site}` "
        "(search needs a web server, not file://)."
    )
    return EXIT_OK


def _serve(root: Path, port: int, builder: str) -> int:
    from generator.serve import serve, serve_zensical

    try:  # data errors are reported before the server starts
        (serve_zensical if builder == "zensical" else serve)(root, port)
    except KeyboardInterrupt:  # while starting (once serving, it stops without one)
        print("Stopped.", file=sys.stderr)
    return EXIT_OK


def _new(root: Path, kind: str, item_id: str) -> int:
    from generator.editor.scaffold import ScaffoldError, create

    try:
        path = create(root, kind, item_id, dt.date.today())
    except ScaffoldError as error:
        print(error.problem, file=sys.stderr)
        return EXIT_ERRORS
    print(f'Created {relative(path, root)}. Fill in every "" (`validate` lists them), then run')
    print("`python -m generator validate`.")
    return EXIT_OK


def _schema(root: Path, output: Path | None, *, check: bool) -> int:
    from generator.data.json_schema import stale_files, write_schemas

    folder = output.resolve() if output else root / "schemas"
    shown = relative(folder, root)
    if check:
        stale = stale_files(folder)
        for name in stale:
            print(f"{shown}/{name}: not up to date; run `python -m generator schema`")
        return EXIT_ERRORS if stale else EXIT_OK
    written = write_schemas(folder)
    print(
        f"{shown}/: {plural(len(written), 'schema')} written"
        + (f" ({', '.join(written)})" if written else ", all up to date")
    )
    return EXIT_OK


def _diff(root: Path, base: str, head: str | None, fmt: str) -> int:
    from generator.editor.diff import compare
    from generator.editor.report import diff_output
    from generator.editor.revisions import RevisionError, UnsafeTreeError, read_snapshot

    try:
        result = compare(read_snapshot(root, base), read_snapshot(root, head))
    except UnsafeTreeError as error:  # a hostile tree: data no checkout could hold
        for line in str(error).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return EXIT_ERRORS
    except RevisionError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(diff_output(result, fmt))
    return EXIT_OK
