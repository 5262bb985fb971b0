"""Hostile input and failed builds.

- Hostile files: XSS payloads in every text field, template syntax, Markdown link
  injection, control characters, right-to-left and emoji text, very long strings, deep
  nesting, huge files, alias bombs. Each builds safely (checked in the built HTML and in
  the search index) or fails with a clear `path:line:column` error, within a time-out
  that only guards against hanging (no test here is timed).
- A failed build at any stage (data error, MkDocs strict warning, search indexer
  failure, an interruption) leaves the previous site/ byte-identical, and an interrupted
  generation leaves no half-written page.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import sys
import textwrap
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.corpus import write_corpus
from generator.build import build, generate, load_model
from generator.problems import BriefingError, BuildError
from generator.publish import write
from tests.conftest import ROOT, make_project, run_cli
from tests.test_properties import (
    ACTORS,
    ARTICLE,
    TEXT_FIELDS,
    page_scripts,
    unsafe_html,
    with_texts,
    write_project,
)

MARKER = "xss1337"
PAYLOADS = (
    f'<script>alert("{MARKER}")</script>',
    f'<img src=x onerror=alert("{MARKER}")>',
    f'"><svg onload=alert("{MARKER}")>',
    f"'><iframe src=javascript:alert('{MARKER}')>",
    f"<a href=\"javascript:alert('{MARKER}')\">{MARKER}</a>",
    f"[{MARKER}](javascript:alert(1))",
    f'[{MARKER}](JAVASCRIPT:alert(1) "t")',
    f"[{MARKER}](  java\tscript:alert(1))",
    f"[{MARKER}][r]\n\n[r]: javascript:alert(1)",
    f"![{MARKER}](javascript:alert(1))",
    f'<javascript:alert("{MARKER}")>',
    f"[{MARKER}](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    f'{MARKER} {{: onclick="alert(1)" }}',
    f"{MARKER}\n{{ #x onmouseover=alert(1) }}",
    f'</title><script>alert("{MARKER}")</script>',
    f'" onmouseover="alert(\'{MARKER}\')" x="',
    f'<style>body{{background:url("javascript:alert({MARKER})")}}</style>',
    f"<!-- {MARKER} --><b data-{MARKER}>bold</b>",
    f'{{{{ {MARKER} }}}} {{% include "base.html" %}} {{# {MARKER} #}}',
    f"<{MARKER}>custom</{MARKER}>",
    f'&lt;script&gt;alert("{MARKER}")&lt;/script&gt;',
    f'&#60;img src=x onerror=alert("{MARKER}")&#62;',
    f'```\n<script>alert("{MARKER}")</script>\n```',
    f'    <script>alert("{MARKER}")</script>',
    f'!!! note "{MARKER}"\n    <script>alert(1)</script>',
    f'<details open ontoggle=alert("{MARKER}")>',
    f'<math><mi xlink:href="javascript:alert({MARKER})">x</mi></math>',
    f":{MARKER}: :smile: <span onclick=alert(1)>{MARKER}</span>",
)
HANG_GUARD = 300  # seconds: a build that takes longer has hung (not a timing test)


# ---- Projects -------------------------------------------------------------------------


def _renamed(data: Any, names: dict[str, str]) -> Any:
    if isinstance(data, dict):
        return {k: _renamed(v, names) for k, v in data.items()}
    if isinstance(data, list):
        return [_renamed(v, names) for v in data]
    return names.get(data, data) if isinstance(data, str) else data


def hostile_project(root: Path, payloads: tuple[str, ...]) -> Path:
    """One briefing and two actors per payload, the payload in every text field."""
    for index, payload in enumerate(payloads):
        article, actors = with_texts((field, f"{payload} {index}") for field in TEXT_FIELDS)
        names = {"alpha": f"alpha-{index}", "beta-chief": f"chief-{index}"}
        folder = root / "briefings"
        (folder / "articles").mkdir(parents=True, exist_ok=True)
        (folder / "actors").mkdir(parents=True, exist_ok=True)
        (folder / "articles" / f"case-{index}.yaml").write_text(
            yaml.safe_dump(_renamed(article, names), allow_unicode=True), encoding="utf-8"
        )
        for actor_id, actor in actors.items():
            (folder / "actors" / f"{names[actor_id]}.yaml").write_text(
                yaml.safe_dump(_renamed(actor, names), allow_unicode=True), encoding="utf-8"
            )
    return root


def site_hashes(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def pagefind_records(site: Path) -> list[dict[str, Any]]:
    """The decoded fragments of the Pagefind index (what search results show)."""
    records = []
    for fragment in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(fragment.read_bytes())
        records.append(json.loads(raw.removeprefix(b"pagefind_dcd")))
    return records


@pytest.fixture(scope="module")
def clean_scripts(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    root = write_project(tmp_path_factory.mktemp("clean"), ARTICLE, ACTORS)
    result = run_cli("--root", root, "build", timeout=HANG_GUARD)
    assert result.code == 0, result.stderr
    return {
        script
        for page in (root / "site").rglob("*.html")
        for script in page_scripts(page.read_text(encoding="utf-8"))
    }


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = hostile_project(tmp_path_factory.mktemp("hostile"), PAYLOADS)
    result = run_cli("--root", root, "build", timeout=HANG_GUARD)
    assert result.code == 0, result.stdout + result.stderr
    return root / "site"


# ---- Hostile text builds safely -----------------------------------------------------------


@pytest.mark.slow
def test_payloads_in_every_field_build_into_safe_pages(
    hostile_site: Path, clean_scripts: set[str]
) -> None:
    problems = []
    pages = sorted(hostile_site.rglob("*.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        name = page.relative_to(hostile_site).as_posix()
        problems += [f"{name}: {p}" for p in unsafe_html(text, marker=MARKER)]
        problems += [
            f"{name}: a script no clean page has: {s[:100]!r}"
            for s in page_scripts(text)
            if s not in clean_scripts
        ]
    assert len(pages) > len(PAYLOADS) * 3
    assert problems == []


@pytest.mark.slow
def test_payloads_show_as_the_text_they_are(hostile_site: Path) -> None:
    """Escaped, not dropped: a reader sees the editor's text, markup and all."""
    index = PAYLOADS.index(f"<{MARKER}>custom</{MARKER}>")
    page = (hostile_site / "briefings" / f"case-{index}" / "index.html").read_text("utf-8")
    assert f"&lt;{MARKER}&gt;custom&lt;/{MARKER}&gt;" in page
    template = PAYLOADS.index(f'{{{{ {MARKER} }}}} {{% include "base.html" %}} {{# {MARKER} #}}')
    page = (hostile_site / "briefings" / f"case-{template}" / "index.html").read_text("utf-8")
    assert f"{{{{ {MARKER} }}}}" in page and "{% include" in page  # not evaluated
    entity = PAYLOADS.index(f'&lt;script&gt;alert("{MARKER}")&lt;/script&gt;')
    page = (hostile_site / "briefings" / f"case-{entity}" / "index.html").read_text("utf-8")
    assert "&amp;lt;script&amp;gt;" in page  # shown as typed, never decoded into a tag


