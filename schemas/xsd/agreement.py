"""Do an app's .xsd and .schema.json describe the same data?

Apps carry both files: the backend validates XML against the XSD-generated C# model while the
frontend validates against the JSON Schema, so when they drift apart, data passes one and fails
the other. We convert the XSD with the Altinn-compatible converter, build the model tree of both
schemas and compare field by field: fields missing on either side, different types, and
different occurrence (repeating, required).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemas.model import DataModel, ModelField, model_from_schema
from schemas.model.tree import ModelTree, leaf_summary

MISSING_IN_JSON = "missing-in-json"
MISSING_IN_XSD = "missing-in-xsd"
TYPE = "type"
OCCURS = "occurs"
ROOT = "root"


@dataclass(frozen=True, slots=True)
class FieldDifference:
    """One disagreement; `json_pointer` locates it in the JSON Schema when the field is there."""

    kind: str
    path: str
    message: str
    json_pointer: str | None = None


def _fields(model: DataModel) -> dict[str, ModelField]:
    """Every field of the model by its dotted path, in the order of `ModelTree.walk`.

    The walk stops below reference cycles, so no field listed here lies under one: a field
    that closes a cycle is compared itself, its (infinite) subtree is not. Written out
    rather than collected from the walk's nested generators, which cost more than the
    dictionary for large models."""
    fields: dict[str, ModelField] = {}

    def visit(parent: ModelField) -> None:
        for child in parent.children.values():
            fields[child.path] = child
            if not child.cycle and child.content.properties:  # leaves have no children
                visit(child)

    visit(model.tree().root)
    return fields


_UNSEEN: Any = object()


class _Leaf:
    """A plain leaf field of the converted XSD: what the comparison reads of a ModelField."""

    __slots__ = ("min_occurs", "type")
    repeating = False
    item_type = None

    def __init__(self, type_name: str, min_occurs: int) -> None:
        self.type = type_name
        self.min_occurs = min_occurs


def _leaves_of(node: dict[str, Any]) -> tuple[_Leaf, _Leaf] | None:
    """The `_Leaf`s of a plain leaf schema as an optional and as a required property (one
    pair serves every property with that schema: nothing changes a `_Leaf`); None when
    `node` is not a plain leaf."""
    summary = leaf_summary(node)
    if summary is None:
        return None
    type_name, explicit = summary
    if explicit is not None:
        leaf = _Leaf(type_name, explicit)
        return leaf, leaf
    return _Leaf(type_name, 0), _Leaf(type_name, 1)


def _xsd_fields(model: DataModel) -> dict[str, ModelField | _Leaf]:
    """The converted XSD's fields as `_fields` lists them, with plain leaves summarized.

    A converted model is walked once and dropped, and most of its fields are leaves whose
    schema (often one shared dict) answers type and occurrence directly; a plain object of
    such leaves (a converted complex type) is listed from its schema (`_leaf_group`)."""
    tree = model.tree()
    fields: dict[str, ModelField | _Leaf] = {}
    summaries: dict[int, tuple[_Leaf, _Leaf] | None] = {}

    def visit(parent: ModelField) -> None:
        content = parent.content
        required = content.required
        prefix = f"{parent.path}." if parent.path else ""
        previous: Any = _UNSEEN
        leaves: tuple[_Leaf, _Leaf] | None = None
        for name, (node, pointer) in content.properties.items():
            path = prefix + name
            if node is not previous:  # siblings often share one schema: no lookup then
                leaves = _summary(node, summaries)
                previous = node
            if leaves is not None:
                fields[path] = leaves[name in required]
                continue
            is_required = name in required
            if _leaf_group(
                tree, (name, path, pointer, node, is_required, parent), summaries, fields
            ):
                continue
            child = ModelField(tree, name, path, pointer, node, is_required, parent)
            fields[path] = child  # replaces a summary `_leaf_group` gave up on, in its place
            if not child.cycle:
                visit(child)

    visit(tree.root)
    return fields


def _summary(
    node: Any, summaries: dict[int, tuple[_Leaf, _Leaf] | None]
) -> tuple[_Leaf, _Leaf] | None:
    """`_leaves_of(node)`, once per schema object (the schema outlives the walk, so ids stay
    unique)."""
    key = id(node)
    leaves = summaries.get(key, _UNSEEN)
    if leaves is _UNSEEN:
        leaves = summaries[key] = _leaves_of(node)
    return leaves


_COMPOSITION = frozenset({"allOf", "oneOf", "anyOf"})


def _leaf_group(
    tree: ModelTree,
    site: tuple[str, str, str, Any, bool, ModelField],
    summaries: dict[int, tuple[_Leaf, _Leaf] | None],
    fields: dict[str, ModelField | _Leaf],
) -> bool:
    """List a plain object whose properties are all plain leaves (what a converted complex
    type mostly is) from its schema, as `visit` would list it, and say whether it did.

    `site` is (name, path, pointer, node, required, parent). The field itself is summarized
    by a ModelField of the node without its properties (same type and occurrence: those do
    not depend on the properties), so no pointer is made per leaf. Gives up (False) on
    anything else: a `$ref`, a composition, an array, a cycle, a property that is not a
    plain leaf; the caller's general path then lists the same fields again over any already
    listed here, with the same summaries in the same places."""
    name, path, pointer, node, required, parent = site
    if not isinstance(node, dict) or isinstance(node.get("$ref"), str):
        return False
    properties = node.get("properties")
    if not isinstance(properties, dict) or not node.keys().isdisjoint(_COMPOSITION):
        return False
    shallow = {**node, "properties": {}}
    shallow.pop("required", None)
    field = ModelField(tree, name, path, pointer, shallow, required, parent)
    if field.repeating:
        return False  # the rows' fields come from `items`
    above: ModelField | None = parent  # a cycle's fields are not listed: the general way
    while above is not None:
        if above.content.target == pointer and above.content.properties:
            return False
        above = above.parent
    listed = node.get("required")
    names = (
        {entry for entry in listed if isinstance(entry, str)} if isinstance(listed, list) else ()
    )
    fields[path] = _Leaf(field.type, field.min_occurs)
    prefix = f"{path}."
    previous: Any = _UNSEEN
    leaves: tuple[_Leaf, _Leaf] | None = None
    for child_name, child in properties.items():
        if child is not previous:
            leaves = _summary(child, summaries)
            previous = child
            if leaves is None and isinstance(child, dict):
                return False  # not a plain leaf (only dicts are properties at all)
        if leaves is not None:
            fields[prefix + child_name] = leaves[child_name in names]
    return True


def _unwrap(fields: dict[str, ModelField], prefix: str) -> dict[str, ModelField]:
    cut = len(prefix) + 1
    return {path[cut:]: field for path, field in fields.items() if path.startswith(prefix + ".")}


def _base_type(field: ModelField | _Leaf) -> str:
    if field.repeating:
        return field.item_type or ""
    return field.type or ""


def _shape(field: ModelField | _Leaf) -> str:
    text = _base_type(field) or "any"
    return f"repeating {text}" if field.repeating else text


def compare_xsd_with_json(
    xsd_schema: dict[str, Any], json_model: DataModel
) -> list[FieldDifference]:
    """Differences between the converted XSD (`xsd_schema`) and the app's JSON Schema model."""
    # The tree is built and dropped inside this call and never changes the schema, so the
    # converted schema needs no defensive copy.
    xsd_model = model_from_schema(xsd_schema, json_model.name, copy=False)
    xsd_fields = _xsd_fields(xsd_model)
    json_fields = _fields(json_model)
    differences: list[FieldDifference] = []
    root_name = xsd_model.root_element_name
    wrapped = json_fields.get(root_name)
    if root_name and root_name not in xsd_fields and wrapped is not None and not wrapped.repeating:
        top_level = [path for path in json_fields if "." not in path]
        if top_level == [root_name]:
            json_fields = _unwrap(json_fields, root_name)
    json_root = json_model.schema.get("@xsdRootElement")
    if isinstance(json_root, str) and json_root and root_name and json_root != root_name:
        differences.append(
            FieldDifference(
                ROOT,
                "",
                f"the XSD's root element is <{root_name}> but the JSON Schema's @xsdRootElement "
                f"is {json_root!r}",
                "/@xsdRootElement",
            )
        )
    for path, field in xsd_fields.items():
        other = json_fields.get(path)
        if other is None:
            if _parent_missing(path, json_fields):
                continue
            differences.append(
                FieldDifference(
                    MISSING_IN_JSON,
                    path,
                    f"field {path!r} ({_shape(field)}) is in the XSD but not in the JSON Schema",
                )
            )
            continue
        if field.__class__ is _Leaf and not other.repeating:
            # Most fields: a summarized XSD leaf against a field that does not repeat either.
            # `other.min_occurs > 0` is worked out here as that property does, without the
            # call (thousands of fields).
            explicit = other.effective.node.get("@xsdMinOccurs")
            if (field.min_occurs > 0) == (
                explicit > 0 if isinstance(explicit, int) else other.required
            ) and field.type == (other.type or ""):
                continue
        repeating = field.repeating
        if (
            repeating != other.repeating
            or (field.min_occurs > 0) != (other.min_occurs > 0)
            or (
                (field.item_type or "" if repeating else field.type or "")
                != (other.item_type or "" if repeating else other.type or "")
            )
        ):  # a quick test first: most fields agree, and then there is nothing to describe
            differences.extend(_compare_field(path, field, other))
    if not xsd_fields.keys() >= json_fields.keys():  # usually they are: one test, in C
        differences.extend(_missing_in_xsd(json_fields, xsd_fields))
    return differences


