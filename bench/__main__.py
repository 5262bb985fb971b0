"""`python -m bench [--sizes 100,1000,10000] [--no-search] [--no-baseline]`

For each size: a synthetic corpus (bench/corpus.py) in bench/out/corpus-<n>/, then, each
in a child process: `validate`; page generation alone; the whole `build` from a clean
folder; a rebuild with nothing changed; one-file edits; the baseline (plain MkDocs +
Material + the same Pagefind run) on the same generated Markdown; search in Chromium.
Prints a table and writes bench/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import baseline, corpus
from bench.measure import Measurement, run

OUT = Path(__file__).resolve().parent / "out"
SIZES = (100, 1000, 10000)
SEARCH_SIZES = (1000, 10000)
INCREMENTAL_SIZES = (100, 1000, 10000)  # issue 13: 1,000 and 10,000
PYTHON = sys.executable
MB = 1024 * 1024


def _cli(root: Path, command: str) -> list[str]:
    return [PYTHON, "-m", "generator", "--root", str(root), command]


def _pages_written(measurement: Measurement) -> int | None:
    match = re.search(r"Pages: (\d+) written", measurement.output)
    return int(match.group(1)) if match else None


def _clean(root: Path) -> None:
    for name in ("build", "site", "baseline"):
        shutil.rmtree(root / name, ignore_errors=True)


def site_stats(site: Path) -> dict[str, Any]:
    """Bytes of the site, of its HTML pages (median, largest) and of the search index."""
    files = [f for f in site.rglob("*") if f.is_file()]
    pages = sorted(
        (f.stat().st_size, f.relative_to(site).as_posix()) for f in files if f.suffix == ".html"
    )
    index = [f for f in files if f.relative_to(site).parts[0] == "pagefind"]
    return {
        "bytes": sum(f.stat().st_size for f in files),
        "files": len(files),
        "html_pages": len(pages),
        "html_median_bytes": int(statistics.median(size for size, _ in pages)),
        "html_largest_bytes": pages[-1][0],
        "html_largest_page": pages[-1][1],
        "search_index_bytes": sum(f.stat().st_size for f in index),
        "search_index_files": len(index),
    }


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _site_line(measurement: Measurement) -> str | None:
    match = re.search(r"Site: ([^\n]*)", measurement.output)
    return match.group(1) if match else None


def incremental(root: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Issue 13's cases, each a `build` after the full one: nothing changed, a one-line edit
    of one summary, an edit of one title (which every page listing the briefing shows), an
    edit of one actor's name; then the same title edit with `build --full`. Pages rewritten,
    what the build said it did, time, memory."""
    page = manifest["queries"]["rare"]["page"]
    article_id = page.split("/")[1]
    file = next((root / "briefings" / "articles").rglob(f"{article_id}.yaml"))
    original = file.read_text(encoding="utf-8")
    results: dict[str, Any] = {}

    def measure(name: str, *extra: str) -> None:
        built = run([*_cli(root, "build"), *extra])
        results[name] = {
            "build": built.as_json(),
            "pages_written": _pages_written(built),
            "site": _site_line(built),
        }

    try:
        measure("nothing_changed")
        _edit(file, corpus.RARE_WORD, corpus.RARE_WORD + " indeed")
        measure("summary_edit")
        _edit(file, "title: ", "title: Edited ")
        measure("title_edit")
        file.write_text(original, encoding="utf-8")
        measure("restored")
        _edit(file, "title: ", "title: Edited ")
        measure("title_edit_full", "--full")
    finally:
        file.write_text(original, encoding="utf-8")
    return results


def bench_size(
    size: int,
    result: dict[str, Any],
    save: Callable[[], None],
    *,
    search: bool,
    with_baseline: bool,
) -> None:
    """Measure one corpus size into `result`, saving after every stage (a long run that
    stops half-way keeps what it measured)."""
    root = OUT / f"corpus-{size}"

    def stage(name: str) -> None:
        shown = result.get(name, {})
        seconds = shown.get("seconds") if isinstance(shown, dict) else None
        print(
            f"[{size}] {name}: " + (f"{seconds:.2f} s" if seconds is not None else "done"),
            flush=True,
        )
        save()

    result["corpus"] = corpus.ensure_corpus(root, size)
    stage("corpus")
    _clean(root)
    result["validate"] = run(_cli(root, "validate")).as_json()
    stage("validate")
    generated = run([PYTHON, "-m", "bench.stages", "generate", str(root)])
    result["generate"] = {**generated.as_json(), "pages_written": _pages_written(generated)}
    stage("generate")
    _clean(root)
    built = run(_cli(root, "build"))
    result["build"] = {**built.as_json(), "pages_written": _pages_written(built)}
    result["site"] = site_stats(root / "site")
    stage("build")
    if with_baseline:
        result["baseline"] = run_baseline(root)
        result["ratio"] = round(built.seconds / result["baseline"]["seconds"], 3)
        stage("baseline")
    if size in INCREMENTAL_SIZES:
        result["incremental"] = incremental(root, result["corpus"])
        stage("incremental")
    if search and size in SEARCH_SIZES:
        from bench.search import measure

        try:
            result["search"] = measure(root / "site", result["corpus"]["queries"])
        except Exception as error:  # recorded: the other numbers stand
            result["search_error"] = f"{type(error).__name__}: {error}"
        stage("search")


