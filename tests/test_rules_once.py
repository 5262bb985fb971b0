"""Each rule is declared once in generator/data/schema.py and reaches `validate`'s messages,
the JSON Schema, `diff` and the docs from there."""

from __future__ import annotations

import json
from typing import Any

import pytest

from generator.data import formats, json_schema, schema
from generator.editor import diff


def test_the_actor_references_come_from_the_schema() -> None:
    assert schema.actor_references(schema.Article) == (
        ("key_points", "*", "according_to", "*"),
        ("actors", "*", "actor"),
        ("events", "*", "actors", "*"),
        ("events", "*", "according_to", "*"),
        ("relations", "*", "subject"),
        ("relations", "*", "object"),
        ("relations", "*", "according_to", "*"),
        ("quotes", "*", "by"),
    )
    assert schema.actor_references(schema.Actor) == (("country",), ("positions", "*", "of"))
    assert {k: schema.actor_references(m) for k, m in schema.MODELS.items()} == diff.REFERENCES


def _patterns(node: Any) -> list[tuple[str, str]]:
    if isinstance(node, list):
        return [found for item in node for found in _patterns(item)]
    if not isinstance(node, dict):
        return []
    here = [(node["pattern"], node.get("patternErrorMessage", ""))] if "pattern" in node else []
    return here + [found for value in node.values() for found in _patterns(value)]


@pytest.mark.parametrize("kind", sorted(schema.MODELS))
def test_every_pattern_of_the_json_schema_is_a_declared_format_with_its_rule(kind: str) -> None:
    declared = {fmt.pattern: fmt.rule for fmt in formats.FORMATS}
    found = _patterns(json.loads(json.dumps(json_schema.json_schema(kind))))
    assert found
    assert all(declared.get(pattern) == rule for pattern, rule in found), found


@pytest.mark.parametrize(
    ("fmt", "good", "bad"),
    [
        (formats.ID, "kim-jong-un", "Kim"),
        (formats.TAG, "north-korea", "north--korea"),
        (formats.LANGUAGE, "ko-KR", "korean!"),
        (formats.WIKIDATA, "Q56226", "Q0"),
        (formats.DATE, "2023-09", "2023-13"),
    ],
)
def test_a_format_checks_values_by_its_declared_pattern(
    fmt: formats.Format, good: str, bad: str
) -> None:
    assert fmt.matches(good)
    assert not fmt.matches(bad)
    assert not fmt.matches(good + "\n")


def test_the_persons_only_rule_is_one_declaration() -> None:
    actor = json_schema.json_schema("actor")
    (rule,) = actor["allOf"]
    assert rule["if"]["properties"]["kind"] == {"not": {"const": formats.PERSONS_ONLY_KIND}}
    assert set(rule["then"]["properties"]) == set(formats.PERSONS_ONLY)
    assert rule["then"]["properties"]["born"]["errorMessage"] == formats.persons_only_rule("born")


def test_a_tag_too_long_is_told_the_limit() -> None:
    tag_schema = json_schema.json_schema("article")["properties"]["tags"]["items"]
    assert tag_schema["maxLength"] == 80
    with pytest.raises(ValueError, match="use up to 80 lowercase letters"):
        schema._check_tag("a" * 81)


def test_each_relation_type_is_one_declaration() -> None:
    from generator.model.graph import family
    from generator.render.text import RELATION_WORDS

    assert (
        tuple(r.name for r in formats.RELATION_TYPES if r.symmetric)
        + tuple(r.name for r in formats.RELATION_TYPES if not r.symmetric)
        == formats.RELATIONS
    )
    assert RELATION_WORDS["member-of"] == "member of"
    assert family("sanctions") == "hostile" and family("supplies") == "cooperative"
    assert json_schema.RELATION_MEANINGS["opposes"] == "symmetric: holds both ways"
