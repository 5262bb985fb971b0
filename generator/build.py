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
import shutil
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.data import sources
from generator.data.cache import open_cache
from generator.data.check import Checked, FileChecker, check, check_file
from generator.data.load import Reader, fewer_collections, load
from generator.formats.api import api_units
from generator.formats.feeds import render_feeds
from generator.formats.redirects import render_redirects
from generator.formats.stix import render_stix
from generator.model.corpus import Corpus, build_model
from generator.model.trace import Unit
from generator.problems import DataError, Problem
from generator.publish import mkdocs, search, zensical
from generator.publish.incremental import generator_fingerprint
from generator.publish.page_memo import PageMemo, Rendered
from generator.publish.search import index_site
from generator.publish.site_record import (
    SitePlan,
    SiteRecord,
    builder_fingerprint,
    folder_state,
    plan_site,
)
from generator.publish.write import Kept, Output, WriteReport, replace_site, write_tree
from generator.render.site import page_units
from generator.siteinfo import SiteInfo

ASSETS = Path(__file__).parent / "assets"
# The repository this package lives in: its mkdocs.yml and docs/ serve any data folder
# (`--root DIR` with only a briefings/ folder in it).
HOME = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Project:
    """Where a project's data, pages and site are."""

    root: Path
    work: Path | None = None
    """The folder of the generated pages and their records: build/ unless given (the live
    preview keeps its own, so that a `build` beside it never reads the preview's pages)."""

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
        return self._work / "docs"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def cache(self) -> Path:
        """Records of the last build, to make the next one incremental (never published)."""
        return self._work / "cache"

    @property
    def _work(self) -> Path:
        return self.root / "build" if self.work is None else self.work


@dataclass(frozen=True)
class BuildReport:
    articles: int
    actors: int
    pages: WriteReport
    site: Path
    plan: SitePlan


def validate(root: Path, memo: tuple[Reader, FileChecker] | None = None) -> Checked:
    """sources -> load -> check: the project's valid data (with its warnings), or DataError
    with every problem, warnings too. (`validate` stops here: the model adds no check.)
    The files are read through build/cache, or (the live preview) through `memo`'s reader
    and checked by its checker (data/memo.py)."""
    if not (root / sources.BRIEFINGS).is_dir():
        raise DataError(
            [Problem(sources.BRIEFINGS, 1, 1, "no briefings/ folder: is --root the project root?")]
        )
    with fewer_collections():
        cache = None
        if memo is None:
            cache = open_cache(root)  # only the files that changed are parsed
            memo = (cache.read_documents, check_file)
        checked = check(load(sources.find(root), memo[0]), memo[1])
    if checked.problems:
        raise DataError([*checked.problems, *checked.warnings])
    if cache is not None:
        cache.save()  # valid data only: nothing is written while the data has errors
    return checked


def load_model(root: Path, checked: Checked | None = None) -> Corpus:
    """sources -> load -> check -> model (from `checked` when the data is validated already)."""
    checked = validate(root) if checked is None else checked
    with fewer_collections():
        return build_model(checked)


def units(corpus: Corpus, site: SiteInfo) -> list[Unit]:
    """Every file the generator makes, as units (see model/trace.py): the pages, then the
    machine formats."""
    return [*page_units(corpus), *format_units(corpus, site)]


def format_units(corpus: Corpus, site: SiteInfo) -> list[Unit]:
    """The units of the files for machines: the JSON API, the feeds, the STIX bundle and the
    redirects (the live preview makes them after the pages)."""
    return [
        *api_units(corpus, site),
        Unit("feeds", lambda c: render_feeds(c, site)),
        Unit("stix", lambda c: render_stix(c, site)),
        Unit("redirects", lambda c: render_redirects(c, site)),
    ]


def generated_files(corpus: Corpus, site: SiteInfo) -> Iterator[tuple[str, str]]:
    """Every file the generator makes, by its path in the docs folder (pure: the same data,
    the same files)."""
    for unit in units(corpus, site):
        yield from unit.make(corpus).items()


def generate(
    root: Path, checked: Checked | None = None, *, full: bool = False, work: Path | None = None
) -> tuple[Corpus, WriteReport]:
    """Validate (unless given the valid data), render the pages and write the docs folder
    MkDocs builds from (under `work`, build/ by default). Only the units whose reads changed
    since the last generation are rendered again (all of them with `full`); the others'
    files stay as they are."""
    project, checked = Project(root, work), validate(root) if checked is None else checked
    site = mkdocs.read_site_info(project.config)
    corpus, report, _ = generate_recorded(project, site, checked, full=full)
    return corpus, report


def generate_recorded(
    project: Project, site: SiteInfo, checked: Checked | None = None, *, full: bool = False
) -> tuple[Corpus, WriteReport, Rendered]:
    """`generate` into `project`'s docs folder for `site`, with what each unit read and
    wrote (for the live preview)."""
    corpus = load_model(project.root, checked)
    key = f"{generator_fingerprint()} {site!r}"
    memo_file = project.cache / "pages.json"
    memo = PageMemo.empty(memo_file, key) if full else PageMemo.load(memo_file, key)
    output = Output()
    output.add_tree(project.docs_src, "", "docs/ (hand-written)")
    output.add_tree(ASSETS, "assets", "generator/assets")
    rendered = memo.render(corpus, units(corpus, site), project.docs_out, output.files.keys())
    for path, text in rendered.files.items():
        output.add(path, text, "the generator")
    for path, unit in rendered.kept.items():
        output.keep(path, f"the generator ({unit})")
    report = write_tree(project.docs_out, output.files, output.kept)
    memo.save(rendered, project.docs_out)
    return corpus, report, rendered


