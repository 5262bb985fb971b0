"""The live preview's orchestrator (`serve`): the stages of build.py, with what they worked
out kept in memory between two saves, so that a save costs what it changed.

`build` starts from the disk (the data cache and page memo under build/). A preview keeps
instead, in one `Preview` object: each data file's document while its stat is the same,
each document's own checks while the actor ids are the same (data/memo.py), the corpus
(the next one reuses its entries and related briefings, model/related.py), and what each
unit of output read and wrote. A save then reads and checks the changed files, builds the
model again from them, and renders the units whose reads have another value in the new
corpus (model/trace.py's `Changes`): the pages at once, the machine formats (API, feeds,
STIX, redirects) after the browser has been told to reload (`formats`). The files are
those `generate` writes for the same data: tests/test_preview.py compares them.

A change to mkdocs.yml, docs/ or the generator's assets is not followed here: `serve`
starts over (`Preview.start`, and MkDocs builds every page)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator import addresses
from generator.build import ASSETS, Project, format_units, generate_recorded, validate
from generator.data.cache import open_cache
from generator.data.check import Checked
from generator.data.memo import CheckMemo, DocumentMemo
from generator.model.corpus import Corpus, build_model
from generator.model.trace import Changes, Read, Unit, traced
from generator.publish import mkdocs
from generator.publish.incremental import Seen, digest_of
from generator.publish.page_memo import Rendered
from generator.publish.site_record import folder_state
from generator.publish.write import write_files
from generator.render.site import page_units


@dataclass(frozen=True)
class _Record:
    """What a unit read from the corpus it was last rendered from, and its files' digests."""

    reads: tuple[Read, ...]
    files: Mapping[str, str]


_Records = dict[str, _Record]
_Settings = tuple[int | None, dict[str, Seen], dict[str, Seen]]
"""What `serve` does not follow save by save: mkdocs.yml's time, docs/ and the assets."""


@dataclass(frozen=True)
class Update:
    """What a save changed in the docs folder: the pages written and removed (paths), and
    among them `first`, the pages of the edited data files (shown before the others)."""

    written: tuple[str, ...]
    removed: tuple[str, ...]
    first: tuple[str, ...]


class Preview:
    """The data, model and records of the live preview of the project at `root`."""

    def __init__(self, root: Path) -> None:
        self.project = Project(root)
        self._cache = open_cache(root)
        self._documents = DocumentMemo(self._cache.read_documents)
        self._checks = CheckMemo()
        self.corpus: Corpus | None = None
        self._pages: _Records = {}
        self._formats: _Records = {}
        self._formats_from: Corpus | None = None  # the corpus `_formats` describe
        self._settings: _Settings = (None, {}, {})
        self._site = mkdocs.read_site_info(self.project.config)

    def start(self) -> None:
        """The first generation, or a new one after mkdocs.yml, docs/ or the assets changed:
        `generate` (which writes every file the data makes and reads build/'s records), from
        the documents the memos keep."""
        checked = self._validate()
        self._cache.save()
        self._settings = self._settings_now()
        corpus, _, rendered = generate_recorded(self.project.root, checked)
        self._site = mkdocs.read_site_info(self.project.config)
        self._pages = _records(page_units(corpus), rendered, corpus)
        self._formats = _records(format_units(corpus, self._site), rendered, corpus)
        self.corpus = self._formats_from = corpus

    def settings_changed(self) -> bool:
        """Whether mkdocs.yml, docs/ or the generator's assets changed since `start`."""
        return self._settings_now() != self._settings

    def update(self) -> Update:
        """Read, check and model the data again (the changed files only), render the pages
        whose reads changed and write them. Raises DataError (nothing written) when the data
        has errors: the last good pages stay."""
        assert self.corpus is not None, "start first"
        checked = self._validate()
        corpus = build_model(checked, self.corpus)
        files, removed, self._pages = _render(page_units(corpus), self._pages, self.corpus, corpus)
        write_files(self.project.docs_out, files, removed)
        self.corpus = corpus
        edited = _edited_pages(checked, self._documents.changed)
        return Update(tuple(sorted(files)), tuple(removed), tuple(sorted(edited & files.keys())))

    def formats(self) -> Update:
        """Render and write the machine formats whose reads changed since they were last
        made (their corpus may be several saves old: a newer save stops them midway)."""
        assert self.corpus is not None and self._formats_from is not None, "start first"
        files, removed, self._formats = _render(
            format_units(self.corpus, self._site), self._formats, self._formats_from, self.corpus
        )
        write_files(self.project.docs_out, files, removed)
        self._formats_from = self.corpus
        return Update(tuple(sorted(files)), tuple(removed), ())

    @property
    def formats_pending(self) -> bool:
        return self._formats_from is not self.corpus

    def _validate(self) -> Checked:
        return validate(self.project.root, (self._documents, self._checks))

    def _settings_now(self) -> _Settings:
        """mkdocs.yml's time, and the files of docs/ and the assets (digests read only for
        files whose stat differs from the last state's)."""
        config = self.project.config
        _, docs, assets = self._settings
        return (
            config.stat().st_mtime_ns if config.is_file() else None,
            folder_state(self.project.docs_src, docs),
            folder_state(ASSETS, assets),
        )


def _records(units: Iterable[Unit], rendered: Rendered, corpus: Corpus) -> _Records:
    """The records of a generation, by unit: from the page memo's (a unit it kept or
    rendered), or, for a unit it does not record (one that reads nothing), by rendering it
    (pure: the same files `generate` wrote)."""
    records: _Records = {}
    for unit in units:
        if unit.key in rendered.units:
            _, reads, written = rendered.units[unit.key]
            records[unit.key] = _Record(reads, dict(written))
        elif unit.key in rendered.reused:
            kept = rendered.reused[unit.key]
            records[unit.key] = _Record(kept.reads, {p: s[2] for p, s in kept.files.items()})
        else:
            files, found = traced(corpus, unit.make)
            made = {path: digest_of(text.encode("utf-8")) for path, text in files.items()}
            records[unit.key] = _Record(tuple(sorted(found)), made)
    return records


def _render(
    units: Iterable[Unit], records: _Records, before: Corpus, after: Corpus
) -> tuple[dict[str, bytes], list[str], _Records]:
    """The files of the units whose reads differ between `before` (the corpus `records`
    were made from) and `after`, those that no unit makes any more, and the new records."""
    changes = Changes(before, after)
    files: dict[str, bytes] = {}
    now: _Records = {}
    for unit in units:
        old = records.get(unit.key)
        if old is not None and changes.same(old.reads):
            now[unit.key] = old
            continue
        made, reads = traced(after, unit.make)
        digests: dict[str, str] = {}
        for path, text in made.items():
            content = text.encode("utf-8")
            digests[path] = digest_of(content)
            if old is None or old.files.get(path) != digests[path]:
                files[path] = content
        now[unit.key] = _Record(tuple(sorted(reads)), digests)
    kept = {path for record in now.values() for path in record.files}
    removed = sorted({path for record in records.values() for path in record.files} - kept)
    return files, removed, now


def _edited_pages(checked: Checked, changed: Iterable[str]) -> set[str]:
    """The pages of the briefings and actors whose files were read again."""
    changed = set(changed)  # paths as users see them, like the checked data's
    pages = {addresses.article_page(i) for i, (p, _) in checked.articles.items() if p in changed}
    pages |= {addresses.actor_page(i) for i, (p, _) in checked.actors.items() if p in changed}
    return pages
