"""What the feeds, the JSON API and the STIX bundle need to know about the site: its name
and its public address, both from the project's mkdocs.yml (`site_name`, `site_url`).

Feeds and open data carry absolute addresses, so they need `site_url`. The repository's
mkdocs.yml takes it from the BRIEFING_SITE_URL environment variable (the deploy workflow
sets the GitHub Pages address there) and falls back to the local preview address.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from generator.problems import BuildError


class SiteConfigError(BuildError):
    """mkdocs.yml lacks what the feeds and open data need."""


@dataclass(frozen=True)
class SiteInfo:
    name: str
    url: str  # absolute, ending in "/"
    description: str = ""

    def absolute(self, path: str) -> str:
        """The public address of a path in the site (`actors/x/`, `feeds/all.xml`)."""
        return self.url + path


def site_info(
    config: Path | str, name: object, url: object, description: object = None
) -> SiteInfo:
    """Check the values; `config` names where they come from, for the messages."""
    if not isinstance(url, str) or not url.strip():
        raise SiteConfigError(
            f"{config}: `site_url` is not set; the feeds, the JSON API and the STIX bundle "
            "need the site's public address, e.g. `site_url: https://example.org/briefings/`"
        )
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SiteConfigError(
            f"{config}: `site_url` must be an http:// or https:// address, not `{url}`"
        )
    if not isinstance(name, str) or not name.strip():
        raise SiteConfigError(f"{config}: `site_name` is not set")
    text = description if isinstance(description, str) else ""
    return SiteInfo(name.strip(), url.strip().rstrip("/") + "/", text.strip())
