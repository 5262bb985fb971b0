"""The rules of the data's values, each declared once: the text formats (pattern and rule in
words), the relation types, the actor kinds, which ids are reserved, what a URL may be.
`schema.py` builds the models from them; messages, the JSON Schema and the docs derive from
them."""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass
from typing import Any, Literal

from generator.addresses import RESERVED_IDS
from generator.characters import visible_pattern
from generator.data.dates import DATE_PATTERN, DATE_RULE


@dataclass(frozen=True)
class Format:
    """A kind of text value, declared once: its name (`kind`, as the docs and skeletons call
    it), its pattern (the JSON Schema's, and the validator's own where it has one) and its
    rule in words (in `validate`'s messages and in editors' `patternErrorMessage`)."""

    kind: str
    pattern: str
    rule: str

    def matches(self, value: str) -> bool:
        return _compiled(self.pattern).fullmatch(value) is not None

    def json_schema(self, **extra: Any) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": self.pattern,
            **extra,
            "patternErrorMessage": self.rule,
        }


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)  # once: the validators run for every value of every file


TEXT = Format("text", visible_pattern(), "must not be empty")
ID = Format(
    "id",
    r"^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$",
    "use 2 to 80 lowercase letters a-z, digits and single hyphens, starting with a letter",
)
TAG = Format(
    "tag",
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "use up to 80 lowercase letters a-z, digits and single hyphens",
)
URL = Format("url", "^https?://", "not an http:// or https:// URL")
DATE = Format("date", DATE_PATTERN, DATE_RULE)
LANGUAGE = Format(
    "language",
    "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
    "not a BCP 47 language tag such as `en` or `ko-KR`",
)
WIKIDATA = Format("wikidata", "^Q[1-9][0-9]*$", "not a Wikidata id such as `Q56226`")
FORMATS = (TEXT, ID, TAG, URL, DATE, LANGUAGE, WIKIDATA)
ID_PATTERN, ID_RULE, TAG_PATTERN = ID.pattern, ID.rule, TAG.pattern
RESERVED_RULE = "it is a fixed part of the site's addresses (reserved: {})".format(
    ", ".join(sorted(RESERVED_IDS))
)


@dataclass(frozen=True)
class RelationType:
    """One relation type of the fixed vocabulary, declared once: whether it holds both ways,
    and its family (how graphs colour it)."""

    name: str
    symmetric: bool
    family: Literal["cooperative", "hostile", "other"]

    @property
    def words(self) -> str:
        """How pages say it: `member-of` -> `member of`."""
        return self.name.replace("-", " ")

    @property
    def meaning(self) -> str:
        return (
            "symmetric: holds both ways" if self.symmetric else "directed: from subject to object"
        )


RELATION_TYPES = (
    RelationType("allied-with", True, "cooperative"),
    RelationType("cooperates-with", True, "cooperative"),
    RelationType("opposes", True, "hostile"),
    RelationType("negotiates-with", True, "other"),
    RelationType("supports", False, "cooperative"),
    RelationType("supplies", False, "cooperative"),
    RelationType("sanctions", False, "hostile"),
    RelationType("threatens", False, "hostile"),
    RelationType("leads", False, "other"),
    RelationType("member-of", False, "other"),
    RelationType("part-of", False, "other"),
    RelationType("speaks-for", False, "other"),
)
RELATION_TYPE = {relation.name: relation for relation in RELATION_TYPES}
SYMMETRIC_RELATIONS = tuple(r.name for r in RELATION_TYPES if r.symmetric)
DIRECTED_RELATIONS = tuple(r.name for r in RELATION_TYPES if not r.symmetric)
RELATIONS = SYMMETRIC_RELATIONS + DIRECTED_RELATIONS
ACTOR_KINDS = ("person", "state", "organisation", "military", "media", "alliance", "group")
PERSONS_ONLY_KIND = "person"
PERSONS_ONLY = ("born",)
"""Actor fields that only a person may have (`validate` and the JSON Schema say so)."""


def persons_only_rule(field: str) -> str:
    return f"`{field}` is for persons only"


def is_id(value: str) -> bool:
    return 2 <= len(value) <= 80 and ID.matches(value)


def reserved(value: str, what: str = "id", where: str = "") -> str | None:
    """The problem with an id or tag that is a fixed address segment, or None."""
    if value not in RESERVED_IDS:
        return None
    return f"reserved {what} `{value}`{where}: {RESERVED_RULE}"


def id_problem(value: str, where: str = "") -> str | None:
    """What is wrong with the id of a page (a file's name, a former id, `new`'s id), or None;
    `where` follows the id in the message, e.g. " (the file name)"."""
    if not is_id(value):
        return f"invalid id `{value}`{where}: {ID_RULE}"
    return reserved(value, "id", where)


_URL = re.compile(r"https?://(?P<authority>[^/?#]*)(?:[/?#].*)?", re.DOTALL)
_HOST = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?",
    re.IGNORECASE | re.ASCII,
)
# RFC 3986's unreserved and reserved characters and `%`; other ASCII (space, `\`, `<`, `"`,
# controls...) cannot be part of a URL. Other characters can when a reader sees them
# (an address such as https://ko.wikipedia.org/wiki/김정은), not spaces or format characters.
_URL_ASCII = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"
)
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def check_url(value: str) -> str:
    reason = url_problem(value)
    if reason is not None:
        raise ValueError(f"`{value}` is {URL.rule}{reason}")
    return value


def url_problem(value: str) -> str | None:
    """Why `value` is not a plain http(s) URL (": ..." or "" when it has no other shape),
    or None."""
    for char in value:
        if char in _URL_ASCII:
            continue
        if char.isascii() or not char.isprintable() or char.isspace():
            seen = f"`{char}` " if char.isprintable() and not char.isspace() else ""
            return f": it holds {seen}U+{ord(char):04X}, which a URL cannot"
    match = _URL.fullmatch(value)
    if match is None:
        return ""
    authority = match["authority"]
    if "@" in authority:
        return ": it must not carry a user name or password (`user@`)"
    host, port = _host_and_port(authority)
    if port is not None and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        return f": its port `{port}` is not a number from 1 to 65535"
    if not host:
        return ""
    if not _is_host(host):
        return f": `{host}` is not a host name"
    if _BAD_PERCENT.search(value):
        return ": a `%` must start a percent-encoded byte such as `%20`"
    return None


def _host_and_port(authority: str) -> tuple[str, str | None]:
    """(host, port or None); an IPv6 host keeps its brackets."""
    if authority.startswith("["):
        if "]" not in authority:
            return authority, None
        end = authority.index("]") + 1
        host, after = authority[:end], authority[end:]
        return (host, after[1:]) if after.startswith(":") else (host + after, None)
    host, colon, port = authority.partition(":")
    return host, port if colon else None


def _is_host(host: str) -> bool:
    """A domain name (internationalised ones as IDNA takes them) or an IP address."""
    if host.startswith("["):
        try:
            return host.endswith("]") and bool(ipaddress.IPv6Address(host[1:-1]))
        except ValueError:
            return False
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return False
    return len(host) <= 253 and _HOST.fullmatch(host) is not None
