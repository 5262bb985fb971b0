"""Issue 14, verified quotes: an article's source text (`briefings/sources/<id>.txt`) holds
every quote word for word, names no actor the article leaves out (a warning), and is read
as safely as the data files. Through the real CLI on projects built in tmp_path."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from generator.data.source_texts import (
    _WIDENED_CHARS,
    ActorNames,
    _whole_words,
    closest_passage,
    misquote,
    normalized,
)
from tests.conftest import GIT_ENV, ROOT, make_project, run_cli

ARTICLE_ID = "kim-jong-un-orders-war-preparations"
ARTICLE = f"briefings/articles/{ARTICLE_ID}.yaml"
SOURCE = f"briefings/sources/{ARTICLE_ID}.txt"
SEED_TEXT = ROOT / "briefings" / "sources" / f"{ARTICLE_ID}.txt"


def with_source(tmp_path: Path, text: str | bytes | None = None) -> Path:
    """The seed project with its source text (or `text` in its place)."""
    project = make_project(tmp_path / "p")
    (project / "briefings" / "sources").mkdir()
    target = project / SOURCE
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(SEED_TEXT.read_text(encoding="utf-8") if text is None else text)
    return project


def edit(project: Path, old: str, new: str) -> None:
    article = project / ARTICLE
    text = article.read_text(encoding="utf-8")
    assert old in text
    article.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_col(project: Path, needle: str) -> tuple[int, int]:
    lines = (project / ARTICLE).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def test_the_seed_quotes_are_in_its_source_text(tmp_path: Path) -> None:
    result = run_cli("--root", with_source(tmp_path), "validate")
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout == "1 briefing and 11 actors: no errors.\n"


def test_a_misquote_is_an_error_at_the_quote_and_the_corrected_quote_passes(
    tmp_path: Path,
) -> None:
    project = with_source(tmp_path)
    edit(project, "  - text: sacred war", "  - text: holy war")
    line, column = line_col(project, "holy war")
    result = run_cli("--root", project, "validate")
    assert result.code == 1
    assert result.stderr == (
        f"{ARTICLE}:{line}:{column}: error: `quotes[3].text`: not in the source text "
        f'{SOURCE}; the closest passage is "ongoing war"\n'
        "1 error in the data; nothing was written.\n"
    )
    edit(project, "  - text: holy war", "  - text: sacred war")
    assert run_cli("--root", project, "validate").code == 0


def test_white_space_and_typographic_quotes_do_not_make_a_misquote(tmp_path: Path) -> None:
    project = with_source(tmp_path)
    edit(
        project,
        "  - text: anti-imperialist independent",
        '  - text: "pledge to expand its collaboration with\\n  \\u201canti-imperialist'
        ' independent\\" nations"',
    )
    result = run_cli("--root", project, "validate")
    assert (result.code, result.stderr) == (0, ""), result.stderr


def test_a_source_text_naming_no_article_is_an_error_at_the_file(tmp_path: Path) -> None:
    project = with_source(tmp_path)
    (project / "briefings" / "sources" / "kim-jong-un-orders-war-preparation.txt").write_text(
        "Some text.\n"
    )
    result = run_cli("--root", project, "validate")
    assert result.code == 1
    assert result.stderr == (
        "briefings/sources/kim-jong-un-orders-war-preparation.txt:1:1: error: no article has "
        f"the id `kim-jong-un-orders-war-preparation`; did you mean `{ARTICLE_ID}`? (the "
        "source text of an article is briefings/sources/<its id>.txt)\n"
        "1 error in the data; nothing was written.\n"
    )


def test_an_actor_the_text_names_but_the_article_leaves_out_is_a_warning(
    tmp_path: Path,
) -> None:
    project = with_source(tmp_path)
    edit(
        project,
        "  - actor: vladimir-putin\n",
        "  - actor: vladimir-putin-gone\n",
    )
    # the article may not name an unknown actor: take the entry out whole
    text = (project / ARTICLE).read_text(encoding="utf-8")
    start = text.index("  - actor: vladimir-putin-gone")
    end = text.index("  - actor:", start + 1)
    (project / ARTICLE).write_text(text[:start] + text[end:], encoding="utf-8")
    line, column = line_col(project, "actors:")
    source_line = (
        SEED_TEXT.read_text(encoding="utf-8")
        .splitlines()
        .index(next(s for s in SEED_TEXT.read_text(encoding="utf-8").splitlines() if "Putin" in s))
    )
    source_column = SEED_TEXT.read_text(encoding="utf-8").splitlines()[source_line].index("Putin")
    message = (
        "`actors`: actor `vladimir-putin` is not listed, but the source text names it "
        f"({SOURCE}:{source_line + 1}:{source_column + 1}: `Putin`)"
    )
    result = run_cli("--root", project, "validate")
    assert result.code == 0
    assert result.stdout == "1 briefing and 11 actors: no errors, 1 warning.\n"
    assert result.stderr == f"{ARTICLE}:{line}:{column}: warning: {message}\n"

    github = run_cli("--root", project, "validate", "--format", "github")
    assert github.code == 0
    assert github.stdout.splitlines()[0].startswith(
        f"::warning file={ARTICLE},line={line},col={column},title=Briefing data::`actors`"
    )
    report = json.loads(run_cli("--root", project, "validate", "--format", "json").stdout)
    assert (report["valid"], report["error_count"], report["warning_count"]) == (True, 0, 1)
    assert report["problems"][0]["severity"] == "warning"
    assert report["problems"][0]["message"] == message
    # a build passes: a warning stops nothing
    edit(project, "  - text: sacred war", "  - text: holy war")
    both = run_cli("--root", project, "validate")
    assert both.code == 1
    assert both.stderr.endswith("1 error, 1 warning in the data; nothing was written.\n")
    assert f"{line}:{column}: warning: " in both.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "1:1: error: the file is not UTF-8 (byte 0x89)"),
        (
            b"plain\nthen \x00 a NUL",
            "2:6: error: not plain text: the control character U+0000 is not allowed: remove it",
        ),
    ],
)
def test_a_binary_source_text_is_a_clear_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    result = run_cli("--root", with_source(tmp_path, content), "validate")
    assert result.code == 1
    assert result.stderr == f"{SOURCE}:{message}\n1 error in the data; nothing was written.\n"
    assert "Traceback" not in result.stderr


def test_a_link_a_fifo_and_a_huge_file_are_refused_unread(tmp_path: Path) -> None:
    project = with_source(tmp_path)
    folder = project / "briefings" / "sources"
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET confrontational moves by the US\n")
    (folder / "link.txt").symlink_to(secret)
    os.mkfifo(folder / "fifo.txt")
    with (folder / "huge.txt").open("wb") as huge:
        huge.truncate(2_000_001)
    result = run_cli("--root", project, "validate", timeout=60)
    assert result.code == 1
    assert result.stderr == (
        "briefings/sources/fifo.txt:1:1: error: not a regular file (a FIFO, socket or device): "
        "not read\n"
        "briefings/sources/huge.txt:1:1: error: the file is larger than 2,000,000 bytes\n"
        "briefings/sources/link.txt:1:1: error: a symbolic link: not read (data files must be "
        "plain files inside briefings/)\n"
        "3 errors in the data; nothing was written.\n"
    )


def test_source_texts_are_never_published(tmp_path: Path) -> None:
    project = with_source(tmp_path, SEED_TEXT.read_text(encoding="utf-8") + "\nUNPUBLISHED1337\n")
    result = run_cli("--root", project, "build")
    assert result.code == 0, result.stderr
    for folder in ("build", "site"):
        for path in (project / folder).rglob("*"):
            assert not path.name.endswith(".txt") or "sources" not in path.parts
            if path.is_file() and not path.name.endswith((".pf_fragment", ".pf_index")):
                assert b"UNPUBLISHED1337" not in path.read_bytes(), path


def test_diff_reads_a_revision_with_source_texts(tmp_path: Path) -> None:
    project = with_source(tmp_path)
    env = {**os.environ, **GIT_ENV}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)

    git("init", "-q")
    edit(project, "  - text: sacred war", "  - text: holy war")
    git("add", "-A")
    git("commit", "-q", "-m", "a misquote, and its source text")
    edit(project, "  - text: holy war", "  - text: sacred war")
    result = run_cli("--root", project, "diff", "HEAD")
    assert (result.code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    # the revision's source text was exported and checked: its misquote is found there
    assert lines[1].startswith("BASE (HEAD (") and lines[1].endswith(
        ")) does not validate: 1 data error"
    )
    assert '           quotes: added kim-jong-un: "sacred war"' in lines
    assert '           quotes: removed kim-jong-un: "holy war"' in lines


def test_names_match_whole_words_acronyms_in_capitals_and_hangul_with_particles() -> None:
    names = ActorNames(
        {
            "kcna": ["Korean Central News Agency", "KCNA", "조선중앙통신"],
            "kim": ["Kim Jong Un", "김정은"],
            "japan": ["Japan", "日本"],
            "army": ["Korean People's Army", "People's Army"],
        }
    )

    def found(text: str) -> list[tuple[str, str]]:
        return [(m.actor, m.words) for m in names.mentions(text)]

    assert found("the kcna said; Kimchi; Japanese; unkim jong un") == []
    assert found("KCNA said") == [("kcna", "KCNA")]
    assert found("KIM JONG\n  UN spoke") == [("kim", "KIM JONG\n  UN")]
    assert found("김정은은 말했다") == [("kim", "김정은")]
    assert found("北朝鮮と日本の関係") == [("japan", "日本")]
    assert found("the Korean People\u2019s Army") == [("army", "Korean People\u2019s Army")]
    assert found("the people's army") == [("army", "people's army")]


def test_closest_passage_and_normalization() -> None:
    source = normalized("They said \u201ca b\u201d\n  and\tthen \u2018c\u2019.")
    assert source == "They said \"a b\" and then 'c'."
    assert misquote("said \u201ca b\u201d and then", source) is None
    assert misquote("zzz", source) == "no passage of it comes close"
    assert closest_passage("and than 'c'", source) == "and then 'c'"
    long = "word " * 100
    passage = closest_passage("word " * 60 + "x", normalized(long))
    assert passage is not None and passage.startswith("word") and len(passage) <= 120
    one_word = closest_passage("x" * 300 + " y", normalized("a " + "x" * 300))
    assert one_word == "x" * 119 + "…"


def test_a_linked_sources_folder_is_refused_unread(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / f"{ARTICLE_ID}.txt").write_text("nothing quoted here\n")
    (project / "briefings" / "sources").symlink_to(elsewhere)
    result = run_cli("--root", project, "validate")
    assert result.code == 1
    assert result.stderr == (
        "briefings/sources:1:1: error: a symbolic link: not read (data files must be plain "
        "files inside briefings/)\n1 error in the data; nothing was written.\n"
    )


def test_the_longest_name_wins_where_names_overlap() -> None:
    names = ActorNames({"army": ["People's Army"], "kpa": ["Korean People's Army"]})
    assert [m.actor for m in names.mentions("the Korean People's Army")] == ["kpa"]


def test_a_long_misquote_in_a_long_text_names_a_short_passage() -> None:
    """Only the start of a long quote is compared (bench, not a timed test, for the time)."""
    source = normalized("word and other words " * 90_000)  # about 1.9 MB
    passage = closest_passage("words and word " * 5_000, source)
    assert passage is not None and passage.startswith("word") and len(passage) <= 125


def test_a_quote_that_cuts_a_word_is_a_misquote(tmp_path: Path) -> None:
    """Word for word: "possible to negotiate" is not in "impossible to negotiate", nor
    "acred wa" in "sacred war"; the closest passage is the whole words."""
    text = SEED_TEXT.read_text(encoding="utf-8") + "\nHe said it is impossible to negotiate.\n"
    project = with_source(tmp_path, text)
    edit(project, "  - text: sacred war", "  - text: possible to negotiate")
    edit(project, "  - text: anti-imperialist independent", "  - text: acred wa")
    first, third = line_col(project, "- text: acred wa"), line_col(project, "- text: possible")
    result = run_cli("--root", project, "validate")
    assert result.stderr.splitlines() == [
        f"{ARTICLE}:{first[0]}:{first[1] + 8}: error: `quotes[1].text`: not in the source text "
        f'{SOURCE}; the closest passage is "sacred war"',
        f"{ARTICLE}:{third[0]}:{third[1] + 8}: error: `quotes[3].text`: not in the source text "
        f'{SOURCE}; the closest passage is "impossible to negotiate"',
        "2 errors in the data; nothing was written.",
    ]


def test_a_quote_may_end_where_a_particle_or_the_next_character_follows() -> None:
    """In Hangul, Chinese, Japanese or Thai script no space separates a word from a particle
    or the next word: a quote ending (or starting) there is whole. Not in Latin script."""
    assert misquote("전쟁 준비", normalized('그는 "전쟁 준비"라고 말했다')) is None
    assert misquote("戦争準備", normalized("彼は戦争準備を命じた")) is None
    assert misquote("เตรียมสงคราม", normalized("สั่งให้เตรียมสงครามทันที")) is None  # Thai
    assert misquote("ölçü", normalized("ölçüsüz")) is not None
    # a Latin word or a number beside a script without spaces: nothing is cut
    japanese = normalized("北朝鮮は12月にICBMを発射したと発表した")
    assert misquote("ICBMを発射したと発表した", japanese) is None
    assert misquote("북한은 ICBM", normalized("북한은 ICBM을 발사했다")) is None
    assert misquote("2023年取得了胜利", normalized("我们在2023年取得了胜利")) is None
    assert misquote("never", normalized("_never_")) is None
    # Hebrew and Arabic write "and", "the", "in" onto the next word
    assert misquote("הממשלה החליטה", normalized("כי והממשלה החליטה לפעול")) is None
    assert misquote("الحكومة قررت", normalized("قال إن والحكومة قررت")) is None
    # the first place cuts a word, a later one does not
    assert misquote("war", normalized("the warring sides went to war")) is None
    assert misquote("war", normalized("the warring sides")) is not None
    assert misquote("b ab", normalized("ab " * 1000)) is not None
    assert misquote("23 people", normalized("123 people")) is not None
    assert misquote("-imperialist", normalized("anti-imperialist")) is None  # not a letter


def test_a_passage_is_widened_to_whole_words_only_so_far() -> None:
    """A long run of letters (a pasted base64 blob, say) is cut, not taken whole at each place
    a misquote's word is found there: comparing it took minutes."""
    run = "x" * 1_000_000
    start, end = _whole_words(run, 500_000, 20)
    assert end - start <= 20 + 2 * _WIDENED_CHARS
    source = normalized(SEED_TEXT.read_text(encoding="utf-8") + "\n" + run + "\n")
    assert misquote("sacred xxxxxxxxxx", source) is not None


