"""Stages of the build that the command line does not run alone, for timing in a child:

python -m bench.stages generate ROOT   validate, render and write build/docs only
python -m bench.stages index SITE      the Pagefind indexer alone, on a built site
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.build import generate
from generator.publish.search import index_site


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("generate", "index"):
        print(__doc__, file=sys.stderr)
        return 2
    stage, where = argv[0], Path(argv[1])
    if stage == "generate":
        corpus, report = generate(where)
        print(f"Pages: {report.summary()}.")
        print(f"{len(corpus.articles)} briefings, {len(corpus.actors)} actors")
    else:
        index_site(where)
        print(f"indexed {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
