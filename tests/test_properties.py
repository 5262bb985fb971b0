"""Property-based tests (hypothesis): whatever text an editor puts in any text field, the
pages never carry raw HTML, a script, an event handler or a `javascript:` link, and
nothing crashes.

Pages are rendered by the real renderers and turned into HTML by Python-Markdown with
the Markdown extensions of mkdocs.yml (plus generator.publish.markdown_safety); a few examples
go through the real `python -m generator build` (MkDocs --strict, Material, Pagefind).
The HTML checks live here and are shared with tests/test_hardening.py.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import tempfile
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data
from mkdocs.utils.yaml import yaml_load

from generator.build import load_model
from generator.characters import forbidden, visible
from generator.problems import DataError
from generator.publish.markdown_safety import is_safe_url
from generator.render.site import render_pages
from tests.conftest import ROOT, run_cli

# ---- The HTML checks ----------------------------------------------------------------

URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "poster",
        "srcset",
        "data",
        "background",
        "cite",
        "ping",
        "codebase",
    }
)
# What Python-Markdown and the configured extensions make of Markdown, and nothing else:
# an element outside this set in a page's content came from raw HTML.
MARKDOWN_TAGS = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "em",
        "strong",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "div",
        "br",
        "hr",
        "span",
        "dl",
        "dt",
        "dd",
        "details",
        "summary",
        "sup",
        "sub",
    }
)


class Scan(HTMLParser):
    """Everything in an HTML text that could run script, or that raw HTML would add."""

    def __init__(
        self, *, allowed_tags: frozenset[str] | None = None, marker: str | None = None
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.marker = marker
        self.problems: list[str] = []
        self.scripts: list[str] = []  # inline script bodies and `src=` of external ones
        self.json_ld: list[str] = []  # the content of each JSON-LD element: data, not script
        self._in_script = False
        self._in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        json_ld = tag == "script" and attrs == [("type", JSON_LD_TYPE)]
        if self.allowed_tags is not None and tag not in self.allowed_tags and not json_ld:
            self.problems.append(f"<{tag}> is not something Markdown makes")
        if self.marker and self.marker in tag:
            self.problems.append(f"a tag from the data: <{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"event handler <{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and not all(
                is_safe_url(part.strip().split(" ")[0]) for part in value.split(",")
            ):
                self.problems.append(f"unsafe address <{tag} {name}={value!r}>")
            if self.marker and self.marker in name:
                self.problems.append(f"an attribute from the data: <{tag} {name}>")
            if (
                self.marker
                and self.marker in value
                and name not in ("id", "href", "content", "data-title", "title", "aria-label")
            ):
                self.problems.append(f"data in <{tag} {name}={value!r}>")
        if json_ld:
            self._in_json_ld = True
            self.json_ld.append("")
        elif tag == "script":
            self._in_script = True
            source = dict(attrs).get("src")
            self.scripts.append(f"src={source}" if source else "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = self._in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.json_ld[-1] += data
        elif self._in_script and self.scripts:
            self.scripts[-1] += data


JSON_LD_TYPE = "application/ld+json"


def json_ld_problems(content: str) -> list[str]:
    """A JSON-LD element's content is one schema.org JSON object, without a `<` (which the
    HTML parser of a browser could read as the element's end or a comment)."""
    if "<" in content:
        return [f"a `<` in JSON-LD: {content[:80]!r}"]
    try:
        value = json.loads(content)
    except ValueError:
        return [f"JSON-LD that is not JSON: {content[:80]!r}"]
    if not isinstance(value, dict) or value.get("@context") != "https://schema.org":
        return [f"JSON-LD that is not a schema.org object: {content[:80]!r}"]
    return []


