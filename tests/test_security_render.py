"""Issue 11, the render side: addresses from the data reach pages as safe link destinations
(1), what `validate` accepts the strict build accepts (7), and code spans show readers the
text as written (8). Checked on HTML from the real `python -m generator build` of tmp
projects; the quick checks render through Python-Markdown configured as mkdocs.yml says."""

from __future__ import annotations

import copy
import json
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote
from xml.etree import ElementTree

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.markup import inline_markdown, link_destination
from tests.conftest import run_cli
from tests.test_properties import ACTORS, ARTICLE, to_html, unsafe_html

MARKER = "xss1337"
# Addresses that end the link, open raw HTML or an attribute list, or carry a title.
HOSTILE_URLS = (
    f"https://a.example/x)<script>alert('{MARKER}')</script>",
    f"https://a.example/x)<svg/onload=alert('{MARKER}')>",
    f'https://a.example/x){{: style="color:red" class="{MARKER}" onclick="alert(1)" }}',
    f"https://a.example/x\" onmouseover=\"alert('{MARKER}')",
    f"https://a.example/x'><img src=x onerror=alert('{MARKER}')>",
    f"https://a.example/x`<b>{MARKER}</b>`",
    f"https://a.example/x\\)<i>{MARKER}</i>",
)
# The same made of RFC 3986 characters only: addresses any URL check takes.
PLAIN_HOSTILE_URLS = (
    f"https://a.example/x)[{MARKER}](javascript:alert(1))",
    f"https://a.example/x)![{MARKER}](https://evil.example/i.png)",
    f"https://a.example/x'){MARKER}(*{MARKER}*",
    f"https://a.example/x){{:class={MARKER}}}".replace("{", "[").replace("}", "]"),
    f"https://a.example/?q=1&{MARKER}=&lt;b&gt;&amp;#58;&#106;",
    f"https://a.example/({MARKER})_{MARKER}_[1]",
    f"https://a.example/x#{MARKER}",
)
URLS = HOSTILE_URLS + PLAIN_HOSTILE_URLS
_ENCODED = " \"'()<>[]{}\\`"
HOSTILE_NOTE = (
    f"<script>alert('{MARKER}')</script> <img src=x onerror=alert(1)> *{MARKER}* "
    f'[{MARKER}](javascript:alert(1)) {{: onclick="alert(1)" }}'
)
"""Where an outside date comes from, as an editor might paste it."""


def expected_href(url: str) -> str:
    """The address a reader's browser is sent to: the URL, with what Markdown or HTML could
    read as syntax percent-encoded (the same address to a browser)."""
    return "".join(quote(ch, safe="") if ch in _ENCODED else ch for ch in url)


