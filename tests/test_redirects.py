"""Former ids: the old addresses hold a page that leads to the current one."""

from html.parser import HTMLParser

from generator.build import load_model
from generator.formats.redirects import render_redirects
from generator.siteinfo import SiteInfo
from tests.conftest import FIXTURES

SITE = SiteInfo("Briefings", "https://example.org/briefings/")


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def test_a_redirect_for_each_former_id() -> None:
    files = render_redirects(load_model(FIXTURES / "corpus"), SITE)
    assert sorted(files) == [
        "actors/beta-state/index.html",
        "briefings/alpha-beta-meeting/index.html",
    ]
    head = _Head()
    head.feed(files["briefings/alpha-beta-meeting/index.html"])
    tags = {(tag, attrs.get("http-equiv") or attrs.get("rel")): attrs for tag, attrs in head.found}
    assert tags[("meta", "refresh")]["content"] == "0; url=../alpha-summit/"
    assert tags[("link", "canonical")]["href"] == (
        "https://example.org/briefings/briefings/alpha-summit/"
    )
    assert tags[("a", None)]["href"] == "../alpha-summit/"
    assert "../beta/" in files["actors/beta-state/index.html"]