def build(
    root: Path, *, strict: bool = True, full: bool = False, builder: str = "mkdocs"
) -> BuildReport:
    """Generate the pages, then build the site into site/ (the old site stays on failure).
    Both run under the site's lock (see `replace_site`): no other build rewrites the pages
    while MkDocs reads them.

    The build is incremental unless `full`: MkDocs builds only the pages whose Markdown
    changed since the site in place was built, and links every other file from it; when
    nothing changed, the site stays as it is. Whatever it cannot prove the same (another
    mkdocs.yml, theme, builder or generator; a site folder it did not make) is built in
    full, and `BuildReport.plan` says why."""
    project = Project(root)
    # Data errors stop here: nothing is written, not even the lock. The checked data is
    # handed over (popped) so that nothing holds it once the corpus is let go.
    valid = [validate(root)]
    record_file = project.cache / "site.json"
    built: list[SiteRecord] = []

    def make(folder: Path) -> BuildReport | Kept[BuildReport]:
        corpus, pages = generate(root, valid.pop(), full=full)
        # The builder's name is part of what the site was built with: another builds in full.
        fingerprint = (
            builder
            + ":"
            + builder_fingerprint(
                mkdocs.config_values(project.config),
                mkdocs.custom_dir(project.config),
                search.executable(),
            )
        )
        before = None if full else SiteRecord.load(record_file)
        docs = folder_state(project.docs_out, before.docs if before else {})
        plan = (
            SitePlan("--full")
            if full
            else plan_site(
                before,
                fingerprint,
                strict=strict,
                docs=docs,
                site=project.site,
                hand_written=_markdown_in(project.docs_src),
            )
        )
        if builder == "zensical" and plan.full is None and not plan.unchanged:
            plan = SitePlan("Zensical builds every page")  # MkDocs' dirty build only
        report = BuildReport(len(corpus.articles), len(corpus.actors), pages, project.site, plan)
        del corpus  # MkDocs and Pagefind need only the pages: let the corpus' memory go first
        if plan.unchanged:
            if before is not None and (plan.site, docs) != (before.site, before.docs):
                # The same files, other times (a restored cache): checked by stat next time.
                SiteRecord(fingerprint, strict, docs, plan.site, before.anchors).save(record_file)
            return Kept(report)
        # The record stays: until the swap, it still describes the site in place.
        known = before.anchors if before is not None else {}
        anchors = _make_site(
            project, folder, strict=strict, plan=plan, anchors=known, builder=builder
        )
        # A file linked from the site in place has its stat: only new files are read.
        site = folder_state(folder, plan.site)
        built.append(SiteRecord(fingerprint, strict, docs, site, anchors))
        return report

    def record(_: BuildReport) -> None:
        """Once the new site is in place (the same files: renaming the folder keeps their
        stats), what it was built from, for the next build."""
        built.pop().save(record_file)

    return replace_site(project.site, make, record)


def _markdown_in(folder: Path) -> frozenset[str]:
    return frozenset(f.relative_to(folder).as_posix() for f in folder.rglob("*.md"))


def _make_site(
    project: Project,
    folder: Path,
    *,
    strict: bool,
    plan: SitePlan,
    anchors: Mapping[str, mkdocs.PageAnchors],
    builder: str,
) -> dict[str, mkdocs.PageAnchors]:
    """MkDocs (or Zensical), then Pagefind once it has returned: the two never hold their
    memory at the same time (at 10,000 briefings each takes about a gigabyte or more).
    Returns the pages' anchors (see `mkdocs.build_site`; none for Zensical, which builds
    every page whenever anything changed)."""
    _release_memory()
    if builder == "zensical":
        zensical.build_site(project.config, project.docs_out, folder, strict=strict)
        found: dict[str, mkdocs.PageAnchors] = {}
    else:
        found = run_mkdocs(project, folder, strict=strict, plan=plan, anchors=anchors)
    _release_memory()
    index_site(folder)
    return found


def _release_memory() -> None:
    """Hand the memory MkDocs' pages took back to the system before Pagefind starts: collect
    the garbage, then ask glibc to return its free pages (CPython keeps them otherwise)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def run_mkdocs(
    project: Project,
    site_dir: Path,
    *,
    strict: bool,
    plan: SitePlan | None = None,
    anchors: Mapping[str, mkdocs.PageAnchors] | None = None,
) -> dict[str, mkdocs.PageAnchors]:
    """MkDocs, in full or (by `plan`) only for the changed pages, the rest linked from the
    site in place (whose pages have `anchors`); a partial build that finds the site in place
    or its record lacking falls back to full. Returns every page's anchors."""
    if plan is None or plan.full is not None:
        return mkdocs.build_site(project.config, project.docs_out, site_dir, strict=strict)
    try:
        return mkdocs.build_site(
            project.config,
            project.docs_out,
            site_dir,
            strict=strict,
            previous=project.site,
            changed=plan.changed,
            anchors=anchors,
        )
    except mkdocs.StaleSite as error:
        print(f"Building the whole site: {error}", file=sys.stderr)
        _empty(site_dir)
        return mkdocs.build_site(project.config, project.docs_out, site_dir, strict=strict)


def _empty(folder: Path) -> None:
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
