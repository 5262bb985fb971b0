"""The error messages are part of the interface: exact tests, through the real CLI."""

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, make_project, run_cli

BAD = FIXTURES / "bad"


def test_every_error_of_the_bad_folder_in_one_run_exactly() -> None:
    result = run_cli("--root", BAD, "validate")
    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr == (BAD / "expected.txt").read_text(encoding="utf-8")


def test_every_line_has_the_contract_format() -> None:
    lines = (BAD / "expected.txt").read_text(encoding="utf-8").splitlines()
    for line in lines[:-1]:
        path, row, column, rest = line.split(":", 3)
        assert path.startswith("briefings/") and int(row) >= 1 and int(column) >= 1
        assert rest.startswith(" error: ")
    assert lines[-1] == f"{len(lines) - 1} errors in the data; nothing was written."


def test_build_with_errors_writes_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", BAD / "briefings")
    result = run_cli("--root", project, "build")
    assert result.code == 1
    assert result.stderr == (BAD / "expected.txt").read_text(encoding="utf-8")
    assert sorted(p.name for p in project.iterdir()) == ["briefings"]


@pytest.mark.slow
def test_a_broken_edit_keeps_the_previous_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    assert run_cli("--root", project, "build").code == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    pages = {p: p.read_bytes() for p in (project / "build").rglob("*") if p.is_file()}
    actor = project / "briefings" / "actors" / "japan.yaml"
    actor.write_text(actor.read_text(encoding="utf-8") + "kind: nation\n", encoding="utf-8")
    result = run_cli("--root", project, "build")
    assert result.code == 1
    assert "briefings/actors/japan.yaml" in result.stderr
    assert "duplicate key `kind`" in result.stderr
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before
    assert {p: p.read_bytes() for p in (project / "build").rglob("*") if p.is_file()} == pages


def test_unknown_actor_suggests_the_close_id(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    article = next((project / "briefings" / "articles").glob("*.yaml"))
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text.replace("actor: kim-jong-un", "actor: kim-jong-um", 1), encoding="utf-8"
    )
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "actor: kim-jong-un" in row)
    column = text.splitlines()[line - 1].index("kim-jong-un") + 1
    result = run_cli("--root", project, "validate")
    assert result.code == 1
    rel = article.relative_to(project).as_posix()
    assert result.stderr.splitlines()[0] == (
        f"{rel}:{line}:{column}: error: `actors[0].actor`: unknown actor `kim-jong-um`; "
        "did you mean `kim-jong-un`?"
    )


def test_usage_errors_exit_2() -> None:
    assert run_cli("frobnicate").code == 2
    assert run_cli().code == 2


def test_missing_briefings_folder(tmp_path: Path) -> None:
    result = run_cli("--root", tmp_path, "validate")
    assert result.code == 1
    assert result.stderr.splitlines()[0] == (
        "briefings:1:1: error: no briefings/ folder: is --root the project root?"
    )


def test_root_option_after_the_command(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "corpus" / "briefings", tmp_path / "briefings")
    result = run_cli("validate", "--root", tmp_path)
    assert (result.code, result.stdout) == (0, "3 briefings and 4 actors: no errors.\n")


def _seed_with(tmp_path: Path, old: str, new: str) -> tuple[Path, str, str]:
    """A copy of the seed with `old` (once) replaced by `new`: the project, the article's path
    as messages give it, and its new text."""
    project = make_project(tmp_path / "p")
    article = next((project / "briefings" / "articles").glob("*.yaml"))
    text = article.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    article.write_text(text, encoding="utf-8")
    return project, article.relative_to(project).as_posix(), text


def _place(text: str, row_text: str, word: str) -> str:
    """`line:column` of `word` on the first line holding `row_text`."""
    rows = text.splitlines()
    line = next(i for i, row in enumerate(rows, 1) if row_text in row)
    return f"{line}:{rows[line - 1].index(word) + 1}"


def test_an_unknown_claimant_is_an_unknown_actor_at_its_place(tmp_path: Path) -> None:
    """`according_to` ids are actor references like any other: the same message, with the
    close id, on a key point, an event and a relation."""
    project, rel, text = _seed_with(
        tmp_path, "    according_to: [kcna]\n", "    according_to: [kcan]\n"
    )
    result = run_cli("--root", project, "validate")
    assert result.code == 1
    assert result.stderr.splitlines() == [
        f"{rel}:{_place(text, 'according_to: [kcan]', 'kcan')}: error: "
        "`key_points[0].according_to[0]`: unknown actor `kcan`; did you mean `kcna`?",
        "1 error in the data; nothing was written.",
    ]


def test_an_unknown_claimant_of_an_event_and_a_relation(tmp_path: Path) -> None:
    project, rel, text = _seed_with(
        tmp_path,
        "    id: kim-orders-accelerated-war-preparations-2023-12\n    according_to: [kcna]\n",
        "    id: kim-orders-accelerated-war-preparations-2023-12\n    according_to: [kcn]\n",
    )
    article = project / rel
    text = text.replace("    according_to: [united-states]\n", "    according_to: [unted-states]\n")
    article.write_text(text, encoding="utf-8")
    rows = text.splitlines()
    typo = [i for i, row in enumerate(rows, 1) if "according_to: [unted-states]" in row]
    assert len(typo) == 2  # a key point and a relation
    result = run_cli("--root", project, "validate")
    assert result.code == 1
    assert result.stderr.splitlines() == [
        f"{rel}:{typo[0]}:20: error: `key_points[7].according_to[0]`: unknown actor "
        "`unted-states`; did you mean `united-states`?",
        f"{rel}:{_place(text, 'according_to: [kcn]', 'kcn')}: error: "
        "`events[4].according_to[0]`: unknown actor `kcn`; did you mean `kcna`?",
        f"{rel}:{typo[1]}:20: error: `relations[11].according_to[0]`: unknown actor "
        "`unted-states`; did you mean `united-states`?",
        "3 errors in the data; nothing was written.",
    ]


