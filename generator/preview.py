"""The live preview's orchestrator (`serve`): the stages of build.py, with what they worked
out kept in memory between two saves, so that a save costs what it changed.

`build` starts from the disk (the data cache and page memo under build/). A preview keeps
instead, in one `Preview` object: each data file's document while its stat is the same,
each document's own checks while the actor ids are the same (data/memo.py), the corpus
(the next one reuses its entries and related briefings, model/related.py), and what each
unit of output read and wrote. A save then reads and checks the changed files, builds the
model again from them, and renders the units whose reads have another value in the new
corpus (model/trace.py's `Changes`): the edited files' own pages first (`update`), the
other pages (`rest`: the lists and timelines that show a title, say) and the machine
formats (API, feeds, STIX, redirects: `formats`) after the browser has been told to
reload. The files are those `generate` writes for the same data: tests/test_preview.py
compares them.

A change to mkdocs.yml, docs/, the theme's overrides or the generator's assets is not
followed here: `serve` starts over (`Preview.start`, and MkDocs builds every page)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from generator.build import ASSETS, Project, format_units, generate_recorded, validate
from generator.data.cache import open_cache
from generator.data.check import Checked
from generator.data.load import fewer_collections
from generator.data.memo import CheckMemo, DocumentMemo
from generator.data.sources import BRIEFINGS
from generator.model.corpus import Corpus, build_model
from generator.model.trace import Changes, Read, Unit, traced
from generator.publish import mkdocs
from generator.publish.incremental import Seen, digest_of
from generator.publish.page_memo import Rendered
from generator.publish.site_record import folder_state
from generator.publish.write import write_files
from generator.render.site import file_units, page_units
from generator.siteinfo import SiteInfo


@dataclass(frozen=True)
class _Record:
    """What a unit read from `corpus`, and the digests of the files it made from it."""

    reads: tuple[Read, ...]
    files: Mapping[str, str]
    corpus: Corpus


_Records = dict[str, _Record]
_Settings = tuple[int | None, dict[str, Seen], dict[str, Seen], dict[str, Seen]]
"""What `serve` does not follow save by save: mkdocs.yml's time, docs/, the assets and the
theme's overrides."""


@dataclass(frozen=True)
class Update:
    """What a step changed in the docs folder: the pages written and removed (paths), and
    among them `first`, the pages of the edited data files (shown before the others)."""

    written: tuple[str, ...]
    removed: tuple[str, ...]
    first: tuple[str, ...]


class Preview:
    """The data, model and records of the live preview of the project at `root`.

    A save is followed in three steps, each of which a newer save may come between:
    `update` (the pages of the edited files), `rest` (the other pages) and `formats`. Each
    record keeps the corpus it describes, so that a step stopped halfway, or a save that
    comes before `rest`, leaves every record true of its own corpus."""

    def __init__(self, root: Path, *, work: Path | None = None, url: str | None = None) -> None:
        """The preview of the project at `root`, its pages generated into `work` (build/
        by default) for the site at `url` (mkdocs.yml's `site_url` by default)."""
        self.project = Project(root, work)
        self._url = url
        self._cache = open_cache(root)
        self._documents = DocumentMemo(self._cache.read_documents)
        self._checks = CheckMemo()
        self.corpus: Corpus | None = None
        self._pages: _Records = {}
        self._formats: _Records = {}
        self._edited: set[str] = set()  # data files read again, their pages not yet shown
        self.pages_pending = False  # `rest` has pages to look at
        self.formats_pending = False  # `formats` has
        self._settings: _Settings = (None, {}, {}, {})
        self._overrides: Path | None = None  # mkdocs.yml's `theme.custom_dir`
        self._site = self._site_info()

    def start(self) -> None:
        """The first generation, or a new one after mkdocs.yml, docs/, the overrides or the
        assets changed: `generate` (which writes every file the data makes and reads the
        records of the folder it writes to), from the documents the memos keep."""
        checked = self._validate()
        self._edited = set()
        self._cache.save()
        self._overrides = mkdocs.custom_dir(self.project.config)
        self._settings = self._settings_now()
        self._site = self._site_info()
        corpus, _, rendered = generate_recorded(self.project, self._site, checked)
        self._pages = _records(page_units(corpus), rendered, corpus)
        self._formats = _records(format_units(corpus, self._site), rendered, corpus)
        self.corpus = corpus
        self.pages_pending = self.formats_pending = False

    def settings_changed(self) -> bool:
        """Whether mkdocs.yml, docs/, the theme's overrides or the generator's assets changed
        since `start`."""
        return self._settings_now() != self._settings

    def update(self) -> Update:
        """Read, check and model the data again (the changed files only), and write the
        pages of the files edited since the last update (its own saves and those a data
        error stopped) that changed; the other pages are left to `rest`. When briefings,
        actors or tags come or go, or no edited file is a briefing or an actor, every page
        is rendered here. Raises DataError (nothing written) when the data has errors: the
        last good pages stay."""
        assert self.corpus is not None, "start first"
        try:
            checked = self._validate()
        finally:  # paths as users see them, like checked's
            self._edited |= set(self._documents.changed)
        # (The garbage collector's thresholds are the process's: one thread at a time here,
        # which serve's lock sees to.)
        with fewer_collections():  # (half the model's time at 10,000 briefings)
            corpus = build_model(checked, self.corpus)
        changed, self._edited = self._edited, set()
        edited = file_units(
            (i for i, (path, _) in checked.articles.items() if path in changed),
            (i for i, (path, _) in checked.actors.items() if path in changed),
        )
        units = edited if edited and _same_units(self.corpus, corpus) else page_units(corpus)
        step = _render(units, self._pages, corpus, whole=units is not edited)
        write_files(self.project.docs_out, step.files, step.removed)
        self._pages = step.records
        self.corpus = corpus
        self.pages_pending = units is edited
        self.formats_pending = True
        mine = {path for unit in edited for path in self._pages[unit.key].files}
        return step.update(first=mine)

    def rest(self, stop: Callable[[], bool] = lambda: False) -> Update:
        """Write the other pages the data changed since they were made (those `update` left),
        until `stop()` says a newer save came (then `pages_pending` stays true)."""
        assert self.corpus is not None, "start first"
        with fewer_collections():
            units = page_units(self.corpus)
            step = _render(units, self._pages, self.corpus, whole=True, stop=stop)
        write_files(self.project.docs_out, step.files, step.removed)
        self._pages = step.records
        self.pages_pending = not step.done
        return step.update()

    def formats(self, stop: Callable[[], bool] = lambda: False) -> Update:
        """Render and write the machine formats whose reads changed since they were last
        made (after `rest`: their corpus may be several saves old), until `stop()`."""
        assert self.corpus is not None, "start first"
        with fewer_collections():
            units = format_units(self.corpus, self._site)
            step = _render(units, self._formats, self.corpus, whole=True, stop=stop)
        write_files(self.project.docs_out, step.files, step.removed)
        self._formats = step.records
        self.formats_pending = not step.done
        return step.update()

    def _site_info(self) -> SiteInfo:
        site = mkdocs.read_site_info(self.project.config)
        return site if self._url is None else replace(site, url=self._url)

    def _validate(self) -> Checked:
        return validate(self.project.root, (self._documents, self._checks))

    def watched(self) -> list[Path]:
        """The paths whose saves start a rebuild: the data, and what `settings_changed`
        looks at."""
        settings = [self.project.config, self.project.docs_src, ASSETS, self._overrides]
        return [self.project.root / BRIEFINGS, *(path for path in settings if path is not None)]

    def _settings_now(self) -> _Settings:
        """mkdocs.yml's time, and the files of docs/, the assets and the overrides (digests
        read only for files whose stat differs from the last state's)."""
        config = self.project.config
        _, docs, assets, overrides = self._settings
        return (
            config.stat().st_mtime_ns if config.is_file() else None,
            folder_state(self.project.docs_src, docs),
            folder_state(ASSETS, assets),
            {} if self._overrides is None else folder_state(self._overrides, overrides),
        )