def unsafe_html(
    text: str, *, allowed_tags: frozenset[str] | None = None, marker: str | None = None
) -> list[str]:
    """Problems of an HTML text: event handlers, unsafe addresses, script elements,
    elements outside `allowed_tags`, and (given a `marker` planted in the data) any tag
    or attribute carrying the data."""
    scan = Scan(allowed_tags=allowed_tags, marker=marker)
    scan.feed(text)
    scan.close()
    problems = list(scan.problems)
    problems += [p for content in scan.json_ld for p in json_ld_problems(content)]
    if allowed_tags is not None and scan.scripts:
        problems.append(f"{len(scan.scripts)} script element(s)")
    if marker:
        problems += [f"script carrying the data: {s[:80]!r}" for s in scan.scripts if marker in s]
    return problems


_BASE = re.compile(r'(URL\(|"base": )"\.(?:\.(?:/\.\.)*)?"')


def page_scripts(text: str) -> list[str]:
    """The scripts of a built page, with the page's depth taken out (Material's inline
    scripts name the site's base, `.` or `../..`)."""
    scan = Scan()
    scan.feed(text)
    return [_BASE.sub(r'\1"BASE"', re.sub(r"(\.\./)+", "", script)) for script in scan.scripts]


# ---- Python-Markdown configured as mkdocs.yml configures MkDocs ----------------------


def markdown_config() -> tuple[list[str], dict[str, Any]]:
    """mkdocs.yml's markdown_extensions, plus generator.publish.markdown_safety."""
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as stream:
        listed = yaml_load(stream)["markdown_extensions"]
    names: list[str] = []
    configs: dict[str, Any] = {}
    for item in listed:
        if isinstance(item, dict):
            ((name, config),) = item.items()
            names.append(name)
            configs[name] = config or {}
        else:
            names.append(item)
    if "generator.publish.markdown_safety" not in names:
        names.append("generator.publish.markdown_safety")
    return names, configs


_EXTENSIONS, _CONFIGS = markdown_config()


def to_html(page: str) -> tuple[str, dict[str, Any]]:
    """A generated page -> (its HTML, its front matter), as MkDocs splits and converts it."""
    body, meta = get_data(page)
    converter = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_CONFIGS)
    return converter.convert(body), meta


def meta_problems(meta: dict[str, Any]) -> list[str]:
    """Themes print page meta as HTML: raw markup characters there are injections."""
    return [
        f"meta {key} has raw {char!r}: {value!r}"
        for key, value in meta.items()
        if isinstance(value, str)
        for char in '<>"'
        if char in value
    ]


# ---- A small valid project, and every text field in it --------------------------------

