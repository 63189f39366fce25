"""`surely_compiles` may only say yes when compiling the validator really succeeds."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest
from conftest import require_suite

from schemas.model import ModelLoadError, model_from_schema
from schemas.model.lint import INVALID_SCHEMA, check_model
from schemas.validation.validator import ModelValidator, SchemaCompileError, surely_compiles

KEYWORDS = [
    "type", "pattern", "minLength", "maxLength", "minimum", "enum", "const", "items",
    "properties", "required", "format", "allOf", "$ref", "multipleOf", "additionalProperties",
    "patternProperties", "minItems", "uniqueItems", "dependentRequired", "contains", "if",
    "not", "$defs", "exclusiveMinimum", "$anchor", "$id", "$dynamicRef",
]  # fmt: skip
VALUES: list[Any] = [
    None, -1, 0, 1.5, "x", "(", "[a-", "^\\p{L}+$", "#/nope", "#/$defs", [], [1], {},
    {"type": 3}, True, "string", ["string", "null"], "date", 10**30, "\\d+(?=x)", "#", "a#b",
]  # fmt: skip


def compiles(schema: dict[str, Any]) -> bool:
    try:
        ModelValidator(model_from_schema(schema))
    except SchemaCompileError:
        return False
    return True


def sub_schemas(node: Any, out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        out.append(node)
        for value in node.values():
            sub_schemas(value, out)
    elif isinstance(node, list):
        for value in node:
            sub_schemas(value, out)
    return out


BASE = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "schema.json",
    "type": "object",
    "properties": {
        "person": {"$ref": "#/$defs/Person"},
        "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}},
    },
    "$defs": {
        "Person": {
            "type": "object",
            "properties": {"name": {"type": "string", "maxLength": 10}, "age": {"type": "integer"}},
        }
    },
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda s: None, True),
        (lambda s: s["properties"]["tags"]["items"].update(pattern="(["), False),
        (lambda s: s["properties"].update(x={"$ref": "#/$defs/Missing"}), False),
        (lambda s: s["properties"].update(x={"$ref": "other.json"}), False),
        (lambda s: s["$defs"]["Person"].update(type="thing"), False),
        (lambda s: s["$defs"]["Person"].update({"$anchor": "p"}), False),
    ],
)
def test_verdicts_on_hand_made_schemas(change: Any, expected: bool) -> None:
    schema = copy.deepcopy(BASE)
    change(schema)
    assert surely_compiles(model_from_schema(schema)) is expected
    if expected:
        assert compiles(schema)


def test_lint_still_reports_a_schema_that_does_not_compile() -> None:
    schema = copy.deepcopy(BASE)
    schema["properties"]["tags"]["items"]["pattern"] = "(["
    codes = [f.code for f in check_model(model_from_schema(schema))]
    assert INVALID_SCHEMA.code in codes


@pytest.mark.conformance
def test_never_sure_about_a_broken_mutation_of_a_real_model() -> None:
    root = require_suite("STUDIO_REAL_APPS")
    models = [
        json.loads(path.read_text(encoding="utf-8-sig"))
        for path in sorted(root.glob("*/App/models/*.schema.json"))
    ]
    assert models
    chance = random.Random(20261128)
    sure = 0
    for _ in range(600):
        schema = copy.deepcopy(chance.choice(models))
        for _ in range(chance.randint(0, 3)):
            node = chance.choice(sub_schemas(schema, []))
            node[chance.choice(KEYWORDS)] = copy.deepcopy(chance.choice(VALUES))
        if surely_compiles(model_from_schema(schema)):
            sure += 1
            assert compiles(schema), json.dumps(schema)[:300]
    assert sure > 50


@pytest.mark.conformance
@pytest.mark.parametrize("draft", ["draft2020-12", "draft7"])
def test_never_sure_about_a_suite_schema_that_does_not_compile(draft: str) -> None:
    root = require_suite("STUDIO_JSONSCHEMA_TESTS") / "tests" / draft
    meta = {
        "draft2020-12": "https://json-schema.org/draft/2020-12/schema",
        "draft7": "http://json-schema.org/draft-07/schema#",
    }[draft]
    sure = 0
    for path in sorted(root.rglob("*.json")):
        for group in json.loads(path.read_text(encoding="utf-8")):
            schema = group["schema"]
            if not isinstance(schema, dict):
                continue
            try:
                model = model_from_schema({"$schema": meta, **schema})
            except ModelLoadError:
                continue  # not usable as a data model (e.g. a root $ref to an anchor)
            if surely_compiles(model):
                sure += 1
                assert compiles(model.schema), (path.name, group["description"])
    assert sure > 100


@pytest.mark.conformance
def test_lint_reports_invalid_schema_exactly_when_the_compile_fails() -> None:
    """Lint gathers the facts in its own walk; on mutated real models its verdict (no ref
    finding: compile finding or not) must be the real compiler's."""
    from schemas.model.lint import BROKEN_REF, EXTERNAL_REF

    root = require_suite("STUDIO_REAL_APPS")
    models = [
        json.loads(path.read_text(encoding="utf-8-sig"))
        for path in sorted(root.glob("*/App/models/*.schema.json"))
    ]
    chance = random.Random(20261129)
    judged = failing = 0
    for _ in range(400):
        schema = copy.deepcopy(chance.choice(models))
        for _ in range(chance.randint(0, 3)):
            node = chance.choice(sub_schemas(schema, []))
            node[chance.choice(KEYWORDS)] = copy.deepcopy(chance.choice(VALUES))
        try:
            model = model_from_schema(schema)
        except ModelLoadError:
            continue
        codes = {f.code for f in check_model(model)}
        if codes & {BROKEN_REF.code, EXTERNAL_REF.code}:
            continue  # lint reports the reference instead and does not compile
        judged += 1
        fails = not compiles(schema)
        failing += fails
        assert (INVALID_SCHEMA.code in codes) == fails, json.dumps(schema)[:300]
    assert judged > 100 and failing > 20