def _same_units(before: Corpus, after: Corpus) -> bool:
    """Whether both corpora have the same briefings, actors and tags (so the same pages)."""
    return (
        before.articles.keys() == after.articles.keys()
        and before.actors.keys() == after.actors.keys()
        and before.tags.keys() == after.tags.keys()
    )


def _records(units: Iterable[Unit], rendered: Rendered, corpus: Corpus) -> _Records:
    """The records of a generation, by unit: from the page memo's (a unit it kept or
    rendered), or, for a unit it does not record (one that reads nothing), by rendering it
    (pure: the same files `generate` wrote)."""
    records: _Records = {}
    for unit in units:
        if unit.key in rendered.units:
            _, reads, written = rendered.units[unit.key]
            records[unit.key] = _Record(reads, dict(written), corpus)
        elif unit.key in rendered.reused:
            kept = rendered.reused[unit.key]
            files = {p: s[2] for p, s in kept.files.items()}
            records[unit.key] = _Record(kept.reads, files, corpus)
        else:
            made, found = traced(corpus, unit.make)
            digests = {path: digest_of(text.encode("utf-8")) for path, text in made.items()}
            records[unit.key] = _Record(tuple(sorted(found)), digests, corpus)
    return records


@dataclass(frozen=True)
class _Step:
    """What `_render` did: the files to write and remove, the new records, and whether it
    went through all its units."""

    files: dict[str, bytes]
    removed: list[str]
    records: _Records
    done: bool

    def update(self, first: Iterable[str] = ()) -> Update:
        written = tuple(sorted(self.files))
        return Update(written, tuple(self.removed), tuple(sorted(set(first) & self.files.keys())))


def _render(
    units: list[Unit],
    records: _Records,
    after: Corpus,
    *,
    whole: bool,
    stop: Callable[[], bool] = lambda: False,
) -> _Step:
    """Bring the records of `units` to `after`: a unit whose reads have the same values in
    its record's corpus and in `after` keeps its files; the others are rendered again, and
    their files that changed written. With `whole`, `units` are all there are: the records
    of other units go, with their files. Stops between two units when `stop()` is true."""
    changes: dict[int, Changes] = {}
    now = dict(records)
    if whole:
        keys = {unit.key for unit in units}
        now = {key: record for key, record in now.items() if key in keys}
    files: dict[str, bytes] = {}
    done = True
    for unit in units:
        if stop():
            done = False
            break
        old = now.get(unit.key)
        if old is not None and old.corpus is after:
            continue
        if old is not None:
            test = changes.get(id(old.corpus))
            if test is None:
                test = changes[id(old.corpus)] = Changes(old.corpus, after)
            if test.same(old.reads):
                now[unit.key] = _Record(old.reads, old.files, after)
                continue
        made, reads = traced(after, unit.make)
        digests: dict[str, str] = {}
        for path, text in made.items():
            content = text.encode("utf-8")
            digests[path] = digest_of(content)
            if old is None or old.files.get(path) != digests[path]:
                files[path] = content
        now[unit.key] = _Record(tuple(sorted(reads)), digests, after)
    made_before = {path for record in records.values() for path in record.files}
    removed = sorted(made_before - {path for record in now.values() for path in record.files})
    return _Step(files, removed, now, done)
