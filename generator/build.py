"""The orchestrator: sources -> load -> check -> model -> render and formats -> write ->
mkdocs build -> Pagefind -> site/.

Gather, then write: nothing touches the disk until every file has loaded and
checked, and the site is built beside the old one and swapped in only when
MkDocs and the search indexer have both succeeded.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.data import sources
from generator.data.check import Checked, check
from generator.data.load import fewer_collections, load
from generator.formats.api import render_api
from generator.formats.feeds import render_feeds
from generator.formats.redirects import render_redirects
from generator.formats.stix import render_stix
from generator.model.corpus import Corpus, build_model
from generator.problems import DataError, Problem
from generator.publish import mkdocs, zensical
from generator.publish.search import index_site
from generator.publish.write import Output, WriteReport, replace_site, write_tree
from generator.render.site import render_pages
from generator.siteinfo import SiteInfo

ASSETS = Path(__file__).parent / "assets"
# The repository this package lives in: its mkdocs.yml and docs/ serve any data folder
# (`--root DIR` with only a briefings/ folder in it).
HOME = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Project:
    """Where a project's data, pages and site are."""

    root: Path

    @property
    def config(self) -> Path:
        own = self.root / "mkdocs.yml"
        return own if own.is_file() else HOME / "mkdocs.yml"

    @property
    def docs_src(self) -> Path:
        """Hand-written pages, copied beside the generated ones."""
        own = self.root / "docs"
        return own if own.is_dir() else HOME / "docs"

    @property
    def docs_out(self) -> Path:
        return self.root / "build" / "docs"

    @property
    def site(self) -> Path:
        return self.root / "site"


@dataclass(frozen=True)
class BuildReport:
    articles: int
    actors: int
    pages: WriteReport
    site: Path


def validate(root: Path) -> Checked:
    """sources -> load -> check: the project's valid data, or DataError with every problem.
    (`validate` stops here: the model adds no check.)"""
    if not (root / sources.BRIEFINGS).is_dir():
        raise DataError(
            [Problem(sources.BRIEFINGS, 1, 1, "no briefings/ folder: is --root the project root?")]
        )
    with fewer_collections():
        checked = check(load(sources.find(root)))
    if checked.problems:
        raise DataError(checked.problems)
    return checked


def load_model(root: Path, checked: Checked | None = None) -> Corpus:
    """sources -> load -> check -> model (from `checked` when the data is validated already)."""
    checked = validate(root) if checked is None else checked
    with fewer_collections():
        return build_model(checked)


def generated_files(corpus: Corpus, site: SiteInfo) -> Iterator[tuple[str, str]]:
    """Every file the generator makes, by its path in the docs folder: the pages, the feeds,
    the JSON API, the STIX bundle and the redirects (pure: the same data, the same files)."""
    yield from render_pages(corpus).items()
    for producer in (render_feeds, render_api, render_stix, render_redirects):
        yield from producer(corpus, site).items()


def generate(root: Path, checked: Checked | None = None) -> tuple[Corpus, WriteReport]:
    """Validate (unless given the valid data), render every page and write the docs folder
    MkDocs builds from."""
    project = Project(root)
    corpus = load_model(root, checked)
    site = mkdocs.read_site_info(project.config)
    output = Output()
    output.add_tree(project.docs_src, "", "docs/ (hand-written)")
    output.add_tree(ASSETS, "assets", "generator/assets")
    for path, text in generated_files(corpus, site):
        output.add(path, text, "the generator")
    return corpus, write_tree(project.docs_out, output.files)


def build(root: Path, *, strict: bool = True, builder: str = "mkdocs") -> BuildReport:
    """Generate the pages, then build the site into site/ (the old site stays on failure).
    Both run under the site's lock (see `replace_site`): no other build rewrites the pages
    while MkDocs reads them."""
    project = Project(root)
    # Data errors stop here: nothing is written, not even the lock. The checked data is
    # handed over (popped) so that nothing holds it once the corpus is let go.
    valid = [validate(root)]

    def make(folder: Path) -> BuildReport:
        corpus, pages = generate(root, valid.pop())
        report = BuildReport(len(corpus.articles), len(corpus.actors), pages, project.site)
        del corpus  # MkDocs and Pagefind need only the pages: let the corpus' memory go first
        _make_site(project, folder, strict=strict, builder=builder)
        return report

    return replace_site(project.site, make)


def _make_site(project: Project, folder: Path, *, strict: bool, builder: str) -> None:
    """MkDocs, then Pagefind once MkDocs has returned: the two never hold their memory at the
    same time (at 10,000 briefings each takes about a gigabyte or more)."""
    _release_memory()
    if builder == "zensical":
        zensical.build_site(project.config, project.docs_out, folder, strict=strict)
    else:
        run_mkdocs(project, folder, strict=strict)
    _release_memory()
    index_site(folder)


def _release_memory() -> None:
    """Hand the memory MkDocs' pages took back to the system before Pagefind starts: collect
    the garbage, then ask glibc to return its free pages (CPython keeps them otherwise)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def run_mkdocs(project: Project, site_dir: Path, *, strict: bool) -> None:
    mkdocs.build_site(project.config, project.docs_out, site_dir, strict=strict)
