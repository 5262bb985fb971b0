"""The live preview's memory (generator/preview.py): after each random edit of a synthetic
corpus, the docs folder a `Preview` leaves (pages, then formats) is exactly what rendering
everything from scratch gives; the model built from the last corpus equals the model built
from nothing; the memos give the same results as reading and checking everything."""

from __future__ import annotations

import os
import random
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bench.corpus import write_corpus
from generator import addresses
from generator.build import load_model, validate
from generator.data.check import Checked
from generator.data.load import read_documents
from generator.data.memo import RACY_NS, CheckMemo, DocumentMemo
from generator.model.corpus import Corpus, build_model
from generator.model.trace import Digests
from generator.preview import Preview
from generator.problems import DataError
from generator.publish import mkdocs
from generator.publish.search import PreviewIndex
from generator.render import paging
from generator.serve import Session
from tests.test_incremental_generation import _docs, _edit_then, _expected


def _settle(root: Path, *files: Path) -> None:
    """Date every data file (or these) back a second, as if written well before the preview
    read it (a file written in the last 0.1 s is read again, see data/memo.py)."""
    past = time.time() - 1
    for file in files or (root / "briefings").rglob("*"):
        if file.is_file():
            os.utime(file, (past, past))


def test_a_preview_writes_what_rendering_everything_writes(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_corpus(root, 40, seed=3)
    preview = Preview(root)
    preview.start()
    assert _docs(root) == _expected(root)
    rng = random.Random(3)
    applied = 0
    for _ in range(40):
        file, update = _edit_then(rng, root, preview.update)
        if update is None:
            continue
        applied += 1
        assert set(update.first) <= set(update.written)
        assert preview.formats_pending
        if rng.random() < 0.3:  # the next save comes first: the rest stopped or not begun
            stop = _after(rng.randrange(60))
            preview.rest(stop)
            preview.formats(stop)
            continue
        preview.rest()
        assert not preview.pages_pending
        preview.formats()
        assert not preview.formats_pending
        assert _docs(root) == _expected(root), f"after edit {applied} of {file.name}"
    assert applied >= 20


def _after(steps: int) -> Callable[[], bool]:
    """A `stop` that says stop after it was asked `steps` times (a newer save came)."""
    left = iter(range(steps))
    return lambda: next(left, None) is None


def _started(folder: Path, size: int, seed: int) -> tuple[Path, Preview]:
    """A synthetic corpus of `size` briefings, settled, and a preview started on it."""
    root = folder / "corpus"
    write_corpus(root, size, seed=seed)
    _settle(root)
    preview = Preview(root)
    preview.start()
    return root, preview


def test_the_edited_briefing_page_comes_first(tmp_path: Path) -> None:
    root, preview = _started(tmp_path, 20, seed=4)
    file = sorted((root / "briefings/articles").rglob("*.yaml"))[3]
    file.write_text(file.read_text("utf-8").replace("title: ", "title: Edited ", 1), "utf-8")
    update = preview.update()
    assert update.first == update.written == (addresses.article_page(file.stem),)
    assert preview.pages_pending
    rest = preview.rest()
    assert rest.written and addresses.BRIEFING_LIST in rest.written  # lists show its title
    assert rest.first == () and not preview.pages_pending
    # Nothing changed: nothing written, no format pending.
    preview.formats()
    again = preview.update()
    assert (again.written, again.removed, again.first) == ((), (), ())
    assert preview.rest().written == preview.formats().written == ()


def test_a_data_error_writes_nothing_and_the_fix_goes_on(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_corpus(root, 10, seed=5)
    preview = Preview(root)
    preview.start()
    before = _docs(root)
    file = sorted((root / "briefings/articles").rglob("*.yaml"))[0]
    text = file.read_text("utf-8")
    file.write_text(text.replace("title: ", "title: [", 1), "utf-8")
    with pytest.raises(DataError):
        preview.update()
    assert _docs(root) == before
    file.write_text(text.replace("title: ", "title: Fixed ", 1), "utf-8")
    preview.update()
    preview.rest()
    preview.formats()
    assert _docs(root) == _expected(root)


def _digests(corpus: Corpus) -> dict[str, str]:
    """Each field of a corpus by its digest (entries by their content: see model/trace.py)."""
    digests = Digests(corpus)
    return {name: digests.of((name,)) for name in Corpus.__dataclass_fields__}


def _validate_settled(root: Path, memo: tuple[DocumentMemo, CheckMemo]) -> Checked:
    """`validate`, every data file dated back as if written a second ago, so that only an
    edited one is read again (a file's times changed its stat: it is read once more)."""
    past = time.time() - 1
    for file in (root / "briefings").rglob("*.yaml"):
        if file.stat().st_mtime > past:
            os.utime(file, (past, past))
    return validate(root, memo)


def test_the_model_from_the_last_corpus_is_the_model_from_nothing(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_corpus(root, 60, seed=6)
    _settle(root)
    memo = (DocumentMemo(read_documents), CheckMemo())
    corpus = build_model(validate(root, memo))
    rng = random.Random(6)
    for _ in range(25):
        _, checked = _edit_then(rng, root, lambda: _validate_settled(root, memo))
        if checked is None:
            continue
        following = build_model(checked, corpus)
        assert _digests(following) == _digests(build_model(checked))
        kept = [a for a in following.articles.values() if a is corpus.articles.get(a.id)]
        assert len(kept) >= len(following.articles) - 1  # unchanged files keep their entry
        corpus = following


def test_the_memos_give_what_reading_everything_gives(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_corpus(root, 30, seed=7)
    documents = DocumentMemo(read_documents)
    memo = (documents, CheckMemo())
    first = validate(root, memo)
    assert len(documents.changed) > 30  # everything read
    _settle(root)
    validate(root, memo)  # read again: the files were written just before the first read
    assert validate(root, memo) == first
    assert documents.changed == []
    file = sorted((root / "briefings/articles").rglob("*.yaml"))[0]
    file.write_text(file.read_text("utf-8").replace("title: ", "title: New ", 1), "utf-8")
    assert validate(root, memo) == validate(root)
    assert documents.changed == [file.relative_to(root).as_posix()]


def test_a_file_written_twice_in_one_clock_tick_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A coarse clock leaves a file written twice in one tick with the same size the same
    stat (faked here: every stat frozen): a file written just before it was read is read
    again; one written long before is trusted."""
    from generator.data import memo as memo_module

    root = tmp_path / "corpus"
    write_corpus(root, 5, seed=8)
    file = sorted((root / "briefings/articles").rglob("*.yaml"))[0]
    path = file.relative_to(root).as_posix()
    for written_at in (time.time_ns(), time.time_ns() - 10 * RACY_NS):
        monkeypatch.setattr(memo_module, "_stat", lambda _, at=written_at: (1, 2, at, at))
        documents = DocumentMemo(read_documents)
        validate(root, (documents, CheckMemo()))
        validate(root, (documents, CheckMemo()))
        recent = written_at > time.time_ns() - 5 * RACY_NS
        assert (path in documents.changed) == recent


class _NoIndex(PreviewIndex):
    """The preview's search index, not made (these tests compare pages, not the index)."""

    def start(self, site_dir: Path) -> threading.Thread:
        return threading.Thread(target=lambda: None)


def _site(folder: Path) -> dict[str, bytes]:
    return {
        f.relative_to(folder).as_posix(): f.read_bytes()
        for f in sorted(folder.rglob("*"))
        if f.is_file() and not f.name.startswith("pagefind")
    }


def _session(
    project: Path, site: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Preview, Session, list[int]]:
    """A started preview and its session, with no background thread (the tests run its
    steps, `_steps`) and the browser reloads it asks for counted."""
    preview = Preview(project)
    preview.start()
    config, docs = preview.project.config, preview.project.docs_out
    live = mkdocs.LiveSite(config, docs, site, "http://127.0.0.1:1/", "/**/")
    live.build()
    session = Session(preview, live, _NoIndex(), site)
    monkeypatch.setattr(session, "_background", lambda run: None)
    reloads: list[int] = []
    session.reload = lambda: reloads.append(session._run)
    return preview, session, reloads


def test_the_pages_a_preview_builds_one_by_one_are_those_of_a_whole_build(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs kept between saves (`LiveSite.convert`) gives each page the HTML a build of
    every page gives: after an edit, the edited page first, then the rest and the formats."""
    preview, session, _ = _session(project, tmp_path / "live", monkeypatch)
    config, docs = preview.project.config, preview.project.docs_out
    kim = project / "briefings" / "actors" / "kim-jong-un.yaml"
    kim.write_text(kim.read_text("utf-8").replace("name: ", "name: Marshal ", 1), "utf-8")
    session.rebuild()
    assert "Marshal" in (tmp_path / "live" / "actors/kim-jong-un/index.html").read_text("utf-8")
    assert preview.pages_pending  # the pages that name him: in the background
    # A second save before the background ran: it goes on from the first one's records.
    kim.write_text(kim.read_text("utf-8").replace("name: ", "name: Chairman ", 1), "utf-8")
    session.rebuild()
    session._steps(session._run)  # the background's steps, here
    assert not preview.pages_pending and not preview.formats_pending
    assert "Chairman Marshal" in _site(tmp_path / "live")["index.html"].decode("utf-8")
    whole = mkdocs.LiveSite(config, docs, tmp_path / "whole", "http://127.0.0.1:1/", "/**/")
    whole.build()
    assert _site(tmp_path / "live") == _site(tmp_path / "whole")
    # A new briefing: a new page, so MkDocs lists its files again (a dirty build).
    seed = next((project / "briefings" / "articles").rglob("*.yaml"))
    data = yaml.safe_load(seed.read_text("utf-8"))
    data.pop("former_ids", None)
    data["title"] = "A second briefing"
    (seed.parent / "a-second-briefing.yaml").write_text(yaml.safe_dump(data), "utf-8")
    session.rebuild()
    session._steps(session._run)
    shutil.rmtree(tmp_path / "whole")
    whole.build()
    assert (tmp_path / "live" / "briefings/a-second-briefing/index.html").is_file()
    assert _site(tmp_path / "live") == _site(tmp_path / "whole")
    # And removed again: its page and API file are gone from the preview too.
    (seed.parent / "a-second-briefing.yaml").unlink()
    session.rebuild()
    session._steps(session._run)
    shutil.rmtree(tmp_path / "whole")
    whole.build()
    assert not (tmp_path / "live" / "briefings/a-second-briefing/index.html").exists()
    assert _site(tmp_path / "live") == _site(tmp_path / "whole")


def test_a_page_the_background_adds_is_built_and_reloaded(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An event more puts the timeline on two pages: a page the background renders (the
    edited briefing's page comes first), built in a dirty build, then a reload."""
    monkeypatch.setattr(paging, "PAGE_SIZE", len(load_model(project).timeline))
    _settle(project)
    preview, session, reloads = _session(project, tmp_path / "live", monkeypatch)
    article = next((project / "briefings/articles").rglob("*.yaml"))
    data = yaml.safe_load(article.read_text("utf-8"))
    event = {"date": "2023-09-14", "what": "A further visit.", "actors": ["kim-jong-un"]}
    data["events"].append(event)
    article.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    session.rebuild()
    assert preview.pages_pending and reloads == []
    assert not (tmp_path / "live/timeline/page/2/index.html").exists()
    session._steps(session._run)
    assert (tmp_path / "live/timeline/page/2/index.html").is_file()
    assert reloads == [session._run]


def test_a_file_edited_while_another_is_broken_comes_first_once_fixed(tmp_path: Path) -> None:
    root, preview = _started(tmp_path, 10, seed=6)
    edited, broken = sorted((root / "briefings/articles").rglob("*.yaml"))[:2]
    edited.write_text(edited.read_text("utf-8").replace("title: ", "title: New ", 1), "utf-8")
    text = broken.read_text("utf-8")
    broken.write_text(text.replace("title: ", "title: [", 1), "utf-8")
    _settle(root, edited, broken)
    with pytest.raises(DataError):
        preview.update()
    broken.write_text(text, "utf-8")
    _settle(root, broken)
    assert preview.update().first == (addresses.article_page(edited.stem),)
