"""Incremental builds: the site an incremental build makes is byte-identical to a clean
build of the same data, for every kind of change; what it cannot prove the same is built in
full, and says why; the previous site is never written to."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import generator
from generator.build import build
from generator.problems import BuildError
from generator.publish import mkdocs
from generator.publish.incremental import digest_of
from generator.publish.page_memo import PageMemo
from generator.publish.site_record import SiteRecord
from tests.conftest import FIXTURES, ROOT, run_cli

pytestmark = pytest.mark.slow

CORPUS = FIXTURES / "corpus" / "briefings"


def _project(target: Path) -> Path:
    """A self-contained project: the fixture data, and a copy of this repository's
    mkdocs.yml, overrides/ and docs/, which the cases below change."""
    target.mkdir(parents=True)
    shutil.copytree(CORPUS, target / "briefings")
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", target / "overrides")
    shutil.copytree(ROOT / "docs", target / "docs", ignore=shutil.ignore_patterns("images"))
    return target


def _tree(site: Path) -> dict[str, bytes]:
    return {
        file.relative_to(site).as_posix(): file.read_bytes()
        for file in sorted(site.rglob("*"))
        if file.is_file()
    }


def _clean_build(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """The site a clean build of `root`'s data makes (in a copy with no build/ or site/)."""
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("build", "site", ".site*"))
    build(clean)
    return _tree(clean / "site")


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


ARTICLE = Path("briefings/articles/alpha-summit.yaml")
NEW_ARTICLE = """\
title: Gamma News reports a new border crossing
published: 2024-05-01
source: {outlet: Test Wire, author: C. Writer}
summary: A new crossing opened.
key_points: [A crossing opened.]
actors:
  - {actor: gamma-news, role: Reported it.}
  - {actor: beta, role: Opened the crossing.}
events:
  - {date: 2024-04-30, what: The crossing opens., actors: [beta]}
tags: [border]
"""


def _summary(root: Path) -> None:
    _edit(root / ARTICLE, "must stay text.", "must stay text. One more line.")


def _title(root: Path) -> None:
    _edit(root / ARTICLE, "meet at the border\n", "meet at the river\n")


def _added(root: Path) -> None:
    (root / "briefings/articles/beta-crossing.yaml").write_text(NEW_ARTICLE, encoding="utf-8")


def _removed(root: Path) -> None:
    (root / "briefings/articles/beta-crossing.yaml").unlink()


def _renamed(root: Path) -> None:
    old = root / "briefings/articles/2024/beta-reacts.yaml"
    text = old.read_text(encoding="utf-8")
    old.unlink()
    (root / "briefings/articles/2024/beta-responds.yaml").write_text(
        text + "former_ids: [beta-reacts]\n" if "former_ids" not in text else text,
        encoding="utf-8",
    )


def _actor(root: Path) -> None:
    _edit(root / "briefings/actors/beta.yaml", "name: Beta", "name: Beta Republic")


def _tag(root: Path) -> None:
    _edit(root / ARTICLE, "tags: [trade, diplomacy]", "tags: [trade, diplomacy, borders]")


def _site_name(root: Path) -> None:
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("site_name:"))
    _edit(root / "mkdocs.yml", name, "site_name: Another name")


def _overrides(root: Path) -> None:
    main = root / "overrides/main.html"
    main.write_text(main.read_text(encoding="utf-8") + "\n{# changed #}\n", encoding="utf-8")


def _docs(root: Path) -> None:
    guide = root / "docs/guide/index.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")


# Each case: the change, and whether the site is then built in part or in full.
CASES: list[tuple[str, Callable[[Path], None], bool]] = [
    ("summary edit", _summary, False),
    ("title edit", _title, False),
    ("briefing added", _added, False),
    ("briefing removed", _removed, False),
    ("briefing renamed (former_ids)", _renamed, False),
    ("actor edit", _actor, False),
    ("tag added", _tag, False),
    ("mkdocs.yml site_name", _site_name, True),
    ("overrides/", _overrides, True),
    ("docs/", _docs, False),
]