def test_a_long_hangul_word_is_read_in_little_memory(tmp_path: Path) -> None:
    """Names in Hangul are looked for at each word with its particles: only the beginnings
    of a word as long as a name are tried (every beginning of one word of 100,000 syllables
    took about 10 GB). In a child limited to 2 GB of address space."""
    project = with_source(
        tmp_path, SEED_TEXT.read_text(encoding="utf-8") + "\n" + "가" * 100_000 + "\n"
    )

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))

    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), "validate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=limit,
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stderr[-2000:]


def test_names_are_found_in_a_decomposed_text(tmp_path: Path) -> None:
    """A text saved in decomposed form (NFD, as macOS may write it) names "Élysée Palace"
    as the composed one does, at its column in the file (each É two characters there)."""
    project = with_source(
        tmp_path, unicodedata.normalize("NFD", "Élysée said it. The Élysée Palace said nothing.\n")
    )
    (project / "briefings" / "actors" / "elysee-palace.yaml").write_text(
        "name: Élysée Palace\nkind: organisation\nsummary: The French presidency.\n",
        encoding="utf-8",
    )
    text = (project / ARTICLE).read_text(encoding="utf-8")
    start, end = text.index("quotes:\n"), text.index("outlook:\n")
    (project / ARTICLE).write_text(text[:start] + text[end:], encoding="utf-8")
    result = run_cli("--root", project, "validate")
    assert result.code == 0
    line, column = line_col(project, "actors:")
    assert result.stderr.splitlines() == [
        f"{ARTICLE}:{line}:{column}: warning: `actors`: actor `elysee-palace` is not listed, "
        f"but the source text names it ({SOURCE}:1:23: `Élysée Palace`)",
    ]