@pytest.mark.slow
def test_the_search_index_holds_the_payloads_as_text(hostile_site: Path) -> None:
    """Pagefind indexes text: a payload is in the index as the characters typed (an element
    would have been stripped to its text). The search box escapes that text when it shows
    an excerpt: test_search_results_show_payloads_as_text checks it in Chromium."""
    content = "\n".join(record["content"] for record in pagefind_records(hostile_site))
    assert f'<img src=x onerror=alert("{MARKER}")>' in content
    assert f'<script>alert("{MARKER}")</script>' in content


def _search_hostile(site: Path, query: str) -> tuple[list[str], list[str], str, list[str]]:
    from playwright.sync_api import sync_playwright

    from bench.search import CHROMIUM, CHROMIUM_ARGS, RESULT, serve

    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(url)
            page.keyboard.press("/")
            page.keyboard.type(query)
            page.wait_for_selector(RESULT + " .pf-searchbox-result-excerpt mark")
            page.wait_for_load_state("networkidle")
            inside = page.eval_on_selector_all(
                ".bs-search .pf-searchbox-result-excerpt *", "els => els.map(e => e.tagName)"
            )
            targets = page.eval_on_selector_all(
                ".bs-search [href], .bs-search [src]",
                "els => els.map(e => e.getAttribute('href') || e.getAttribute('src'))",
            )
            shown = page.inner_text(".bs-search .pf-searchbox-results")
        finally:
            browser.close()
    return inside, targets, shown, dialogs


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("query", ["onerror", "iframe", "javascript", "ontoggle", MARKER])
def test_search_results_show_payloads_as_text(hostile_site: Path, query: str) -> None:
    # Its own thread: Playwright's sync API refuses to start where another session (the
    # browser tests' Chromium, kept open for the whole run) has an event loop running.
    with ThreadPoolExecutor(1) as pool:
        inside, targets, shown, dialogs = pool.submit(_search_hostile, hostile_site, query).result()
    assert set(inside) == {"MARK"}  # the excerpts' only elements are the highlights
    assert targets and all(t.startswith("/") for t in targets), targets
    assert dialogs == []
    assert query in shown