def test_an_outside_date_needs_its_note(tmp_path: Path) -> None:
    """`date_basis: outside` (or `published_basis`) without the note naming where the date
    comes from: an error at the basis field, saying what to add."""
    project, rel, text = _seed_with(
        tmp_path,
        "    date_basis: outside\n    date_note: >-\n"
        "      The article calls the visit recent and gives no date; September 2023 is when\n"
        "      the visit took place, as reported at the time.\n",
        "    date_basis: outside\n",
    )
    article = project / rel
    start = text.index("published_note: >-")
    end = text.index("source:", start)
    text = text[:start] + text[end:]
    article.write_text(text, encoding="utf-8")
    result = run_cli("--root", project, "validate")
    assert result.code == 1
    event_line = next(
        i
        for i, row in enumerate(text.splitlines(), 1)
        if row == "    date_basis: outside" and "date_note" not in text.splitlines()[i]
    )
    assert result.stderr.splitlines() == [
        f"{rel}:{_place(text, 'published_basis: outside', 'outside')}: error: "
        "`published_note` is required when `published_basis` is `outside`: say where the "
        "date comes from",
        f"{rel}:{event_line}:17: error: `events[1].date_note` is required when "
        "`events[1].date_basis` is `outside`: say where the date comes from",
        "2 errors in the data; nothing was written.",
    ]


def test_a_null_note_is_no_note(tmp_path: Path) -> None:
    """`published_note: ~` or `date_note: null` beside an `outside` date is the note left
    out: the same error as without it (a page would say "date from outside the article:"
    and nothing)."""
    note = (
        "    date_note: >-\n"
        "      The article calls the visit recent and gives no date; September 2023 is when\n"
        "      the visit took place, as reported at the time.\n"
    )
    project, rel, text = _seed_with(tmp_path, note, "    date_note: null\n")
    start, end = text.index("published_note: >-"), text.index("source:\n")
    text = text[:start] + "published_note: ~\n" + text[end:]
    (project / rel).write_text(text, encoding="utf-8")
    result = run_cli("--root", project, "validate")
    assert result.code == 1
    # reported at `date_basis`, the line above the note (index from 0: its number)
    event_line = text.splitlines().index("    date_note: null")
    assert result.stderr.splitlines() == [
        f"{rel}:{_place(text, 'published_basis: outside', 'outside')}: error: "
        "`published_note` is required when `published_basis` is `outside`: say where the "
        "date comes from",
        f"{rel}:{event_line}:17: error: `events[1].date_note` is required when "
        "`events[1].date_basis` is `outside`: say where the date comes from",
        "2 errors in the data; nothing was written.",
    ]


@pytest.mark.parametrize(
    "invisible", ["\\u200b", "\\u2060\\u200d", "\\u3164", "\\u00ad \\ufeff", "\\u2800"]
)
def test_a_text_of_nothing_a_reader_can_see_is_empty(tmp_path: Path, invisible: str) -> None:
    """Zero-width characters, a soft hyphen, a Hangul filler or a blank Braille pattern
    alone fill no field: a note "saying" where a date comes from with them says nothing."""
    project, rel, text = _seed_with(
        tmp_path, "published_note: >-", f'published_note: "{invisible}"'
    )
    start, end = text.index("published_note: "), text.index("source:\n")
    text = text[: text.index("\n", start) + 1] + text[end:]
    (project / rel).write_text(text, encoding="utf-8")
    result = run_cli("--root", project, "validate")
    assert result.stderr.splitlines() == [
        f"{rel}:{_place(text, 'published_note:', chr(34))}: error: `published_note`: must "
        "not be empty: it holds only characters no one can see",
        "1 error in the data; nothing was written.",
    ]


def test_a_claimant_named_twice_is_an_error_at_the_second(tmp_path: Path) -> None:
    """As an actor listed twice in `actors`: each claimant once."""
    project, rel, text = _seed_with(
        tmp_path,
        "    according_to: [united-states]\n  - Kim's",
        "    according_to: [united-states, united-states]\n  - Kim's",
    )
    result = run_cli("--root", project, "validate")
    place = _place(text, "according_to: [united-states, united-states]", "united-states]")
    assert result.stderr.splitlines() == [
        f"{rel}:{place}: error: actor `united-states` is named twice in "
        "`key_points[7].according_to`",
        "1 error in the data; nothing was written.",
    ]


def test_a_key_point_of_the_wrong_type_says_what_one_is(tmp_path: Path) -> None:
    project, rel, text = _seed_with(tmp_path, "key_points:\n", "key_points:\n  - [a, b]\n")
    result = run_cli("--root", project, "validate")
    assert result.stderr.splitlines() == [
        f"{rel}:{_place(text, '  - [a, b]', '[')}: error: `key_points[0]` must be text, or a "
        "mapping of `text` and `according_to`",
        "1 error in the data; nothing was written.",
    ]