def _missing_in_xsd(
    json_fields: dict[str, ModelField], xsd_fields: dict[str, ModelField | _Leaf]
) -> list[FieldDifference]:
    """JSON Schema fields the XSD lacks, each missing subtree reported at its top."""
    differences: list[FieldDifference] = []
    for path, field in json_fields.items():
        if path in xsd_fields or _parent_missing(path, xsd_fields):
            continue
        differences.append(
            FieldDifference(
                MISSING_IN_XSD,
                path,
                f"field {path!r} ({_shape(field)}) is in the JSON Schema but not in the XSD",
                field.pointer,
            )
        )
    return differences


def _compare_field(
    path: str, xsd_field: ModelField | _Leaf, json_field: ModelField
) -> list[FieldDifference]:
    found: list[FieldDifference] = []
    xsd_type, json_type = _base_type(xsd_field), _base_type(json_field)
    if xsd_type and json_type and xsd_type != json_type:
        found.append(
            FieldDifference(
                TYPE,
                path,
                f"field {path!r} is {xsd_type} in the XSD but {json_type} in the JSON Schema",
                json_field.pointer,
            )
        )
    if xsd_field.repeating != json_field.repeating:
        xsd_says = "repeats" if xsd_field.repeating else "does not repeat"
        json_says = "repeats" if json_field.repeating else "does not repeat"
        found.append(
            FieldDifference(
                OCCURS,
                path,
                f"field {path!r} {xsd_says} in the XSD but {json_says} in the JSON Schema",
                json_field.pointer,
            )
        )
    elif (xsd_field.min_occurs > 0) != (json_field.min_occurs > 0):
        xsd_says = _occurrence(xsd_field)
        json_says = _occurrence(json_field)
        found.append(
            FieldDifference(
                OCCURS,
                path,
                f"field {path!r} {_verb(xsd_says)} in the XSD but {_verb(json_says)} in the JSON Schema",
                json_field.pointer,
            )
        )
    return found


def _verb(occurrence: str) -> str:
    return occurrence if occurrence.startswith(("needs", "may")) else f"is {occurrence}"


def _occurrence(field: ModelField | _Leaf) -> str:
    if field.repeating:
        return (
            f"needs at least {field.min_occurs} row(s)"
            if field.min_occurs > 0
            else "may have no rows"
        )
    return "required" if field.min_occurs > 0 else "optional"


def _parent_missing(
    path: str, fields: dict[str, ModelField] | dict[str, ModelField | _Leaf]
) -> bool:
    """Report only the top of a missing subtree, not every field below it."""
    parent = path.rpartition(".")[0]
    return bool(parent) and parent not in fields