@pytest.mark.parametrize("folder", ["2024", "another-article.txt"])
def test_a_folder_in_sources_is_an_error_not_left_out(tmp_path: Path, folder: str) -> None:
    """Articles may be in subfolders, source texts not: a source text filed in one (or a
    folder named like a source text) would be left out without a word, its misquotes
    passing."""
    project = with_source(tmp_path)
    (project / "briefings" / "sources" / folder / "deeper").mkdir(parents=True)
    (project / "briefings" / "sources" / folder / "deeper" / f"{ARTICLE_ID}.txt").write_text(
        "They said it is a holy war.\n", encoding="utf-8"
    )
    result = run_cli("--root", project, "validate")
    assert result.stderr.splitlines() == [
        f"briefings/sources/{folder}:1:1: error: a folder: not read (these files go directly "
        "in briefings/sources/, as briefings/sources/<id>.txt)",
        "1 error in the data; nothing was written.",
    ]


def test_a_folder_of_other_files_in_sources_is_left_alone(tmp_path: Path) -> None:
    project = with_source(tmp_path)
    (project / "briefings" / "sources" / "originals").mkdir()
    (project / "briefings" / "sources" / "originals" / "article.pdf").write_bytes(b"%PDF-1.7")
    (project / "briefings" / "actors" / "portraits").mkdir()
    result = run_cli("--root", project, "validate")
    assert (result.code, result.stderr) == (0, "")


def test_a_link_to_a_folder_in_actors_is_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "briefings" / "actors" / "linked").symlink_to(elsewhere)
    result = run_cli("--root", project, "validate")
    assert result.stderr.splitlines() == [
        "briefings/actors/linked:1:1: error: a symbolic link: not read (data files must be "
        "plain files inside briefings/)",
        "1 error in the data; nothing was written.",
    ]
