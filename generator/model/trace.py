"""What a piece of output read from the corpus, so that the next build can tell, without
running it again, whether it would come out the same.

The renderers are pure functions of the corpus. A `Unit` is one call of one of them (a
briefing's page, an actor's pages, the timeline...). Run under `traced`, every value the
call takes from the corpus is recorded as a `Read`: a field of the corpus read whole (the
timeline, the list of briefings newest first), or one key of one of its mappings (the
appearances of one actor). The digest of a read is a hash of the value read, so a later
corpus in which every read of a unit has the same digest gives that unit the same output:
it is the same pure function of the same values. This is the verifying trace of build
systems (Mokhov, Mitchell, Peyton Jones, "Build systems à la carte"), at the level of the
model instead of files.

Digests are stable across processes (no `hash()`, no pickle): they are kept between builds.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel

from generator.model.corpus import ActorEntry, ArticleEntry, Corpus

Files = Mapping[str, str]
"""Output files by their path in the docs folder."""

Read = tuple[str, ...]
"""("timeline",): a corpus field read whole; ("appearances", "kcna"): one key of a mapping.
Mapping keys are the corpus' ids, tags and event keys: strings."""

T = TypeVar("T")


@dataclass(frozen=True)
class Unit:
    """One call of a renderer: `make(corpus)` gives its files. `key` names it among the
    units of a build (the same unit in the next build has the same key)."""

    key: str
    make: Callable[[Corpus], Files]


_MISSING = object()


class _Recorded(Mapping[str, Any]):
    """A corpus mapping that records which of its keys are read, or that it is read whole."""

    def __init__(self, name: str, values: Mapping[str, Any], reads: set[Read]) -> None:
        self._name = name
        self._values = values
        self._reads = reads

    def __getitem__(self, key: str) -> Any:
        self._reads.add((self._name, key))
        return self._values[key]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self._reads.add((self._name, key))
        else:
            self._reads.add((self._name,))
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        self._reads.add((self._name,))
        return iter(self._values)

    def __len__(self) -> int:
        self._reads.add((self._name,))
        return len(self._values)


class _RecordedSequence(Sequence[Any]):
    """A corpus list that records whether only its length is read, or its items."""

    def __init__(self, name: str, values: Sequence[Any], reads: set[Read]) -> None:
        self._name = name
        self._values = values
        self._reads = reads

    def __len__(self) -> int:
        self._reads.add((self._name, LENGTH))
        return len(self._values)

    def __getitem__(self, index: Any) -> Any:
        self._reads.add((self._name,))
        return self._values[index]

    def __iter__(self) -> Iterator[Any]:
        self._reads.add((self._name,))
        return iter(self._values)

    def __contains__(self, value: object) -> bool:
        self._reads.add((self._name,))
        return value in self._values


LENGTH = "#len"
"""The key of a read of a corpus list's length alone (the timeline's, to know whether it
fits on one page): a change to the events that keeps their number does not concern it."""

_FIELDS = frozenset(field.name for field in dataclasses.fields(Corpus))


class _TracedCorpus(Corpus):
    """The corpus as a renderer sees it under `traced`: the same values, every read recorded.
    (Its fields are read through `__getattribute__`, so a whole field read is recorded
    whichever method reads it.)"""

    _reads: set[Read]

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if name in _FIELDS and not isinstance(value, (_Recorded, _RecordedSequence)):
            object.__getattribute__(self, "_reads").add((name,))
        return value


def traced(corpus: Corpus, make: Callable[[Corpus], T]) -> tuple[T, frozenset[Read]]:
    """`make(corpus)` and everything it read from the corpus."""
    reads: set[Read] = set()
    values: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(corpus, name)
        if isinstance(value, Mapping):
            values[name] = _Recorded(name, value, reads)
        elif isinstance(value, (list, tuple)):
            values[name] = _RecordedSequence(name, value, reads)
        else:
            values[name] = value
    view = _TracedCorpus(**values)
    object.__setattr__(view, "_reads", reads)
    return make(view), frozenset(reads)


