"""`python -m bench.builders [--sizes 1000,10000]`: each site builder side by side (issue 15).

For each size, on the benchmark's synthetic corpus (bench/corpus.py, cached in
bench/out/corpus-<n>/), and for each builder in turn (`build --builder mkdocs`, then
`--builder zensical`): the whole build from a clean folder (no build/, no site/), then the
rebuild after a one-line edit of one briefing's summary (the file is restored afterwards).
Each build runs in a child process (bench/measure.py: wall time, peak memory of the tree).
Prints a table and writes bench/out/builders.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from bench import corpus
from bench.measure import run
from generator.publish import BUILDERS

OUT = Path(__file__).resolve().parent / "out"
PYTHON = sys.executable
GB = 1024**3


def _build(root: Path, builder: str) -> dict[str, Any]:
    measured = run([PYTHON, "-m", "generator", "--root", root, "build", "--builder", builder])
    return measured.as_json()


def bench_size(articles: int) -> dict[str, Any]:
    root = OUT / f"corpus-{articles}"
    manifest = corpus.ensure_corpus(root, articles)
    article_id = manifest["queries"]["rare"]["page"].split("/")[1]
    file = next((root / "briefings" / "articles").rglob(f"{article_id}.yaml"))
    original = file.read_text(encoding="utf-8")
    results: dict[str, Any] = {"articles": articles}
    for builder in BUILDERS:
        for name in ("build", "site"):
            shutil.rmtree(root / name, ignore_errors=True)
        print(f"{articles} briefings, {builder}: whole build", file=sys.stderr, flush=True)
        whole = _build(root, builder)
        file.write_text(
            original.replace(corpus.RARE_WORD, corpus.RARE_WORD + " indeed", 1), encoding="utf-8"
        )
        try:
            print(f"{articles} briefings, {builder}: one-file edit", file=sys.stderr, flush=True)
            edit = _build(root, builder)
        finally:
            file.write_text(original, encoding="utf-8")
        results[builder] = {"whole_build": whole, "one_file_edit": edit}
    return results


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| briefings | builder | whole build | peak memory (tree) | one-file edit rebuild |",
        "|---:|---|---:|---:|---:|",
    ]
    for result in results:
        for builder in BUILDERS:
            whole, edit = result[builder]["whole_build"], result[builder]["one_file_edit"]
            lines.append(
                f"| {result['articles']:,} | {builder} | {whole['seconds']:.1f} s "
                f"| {whole['tree_rss'] / GB:.2f} GB | {edit['seconds']:.1f} s |"
            )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.builders")
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    args = parser.parse_args(argv)
    results = [bench_size(int(size)) for size in args.sizes.split(",")]
    OUT.mkdir(exist_ok=True)
    (OUT / "builders.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
