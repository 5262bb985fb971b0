"""The command line: commands and exit codes only; the work is in build.py."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.build import Project, build, generate, validate
from generator.mkdocs_hooks import ROOT_VARIABLE
from generator.problems import BriefingError, DataError
from generator.render.text import plural

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(add_help=False)
    root.add_argument("--root", type=Path, default=argparse.SUPPRESS,
                      help="the project root (default: the current directory)")
    parser = argparse.ArgumentParser(
        prog="python -m generator", parents=[root],
        description="Check briefing data and build the briefing site.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("validate", parents=[root], help="check all data, print every error")
    command = commands.add_parser("build", parents=[root],
                                  help="validate, generate the pages, build site/")
    command.add_argument("--no-strict", dest="strict", action="store_false",
                         help="let MkDocs warnings pass (default: strict)")
    command = commands.add_parser("serve", parents=[root],
                                  help="live preview on localhost, rebuilt on every change")
    command.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    return parser


def _show_mkdocs_warnings() -> None:
    """MkDocs logs its warnings; show them the way MkDocs' own command line does."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_briefing", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler.setLevel(logging.WARNING)
        handler._briefing = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _show_mkdocs_warnings()
    root: Path = getattr(args, "root", Path.cwd()).resolve()
    try:
        if args.command == "validate":
            return _validate(root)
        if args.command == "build":
            return _build(root, strict=args.strict)
        if args.command == "serve":
            return _serve(root, args.port)
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{error}; nothing was written.", file=sys.stderr)
        return EXIT_ERRORS
    except BriefingError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_USAGE


def _validate(root: Path) -> int:
    corpus = validate(root)
    print(f"{plural(len(corpus.articles), 'briefing')} and "
          f"{plural(len(corpus.actors), 'actor')}: no errors.")
    return EXIT_OK


def _build(root: Path, *, strict: bool) -> int:
    report = build(root, strict=strict)
    print(f"Pages: {report.pages.summary()}.")
    print(f"Built {plural(len(report.corpus.articles), 'briefing')} and "
          f"{plural(len(report.corpus.actors), 'actor')} into {report.site}.")
    print(f"Open {report.site / 'index.html'} or run `python -m generator serve`.")
    return EXIT_OK


def _serve(root: Path, port: int) -> int:
    from mkdocs.commands.serve import serve

    project = Project(root)
    generate(root)  # data errors are reported here, before the server starts
    os.environ[ROOT_VARIABLE] = str(root)
    print(f"Serving on http://127.0.0.1:{port}/ (Ctrl+C stops)", flush=True)
    serve(str(project.config), dev_addr=f"127.0.0.1:{port}", livereload=True,
          docs_dir=str(project.docs_out))
    return EXIT_OK