def _odd_but_valid(root: Path) -> Path:
    """Right-to-left text and its controls, emoji, and very long strings: all valid data
    (control characters are not: tests/test_security_schema.py)."""
    article = json.loads(json.dumps(ARTICLE))
    article["title"] = "Bidirectional \u202eevil\u202c characters"
    article["summary"] = "مرحبا بالعالم — שלום עולם — 👩‍👩‍👧‍👦 🇰🇷 김정은\n\n" + "long " * 200_000
    article["key_points"] = [f"Point {i} " + "x" * 100 for i in range(2_000)]
    article["outlook"] = ["y" * 100_000]
    actors = json.loads(json.dumps(ACTORS))
    actors["alpha"]["aliases"] = ["A" * 10_000, "\u200f\u202b" + "قائمة" + "\u202c", "🙂" * 50]
    actors["alpha"]["name"] = "Alpha " + "n" * 5_000
    return write_project(root, article, actors)


@pytest.mark.slow
def test_control_rtl_emoji_and_very_long_text_build(tmp_path: Path) -> None:
    root = _odd_but_valid(tmp_path)
    assert (root / "briefings" / "articles" / "alpha-acts.yaml").stat().st_size > 1_000_000
    result = run_cli("--root", root, "build", timeout=HANG_GUARD)
    assert result.code == 0, result.stderr
    page = (root / "site" / "briefings" / "alpha-acts" / "index.html").read_text("utf-8")
    assert "مرحبا بالعالم" in page and "שלום עולם" in page and "👩‍👩‍👧‍👦" in page
    assert "Point 1999 " in page
    for html in (root / "site").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text), html


# ---- Hostile files fail with a clear error ---------------------------------------------------


def _validate_with(tmp_path: Path, name: str, content: bytes | str) -> list[str]:
    """Validate the real data plus one article file with `content`; the error lines."""
    project = make_project(tmp_path / "p")
    target = project / "briefings" / "articles" / name
    raw = content.encode("utf-8") if isinstance(content, str) else content
    target.write_bytes(raw)
    result = run_cli("--root", project, "validate", timeout=HANG_GUARD)
    assert result.code == 1, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines[-1].endswith("nothing was written."), result.stderr
    for line in lines[:-1]:
        assert re.fullmatch(r"briefings/\S+:\d+:\d+: error: \S.*", line), line
    assert "Traceback" not in result.stderr
    return lines[:-1]


def test_a_raw_control_character_is_an_error_at_its_place(tmp_path: Path) -> None:
    """A NUL or ESC typed into a file: YAML refuses it, and the error says where."""
    content = "title: Fine\npublished: 2024\nsummary: bad \x1b[31m text\n"
    assert _validate_with(tmp_path, "control.yaml", content) == [
        "briefings/articles/control.yaml:3:14: error: invalid YAML: the control character "
        "U+001B is not allowed: remove it"
    ]


def test_nesting_past_the_limit_is_an_error(tmp_path: Path) -> None:
    content = "title: x\nextra: " + "[" * 40 + "]" * 40 + "\n"
    assert _validate_with(tmp_path, "nested.yaml", content) == [
        "briefings/articles/nested.yaml:2:40: error: values are nested more than 32 levels deep"
    ]


