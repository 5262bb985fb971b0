"""`python -m generator serve`: the live preview on 127.0.0.1, rebuilt on every save.

A save is shown in this order (the page being edited first, then the rest):

1. the data is read, checked and modelled again from memory (generator/preview.py), and
   the pages of the edited briefings and actors that changed are written to the docs
   folder (every changed page when briefings, actors or tags come or go, or when the
   saved file is no briefing or actor, a source text say; the machine formats too when
   pages come or go);
2. MkDocs converts them (publish/mkdocs.py, `LiveSite`; one dirty build when pages come or
   go), and the browsers reload: the edited briefing or actor shows the edit;
3. in the background: the other pages the save changed (the lists and timeline pages that
   show a title, say) are rendered and written, then converted one at a time, and the
   browsers reload again; then the machine formats (API, feeds, STIX, redirects); then
   Pagefind's index (publish/search.py, `PreviewIndex`), the search box saying meanwhile
   that results are updating. The background rests a few milliseconds in every twenty, so
   that the file watcher and the browsers' requests are not kept waiting (`_Pace`).

A newer save stops the background work between two pages (rendered or converted) and
takes over what it left; it waits for the one in progress. A data error keeps the last
good pages (and prints every problem); a change to mkdocs.yml, docs/, the theme's overrides
or the generator's assets builds every page again. The preview's pages and site are in a
temporary folder (removed when it stops, on Ctrl+C or SIGTERM): a `build` beside it is
untouched."""

from __future__ import annotations

import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from generator import addresses
from generator.build import Project, generate
from generator.data.load import fewer_collections
from generator.preview import Preview, Update
from generator.problems import BriefingError, DataError
from generator.publish import mkdocs
from generator.publish.search import PreviewIndex, write_status

PREVIEW_SCRIPT = Path(__file__).parent / "publish" / "preview_search.js"


def serve(root: Path, port: int) -> None:
    """Generate the site into a temporary folder (DataError, before anything is served, when
    the data has errors), build it there and serve it until interrupted: Ctrl+C, SIGTERM or
    SIGHUP (the folder is removed)."""
    mount = urlsplit(mkdocs.read_site_info(Project(root).config).url).path or "/"
    url = f"http://127.0.0.1:{port}{mount}"
    with (
        _stopped_by_signals(),
        tempfile.TemporaryDirectory(
            prefix="briefing-preview-",
            ignore_cleanup_errors=True,  # a Pagefind run just killed may still write
        ) as folder,
    ):
        # Its own pages (not build/docs, which a `build` beside it reads), for its own address.
        preview = Preview(root, work=Path(folder) / "build", url=url)
        preview.start()
        project = preview.project
        site_dir = Path(folder) / "site"
        site_dir.mkdir()
        script = PREVIEW_SCRIPT.read_text(encoding="utf-8")
        live = mkdocs.LiveSite(project.config, project.docs_out, site_dir, url, script)
        live.build()
        index = PreviewIndex()
        index.start(site_dir).join()  # the search box's own script comes with the bundle
        session = Session(preview, live, index, site_dir)
        server = mkdocs.LiveServer(site_dir, port, mount, session.rebuild)
        session.reload = server.reload
        print(f"Serving on {url} (Ctrl+C stops)", flush=True)
        try:
            server.serve(preview.watched())
        finally:
            session.stop()
            index.cancel()


def serve_zensical(root: Path, port: int) -> None:
    """Zensical's own preview of the pages generated once, until interrupted (no
    regeneration). They go to build/preview/, not build/docs, which a `build` beside it
    reads; not to a temporary folder either: Zensical ends the process itself on Ctrl+C."""
    from generator.publish import zensical

    project = Project(root, root / "build" / "preview")
    generate(root, work=project.work)
    print(f"Serving on http://127.0.0.1:{port}/ (Ctrl+C stops)", flush=True)
    zensical.serve(project.config, project.docs_out, port)


@contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP (a service manager, `timeout`, a closed terminal) stop the preview
    as Ctrl+C does, so that its temporary folder is removed."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    names = ("SIGTERM", "SIGHUP")  # (Windows has no SIGHUP)
    numbers = [getattr(signal, name) for name in names if hasattr(signal, name)]
    previous = {number: signal.signal(number, interrupt) for number in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class Session:
    """The preview's rebuilds: `rebuild` on the server's build thread (the browsers reload
    when it returns), the rest in a background thread it starts. One lock orders them (and
    keeps the preview's work on one thread at a time): the background holds it for one
    step at a time (rendering pages, which stops between two when told, or converting
    one), and a rebuild first tells it to stop (`_run`), then waits for the step in
    progress."""

    def __init__(
        self, preview: Preview, live: mkdocs.LiveSite, index: PreviewIndex, site: Path
    ) -> None:
        self.preview = preview
        self.live = live
        self.index = index
        self.site = site
        self.reload: Callable[[], None] = lambda: None  # the server's, once it is made
        self._lock = threading.Lock()
        self._run = 0
        self._pending: list[str] = []  # docs files written, not yet built (in this order)
        self._index_due = False

    def rebuild(self) -> None:
        self._run += 1
        run = self._run
        with self._lock, fewer_collections():  # a full collection takes a second at 10,000
            try:
                self._rebuild()
            except DataError as error:
                for problem in error.problems:
                    print(problem, file=sys.stderr, flush=True)
                print(
                    f"{error}: still showing the last good pages; fix the files to update them",
                    file=sys.stderr,
                    flush=True,
                )
            except BriefingError as error:
                print(f"error: {error}: the preview was not updated", file=sys.stderr, flush=True)
        # Also after an error: what an earlier save left to do (pages, index) goes on.
        threading.Thread(target=self._background, args=(run,), daemon=True).start()

    def stop(self, wait: float = 10.0) -> None:
        """End the background work at its next step, waiting up to `wait` seconds for the
        step in progress (so that nothing writes to the folder as it is removed)."""
        self._run += 1
        if self._lock.acquire(timeout=wait):
            self._lock.release()

    def _rebuild(self) -> None:
        if self.preview.settings_changed():
            print(
                "mkdocs.yml, docs/, the overrides or the assets changed: building every page",
                flush=True,
            )
            self.preview.start()
            self.index.cancel()
            write_status(self.site, "updating")
            self.live.build()
            self._pending = []
            self._index_due = True
            return
        update = self.preview.update()
        if update.removed or not self.live.knows(frozenset(update.written)):
            # Pages come or go, with the API files they link to: MkDocs lists both at once.
            formats = self.preview.formats()
            update = Update(
                tuple(sorted({*update.written, *formats.written})),
                tuple(sorted({*update.removed, *formats.removed})),
                update.first,
            )
        self._changed(update)
        self._show(update, first=True)

    def _show(self, update: Update, *, first: bool) -> None:
        """Build what `update` wrote: with `first`, the edited files' pages now (every page
        it wrote when none is theirs); the others later (`_pending`); all at once, in a
        dirty build, when MkDocs' list of files changed."""
        for path in update.removed:
            (self.site / addresses.built_file(path)).unlink(missing_ok=True)
        done = {*update.written, *update.removed}
        pending = [p for p in self._pending if p not in done]
        if update.removed or not self.live.knows(frozenset(update.written)):
            self.live.build(frozenset([*update.written, *pending]))
            self._pending = []
            return
        now = (list(update.first) or list(update.written)) if first else []
        for path in now:
            self.live.convert(path)
        self._pending = [*pending, *(p for p in update.written if p not in now)]

    def _convert_pending(self, stop: Callable[[], bool]) -> bool:
        """Build the pending files (here, under the lock); False if `stop()` (a newer save)."""
        while self._pending:
            if stop():
                return False
            self.live.convert(self._pending.pop(0))
        return True

    def _changed(self, update: Update) -> None:
        """The search index is out of date once pages change: say so until it is made again."""
        if update.written or update.removed:
            self.index.cancel()  # it would index pages about to change
            write_status(self.site, "updating")
            self._index_due = True

    def _background(self, run: int) -> None:
        try:
            self._steps(run)
        except BriefingError as error:
            print(f"error: {error}: the preview was not updated", file=sys.stderr, flush=True)
        except Exception:  # a thread's error would go unseen otherwise
            traceback.print_exc()

    def _steps(self, run: int) -> None:
        """One step at a time under the lock: the other pages (rendered, then built one by
        one) and a reload; then the machine formats and the search index."""

        pace = _Pace()

        def stop() -> bool:
            pace()
            return run != self._run

        reload = False
        while True:
            with self._lock:
                if stop():
                    return
                if self._pending:
                    self.live.convert(self._pending.pop(0))
                    reload = True
                    continue
                if not self.preview.pages_pending:
                    break
                update = self.preview.rest(stop)
                self._changed(update)
                reload = reload or bool(update.written or update.removed)  # (a dirty build)
                self._show(update, first=False)
        if reload:
            self.reload()
        with self._lock:
            if stop():
                return
            if self.preview.formats_pending:
                formats = self.preview.formats(stop)
                self._changed(formats)
                self._show(formats, first=False)
                if not self._convert_pending(stop) or self.preview.formats_pending:
                    return  # a newer save goes on from here
            if self._index_due:
                self._index_due = False
                self.index.start(self.site)


class _Pace:
    """Let the server's other threads run while the background works: a thread that holds
    the interpreter lock keeps it for 5 ms at a time, and MkDocs' file watcher, which stats
    every data file twice a second and gives the lock up at each stat, saw a save seconds
    late at 10,000 briefings (the browsers' requests waited too). So the background sleeps
    `REST` seconds after each `WORK` seconds of work (15% more time for it), checked
    between two pages."""

    WORK = 0.02
    REST = 0.003

    def __init__(self) -> None:
        self._since = time.monotonic()

    def __call__(self) -> None:
        if time.monotonic() - self._since >= self.WORK:
            time.sleep(self.REST)
            self._since = time.monotonic()