class Links(HTMLParser):
    """Every <a> of a page: its attributes and its text; every <code>'s text; every tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[dict[str, str | None], str]] = []
        self.codes: list[str] = []
        self.texts: list[str] = []
        self.tags: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self.links.append((dict(attrs), ""))
        if tag in ("a", "code"):
            self._open.append(tag)
            if tag == "code":
                self.codes.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if "a" in self._open:
            attrs, text = self.links[-1]
            self.links[-1] = (attrs, text + data)
        if "code" in self._open:
            self.codes[-1] += data


def parsed(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    parser.close()
    return parser


# ---- Quick: the renderers' Markdown through Python-Markdown ---------------------------


@pytest.mark.parametrize("url", URLS)
def test_a_link_destination_is_the_address_and_nothing_more(url: str) -> None:
    html, _ = to_html(f"[Original article]({link_destination(url)})\n{{ .x }}\n")
    page = parsed(html)
    assert page.links == [({"href": expected_href(url)}, "Original article")]
    assert unquote(expected_href(url)) == url
    assert set(page.tags) == {"p", "a"}
    assert unsafe_html(html, marker=MARKER) == []


def test_a_plain_address_is_written_as_it_is() -> None:
    url = "https://news.example/2024/03/a-b_c~d?x=1&y=%20#part"
    assert link_destination(url) == url.replace("&", "&amp;")
    html, _ = to_html(f"[x]({link_destination(url)})")
    assert parsed(html).links == [({"href": url}, "x")]


def test_invisible_characters_in_an_address_are_percent_encoded() -> None:
    assert link_destination("https://a.example/\u200bx\u00a0y\x00z\ud800") == (
        "https://a.example/%E2%80%8Bx%C2%A0y%00z%ED%A0%80"
    )


CODE_SPANS = {
    "`a<b && c`": "a<b && c",
    "`&lt;b&gt; &amp; &#60;`": "&lt;b&gt; &amp; &#60;",
    '`{: style="color:red" }`': '{: style="color:red" }',
    f"`<script>alert('{MARKER}')</script>`": f"<script>alert('{MARKER}')</script>",
    "``x`y``": "x`y",
    "`a | b \\* ![i](x) [l](javascript:x)`": "a | b \\* ![i](x) [l](javascript:x)",
}


@pytest.mark.parametrize(("written", "shown"), CODE_SPANS.items())
def test_a_code_span_shows_its_text_as_written(written: str, shown: str) -> None:
    for text in (f"See {written} here.", written, f"{written}\n{{ .x }}"):
        (paragraph,) = inline_markdown(text)
        html, _ = to_html(paragraph)
        page = parsed(html)
        assert page.codes == [shown], text
        assert set(page.tags) == {"p", "code"}
        assert unsafe_html(html, marker=MARKER) == []


def test_a_fence_that_opens_a_paragraph_stays_text() -> None:
    """A paragraph opening with three backticks is guarded as a block start; the code span
    it would have been is then escaped whole, never left raw."""
    (paragraph,) = inline_markdown(f"```<script>alert('{MARKER}')</script>``` after")
    html, _ = to_html(paragraph)
    assert "<script" not in html
    assert set(parsed(html).tags) <= {"p", "code"}


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("[the background](#background)", "the background"),
        ("[top](#)", "top"),
        ("[k]( #key-points )", "k"),
        ("[*a*](#c)", "<em>a</em>"),
        # A code span in the text: shown as written, with no target either.
        ("[`b`](#c)", "[<code>b</code>](#c)"),
    ],
)
def test_an_in_page_anchor_link_keeps_its_text_and_loses_its_target(
    written: str, shown: str
) -> None:
    (paragraph,) = inline_markdown(f"See {written} now.")
    html, _ = to_html(paragraph)
    assert html == f"<p>See {shown} now.</p>"


# ---- The real build ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["[a](" * 5000, "[" * 20000, "[TOC]", " [TOC] ", "[x](javascript:alert(1))", "a ] b [ c"],
)
def test_only_the_brackets_of_whole_links_stay_brackets(written: str) -> None:
    """Every `[` and `]` outside a whole http(s)/mailto link is escaped: unmatched ones made
    Python-Markdown's link search take minutes (a 20 KB summary, three of them), and `[TOC]`
    became the toc extension's table of contents (found by an attacking helper)."""
    (markdown,) = inline_markdown(written)
    assert re.search(r"(?<!\\)[\[\]]", markdown) is None, markdown[:80]
    assert "toc" not in to_html(markdown)[0]


def test_a_whole_link_stays_a_link_beside_other_brackets() -> None:
    (markdown,) = inline_markdown("[sic] See [the case](https://en.example/wiki/A_(b)) [1].")
    html, _ = to_html(markdown)
    assert [attrs["href"] for attrs, _ in parsed(html).links] == ["https://en.example/wiki/A_(b)"]
    assert "[sic]" in html and "[1]" in html


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _article(title: str, **fields: Any) -> dict[str, Any]:
    article = copy.deepcopy(ARTICLE)
    article["title"] = title
    del article["events"][0]["id"]
    for key, value in fields.items():
        if key == "url":
            article["source"]["url"] = value
        else:
            article[key] = value
    return article


def _base(root: Path) -> None:
    for actor_id, actor in ACTORS.items():
        _write(root / "briefings" / "actors" / f"{actor_id}.yaml", actor)


def _refused(root: Path) -> set[str]:
    """The files `validate` refuses (paths as it prints them)."""
    result = run_cli("--root", root, "validate")
    assert "Traceback" not in result.stderr + result.stdout
    return set(re.findall(r"^(briefings/\S+?\.yaml):\d+:\d+: error", result.stdout, re.M)) | set(
        re.findall(r"^(briefings/\S+?\.yaml):\d+:\d+: error", result.stderr, re.M)
    )


@pytest.fixture(scope="module")
def url_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One briefing and one actor per hostile address (those the schema takes), and a
    briefing whose summary, editor's note and actor profile hold code spans."""
    root = tmp_path_factory.mktemp("urls")
    _base(root)
    files = {}
    for index, url in enumerate(URLS):
        files[f"briefings/articles/url-{index}.yaml"] = url
        _write(
            root / "briefings" / "articles" / f"url-{index}.yaml", _article(f"U{index}", url=url)
        )
        files[f"briefings/actors/link-{index}.yaml"] = url
        actor = {"name": f"L{index}", "kind": "state", "summary": "A state."}
        actor["links"] = [{"title": "Official site", "url": url}]
        _write(root / "briefings" / "actors" / f"link-{index}.yaml", actor)
    codes = " ".join(f"Code {written}." for written in CODE_SPANS)
    _write(
        root / "briefings" / "articles" / "codes.yaml",
        _article("Codes", summary=codes, editor_note=codes),
    )
    _write(
        root / "briefings" / "actors" / "coder.yaml",
        {"name": "Coder", "kind": "person", "summary": codes},
    )
    notes = _article("Notes", published_basis="outside", published_note=HOSTILE_NOTE)
    notes["events"][0].update(date_basis="outside", date_note=HOSTILE_NOTE)
    _write(root / "briefings" / "articles" / "notes.yaml", notes)
    refused = _refused(root)
    for name in refused:
        (root / name).unlink()
        del files[name]
    # Addresses of RFC 3986 characters pass any check of the schema: they must be built.
    assert all(
        files.get(f"briefings/articles/url-{URLS.index(u)}.yaml") for u in PLAIN_HOSTILE_URLS
    )
    result = run_cli("--root", root, "build")
    assert result.code == 0, result.stderr
    return root / "site", files