class Digests:
    """The digest of each read in one corpus, each worked out once."""

    def __init__(self, corpus: Corpus) -> None:
        self._corpus = corpus
        self._reads: dict[Read, str] = {}
        self._entries: dict[int, bytes] = {}
        self._objects: dict[int, bytes] = {}

    def of(self, read: Read) -> str:
        found = self._reads.get(read)
        if found is None:
            found = self._reads[read] = self._digest(read)
        return found

    def of_all(self, reads: Iterable[Read]) -> str:
        """One digest of a unit's reads (in a fixed order: the reads are a set)."""
        hasher = hashlib.blake2b(digest_size=16)
        for read in sorted(reads):
            hasher.update("\x1f".join(read).encode("utf-8", "surrogatepass"))
            hasher.update(b"\x1e")
            hasher.update(self.of(read).encode("ascii"))
        return hasher.hexdigest()

    def _digest(self, read: Read) -> str:
        hasher = hashlib.blake2b(digest_size=16)
        if len(read) == 1 and isinstance(getattr(self._corpus, read[0]), Mapping):
            # A mapping read whole: the digests of its keys' reads (which units reading
            # one key share), in its order.
            values = getattr(self._corpus, read[0])
            hasher.update(f"d{len(values)}(".encode())
            for key in values:
                self._feed(hasher, key)
                hasher.update(self.of((read[0], key)).encode("ascii"))
            return hasher.hexdigest()
        if len(read) == 1:
            value = getattr(self._corpus, read[0])
        elif read[1] == LENGTH and isinstance(getattr(self._corpus, read[0]), (list, tuple)):
            value = len(getattr(self._corpus, read[0]))
        else:
            value = getattr(self._corpus, read[0]).get(read[1], _MISSING)
        self._feed(hasher, value)
        return hasher.hexdigest()

    def _feed(self, hasher: Any, value: Any) -> None:
        """Feed `value` into `hasher`, each kind tagged so that no two values feed the same."""
        if isinstance(value, (ArticleEntry, ActorEntry)):
            hasher.update(self._entry(value))
        elif value is _MISSING:
            hasher.update(b"M")
        elif value is None or isinstance(value, (bool, int, float, Enum)):
            hasher.update(f"{type(value).__name__}:{value!r};".encode())
        elif isinstance(value, str):
            data = value.encode("utf-8", "surrogatepass")
            hasher.update(f"s{len(data)}:".encode())
            hasher.update(data)
        elif isinstance(value, (list, tuple)):
            hasher.update(f"l{len(value)}(".encode())
            for item in value:
                self._feed(hasher, item)
            hasher.update(b")")
        elif isinstance(value, Mapping):
            hasher.update(f"d{len(value)}(".encode())
            for key, item in value.items():
                self._feed(hasher, key)
                self._feed(hasher, item)
            hasher.update(b")")
        elif isinstance(value, BaseModel):
            hasher.update(_model(value))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            hasher.update(self._object(value))
        else:
            raise TypeError(f"no digest for a {type(value).__name__} read from the corpus")

    def _object(self, value: Any) -> bytes:
        """A model object (an appearance, a timeline entry...): its class and fields, once
        per object (the same objects are in many reads)."""
        found = self._objects.get(id(value))
        if found is None:
            hasher = hashlib.blake2b(digest_size=16)
            hasher.update(f"c{type(value).__name__}(".encode())
            for field in dataclasses.fields(value):
                self._feed(hasher, getattr(value, field.name))
            found = self._objects[id(value)] = hasher.digest()
        return found

    def _entry(self, entry: ArticleEntry | ActorEntry) -> bytes:
        """An article or actor: its id, file and every value of its data."""
        found = self._entries.get(id(entry))
        if found is None:
            hasher = hashlib.blake2b(digest_size=16)
            hasher.update(f"{type(entry).__name__}:{entry.id}\x1f{entry.path}\x1f".encode())
            hasher.update(_model(entry.data))
            found = self._entries[id(entry)] = hasher.digest()
        return found


def _model(model: BaseModel) -> bytes:
    """Every value of a schema object, as its repr: pydantic writes each field in declared
    order, with the repr of each value (strings, numbers, dates, nested objects)."""
    return f"{model!r}".encode("utf-8", "surrogatepass")


class Changes:
    """Which reads of the last corpus have another value in the next (the live preview's
    test, in place of digests: both corpora are in memory). Values are compared with `==`:
    an article or actor entry is equal only to itself, and `build_model` given the last
    corpus keeps the entry of every file that is the same, so an unchanged briefing costs
    an identity test."""

    def __init__(self, before: Corpus, after: Corpus) -> None:
        self._before = before
        self._after = after
        self._same: dict[Read, bool] = {}

    def same(self, reads: Iterable[Read]) -> bool:
        """Whether every read gives the same value in both corpora."""
        return all(self._read_same(read) for read in reads)

    def _read_same(self, read: Read) -> bool:
        found = self._same.get(read)
        if found is None:
            found = self._same[read] = self._value(self._before, read) == self._value(
                self._after, read
            )
        return found

    @staticmethod
    def _value(corpus: Corpus, read: Read) -> Any:
        field = getattr(corpus, read[0])
        if len(read) == 1:
            # A mapping read whole is read in its order, which `==` would not compare.
            return list(field.items()) if isinstance(field, Mapping) else field
        if read[1] == LENGTH and isinstance(field, (list, tuple)):
            return len(field)
        return field.get(read[1], _MISSING)