ACTORS: dict[str, dict[str, Any]] = {
    "alpha": {
        "name": "Alpha",
        "kind": "state",
        "summary": "A state.",
        "aliases": ["Alphaland", "알파"],
        "links": [{"title": "About Alpha", "url": "https://alpha.example/"}],
    },
    "beta-chief": {
        "name": "Beta Chief",
        "kind": "person",
        "summary": "A leader.",
        "country": "alpha",
        "born": "1970-05",
        "positions": [{"title": "Chief", "of": "alpha", "since": "2010"}],
    },
}
ARTICLE: dict[str, Any] = {
    "title": "Alpha acts",
    "published": "2024-03-02",
    "published_basis": "outside",
    "published_note": "From the outlet's archive.",
    "source": {
        "outlet": "The Wire",
        "author": ["A. Writer", "B. Writer"],
        "url": "https://news.example/alpha",
    },
    "summary": "Alpha acted.\n\nBeta Chief spoke.",
    "key_points": ["Alpha acted.", {"text": "Beta objects.", "according_to": ["beta-chief"]}],
    "actors": [{"actor": "alpha", "role": "Acted."}, {"actor": "beta-chief", "role": "Spoke."}],
    "events": [
        {
            "date": "2024-03",
            "what": "Alpha acts.",
            "actors": ["alpha"],
            "where": "Alpha City",
            "id": "alpha-acts",
            "date_basis": "outside",
            "date_note": "From an agency report.",
            "according_to": ["beta-chief"],
        }
    ],
    "relations": [
        {
            "subject": "beta-chief",
            "relation": "leads",
            "object": "alpha",
            "note": "As chief.",
            "according_to": ["alpha"],
        }
    ],
    "quotes": [{"text": "We act.", "by": "beta-chief", "context": "At a rally."}],
    "outlook": ["More to come."],
    "tags": ["alpha"],
    "editor_note": "Dates as given.",
}
Field = tuple[str, tuple[str | int, ...]]
ARTICLE_FIELDS: list[Field] = [
    ("article", loc)
    for loc in (
        ("title",),
        ("summary",),
        ("key_points", 0),
        ("key_points", 1, "text"),
        ("published_note",),
        ("events", 0, "date_note"),
        ("actors", 0, "role"),
        ("events", 0, "what"),
        ("events", 0, "where"),
        ("relations", 0, "note"),
        ("quotes", 0, "text"),
        ("quotes", 0, "context"),
        ("outlook", 0),
        ("editor_note",),
        ("source", "outlet"),
        ("source", "author", 0),
    )
]
ACTOR_FIELDS: list[Field] = [
    (actor, loc)
    for actor, loc in (
        ("alpha", ("name",)),
        ("alpha", ("summary",)),
        ("alpha", ("aliases", 0)),
        ("alpha", ("links", 0, "title")),
        ("beta-chief", ("name",)),
        ("beta-chief", ("positions", 0, "title")),
    )
]
TEXT_FIELDS = ARTICLE_FIELDS + ACTOR_FIELDS