@pytest.mark.slow
def test_hostile_addresses_build_into_safe_pages(url_site: tuple[Path, dict[str, str]]) -> None:
    site, _ = url_site
    problems = []
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        name = page.relative_to(site).as_posix()
        problems += [f"{name}: {p}" for p in unsafe_html(html, marker=MARKER)]
        if MARKER in html:
            tags = parsed(html).tags
            problems += [
                f"{name}: <{tag}> from the data"
                for tag in ("svg", "img", "b", "i")
                if tags.count(tag) != parsed(_clean(html)).tags.count(tag)
            ]
    assert problems == []


def _clean(html: str) -> str:
    """The page without its links from the data (to count the page's own elements)."""
    return re.sub(r'<a href="https://a\.example/[^"]*"[^>]*>.*?</a>', "", html)


def test_every_address_is_the_href_it_was_written_as(
    url_site: tuple[Path, dict[str, str]],
) -> None:
    site, files = url_site
    for name, url in files.items():
        kind, stem = re.fullmatch(r"briefings/(articles|actors)/(.+)\.yaml", name).groups()  # type: ignore[union-attr]
        page = site / ("briefings" if kind == "articles" else "actors") / stem / "index.html"
        text = "Original article" if kind == "articles" else "Official site"
        links = [
            attrs
            for attrs, shown in parsed(page.read_text(encoding="utf-8")).links
            if shown == text
        ]
        assert links == [{"href": expected_href(url)}], (name, url)


def test_feeds_carry_the_addresses_as_data(url_site: tuple[Path, dict[str, str]]) -> None:
    site, files = url_site
    feed = json.loads((site / "feeds" / "all.json").read_text(encoding="utf-8"))
    by_title = {item["title"]: item.get("external_url") for item in feed["items"]}
    for name, url in files.items():
        if name.startswith("briefings/articles/url-"):
            assert by_title["U" + name.removesuffix(".yaml").rsplit("-", 1)[1]] == url
    atom = ElementTree.parse(site / "feeds" / "all.xml").getroot()
    related = {
        link.get("href")
        for link in atom.iter("{http://www.w3.org/2005/Atom}link")
        if link.get("rel") == "related"
    }
    assert {u for n, u in files.items() if "/articles/" in n} <= related