def test_every_incremental_build_equals_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path / "project")
    first = build(root)
    assert first.plan.full == "no record of the previous site"
    again = build(root)
    assert again.plan.unchanged and not again.pages.written
    for name, change, full in CASES:
        before = _inodes(root / "site")
        change(root)
        report = build(root)
        assert (report.plan.full is not None) is full, (name, report.plan)
        if not full:
            assert report.plan.changed or report.plan.removed, name
        assert _tree(root / "site") == _clean_build(root, tmp_path), name
        _assert_linked_not_written(before, root / "site")
    # The generator's own version: everything is rendered and built again.
    monkeypatch.setattr(generator, "__version__", "99.0")
    report = build(root)
    assert report.plan.full is not None
    assert len(report.pages.written) == 0  # the same pages, rendered again
    assert _tree(root / "site") == _clean_build(root, tmp_path)


def _inodes(site: Path) -> dict[int, bytes]:
    return {
        file.stat().st_ino: hashlib.sha256(file.read_bytes()).digest()
        for file in site.rglob("*")
        if file.is_file()
    }


def _assert_linked_not_written(before: dict[int, bytes], site: Path) -> None:
    """A file of the new site that is the previous site's file (a hard link) has the
    content the previous site had: the build wrote only new files."""
    for file in site.rglob("*"):
        if file.is_file() and file.stat().st_ino in before:
            assert hashlib.sha256(file.read_bytes()).digest() == before[file.stat().st_ino]


def test_full_rebuilds_every_page_and_says_so(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    assert run_cli("--root", root, "build").code == 0
    result = run_cli("--root", root, "build", "--full")
    assert result.code == 0, result.stderr
    assert "Site: built in full (--full)." in result.stdout
    result = run_cli("--root", root, "build")
    assert "Site: unchanged (nothing to rebuild)." in result.stdout
    _summary(root)
    result = run_cli("--root", root, "build")
    assert "Site: incremental (" in result.stdout, result.stdout


def test_a_failed_incremental_build_leaves_the_site_and_the_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path / "project")
    build(root)
    site = _tree(root / "site")
    _title(root)

    def failing(*args: object, **kwargs: object) -> None:
        raise BuildError("MkDocs failed: on purpose")

    monkeypatch.setattr(mkdocs, "build_site", failing)
    with pytest.raises(BuildError):
        build(root)
    assert _tree(root / "site") == site
    monkeypatch.undo()
    report = build(root)  # the record still describes the site in place
    assert report.plan.full is None and report.plan.changed
    assert _tree(root / "site") == _clean_build(root, tmp_path)


