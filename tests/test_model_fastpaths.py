"""The model tree's and the linter's fast paths give the answers of the plain algorithms.

The tree answers one-hop `$ref`s inline and lets the agreement check summarize plain leaves;
the linter checks names, references and fixed values in one walk that skips clean nodes. Each is
compared with a straightforward reference on generated schemas of many shapes.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest

from schemas.model import ModelField, model_from_schema
from schemas.model.lint import (
    _NAME,
    _NOT_SCHEMA_KEYS,
    _SCHEMA_MAPS,
    _TYPE_CHECKS,
    CSHARP_KEYWORDS,
    _cycle_fields,
    check_model,
)
from schemas.model.loader import resolve_pointer
from schemas.model.tree import BrokenRef, leaf_summary

NAMES = ["a", "b", "Navn", "navn", "1abc", "a.b", "class", "ok-1", "x/y", "t~n", "a\nb", "ß", "SS"]
VALUES: list[Any] = [1, "1", 1.5, True, None, [1], {"k": 1}, 0]


def random_node(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    """A sub-schema with the keywords the tree and the linter read, in odd combinations."""
    node: dict[str, Any] = {}
    for _ in range(rng.randint(0, 5)):
        roll = rng.random()
        if roll < 0.15:
            node["type"] = rng.choice(
                ["string", "integer", "array", "object", "null", ["string", "null"], [], 5]
            )
        elif roll < 0.22:
            node["format"] = rng.choice(["date", "date-time"])
        elif roll < 0.32:
            node["$ref"] = rng.choice(
                ["#/$defs/A", "#/$defs/B", "#/$defs/missing", "#/definitions/C", "http://x", "#"]
            )
        elif roll < 0.4:
            node[rng.choice(["const", "enum"])] = rng.choice([*VALUES, ["a", 2, None]])
        elif roll < 0.47:
            node["@xsdMinOccurs"] = rng.choice([0, 1, 2, True, "1"])
        elif roll < 0.52:
            node[rng.choice(["nillable", "@xsdNillable"])] = rng.choice([True, False])
        elif roll < 0.57:
            node["required"] = [*rng.sample(NAMES, 2), rng.choice([1, "a"])]
        elif depth < 3 and roll < 0.72:
            node["properties"] = {
                rng.choice(NAMES): random_node(rng, depth + 1) for _ in range(rng.randint(0, 3))
            }
        elif depth < 3 and roll < 0.8:
            node["items"] = random_node(rng, depth + 1)
        elif depth < 3 and roll < 0.9:
            key = rng.choice(["allOf", "oneOf", "anyOf"])
            node[key] = [random_node(rng, depth + 1) for _ in range(rng.randint(1, 2))]
        elif depth < 3:
            node[rng.choice(["default", "info", "@xsdUnhandledAttributes"])] = {
                "properties": {"1bad": {}},
                "$ref": "#/nowhere",
            }
    return node


def random_schema(rng: random.Random) -> dict[str, Any]:
    schema = random_node(rng)
    schema.setdefault("properties", {})  # the root is the document (no lone root $ref)
    schema["$defs"] = {name: random_node(rng, 1) for name in ("A", "B")}
    if rng.random() < 0.5:
        schema["definitions"] = {"C": random_node(rng, 1)}
    if rng.random() < 0.2:
        schema["$defs"]["B"] = {"$ref": rng.choice(["#/$defs/A", "#/$defs/B"])}
    return schema


# ---- tree -------------------------------------------------------------------------------


def described(field: ModelField) -> tuple[Any, ...]:
    return (
        field.path,
        field.type,
        field.item_type,
        field.repeating,
        field.min_occurs,
        field.cycle,
        field.content.target,
        field.effective.refs,
        sorted(field.content.required),
        list(field.content.properties.items()),
        field.effective.node,
        repr(field.broken_ref and (field.broken_ref.ref, field.broken_ref.pointer)),
    )


@pytest.mark.parametrize("seed", range(30))
def test_inline_reference_hop_matches_the_general_follow(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(30):
        model = model_from_schema(random_schema(rng))
        try:
            tree = model.tree()
        except RecursionError:  # the root contains itself through anyOf/allOf
            continue
        for index in range(40):
            node = random_node(rng, 2)
            node["$ref"] = rng.choice(["#/$defs/A", "#/$defs/B", "#/definitions/C", "#/no"])
            pointer = f"/probe/{index}"
            try:
                fast = tree.effective(node, pointer)
            except BrokenRef as exc:
                with pytest.raises(BrokenRef) as general:
                    tree._follow(node, pointer)
                assert (general.value.ref, general.value.pointer) == (exc.ref, exc.pointer)
                continue
            except RecursionError:  # a definition that contains itself through anyOf/allOf
                with pytest.raises(RecursionError):
                    tree._follow(node, pointer)
                continue
            slow = tree._follow(node, pointer)
            assert (fast.node, fast.target, fast.refs) == (slow.node, slow.target, slow.refs)
            assert list(fast.node) == list(slow.node)  # same key order
            assert fast.properties == slow.properties
            assert fast.required == slow.required


@pytest.mark.parametrize("seed", range(30))
def test_leaf_summaries_say_what_model_fields_say(seed: int) -> None:
    rng = random.Random(seed)
    schema = random_schema(rng)
    schema["$defs"] = {"A": {"type": "string"}, "B": {"properties": {"x": {}}}}
    tree = model_from_schema(schema).tree()
    checked = 0
    for index in range(300):
        node = random_node(rng, 3)
        required = rng.random() < 0.5
        try:
            field = ModelField(tree, "f", "f", f"/x/{index}", node, required, None)
        except RecursionError:
            continue
        summary = leaf_summary(node)
        if summary is None:
            continue
        checked += 1
        assert not field.repeating and not field.content.properties and not field.cycle
        type_name, explicit = summary
        assert type_name == field.type
        assert field.item_type is None
        assert (explicit if explicit is not None else (1 if required else 0)) == field.min_occurs
    assert checked > 50


PLAIN_LEAVES: list[dict[str, Any]] = [
    {"type": "string"},
    {"type": "string", "format": "date"},
    {"type": "string", "format": "date-time", "nillable": True},
    {"type": "integer", "@xsdMinOccurs": 1, "@xsdNillable": True},
    {"type": "object"},
    {"type": "null"},
    {"type": "array"},
    {"type": ["string", "null"]},
    {"type": "boolean", "$ref": 5},
    {"type": "string", "format": {"not": "a string"}},
    {"type": "integer", "format": ["date"]},
    {"enum": ["a", "b"]},
    {},
]


def with_plain_leaves(node: Any, rng: random.Random) -> Any:
    """`node` with leaves of the kinds `build_children` builds directly (and near misses)
    added to each of its `properties`."""
    if isinstance(node, dict):
        for value in list(node.values()):
            with_plain_leaves(value, rng)
        properties = node.get("properties")
        if isinstance(properties, dict):
            for index in range(rng.randint(1, 3)):
                properties[f"leaf{index}"] = dict(rng.choice(PLAIN_LEAVES))
    elif isinstance(node, list):
        for value in node:
            with_plain_leaves(value, rng)
    return node


def built_fields(tree: Any, limit: int = 300) -> list[ModelField]:
    """Fields of the tree a few levels deep, built by `build_children` as lookups build them."""
    found: list[ModelField] = []
    pending = [tree.root]
    while pending and len(found) < limit:
        field = pending.pop(0)
        for child in field.children.values():
            found.append(child)
            if child.depth < 3:
                pending.append(child)
    return found


@pytest.mark.parametrize("seed", range(20))
def test_directly_built_leaves_equal_initialized_fields(seed: int) -> None:
    rng = random.Random(seed)
    direct = 0
    for _ in range(40):
        schema = with_plain_leaves(random_schema(rng), rng)
        try:
            fields = built_fields(model_from_schema(schema).tree())
        except RecursionError:  # the root contains itself through anyOf/allOf
            continue
        for field in fields:
            node, pointer = field.parent.content.properties[field.name]  # type: ignore[union-attr]
            reference = ModelField(
                field.tree, field.name, field.path, pointer, node, field.required, field.parent
            )
            direct += field._kind is not None  # built directly: its memos are filled
            try:
                expected = described(reference)
            except TypeError:  # e.g. a "format" that is not a string: the same error
                with pytest.raises(TypeError):
                    described(field)
                continue
            assert described(field) == expected
            assert (field.json_types, field.nullable) == (reference.json_types, reference.nullable)
            assert (field.items is None) == (reference.items is None)
            assert field.repeating_ancestors == reference.repeating_ancestors
            assert list(field.children) == list(reference.children)
            kind, expected = field.kind, reference.kind
            assert kind is expected  # shared per combination
            assert (kind.type, kind.repeating, kind.has_properties, kind.under_repeating) == (
                reference.type,
                reference.repeating,
                bool(reference.content.properties),
                bool(reference.repeating_ancestors),
            )
    assert direct > 15


ODD_NAMES = ["a", "b", "a.b", " a", "a ", "b[0]", "", "a\t", ".", "x]"]


def odd_named(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    """An object schema whose property names are spelled like paths, or like parts of them."""
    properties: dict[str, Any] = {}
    for name in rng.sample(ODD_NAMES, rng.randint(2, 6)):
        if depth < 3 and rng.random() < 0.5:
            properties[name] = odd_named(rng, depth + 1)
        else:
            properties[name] = rng.choice([*PLAIN_LEAVES[:5], {"type": "array", "items": {}}])
    return {"type": "object", "properties": properties}


def walked_to(tree: Any, path: str) -> Any:
    """What resolving `path` means, computed without any memo: the walk over children."""
    from schemas.model.tree import split_path

    node = tree.root
    plain = "[" not in path and not (path and (path[0].isspace() or path[-1].isspace()))
    for part in path.split(".") if plain else split_path(path):
        if part:
            node = node.children.get(part)
            if node is None:
                return None
    return node


@pytest.mark.parametrize("seed", range(30))
def test_remembered_paths_resolve_as_the_walk_does(seed: int) -> None:
    """Built fields go into resolve's memo under their paths only where resolving that
    path reaches them; names holding dots, brackets and edge whitespace must not."""
    rng = random.Random(seed)
    for _ in range(20):
        tree = model_from_schema(odd_named(rng)).tree()
        fields = built_fields(tree, 400)
        probes = [f.path for f in fields] + [f"{f.path}.a" for f in fields] + ODD_NAMES
        for path in rng.sample(probes, len(probes)):
            expected = walked_to(tree, path)
            assert tree.resolve(path) is expected, repr(path)
            assert tree._resolved.get(path, expected) is expected, repr(path)


# ---- lint --------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(20))
def test_cycle_fields_are_the_walks_cycle_fields(seed: int) -> None:
    rng = random.Random(seed + 500)
    cycles = 0
    for _ in range(30):
        schema = random_schema(rng)
        if rng.random() < 0.5:  # definitions that contain themselves, directly or not
            schema["$defs"]["A"] = {"properties": {"again": {"$ref": "#/$defs/B"}, "x": {}}}
            schema["$defs"]["B"] = {"properties": {"back": {"$ref": "#/$defs/A"}}}
            schema["properties"]["start"] = {"$ref": "#/$defs/A"}
        try:
            expected = [field for field in model_from_schema(schema).tree().walk() if field.cycle]
        except RecursionError:
            continue
        found = _cycle_fields(model_from_schema(schema).tree().root)
        assert [f.path for f in found] == [f.path for f in expected]
        cycles += len(found)
    assert cycles > 5


def reference_nodes(node: Any, pointer: str, out: list[tuple[str, dict[str, Any]]]) -> None:
    """Every sub-schema with its pointer, as the linter defines them."""
    if not isinstance(node, dict):
        return
    out.append((pointer, node))
    for key, value in node.items():
        if key in _NOT_SCHEMA_KEYS:
            continue
        child = f"{pointer}/{escape(key)}"
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            for name, sub in value.items():
                if isinstance(sub, dict):
                    reference_nodes(sub, f"{child}/{escape(name)}", out)
        elif isinstance(value, dict):
            reference_nodes(value, child, out)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    reference_nodes(item, f"{child}/{index}", out)


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def reference_scan(schema: dict[str, Any]) -> list[tuple[str, str]]:
    """(code, pointer) of the name, reference and fixed-value findings, node by node."""
    nodes: list[tuple[str, dict[str, Any]]] = []
    reference_nodes(schema, "", nodes)
    found: list[tuple[str, str]] = []
    for pointer, node in nodes:
        props = node.get("properties")
        if not isinstance(props, dict):
            continue
        seen: dict[str, str] = {}
        for name in props:
            where = f"{pointer}/properties/{escape(name)}"
            if not _NAME.match(name):
                found.append(("MODEL002", where))
            elif name in CSHARP_KEYWORDS:
                found.append(("MODEL004", where))
            folded = name.casefold()
            if folded in seen:
                found.append(("MODEL003", where))
            else:
                seen[folded] = name
    for pointer, node in nodes:
        ref = node.get("$ref")
        if not isinstance(ref, str):
            continue
        if not ref.startswith("#"):
            found.append(("MODEL011", f"{pointer}/$ref"))
            continue
        try:
            resolve_pointer(schema, ref)
        except KeyError:
            found.append(("MODEL005", f"{pointer}/$ref"))
    mismatches = []
    for pointer, node in nodes:
        raw = node.get("type")
        types = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        checks = [_TYPE_CHECKS[t] for t in types if isinstance(t, str) and t in _TYPE_CHECKS]
        values = [("const", node["const"])] if "const" in node and checks else []
        if checks and isinstance(node.get("enum"), list):
            values.extend((f"enum/{i}", v) for i, v in enumerate(node["enum"]))
        mismatches.extend(
            f"{pointer}/{key}" for key, value in values if not any(c(value) for c in checks)
        )
    if mismatches:
        found.append(("MODEL008", mismatches[0]))
    return found


@pytest.mark.parametrize("seed", range(40))
def test_one_walk_lint_matches_the_rule_by_rule_reference(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(25):
        schema = random_schema(rng)
        schema.pop("type", None)  # lists of odd values in `type` stop the reference early
        model = model_from_schema(schema)
        try:
            findings = check_model(model)
        except (RecursionError, TypeError):
            continue
        scanned = [
            (f.code, f.location.pointer)
            for f in findings
            if f.code in ("MODEL002", "MODEL003", "MODEL004", "MODEL005", "MODEL008", "MODEL011")
        ]
        assert scanned == reference_scan(model.schema)


@pytest.mark.parametrize("seed", range(10))
def test_skipping_repeated_clean_leaves_changes_no_finding(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lint remembers leaf shapes it found clean; with that memo off, every finding (and the
    compile verdict) is the same."""
    from schemas.model import lint

    rng = random.Random(1000 + seed)
    schemas = []
    for _ in range(20):
        schema = random_schema(rng)
        # many equal leaves, some of them with a pattern, a $ref or a type list
        leaves = [{"type": "string"}, {"type": "string", "pattern": "^a"}, {"$ref": "#/$defs/A"}]
        leaves.append({"$ref": "#/nowhere"})
        leaves.append({"type": ["string", "null"], "maxLength": 3})
        schema["properties"].update({f"f{i}": dict(rng.choice(leaves)) for i in range(30)})
        schemas.append(schema)

    def run() -> list[list[tuple[str, str, str]]]:
        out = []
        for schema in schemas:
            try:
                found = check_model(model_from_schema(schema))
            except (RecursionError, TypeError):
                found = []
            out.append([(f.code, f.location.pointer, f.message) for f in found])
        return out

    with_memo = run()
    monkeypatch.setattr(lint, "_leaf_key", lambda node: None)
    assert run() == with_memo