DRAFT_URIS = [
    "https://json-schema.org/draft/2020-12/schema",
    "https://json-schema.org/draft/2019-09/schema",
    "http://json-schema.org/draft-07/schema#",
    "http://json-schema.org/draft-06/schema#",
    "http://json-schema.org/draft-04/schema#",
]


def respelled(node: Any, chance: random.Random) -> None:
    """Spell some numbers of `node`'s leaves as other equal JSON values (1 as 1.0 or true),
    which the meta-schema may judge differently."""
    for sub in sub_schemas(node, []):
        for key, value in list(sub.items()):
            if type(value) is int and chance.random() < 0.3:
                options = [float(value), *([value == 1] if value in (0, 1) else [])]
                sub[key] = chance.choice(options)


def repeated_leaves(schema: dict[str, Any], chance: random.Random) -> None:
    """Add copies of a leaf (one of the model's, or one with a number) to a `properties`
    map, a few of them spelled differently."""
    maps = [
        node["properties"]
        for node in sub_schemas(schema, [])
        if isinstance(node.get("properties"), dict)
    ]
    if not maps:
        return
    members = chance.choice(maps)
    leaves = [
        value
        for value in members.values()
        if isinstance(value, dict) and not any(isinstance(v, dict | list) for v in value.values())
    ]
    leaf = chance.choice(
        [*leaves, {"type": "string", "maxLength": chance.choice([0, 1, 100])}, {"minimum": 1}]
    )
    copies = [copy.deepcopy(leaf) for _ in range(chance.randint(2, 5))]
    for position, extra in enumerate(copies):
        if position and chance.random() < 0.5:
            respelled(extra, chance)
        members[f"copy{position}"] = extra


@pytest.mark.conformance
def test_lints_meta_view_gets_the_meta_schemas_verdict_on_real_models() -> None:
    """Lint hands `surely_compiles` a view of the schema without repeated leaves that surely
    pass the meta-schema; on real models, relabelled to each draft and mutated, the
    meta-schema's verdict on that view is its verdict on the whole schema."""
    import jsonschema_rs

    from schemas.model.lint import _Scan
    from schemas.validation.validator import _META_URIS, _rooted, meta_draft, rooted_schema

    root = require_suite("STUDIO_REAL_APPS")
    models = [
        json.loads(path.read_text(encoding="utf-8-sig"))
        for path in sorted(root.glob("*/App/models/*.schema.json"))
    ]
    chance = random.Random(20261130)

    def verdict(schema: dict[str, Any], uri: str) -> Any:
        try:
            return jsonschema_rs.meta.is_valid({**schema, "$schema": uri})
        except Exception:
            return None

    shrunk = 0
    verdicts = set()
    for index in range(len(models) * len(DRAFT_URIS) + 600):
        schema = copy.deepcopy(models[index % len(models)])
        schema["$schema"] = DRAFT_URIS[index // len(models) % len(DRAFT_URIS)]
        if index >= len(models) * len(DRAFT_URIS):  # mutated
            for _ in range(chance.randint(0, 2)):
                node = chance.choice(sub_schemas(schema, []))
                node[chance.choice(KEYWORDS)] = copy.deepcopy(chance.choice(VALUES))
            if chance.random() < 0.7:
                repeated_leaves(schema, chance)
            if chance.random() < 0.5:
                respelled(schema, chance)
        try:
            model = model_from_schema(schema)
        except ModelLoadError:
            continue
        uri = _META_URIS[meta_draft(model.draft)]
        scan = _Scan(model)
        full = verdict(rooted_schema(model), uri)
        assert verdict(_rooted(scan.meta_view, model.root_pointer), uri) == full
        shrunk += scan.meta_view is not model.schema
        verdicts.add(full)
    assert shrunk > 100 and {True, False} <= verdicts