def test_a_site_changed_by_another_tool_is_built_in_full(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    build(root)
    (root / "site" / "stray.html").write_text("not ours", encoding="utf-8")
    _summary(root)
    report = build(root)
    assert report.plan.full == "the site folder is not the one the last build made"
    assert not (root / "site" / "stray.html").exists()


def test_a_previous_site_missing_a_file_falls_back_to_full(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """A page missing from the site in place and from its record (which the plan finds the
    same) is found missing when MkDocs' output is completed: the site is built in full."""
    root = _project(tmp_path / "project")
    build(root)
    record = SiteRecord.load(root / "build/cache/site.json")
    assert record is not None
    (root / "site/actors/alpha/index.html").unlink()
    site = {p: s for p, s in record.site.items() if p != "actors/alpha/index.html"}
    SiteRecord(record.builder, record.strict, record.docs, site, record.anchors).save(
        root / "build/cache/site.json"
    )
    _summary(root)
    report = build(root)
    assert report.plan.full is None
    assert "Building the whole site: the previous site has no actors/alpha/index.html" in (
        capfd.readouterr().err
    )
    assert _tree(root / "site") == _clean_build(root, tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        '{"format": 2, "key": "x", "units": {"home": ["d", ["nope"], {}]}}',
        '{"format": 1, "units": []}',
        "[" * 100_000,
        *(
            '{"format": 3, "key": "x", "units": {' + units + "}}"
            for units in (
                '"home": ["d", ["articles"], {"../index.md": [1, 2, "d"]}]',
                '"home": ["d", ["articles"], {"/index.md": [1, 2, "d"]}]',
                '"home": ["d", ["articles"], {"a//index.md": [1, 2, "d"]}]',
                '"home": ["d", ["articles"], {"./index.md": [1, 2, "d"]}]',
                '"home": ["d", [], {"index.md": [1, 2, "d"]}]',
                '"home": ["d", ["articles"], {}]',
                '"home": ["d", ["articles"], {"index.md": [1, 2, "d"]}],'
                ' "timeline": ["d", ["timeline"], {"index.md": [1, 2, "d"]}]',
            )
        ),
    ],
)
def test_a_corrupt_record_is_ignored(tmp_path: Path, text: str) -> None:
    file = tmp_path / "pages.json"
    file.write_text(text, encoding="utf-8")
    assert PageMemo.load(file, "x").units == {}
    (tmp_path / "site.json").write_text(text, encoding="utf-8")
    assert SiteRecord.load(tmp_path / "site.json") is None


def test_a_tampered_record_rebuilds_the_tampered_files(tmp_path: Path) -> None:
    """A page of the docs folder changed behind the generator's back is rendered again."""
    root = _project(tmp_path / "project")
    build(root)
    page = root / "build/docs/actors/alpha.md"
    page.write_text("tampered", encoding="utf-8")
    report = build(root)
    assert "actors/alpha.md" in report.pages.written
    assert _tree(root / "site") == _clean_build(root, tmp_path)


def test_a_restored_cache_builds_incrementally(tmp_path: Path) -> None:
    """CI restores build/ and site/ from its cache: other inodes, other times, the same
    content. The build after an edit is still incremental, and still a clean build's."""
    first = _project(tmp_path / "first")
    build(first)
    restored = tmp_path / "restored"
    shutil.copytree(first, restored, symlinks=True)
    for file in restored.rglob("*"):
        os.utime(file)  # every time is the restore's
    _summary(restored)
    report = build(restored)
    assert report.plan.full is None, report.plan
    assert 0 < len(report.plan.changed) < 10
    assert _tree(restored / "site") == _clean_build(restored, tmp_path)


def test_the_deploy_workflow_keeps_build_and_site_between_runs() -> None:
    """The deploy restores build/ and site/ under a key that changes with the generator,
    the locks, mkdocs.yml and overrides/, and saves them after building."""
    import yaml

    workflow = yaml.safe_load((ROOT / ".github/workflows/deploy.yml").read_text("utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    names = [step.get("uses", "").split("@")[0] or step.get("run") for step in steps]
    restore = names.index("actions/cache/restore")
    assert restore < names.index("make site") < names.index("actions/cache/save")
    for step in (steps[restore], steps[names.index("actions/cache/save")]):
        assert step["with"]["path"].split() == ["build", "site"]
        key = step["with"]["key"]
        for part in ("generator/**", "requirements.lock", "mkdocs.yml", "overrides/**"):
            assert part in key
        assert key.endswith("-${{ github.sha }}")


def test_the_builder_fingerprint_follows_config_overrides_and_indexer(tmp_path: Path) -> None:
    from generator.publish.site_record import builder_fingerprint

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text("a", encoding="utf-8")
    indexer = tmp_path / "pagefind"
    indexer.write_bytes(b"binary 1")
    first = builder_fingerprint(mkdocs.config_values(config), overrides, indexer)
    assert builder_fingerprint(mkdocs.config_values(config), overrides, indexer) == first
    indexer.write_bytes(b"binary 2")
    second = builder_fingerprint(mkdocs.config_values(config), overrides, indexer)
    (overrides / "main.html").write_text("b", encoding="utf-8")
    third = builder_fingerprint(mkdocs.config_values(config), overrides, indexer)
    config.write_text("site_name: y\n", encoding="utf-8")
    fourth = builder_fingerprint(mkdocs.config_values(config), overrides, indexer)
    assert len({first, second, third, fourth}) == 4


_KILLER = """
import os, signal
import generator.build as b

real = b.run_mkdocs

def killed(project, site_dir, **options):
    real(project, site_dir, **options)
    os.kill(os.getpid(), signal.SIGKILL)

b.run_mkdocs = killed
"""


def test_a_killed_incremental_build_leaves_the_site_and_the_next_build_is_right(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path / "project")
    assert run_cli("--root", root, "build").code == 0
    site = _tree(root / "site")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_KILLER, "utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), str(ROOT)])}
    _title(root)
    result = run_cli("--root", root, "build", env=env)
    assert result.code == -9, result.stderr
    assert "Site: incremental" not in result.stdout  # it never got that far
    assert _tree(root / "site") == site  # linked, never written: the site is as it was
    result = run_cli("--root", root, "build")
    assert result.code == 0, result.stderr
    assert "Site: incremental (" in result.stdout  # the record still describes the site
    assert _tree(root / "site") == _clean_build(root, tmp_path)
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == [".site.lock"]


def test_a_hand_written_link_to_a_removed_briefing_fails_as_in_a_full_build(
    tmp_path: Path,
) -> None:
    """Generated pages change whenever a link of theirs would break; a hand-written page
    does not, so it is built again (and its links checked) whenever pages are removed."""
    root = _project(tmp_path / "project")
    (root / "docs/guide/see-also.md").write_text(
        "# See also\n\n[The tariffs](../briefings/alpha-tariffs.md)\n", encoding="utf-8"
    )
    build(root)
    site = _tree(root / "site")
    (root / "briefings/articles/2024/alpha-tariffs.yaml").unlink()
    with pytest.raises(BuildError, match="strict"):
        build(root)
    assert _tree(root / "site") == site
    with pytest.raises(BuildError, match="strict"):
        build(root, full=True)


def test_another_site_url_from_the_environment_builds_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mkdocs.yml takes `site_url` from BRIEFING_SITE_URL (`!ENV`): every page's canonical
    link changes with it, although mkdocs.yml's bytes do not."""
    root = _project(tmp_path / "project")
    monkeypatch.setenv("BRIEFING_SITE_URL", "https://one.example.org/")
    build(root)
    monkeypatch.setenv("BRIEFING_SITE_URL", "https://two.example.org/briefings/")
    report = build(root)
    assert report.plan.full == "mkdocs.yml, overrides/, the generator or the builder changed"
    site = _tree(root / "site")
    assert b"https://two.example.org/briefings/actors/alpha/" in site["actors/alpha/index.html"]
    assert site == _clean_build(root, tmp_path)


def test_an_inherited_config_is_part_of_the_builder(tmp_path: Path) -> None:
    """A value mkdocs.yml takes from the file it names in `INHERIT` is the builder's too."""
    from generator.publish.site_record import builder_fingerprint

    (tmp_path / "base.yml").write_text("copyright: one\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("INHERIT: base.yml\nsite_name: x\n", encoding="utf-8")
    first = builder_fingerprint(mkdocs.config_values(config), None, None)
    (tmp_path / "base.yml").write_text("copyright: two\n", encoding="utf-8")
    assert builder_fingerprint(mkdocs.config_values(config), None, None) != first


@pytest.mark.parametrize("edit", [_summary, None], ids=["summary edit", "no change"])
def test_a_file_changed_inside_the_site_is_found(
    tmp_path: Path, edit: Callable[[Path], None] | None
) -> None:
    """Another tool rewrites a page deep inside site/ (the site folder's own times stay):
    the page is not kept, whether or not the data changed."""
    root = _project(tmp_path / "project")
    build(root)
    page = root / "site/actors/alpha/index.html"
    mtime = (root / "site").stat().st_mtime_ns
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>tampered</p></body>"))
    os.utime(root / "site", ns=(mtime, mtime))
    if edit is not None:
        edit(root)
    report = build(root)
    assert report.plan.full == "the site folder is not the one the last build made"
    assert _tree(root / "site") == _clean_build(root, tmp_path)


def test_nothing_changed_reads_no_file_of_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site's files are checked by their size and time: only those whose stat changed
    are read (a restored cache, a tampered file)."""
    from generator.publish import incremental

    root = _project(tmp_path / "project")
    build(root)
    read: list[Path] = []
    real = incremental.file_digest

    def counted(file: Path) -> str | None:
        read.append(file)
        return real(file)

    monkeypatch.setattr(incremental, "file_digest", counted)
    assert build(root).plan.unchanged
    assert not [file for file in read if (root / "site") in file.parents]


TITLE_ANCHOR = "../briefings/alpha-summit.md#alpha-and-beta-leaders-meet-at-the-border"


def _strict_failure(root: Path, tmp_path: Path, site: dict[str, bytes]) -> None:
    """The build fails as a clean build of the same data does, and keeps the site."""
    with pytest.raises(BuildError, match="strict"):
        build(root)
    assert _tree(root / "site") == site
    with pytest.raises(BuildError, match="strict"):
        _clean_build(root, tmp_path)


def test_a_hand_written_link_to_an_anchor_gone_from_a_changed_page_fails(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path / "project")
    (root / "docs/guide/see-also.md").write_text(
        f"# See also\n\n[The summit]({TITLE_ANCHOR})\n", encoding="utf-8"
    )
    build(root)
    _title(root)  # the briefing's heading, and so its anchor, changes
    _strict_failure(root, tmp_path, _tree(root / "site"))


def test_a_new_link_to_an_anchor_an_unchanged_page_lacks_fails(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    build(root)
    (root / "docs/guide/see-also.md").write_text(
        "# See also\n\n[Gamma](../actors/gamma-news.md#nowhere)\n", encoding="utf-8"
    )
    _strict_failure(root, tmp_path, _tree(root / "site"))


def test_an_unchanged_generated_link_to_an_anchor_gone_from_a_changed_page_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The field reference reads nothing from the data: its page never changes. Made to link
    to a briefing's heading, the link is still checked when that heading changes."""
    from generator.render import site

    real = site.render_field_reference
    monkeypatch.setattr(
        site, "render_field_reference", lambda: real() + f"\n[The summit]({TITLE_ANCHOR})\n"
    )
    root = _project(tmp_path / "project")
    build(root)
    _summary(root)  # the anchor stays: incremental, and a clean build's site
    assert build(root).plan.changed
    assert _tree(root / "site") == _clean_build(root, tmp_path)
    _title(root)
    _strict_failure(root, tmp_path, _tree(root / "site"))


def _forge(root: Path, unit: str, reads: list[str] | None, files: dict[str, Path]) -> None:
    """Rewrite the page record's entry of `unit`: its reads (None: as recorded) and its files,
    each with the stat and digest of the file given for it, so that they all check out."""
    memo = root / "build/cache/pages.json"
    value = json.loads(memo.read_text(encoding="utf-8"))
    digest, recorded, _ = value["units"][unit]
    if reads is not None:
        digest, recorded = hashlib.blake2b(digest_size=16).hexdigest(), reads  # no reads
    value["units"][unit] = [
        digest,
        recorded,
        {
            path: [file.stat().st_size, file.stat().st_mtime_ns, digest_of(file.read_bytes())]
            for path, file in files.items()
        },
    ]
    memo.write_text(json.dumps(value), encoding="utf-8")


def test_a_record_of_a_unit_that_read_nothing_is_not_trusted(tmp_path: Path) -> None:
    """A unit recorded as reading nothing would never be rendered again: the home page,
    which shows the latest titles, is rendered again when a title changes."""
    root = _project(tmp_path / "project")
    build(root)
    _forge(root, "home", [], {"index.md": root / "build/docs/index.md"})
    _title(root)
    assert "index.md" in build(root).pages.written
    assert _tree(root / "site") == _clean_build(root, tmp_path)


@pytest.mark.parametrize(
    "claim", ["../../../outside.md", "/outside.md", "guide/index.md", "actors/alpha.md"]
)
def test_a_record_naming_files_the_unit_does_not_write_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, claim: str
) -> None:
    """A path out of the docs folder (`..`, absolute), a hand-written page's, another unit's:
    the record is ignored (every unit rendered again), nothing out of the project is
    looked at, and the build makes a clean build's site."""
    from generator.publish import incremental

    root = _project(tmp_path / "project")
    build(root)
    outside = tmp_path / "outside.md"
    outside.write_text("# Not a page of the site\n", encoding="utf-8")
    path = str(outside) if claim == "/outside.md" else claim
    target = outside if "outside" in claim else root / "build/docs" / claim
    _forge(root, "home", None, {path: target})
    looked: list[Path] = []
    real = incremental.stat_of

    def stat_of(file: Path) -> tuple[int, int] | None:
        looked.append(file)
        return real(file)

    monkeypatch.setattr(incremental, "stat_of", stat_of)
    report = build(root)
    assert "index.md" not in report.pages.removed
    assert not [f for f in looked if not f.resolve().is_relative_to(root)]
    assert outside.read_text(encoding="utf-8") == "# Not a page of the site\n"
    assert _tree(root / "site") == _clean_build(root, tmp_path)