# ---- lint: repeated leaves, names, cycles and the meta view --------------------------------

REPEATED_LEAVES: list[Any] = [
    {"type": "string"},
    {"type": "string", "maxLength": 5},
    {"maxLength": 5, "type": "string"},
    {"$ref": "#/$defs/A"},
    {"$ref": "#/nowhere"},
    {"$ref": "http://x"},
    {"type": "string", "pattern": "^a"},
    {"type": "string", "pattern": "(["},
    {"type": "integer", "const": "1"},
    {"type": "string", "enum": ["a", 1]},
    {"maxLength": True},
    {"maxLength": 1},
    {"type": "strin"},
    {"$anchor": "a"},
    True,
    {"properties": {"x": {"type": "string"}}},
    {"type": "array", "items": {"type": "string"}},
]


def with_repeated_leaves(schema: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """`schema` with maps of many equal leaves (all equal, or a few shapes mixed) under
    `properties`, `$defs` and nested objects."""
    names = [*NAMES, *(f"f{i}" for i in range(12))]
    for group in range(rng.randint(2, 6)):
        if rng.random() < 0.4:
            leaf = rng.choice(REPEATED_LEAVES)
            members = {name: copy.deepcopy(leaf) for name in rng.sample(names, rng.randint(2, 9))}
        else:
            members = {
                name: copy.deepcopy(rng.choice(REPEATED_LEAVES))
                for name in rng.sample(names, rng.randint(1, 9))
            }
        holder = rng.choice([schema["properties"], schema["$defs"]])
        holder[f"g{group}"] = {"type": "object", "properties": members}
    return schema


@pytest.mark.parametrize("seed", range(30))
def test_lint_of_repeated_leaves_matches_the_reference_and_the_memo_free_walk(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whole maps of a repeated clean leaf are skipped, and repeated leaves left out of the
    meta-schema check; every finding, the compile verdict included, stays the same."""
    from schemas.model import lint

    rng = random.Random(3000 + seed)
    schemas = []
    for _ in range(15):
        schema = with_repeated_leaves(random_schema(rng), rng)
        schema.pop("type", None)  # lists of odd values in `type` stop the reference early
        schemas.append(schema)

    def run() -> list[Any]:
        out: list[Any] = []
        for schema in schemas:
            try:
                found = check_model(model_from_schema(schema))
            except (RecursionError, TypeError):
                out.append(None)
                continue
            out.append([(f.code, f.location.pointer, f.message) for f in found])
        return out

    with_memo = run()
    for schema, found in zip(schemas, with_memo, strict=True):
        if found is not None:
            scanned = [(code, pointer) for code, pointer, _ in found if code not in _NOT_SCANNED]
            assert scanned == reference_scan(model_from_schema(schema).schema)
    monkeypatch.setattr(lint, "_leaf_key", lambda node: None)
    assert run() == with_memo


_NOT_SCANNED = {"MODEL001", "MODEL006", "MODEL007", "MODEL009", "MODEL010"}

NAME_PARTS = [
    "a", "A", "ß", "SS", "ss", "ſ", "s", "K", "k", "\u212a", "Σ", "σ", "ς", "İ", "i\u0307",
    "ﬁ", "fi", "x-1", "_", "é", "e\u0301", "class", "1", ".", "ǅ", "ǆ", "Ǆ", "\n", "ﬀ", "ff",
]  # fmt: skip


def reference_clean_names(props: dict[str, Any]) -> bool:
    return all(bool(_NAME.match(n)) and n not in CSHARP_KEYWORDS for n in props) and len(
        {n.casefold() for n in props}
    ) == len(props)


@pytest.mark.parametrize("seed", range(10))
def test_clean_names_is_the_plain_rule(seed: int) -> None:
    """Names are judged once each, maps once per list of names, and case folding on the
    joined names; the verdict is the plain rule's, for names that fold in odd ways."""
    from schemas.model.lint import _Scan

    rng = random.Random(4000 + seed)
    scan = _Scan(model_from_schema({}))
    seen: list[dict[str, Any]] = []
    verdicts = set()
    for _ in range(400):
        if seen and rng.random() < 0.3:
            props = dict(rng.choice(seen))  # the same names again
        else:
            props = {
                "".join(rng.choices(NAME_PARTS, k=rng.randint(1, 3))): {}
                for _ in range(rng.randint(1, 6))
            }
        seen.append(props)
        expected = reference_clean_names(props)
        verdicts.add(expected)
        assert scan._clean_names(props) is expected, list(props)
    assert verdicts == {True, False}


@pytest.mark.parametrize("seed", range(10))
def test_only_fields_with_properties_close_cycles(seed: int) -> None:
    """`_cycle_fields` tests a field's properties before its `cycle` flag."""
    rng = random.Random(5000 + seed)
    cycles = 0
    for _ in range(30):
        schema = random_schema(rng)
        schema["$defs"]["A"] = {"properties": {"again": {"$ref": "#/$defs/B"}, "x": {}}}
        schema["$defs"]["B"] = rng.choice(
            [{"properties": {"back": {"$ref": "#/$defs/A"}}}, {"$ref": "#/$defs/A"}]
        )
        schema["properties"]["start"] = {"$ref": rng.choice(["#/$defs/A", "#/$defs/B"])}
        try:
            fields = list(model_from_schema(schema).tree().walk())
        except RecursionError:
            continue
        for field in fields:
            assert not field.cycle or field.content.properties
            cycles += field.cycle
    assert cycles > 5


def test_children_of_a_field_built_outside_the_tree_are_not_remembered() -> None:
    """A caller's own (detached) field may build children; resolve keeps the tree's own."""
    tree = model_from_schema(
        {"properties": {"g": {"properties": {"a": {"type": "string"}}}}}
    ).tree()
    node, pointer = tree.root.content.properties["g"]
    detached = ModelField(tree, "g", "g", pointer, node, False, tree.root)
    assert "a" in detached.children
    found = tree.resolve("g.a")
    assert found is tree.root.children["g"].children["a"]
    assert found is not detached.children["a"]
