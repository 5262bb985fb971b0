"""The characters no value may hold, and how messages show what a reader cannot see.

Some characters cannot be meant in any field: control characters (C0 but the tab and the
line break that multi-paragraph text needs, DEL, C1), lone surrogates (no UTF-8 can hold
them: writing one out crashes) and noncharacters (U+FDD0 to U+FDEF, and the last two of
every plane: MkDocs drops a page's front matter holding U+FFFE). YAML refuses them written
as such, but a double-quoted string writes any of them as an escape (`"\\ud800"`). They
are refused in every value and key of both kinds of file, declared text or not, here once.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Every such character, and every one from U+1FFFE up (the other planes' noncharacters among
# them): a pattern listing those noncharacters one by one took ten times as long to search.
_CANDIDATES = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff"
)
_CANDIDATE = re.compile(f"[{_CANDIDATES}]")
REPLACEMENT = "\ufffd"

Loc = tuple[str | int, ...]
"""Where a value stands in a document: its keys and list indexes, `("actors", 0, "role")`."""


def _is_forbidden(code: int) -> bool:
    return (
        (code < 0x20 and code not in (0x09, 0x0A))
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or 0xFDD0 <= code <= 0xFDEF
        or code & 0xFFFE == 0xFFFE
    )


def _first(text: str) -> int | None:
    """The code point of the first character of `text` no value may hold, or None."""
    for found in _CANDIDATE.finditer(text):
        code = ord(found.group())
        if _is_forbidden(code):
            return code
    return None


def forbidden(text: str) -> str | None:
    """Why `text` cannot be taken (its first character that no value may hold), or None."""
    code = _first(text)
    if code is None:
        return None
    if 0xD800 <= code <= 0xDFFF:
        what = "the lone surrogate"
    elif code < 0xA0:
        what = "the control character"
    else:
        what = "the noncharacter"
    return f"{what} U+{code:04X} is not allowed: remove it"


def may_hold_forbidden(text: str) -> bool:
    """Whether a YAML file's text may give a value with such a character: an escape (after a
    backslash), or one written as it is, which only text beyond ASCII can hold (YAML refuses
    the ASCII control characters and turns line breaks into `\\n`). Most files hold neither:
    two quick tests in C instead of a search of every character."""
    if "\\" in text:
        return True
    return not text.isascii() and _CANDIDATE.search(text) is not None


def find_forbidden(data: Any, loc: Loc = ()) -> tuple[Any, list[tuple[Loc, bool, str]]]:
    """Every value and key of loaded data holding such a character: (location, whether it
    is a key, why), and the data without them (such characters replaced, such keys left out)
    for the schema to check the rest."""
    found: list[tuple[Loc, bool, str]] = []
    if isinstance(data, str):
        reason = forbidden(data)
        if reason is None:
            return data, found
        clean = "".join(REPLACEMENT if _is_forbidden(ord(char)) else char for char in data)
        return clean, [(loc, False, reason)]
    if isinstance(data, list):
        items = []
        for index, item in enumerate(data):
            clean, more = find_forbidden(item, (*loc, index))
            items.append(clean)
            found += more
        return items, found
    if isinstance(data, dict):
        mapping = {}
        for key, value in data.items():
            reason = forbidden(key)
            if reason is not None:
                found.append(((*loc, key), True, reason))
                continue
            mapping[key], more = find_forbidden(value, (*loc, key))
            found += more
        return mapping, found
    return data, found


def shown(text: str) -> str:
    """`text` with every character a reader cannot see (controls, format characters such as
    U+200B, spaces other than ` `, surrogates, unassigned code points) written as a Python
    escape (`\\u200b`): an id that looks right but is not shows as such, and a message can
    always be printed."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(char: str) -> str:
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


# Letters and symbols that show as blank space (Hangul fillers, the blank Braille pattern).
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def invisible(char: str) -> bool:
    """White space, a format character (zero-width spaces and joiners, bidirectional marks,
    the soft hyphen...) or one of the letters that show as blank space."""
    return char.isspace() or char in _BLANK or unicodedata.category(char) == "Cf"


def visible(text: str) -> bool:
    """Whether `text` holds a character a reader can see. (The first visible character ends
    the search: in real text, the first character.)"""
    return not all(map(invisible, text))


def visible_pattern() -> str:
    """A pattern found in a text that is `visible` (unanchored, as JSON Schema reads
    patterns; `\\uXXXX` escapes, which Python and JavaScript both read): any character of
    the Basic Multilingual Plane but the invisible ones. (A text of nothing but invisible
    characters beyond it, such as the tag characters, matches it: `validate` refuses it.)"""
    ranges: list[list[int]] = []
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF or not invisible(chr(code)):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "[^" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges) + "]"