def test_a_hostile_date_note_is_shown_as_text(url_site: tuple[Path, dict[str, str]]) -> None:
    """The note of an outside date (publication and event) reaches the page as its text:
    no element, attribute or link of it, on the briefing, the timeline and the actor pages."""
    site, _ = url_site
    pages = [site / "briefings/notes/index.html", site / "timeline/index.html"]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert unsafe_html(html, marker=MARKER) == [], page
        text = re.sub(r"\s+", " ", "".join(parsed(html).texts))
        assert f"date from outside the article: {HOSTILE_NOTE}" in text, page
    briefing = (site / "briefings/notes/index.html").read_text(encoding="utf-8")
    article = briefing.split("<article", 1)[1].split("</article>")[0]
    # the one script of the page's content is its JSON-LD: data, escaped for the element
    (linked_data,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', article)
    assert json.loads(linked_data)["@type"] == "NewsArticle"
    assert article.count("<script") == 1
    assert briefing.count("date from outside the article:") == 2  # published, the event


def test_code_spans_show_readers_the_text_as_written(
    url_site: tuple[Path, dict[str, str]],
) -> None:
    site, _ = url_site
    shown = list(CODE_SPANS.values())
    briefing = parsed((site / "briefings" / "codes" / "index.html").read_text(encoding="utf-8"))
    assert [c for c in briefing.codes if c in shown] == shown * 2  # the note, the summary
    actor = parsed((site / "actors" / "coder" / "index.html").read_text(encoding="utf-8"))
    assert [c for c in actor.codes if c in shown] == shown


@pytest.mark.slow
def test_an_in_page_anchor_link_passes_validate_and_build(tmp_path: Path) -> None:
    """A summary, an editor's note or an actor summary may link to an anchor of the page:
    the link keeps its text and loses its target, so the strict build does not fail on an
    anchor the page may not have."""
    _base(tmp_path)
    _write(
        tmp_path / "briefings" / "articles" / "anchors.yaml",
        _article(
            "Anchors",
            summary="See [the background](#background) and [top](#).",
            editor_note="As in [the summary]( #summary ).",
        ),
    )
    alpha = copy.deepcopy(ACTORS["alpha"])
    alpha["summary"] = "A state ([more](#nowhere))."
    _write(tmp_path / "briefings" / "actors" / "alpha.yaml", alpha)
    assert run_cli("--root", tmp_path, "validate").code == 0
    result = run_cli("--root", tmp_path, "build")
    assert result.code == 0, result.stderr
    briefing = (tmp_path / "site" / "briefings" / "anchors" / "index.html").read_text("utf-8")
    assert "See the background and top." in briefing
    assert "As in the summary." in briefing
    assert 'href="#background"' not in briefing
    actor = (tmp_path / "site" / "actors" / "alpha" / "index.html").read_text("utf-8")
    assert "A state (more)." in actor


# ---- Property: whatever `validate` accepts, the strict build accepts ---------------------

MARKDOWNISH = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "[",
                "]",
                "(",
                ")",
                "#",
                "*",
                "_",
                "`",
                "``",
                "<",
                ">",
                "&",
                "|",
                ":",
                "!",
                "{",
                "}",
                "\\",
                "~",
                "=",
                "-",
                "+",
                ".",
                "%",
                "?",
                '"',
                "'",
                "$",
                "^",
                "\n",
                "\n\n",
                " ",
                "a",
                "Z",
                "1",
                "김",
                "https://x.example/a_b(c)",
                "mailto:a@b.example",
                "#background",
                "#summary",
                "](#x)",
                "[t](#",
                "](",
                "[r]: ",
                "javascript:",
                "&amp;",
                "&#96;",
                ":smile:",
                "[TOC]",
                "***",
                "---",
                "!!! note",
                "???",
                "{: .x }",
                "<b>",
                "`<i>`",
                "[[",
                "]]",
                "__",
                "**",
            ]
        ),
        st.text(alphabet="[]()#*_`<>&|:!{}\\ ax\n", max_size=6),
    ),
    max_size=14,
).map(lambda pieces: "".join(pieces) if "".join(pieces).strip() else "".join(pieces) + "w")
URLISH = st.lists(
    st.sampled_from(["a", "/", "(", ")", "[", "]", "'", "&", "#", "?", "=", "*", "_", "%20", "!"]),
    max_size=8,
).map(lambda tail: "https://u.example/" + "".join(tail))
ARTICLES_PER_BUILD = 12
INLINE_FIELDS = ("summary", "editor_note")
PLAIN_FIELDS = ("title", "key_points", "outlook", "role", "what", "where", "note", "text")


def _generated_article(draw: Any) -> dict[str, Any]:
    article = _article(draw(MARKDOWNISH) or "t", url=draw(URLISH))
    for field in INLINE_FIELDS:
        article[field] = draw(MARKDOWNISH)
    article["key_points"] = [draw(MARKDOWNISH)]
    article["outlook"] = [draw(MARKDOWNISH)]
    article["actors"][0]["role"] = draw(MARKDOWNISH)
    article["events"][0]["what"] = draw(MARKDOWNISH)
    article["events"][0]["where"] = draw(MARKDOWNISH)
    article["relations"][0]["note"] = draw(MARKDOWNISH)
    article["quotes"][0]["text"] = draw(MARKDOWNISH)
    return article


@st.composite
def corpora(draw: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    articles = [_generated_article(draw) for _ in range(ARTICLES_PER_BUILD)]
    alpha = copy.deepcopy(ACTORS["alpha"])
    alpha["summary"] = draw(MARKDOWNISH)
    alpha["name"] = draw(MARKDOWNISH)
    alpha["links"] = [{"title": draw(MARKDOWNISH), "url": draw(URLISH)}]
    return articles, alpha


@pytest.mark.slow
@settings(
    max_examples=8,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: each example is two builds
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(corpus=corpora())
def test_what_validate_accepts_the_strict_build_accepts(
    corpus: tuple[list[dict[str, Any]], dict[str, Any]],
) -> None:
    articles, alpha = corpus
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _base(root)
        _write(root / "briefings" / "actors" / "alpha.yaml", alpha)
        for index, article in enumerate(articles):
            _write(root / "briefings" / "articles" / f"gen-{index}.yaml", article)
        validated = run_cli("--root", root, "validate")
        assert "Traceback" not in validated.stdout + validated.stderr
        if validated.code != 0:
            return
        result = run_cli("--root", root, "build")
        assert result.code == 0, result.stdout + result.stderr