@pytest.mark.slow
def test_nesting_deeper_than_the_parser_can_go_is_an_error(tmp_path: Path) -> None:
    content = "title: x\nextra: " + "[" * 100_000 + "]" * 100_000 + "\n"
    [line] = _validate_with(tmp_path, "deep.yaml", content)
    assert line.startswith("briefings/articles/deep.yaml:")
    assert "nested" in line


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    content = "title: x\nsummary: |\n" + ("  " + "z" * 98 + "\n") * 30_000
    assert _validate_with(tmp_path, "huge.yaml", content) == [
        "briefings/articles/huge.yaml:1:1: error: the file is larger than 2,000,000 bytes"
    ]


def test_an_alias_bomb_is_stopped(tmp_path: Path) -> None:
    """Nine levels of ten aliases each would expand to a billion values."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    [line] = _validate_with(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    assert line.startswith("briefings/articles/bomb.yaml:")
    assert line.endswith(
        "the document expands to more than 100,000 values "
        "(are aliases repeating a large part of it?)"
    )


def test_an_alias_bomb_of_mappings_is_stopped(tmp_path: Path) -> None:
    lines = ["m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10}"]
    for level in range(1, 8):
        fields = ", ".join(f"k{i}: *m{level - 1}" for i in range(10))
        lines.append(f"m{level}: &m{level} {{{fields}}}")
    [line] = _validate_with(tmp_path, "bomb-map.yaml", "\n".join(lines) + "\n")
    assert "expands to more than 100,000 values" in line


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "title: !!python/object/apply:os.system ['true']\n",
            "the YAML tag `!!python/object/apply:os.system` is not allowed: write plain values",
        ),
        ("title: x\ntitle: y\n", "duplicate key `title` (first given on line 1)"),
        ("- a\n- b\n", "expected a mapping of fields at the top level, found a list"),
        ("title: 'open\n", "invalid YAML: found unexpected end of stream"),
        (b"title: \xff\xfe\n", "the file is not UTF-8 (byte 0xff)"),
    ],
    ids=["python-tag", "duplicate-key", "a-list", "unclosed-quote", "not-utf8"],
)
def test_hostile_yaml_is_an_error_naming_its_place(
    tmp_path: Path, content: str | bytes, message: str
) -> None:
    lines = _validate_with(tmp_path, "hostile.yaml", content)
    assert any(line.endswith(f"error: {message}") for line in lines), lines


# ---- A failed build leaves the previous site as it was ----------------------------------


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("built") / "p")
    result = run_cli("--root", project, "build", timeout=HANG_GUARD)
    assert result.code == 0, result.stderr
    return project


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> Path:
    """A built project of the test's own: a copy of one build (seconds each, when every test
    built its own)."""
    copy = tmp_path / "p"
    shutil.copytree(built_once, copy, symlinks=True)
    return copy


def _leftovers(project: Path) -> list[str]:
    """Folders a build made beside the site (its lock file stays, empty)."""
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site.") and p.is_dir())


@pytest.mark.slow
def test_a_data_error_leaves_site_and_pages_as_they_were(built: Path) -> None:
    site, pages = site_hashes(built / "site"), site_hashes(built / "build")
    (built / "briefings" / "actors" / "japan.yaml").write_text("name: [unclosed\n", "utf-8")
    result = run_cli("--root", built, "build", timeout=HANG_GUARD)
    assert result.code == 1
    assert site_hashes(built / "site") == site
    assert site_hashes(built / "build") == pages
    assert _leftovers(built) == []


@pytest.mark.slow
def test_a_strict_mkdocs_warning_leaves_the_site_as_it_was(built: Path) -> None:
    """A hand-written page with a broken link fails `mkdocs build --strict`."""
    site = site_hashes(built / "site")
    shutil.copytree(ROOT / "docs", built / "docs")
    (built / "docs" / "broken.md").write_text("# Broken\n\n[gone](missing.md)\n", "utf-8")
    result = run_cli("--root", built, "build", timeout=HANG_GUARD)
    assert result.code == 1
    assert "missing.md" in result.stderr
    assert site_hashes(built / "site") == site
    assert _leftovers(built) == []


@pytest.mark.slow
def test_a_failing_search_indexer_leaves_the_site_as_it_was(built: Path, tmp_path: Path) -> None:
    site = site_hashes(built / "site")
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'indexer exploded' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    env = {**os.environ, "PAGEFIND_BINARY_PATH": str(fake)}
    (built / "briefings" / "actors" / "japan.yaml").write_text(
        (built / "briefings" / "actors" / "japan.yaml")
        .read_text("utf-8")
        .replace("name: Japan", "name: Nippon"),
        "utf-8",
    )
    result = run_cli("--root", built, "build", env=env, timeout=HANG_GUARD)
    assert result.code == 1
    assert "indexer exploded" in result.stderr and "Traceback" not in result.stderr
    assert site_hashes(built / "site") == site
    assert _leftovers(built) == []


@pytest.mark.slow
def test_an_interrupted_mkdocs_build_leaves_the_site_as_it_was(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+C while MkDocs writes the new site: the half-built folder is thrown away."""
    import generator.build as orchestrator

    site = site_hashes(built / "site")
    real = orchestrator.run_mkdocs

    def interrupted(project: Any, site_dir: Path, **options: Any) -> None:
        real(project, site_dir, **options)
        assert (site_dir / "index.html").is_file()  # the new site was being written
        raise KeyboardInterrupt

    monkeypatch.setattr(orchestrator, "run_mkdocs", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(built, full=True)  # nothing changed: only --full makes MkDocs run
    assert site_hashes(built / "site") == site
    assert _leftovers(built) == []


def _edited_copy(project: Path, target: Path) -> tuple[Path, dict[str, str]]:
    """Edit a title every page kind shows; the pages a complete generation would write."""
    japan = project / "briefings" / "actors" / "japan.yaml"
    japan.write_text(japan.read_text("utf-8").replace("name: Japan", "name: Nippon"), "utf-8")
    shutil.copytree(project / "briefings", target / "briefings")
    generate(target)
    return target, site_hashes(target / "build" / "docs")


class _StreamThatBreaks:
    """A file that writes half of what it is given, then the process is interrupted."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def __enter__(self) -> _StreamThatBreaks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()

    def write(self, data: bytes) -> int:
        self.stream.write(data[: len(data) // 2])
        self.stream.flush()
        raise KeyboardInterrupt


class _OsThatBreaks:
    """The writer's `os`, whose `fdopen` gives a breaking file on the `after`th call."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def fdopen(self, fd: int, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        stream = os.fdopen(fd, *args, **kwargs)
        return _StreamThatBreaks(stream) if self.calls == self.after else stream


@pytest.mark.slow
def test_an_interrupted_generation_leaves_no_half_written_page(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = built / "build" / "docs"
    old = site_hashes(docs)
    site = site_hashes(built / "site")
    _, new = _edited_copy(built, tmp_path / "copy")
    assert {p for p in new if new[p] != old.get(p)}, "the edit changes no page"
    monkeypatch.setattr(write, "os", _OsThatBreaks(after=3))
    with pytest.raises(KeyboardInterrupt):
        generate(built)
    now = site_hashes(docs)
    assert not [p for p in now if Path(p).name.startswith(".")], "a temporary file is left"
    assert all(now[p] in (old.get(p), new.get(p)) for p in now), "a page is half written"
    assert site_hashes(built / "site") == site
    monkeypatch.undo()
    generate(built)
    assert site_hashes(docs) == new


_KILLER = """
import os, signal, sys
import generator.publish.write as w

class _Os:
    calls = 0
    def __getattr__(self, name):
        return getattr(os, name)
    def fdopen(self, fd, *args, **kwargs):
        _Os.calls += 1
        stream = os.fdopen(fd, *args, **kwargs)
        if _Os.calls < {after}:
            return stream
        class Half:
            def __enter__(self): return self
            def __exit__(self, *exc): stream.close()
            def write(self, data):
                stream.write(data[: len(data) // 2]); stream.flush()
                os.kill(os.getpid(), signal.SIGKILL)
        return Half()

w.os = _Os()
"""


@pytest.mark.slow
def test_a_killed_generation_leaves_no_half_written_page(built: Path, tmp_path: Path) -> None:
    """SIGKILL in the middle of writing a page (no cleanup can run): every page is the old
    or the new one, whole; the next run finishes the job and removes the temporary file."""
    docs = built / "build" / "docs"
    old = site_hashes(docs)
    site = site_hashes(built / "site")
    _, new = _edited_copy(built, tmp_path / "copy")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(textwrap.dedent(_KILLER.format(after=3)), "utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), str(ROOT)])}
    result = run_cli("--root", built, "build", "--full", env=env, timeout=HANG_GUARD)
    assert result.code == -9, result.stderr
    now = site_hashes(docs)
    temporary = [p for p in now if Path(p).name.startswith(".")]
    assert len(temporary) == 1  # the page being written when the process died
    assert all(now[p] in (old.get(p), new.get(p)) for p in now if p not in temporary)
    assert site_hashes(built / "site") == site
    assert run_cli("--root", built, "build", timeout=HANG_GUARD).code == 0
    assert site_hashes(docs) == new


_MKDOCS_KILLER = """
import os, signal
import generator.build as b

real = b.run_mkdocs

def killed(project, site_dir, **options):
    real(project, site_dir, **options)
    os.kill(os.getpid(), signal.SIGKILL)

b.run_mkdocs = killed
"""


@pytest.mark.slow
def test_a_build_killed_while_making_the_site_is_cleaned_up_by_the_next(
    built: Path, tmp_path: Path
) -> None:
    """SIGKILL after MkDocs wrote the new site beside the old one: the old site stays, and
    the next build removes the abandoned folder (at 10,000 briefings, about 1.5 GB)."""
    site = site_hashes(built / "site")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(textwrap.dedent(_MKDOCS_KILLER), "utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), str(ROOT)])}
    result = run_cli("--root", built, "build", "--full", env=env, timeout=HANG_GUARD)
    assert result.code == -9, result.stderr
    assert site_hashes(built / "site") == site
    assert _leftovers(built) == [".site.new"]
    assert run_cli("--root", built, "build", timeout=HANG_GUARD).code == 0
    assert _leftovers(built) == []


def _build_folder(parent: Path, name: str) -> Path:
    folder = parent / name
    folder.mkdir()
    (folder / "index.html").write_text(name, "utf-8")
    return folder


def _write_index(text: str) -> Callable[[Path], None]:
    return lambda folder: (folder / "index.html").write_text(text, "utf-8")


def test_a_new_site_replaces_the_old_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    """What a killed build left (`.site.new`) is removed; hand-made folders are not touched."""
    site = _build_folder(tmp_path, "site")
    _build_folder(tmp_path, ".site.new")
    _build_folder(tmp_path, "site.backup")
    write.replace_site(site, _write_index("new"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site", "site.backup"]
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]
    assert (site / "index.html").read_text("utf-8") == "new"
    assert site.stat().st_mode & 0o777 == 0o755  # readable by a web server's user


def test_a_site_moved_aside_by_a_killed_build_goes_back(tmp_path: Path) -> None:
    """Killed between the two renames of the swap, a build left no `site/`: the previous
    site comes back, even when the next build fails."""
    _build_folder(tmp_path, ".site.old")

    def failing(folder: Path) -> None:
        raise BuildError("mkdocs failed")

    with pytest.raises(BuildError):
        write.replace_site(tmp_path / "site", failing)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]
    assert (tmp_path / "site" / "index.html").read_text("utf-8") == ".site.old"


def test_a_failed_build_leaves_the_site_as_it_was_and_no_folder(tmp_path: Path) -> None:
    site = _build_folder(tmp_path, "site")

    def failing(folder: Path) -> None:
        (folder / "index.html").write_text("half", "utf-8")
        raise BuildError("mkdocs failed")

    with pytest.raises(BuildError):
        write.replace_site(site, failing)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]
    assert (site / "index.html").read_text("utf-8") == "site"


@pytest.mark.skipif(sys.platform == "win32", reason="no advisory locks")
def test_a_second_build_waits_for_the_first_instead_of_sweeping_its_folder(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """While one build makes its site, another build of the same site waits: sweeping the
    first one's `.site.new` as a killed build's would pull the folder from under MkDocs."""
    site = tmp_path / "site"
    inside, release = threading.Event(), threading.Event()
    seen: list[str] = []

    def slow(folder: Path) -> None:
        (folder / "index.html").write_text("first", "utf-8")
        inside.set()
        assert release.wait(HANG_GUARD)
        seen.append((folder / "index.html").read_text("utf-8"))

    first = threading.Thread(target=write.replace_site, args=(site, slow))
    first.start()
    assert inside.wait(HANG_GUARD)
    second = threading.Thread(target=write.replace_site, args=(site, _write_index("second")))
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waiting for the lock
    release.set()
    first.join(HANG_GUARD)
    second.join(HANG_GUARD)
    assert seen == ["first"]  # the first build's folder was left alone
    assert (site / "index.html").read_text("utf-8") == "second"
    assert f"Waiting for another build of {tmp_path}..." in capfd.readouterr().err


# ---- Scale: the benchmark's corpus is valid data -------------------------------------------


def test_the_benchmark_corpus_is_valid_and_deterministic(tmp_path: Path) -> None:
    first = write_corpus(tmp_path / "a", 60)
    second = write_corpus(tmp_path / "b", 60)
    assert first == second
    assert site_hashes(tmp_path / "a" / "briefings") == site_hashes(tmp_path / "b" / "briefings")
    corpus = load_model(tmp_path / "a")
    assert len(corpus.articles) == 60 and len(corpus.actors) == first["actors"]
    assert any(e for e in corpus.timeline if len(e.sources) > 1)  # shared events
    assert any(a.data.published.precision != "day" for a in corpus.articles.values())
    assert any(
        re.search("[\uac00-\ud7a3]", alias)
        for a in corpus.actors.values()
        for alias in a.data.aliases
    )


def test_errors_are_the_projects_own(tmp_path: Path) -> None:
    """Every failure the hostile tests provoke is a BriefingError, never a traceback."""
    assert issubclass(BuildError, BriefingError)
    project = make_project(tmp_path / "p")
    (project / "briefings" / "articles" / "x.yaml").write_bytes(b"title: \x00\n")
    with pytest.raises(BriefingError):
        generate(project)


# ---- The fast YAML parser reads files exactly as PyYAML's own does -----------------------


def _load_both(file: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    from generator.data import load, yaml_tree

    def seen(result: tuple[load.Document | None, list[Any]]) -> Any:
        doc, problems = result
        if doc is None:
            return None, problems
        return (doc.data, doc.positions, doc.key_positions, doc.bool_words), problems

    fast = seen(load.load_file(file, root))
    with monkeypatch.context() as patch:
        patch.setattr(yaml_tree, "_parse_fast", lambda text: None)
        slow = seen(load.load_file(file, root))
    return fast, slow


@pytest.mark.slow
def test_libyaml_and_pyyaml_read_every_file_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same data, same line and column of every value and key, same problems: for the real
    data, every test fixture, a benchmark corpus and every hostile file of this module."""
    write_corpus(tmp_path / "bench", 30)
    hostile_project(tmp_path / "hostile", PAYLOADS)
    _odd_but_valid(tmp_path / "odd")
    extra = tmp_path / "extra"
    extra.mkdir()
    for name, content in {
        "control.yaml": "title: bad \x1b[31m\n",
        "tabs.yaml": "title:\tx\n\tsummary: y\n",
        "nested.yaml": "a: " + "[" * 2000 + "]" * 2000 + "\n",
        "block.yaml": "a:\n" + "".join("  " * i + "- \n" for i in range(50)),
        "anchors.yaml": "a: &x {b: 1}\nc: *x\nd: !!str 2024-01-01\ne: yes\nf: 0x1F\n",
        "crlf.yaml": "title: x\r\nsummary: |\r\n  a\r\n  b\r\n",
        "unicode.yaml": 'title: "\\u2028 \\x85"\nname: 김정은 👩‍👩‍👧\nkey: [a, b]\n',
        "doc-end.yaml": "title: x\n...\n",
        "two-docs.yaml": "title: x\n---\ntitle: y\n",
        "bom.yaml": "\ufefftitle: x\n",
    }.items():
        (extra / name).write_text(content, encoding="utf-8", newline="")
    folders = [ROOT / "briefings", ROOT / "tests" / "fixtures", tmp_path]
    files = sorted({f for folder in folders for f in folder.rglob("*.yaml")})
    assert len(files) > 150
    from generator.data.yaml_tree import _parse_fast

    parsed_fast = [
        f
        for f in files
        if _parse_fast(f.read_text(encoding="utf-8-sig", errors="replace")) is not None
    ]
    assert len(parsed_fast) > len(files) * 0.8  # libyaml is used, not only the fallback
    for file in files:
        fast, slow = _load_both(file, file.parent, monkeypatch)
        assert fast == slow, file


def _related_by_candidate(corpus: Any) -> dict[str, list[Any]]:
    """The related-briefings index as first written (each candidate's shared features
    built and scored), the reference for the faster one."""
    from generator.model import related as model

    latest = corpus.latest()
    rank = {article.id: index for index, article in enumerate(latest)}
    features = {
        a.id: model._Features(
            tuple(dict.fromkeys(x.actor for x in a.data.actors)),
            tuple(e.key for e in corpus.events_of_article.get(a.id, [])),
            tuple(dict.fromkeys(a.data.tags)),
        )
        for a in latest
    }
    postings: dict[tuple[str, str], list[str]] = {}
    for article_id, found in features.items():
        for key in found.features():
            postings.setdefault(key, []).append(article_id)
    related = {}
    for article in latest:
        mine = features[article.id]
        candidates = {
            other
            for key in mine.features()
            if len(postings[key]) <= model.COMMON_FEATURE
            for other in postings[key]
            if other != article.id
        }

        def shared(other: str, mine: Any = mine) -> Any:
            return model._shared(corpus.articles[other], mine, features[other])

        scored = sorted(candidates, key=lambda other: (-shared(other).score, rank[other]))
        related[article.id] = [shared(other) for other in scored[: model.RELATED_LIMIT]]
    return related


@pytest.mark.parametrize("common", [100, 8, 3])
def test_related_briefings_are_those_of_the_plain_algorithm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, common: int
) -> None:
    from generator.model import related as model

    monkeypatch.setattr(model, "COMMON_FEATURE", common)
    write_corpus(tmp_path, 300)
    corpus = load_model(tmp_path)
    assert corpus.related == _related_by_candidate(corpus)
    assert sum(len(items) for items in corpus.related.values()) > 50


def test_tag_timelines_are_the_timeline_filtered_by_tag(tmp_path: Path) -> None:
    write_corpus(tmp_path, 200)
    corpus = load_model(tmp_path)
    for tag, articles in corpus.tags.items():
        ids = {a.id for a in articles}
        expected = [e for e in corpus.timeline if any(s.id in ids for s in e.sources)]
        assert corpus.tag_timeline(tag) == expected
    assert corpus.tag_timeline("no-such-tag") == []
    assert sum(len(corpus.tag_timeline(tag)) for tag in corpus.tags) > len(corpus.timeline)


def test_a_site_that_is_a_link_is_replaced_build_after_build(tmp_path: Path) -> None:
    """`site/` a link to a folder elsewhere (a web server's, say): the first build puts a
    folder in its place and leaves the linked folder alone; later builds go on as usual."""
    elsewhere = _build_folder(tmp_path, "elsewhere")
    site = tmp_path / "project" / "site"
    site.parent.mkdir()
    site.symlink_to(elsewhere, target_is_directory=True)
    for text in ("first", "second", "third"):
        write.replace_site(site, _write_index(text))
        assert not site.is_symlink()
        assert (site / "index.html").read_text("utf-8") == text
    assert (elsewhere / "index.html").read_text("utf-8") == "elsewhere"
    assert sorted(p.name for p in site.parent.iterdir()) == [".site.lock", "site"]


@pytest.mark.skipif(sys.platform == "win32", reason="flock is what is taken away here")
def test_without_locks_two_builds_never_share_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system without locks, each build makes its site in a folder of its own and
    sweeps nothing, so a second build never removes the first one's folder under it."""
    import fcntl

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(37, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    site = tmp_path / "site"
    inside, release = threading.Event(), threading.Event()
    folders: list[Path] = []

    def slow(folder: Path) -> None:
        folders.append(folder)
        (folder / "index.html").write_text("first", "utf-8")
        inside.set()
        assert release.wait(HANG_GUARD)
        assert (folder / "index.html").read_text("utf-8") == "first"

    first = threading.Thread(target=write.replace_site, args=(site, slow))
    first.start()
    assert inside.wait(HANG_GUARD)
    write.replace_site(site, lambda f: (folders.append(f), _write_index("second")(f)))
    assert (site / "index.html").read_text("utf-8") == "second"
    release.set()
    first.join(HANG_GUARD)
    assert folders[0] != folders[1]
    assert (site / "index.html").read_text("utf-8") == "first"  # the last to finish
    assert [p.name for p in tmp_path.iterdir() if p.name != "site"] == [".site.lock"]