def run_baseline(root: Path) -> dict[str, Any]:
    config = baseline.write_config(root / "baseline", root / "build" / "docs")
    mkdocs = run(baseline.mkdocs_command(config), env=baseline.plain_env())
    site = root / "baseline" / "site"
    indexed = run([PYTHON, "-m", "bench.stages", "index", str(site)])
    stats = site_stats(site)
    return {
        "mkdocs": mkdocs.as_json(),
        "index": indexed.as_json(),
        "seconds": round(mkdocs.seconds + indexed.seconds, 3),
        "max_rss": max(mkdocs.max_rss, indexed.max_rss),
        "site": stats,
    }


def _mb(value: int) -> str:
    return f"{value / MB:,.0f} MB"


def _kb(value: int) -> str:
    return f"{value / 1024:,.1f} KB"


def table(results: list[dict[str, Any]]) -> str:
    rows: list[tuple[str, ...]] = [("", *(f"{r['size']:,}" for r in results))]

    def row(name: str, get: Any) -> None:
        cells = []
        for result in results:
            try:
                cells.append(get(result))
            except (KeyError, TypeError):
                cells.append("-")
        rows.append((name, *cells))

    row("validate: time", lambda r: f"{r['validate']['seconds']:.2f} s")
    row("validate: peak memory", lambda r: _mb(r["validate"]["max_rss"]))
    row("generate: time", lambda r: f"{r['generate']['seconds']:.2f} s")
    row("generate: peak memory", lambda r: _mb(r["generate"]["max_rss"]))
    row("build: time", lambda r: f"{r['build']['seconds']:.2f} s")
    row("build: peak memory (largest process)", lambda r: _mb(r["build"]["max_rss"]))
    row("build: peak memory (process tree)", lambda r: _mb(r["build"]["tree_rss"]))
    row(
        "baseline: time (MkDocs + Pagefind)",
        lambda r: (
            f"{r['baseline']['mkdocs']['seconds']:.2f} + {r['baseline']['index']['seconds']:.2f} s"
        ),
    )
    row("build / baseline", lambda r: f"{r['ratio']:.2f}")
    row("site bytes", lambda r: _mb(r["site"]["bytes"]))
    row("HTML pages", lambda r: f"{r['site']['html_pages']:,}")
    row("HTML page: median", lambda r: _kb(r["site"]["html_median_bytes"]))
    row(
        "HTML page: largest",
        lambda r: f"{_kb(r['site']['html_largest_bytes'])} ({r['site']['html_largest_page']})",
    )
    row("search index bytes", lambda r: _mb(r["site"]["search_index_bytes"]))
    for case in ("nothing_changed", "summary_edit", "title_edit", "title_edit_full"):
        row(
            f"build after: {case.replace('_', ' ')}",
            lambda r, c=case: "{:.2f} s = {:.2f} x full, {} pages written".format(
                r["incremental"][c]["build"]["seconds"],
                r["incremental"][c]["build"]["seconds"] / r["build"]["seconds"],
                r["incremental"][c]["pages_written"],
            ),
        )
    for query in ("rare", "common", "korean", "alias"):
        row(
            f"search {query}: typed -> result",
            lambda r, q=query: "{:.2f} s{}".format(
                r["search"][q]["typed_to_result"],
                "" if r["search"][q]["expected_found"] else " (NOT FOUND)",
            ),
        )
        row(
            f"search {query}: load -> result",
            lambda r, q=query: f"{r['search'][q]['load_to_result']:.2f} s",
        )
        row(f"search {query}: fetched", lambda r, q=query: _kb(r["search"][q]["bytes"]))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        " | ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        )
        for row in rows
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[2])
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="comma-separated corpus sizes (default: 100,1000,10000)",
    )
    parser.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        help="skip the Chromium search measurements",
    )
    parser.add_argument(
        "--no-baseline",
        dest="baseline",
        action="store_false",
        help="skip the plain MkDocs + Material baseline",
    )
    parser.add_argument(
        "--output", type=Path, default=OUT / "results.json", help="where to write the JSON results"
    )
    args = parser.parse_args(argv)
    try:
        sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    except ValueError:
        parser.error(f"--sizes: expected numbers separated by commas, not {args.sizes!r}")
    if not sizes or any(size < 1 for size in sizes):
        parser.error("--sizes: give at least one size of 1 or more")
    results: list[dict[str, Any]] = []
    for size in sizes:
        results.append({"size": size})
        bench_size(
            size,
            results[-1],
            lambda: _save(args.output, results),
            search=args.search,
            with_baseline=args.baseline,
        )
    print()
    print(table(results))
    print(f"\nJSON: {args.output}")
    return 0


def _save(path: Path, results: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    path.write_text(
        json.dumps({"machine": meta, "results": results}, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    sys.exit(main())