def with_texts(
    texts: Iterable[tuple[Field, str]],
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The article and actors with `text` put at each field."""
    article, actors = copy.deepcopy(ARTICLE), copy.deepcopy(ACTORS)
    for (owner, loc), text in texts:
        target: Any = article if owner == "article" else actors[owner]
        for part in loc[:-1]:
            target = target[part]
        target[loc[-1]] = text
    return article, actors


def write_project(root: Path, article: dict[str, Any], actors: dict[str, dict[str, Any]]) -> Path:
    (root / "briefings" / "articles").mkdir(parents=True, exist_ok=True)
    (root / "briefings" / "actors").mkdir(parents=True, exist_ok=True)
    (root / "briefings" / "articles" / "alpha-acts.yaml").write_text(
        yaml.safe_dump(article, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    for actor_id, actor in actors.items():
        (root / "briefings" / "actors" / f"{actor_id}.yaml").write_text(
            yaml.safe_dump(actor, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return root


# ---- Text to try ------------------------------------------------------------------

HOSTILE_PIECES = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "[x](javascript:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "![i](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[r]\n\n[r]: javascript:alert(1)",
    '[x](http://ok.example/ "t")',
    '{: onclick="alert(1)" }',
    "{ onclick=alert(1) }",
    "{{ 7*7 }}",
    "{% include 'base.html' %}",
    "&lt;script&gt;",
    "&#x3C;script&#x3E;",
    "`<script>`",
    "```\n<script>\n```",
    "\n\n",
    "\n- ",
    "\n# ",
    "\n> ",
    "\n1. ",
    "| a | b |\n|---|---|",
    '!!! note "x"\n    y',
    "???+ note",
    ":smile:",
    "\u202e",
    "\x00",
    "\x1b[31m",
    "\t",
    "*",
    "_",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    '"',
    "'",
    "\\",
    "&",
    "mailto:a@b.example",
    "vbscript:x",
    " onmouseover=alert(1) ",
    "</title>",
    "-->",
    "<!--",
    "<![CDATA[",
    "]]>",
    "<style>*{}</style>",
    "<iframe srcdoc=x>",
    "\u2028",
    "\ufeff",
    "👩‍👩‍👧",
    "שלום",
    "김정은",
)
texts = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=12)), max_size=10).map(
    "".join
)


def _accepts(text: str) -> bool:
    """Whether the schema takes `text` in a required text field: something a reader can see
    (its own rule, tested in test_load_fast.py), and no character no text may hold (a
    control character, a surrogate, a noncharacter)."""
    return visible(text) and forbidden(text) is None


def _allowed(text: str) -> str:
    """`text` without the characters no text may hold (the schema refuses them)."""
    return "".join(char for char in text if forbidden(char) is None)


accepted = texts.map(_allowed).filter(_accepts)


def _tags(html: str) -> set[str]:
    return set(re.findall(r"<([a-zA-Z][a-zA-Z0-9-]*)", html))


@functools.cache
def clean_tags() -> dict[str, frozenset[str]]:
    """The elements of each page rendered from harmless text: the renderers' own markup
    (e.g. an SVG graph) besides what Markdown makes."""
    with tempfile.TemporaryDirectory() as folder:
        pages = render_pages(load_model(write_project(Path(folder), ARTICLE, ACTORS)))
    return {path: MARKDOWN_TAGS | _tags(to_html(page)[0]) for path, page in pages.items()}


def check_rendered(root: Path) -> list[str]:
    corpus = load_model(root)
    known = clean_tags()
    anywhere = frozenset().union(*known.values())
    problems = []
    for path, page in render_pages(corpus).items():
        html, meta = to_html(page)
        allowed = known.get(path, anywhere)
        problems += [
            f"{path}: {p}" for p in unsafe_html(html, allowed_tags=allowed) + meta_problems(meta)
        ]
    return problems


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(TEXT_FIELDS), text=texts)
def test_any_text_in_any_field_renders_safely(field: Field, text: str) -> None:
    article, actors = with_texts([(field, text)])
    with tempfile.TemporaryDirectory() as folder:
        root = write_project(Path(folder), article, actors)
        try:
            problems = check_rendered(root)
        except DataError as error:
            # Only text the schema refuses: blank text in a required field.
            assert not _accepts(text), [str(p) for p in error.problems]
            assert all(
                re.fullmatch(r"briefings/[a-z/-]+\.yaml", p.path) and p.line >= 1
                for p in error.problems
            )
            return
    assert problems == []


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(accepted, min_size=len(TEXT_FIELDS), max_size=len(TEXT_FIELDS)))
def test_hostile_text_in_every_field_at_once(values: list[str]) -> None:
    article, actors = with_texts(zip(TEXT_FIELDS, values, strict=True))
    with tempfile.TemporaryDirectory() as folder:
        assert check_rendered(write_project(Path(folder), article, actors)) == []


def test_the_checks_catch_what_they_look_for() -> None:
    """The checks themselves can fail: raw HTML through Python-Markdown is caught."""
    html, meta = to_html(
        '---\ntitle: "<b>x</b>"\n---\n\n# T\n\n<img src=x onerror=alert(1)>\n'
        "\n<a href='javascript:alert(1)'>x</a>\n\n<script>alert(1)</script>\n"
    )
    problems = unsafe_html(html, allowed_tags=MARKDOWN_TAGS) + meta_problems(meta)
    assert any("event handler" in p for p in problems)
    assert any("unsafe address" in p for p in problems)
    assert any("<img>" in p for p in problems)
    assert any("script element" in p for p in problems)
    assert any("meta title" in p for p in problems)
    broken = '<script type="application/ld+json">{"@context":"https://schema.org","a":"</script>'
    assert any("JSON-LD that is not JSON" in p for p in unsafe_html(broken + '"}'))
    comment = broken.replace("</script>", '<!--"}</script>')
    assert any("a `<` in JSON-LD" in p for p in unsafe_html(comment))


# ---- A few examples through the real build ------------------------------------------


@pytest.fixture(scope="module")
def clean_scripts(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every script of a site built from harmless text: nothing else may appear."""
    root = write_project(tmp_path_factory.mktemp("clean"), ARTICLE, ACTORS)
    result = run_cli("--root", root, "build")
    assert result.code == 0, result.stderr
    return {
        script
        for page in (root / "site").rglob("*.html")
        for script in page_scripts(page.read_text(encoding="utf-8"))
    }


def built_problems(site: Path, clean_scripts: set[str]) -> list[str]:
    problems = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        name = page.relative_to(site).as_posix()
        problems += [f"{name}: {p}" for p in unsafe_html(text)]
        problems += [
            f"{name}: a script no clean page has: {s[:120]!r}"
            for s in page_scripts(text)
            if s not in clean_scripts
        ]
    return problems


@pytest.mark.slow
@settings(
    max_examples=3,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=st.lists(accepted, min_size=len(TEXT_FIELDS), max_size=len(TEXT_FIELDS)))
def test_hostile_text_through_the_real_build(values: list[str], clean_scripts: set[str]) -> None:
    article, actors = with_texts(zip(TEXT_FIELDS, values, strict=True))
    with tempfile.TemporaryDirectory() as folder:
        root = write_project(Path(folder), article, actors)
        result = run_cli("--root", root, "build")
        assert result.code == 0, result.stderr
        assert built_problems(root / "site", clean_scripts) == []


def test_yaml_round_trip_keeps_the_text() -> None:
    """The tests write YAML with PyYAML; what they put in is what the loader gets."""
    for piece in HOSTILE_PIECES:
        assert yaml.safe_load(yaml.safe_dump({"t": piece}, allow_unicode=True))["t"] == piece


# ---- Faster helpers behave exactly as the plain ones did ------------------------------


def _escape_by_character(text: str) -> str:
    """escape() as first written (a loop over characters), the reference for the faster one."""
    backslash = set("\\`*_{}[]()>#+-.!")
    entity = {"|": "&#124;", "<": "&lt;", "&": "&amp;"}
    leading = {":": "&#58;", "?": "&#63;", "=": "&#61;", "%": "&#37;"}
    out = []
    for char in re.sub(r"\s+", " ", text).strip():
        if char in backslash:
            out.append("\\" + char)
        elif char in entity:
            out.append(entity[char])
        elif ord(char) < 32 or 0x7F <= ord(char) < 0xA0:
            continue
        else:
            out.append(char)
    if out and out[0] in leading:
        out[0] = leading[out[0]]
    return "".join(out)


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(texts)
def test_escape_is_the_character_loop(text: str) -> None:
    from generator.markup import escape

    assert escape(text) == _escape_by_character(text)


paths = st.lists(
    st.sampled_from(
        ["briefings", "actors", "tags", "a", ".", "..", "x.md", "index.md", "feeds", "api"]
    ),
    max_size=4,
).map("/".join)


@settings(max_examples=500, deadline=None)
@given(target=paths, here=paths)
def test_relative_link_is_relpath(target: str, here: str) -> None:
    import posixpath

    from generator.render.text import relative_link

    expected = posixpath.relpath(target, posixpath.dirname(here) or ".") if target else ""
    assert relative_link(target, here) == expected
    assert relative_link(f"{target}#part", here) == expected + "#part"


@pytest.mark.parametrize(
    "markdown_text",
    [
        "[x](javascript&#58;alert(1))",
        "[x](javascript&colon;alert(1))",
        "[x](&#x6A;avascript&#x3A;alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](data&#58;text/html,x)",
    ],
)
def test_the_safety_extension_sees_through_entities(markdown_text: str) -> None:
    """Hand-written pages reach Python-Markdown unescaped: generator.publish.markdown_safety is the
    only lock there, and browsers decode entities in attributes."""
    html, _ = to_html(f"# T\n\n{markdown_text}\n")
    assert [p for p in unsafe_html(html) if "unsafe address" in p] == []
    assert "<a" in html  # the link stays, without its target
