"""Decide, for every place in a JSON Schema, which XSD constructs it can be written as.

JSON Schema has no notion of attributes, simple content or type derivation; the `@xsd*` hints and
the shape of each subschema tell us. Like Altinn's analyzer, we walk the schema once, following
`$ref`s, and record the compatible kinds per JSON path; the writer then picks per path. Paths are
tuples of keyword/name/index segments starting at the root.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from enum import Enum, auto
from typing import Any

from schemas.diagnostics import LocatedError, Location

Path = tuple[str | int, ...]
Schema = dict[str, Any]

SIMPLE_JSON_TYPES = frozenset({"boolean", "string", "number", "integer"})
PLAIN_RESTRICTION_KEYWORDS = frozenset(
    {
        "minLength",
        "maxLength",
        "maximum",
        "minimum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "enum",
        "pattern",
        "multipleOf",
        "title",
        "$comment",
        "deprecated",
        "description",
        "examples",
        "@xsdUnhandledEnumAttributes",
        "formatMinimum",
        "formatExclusiveMinimum",
        "formatMaximum",
        "formatExclusiveMaximum",
        "totalDigits",
    }
)
SINGLE_ALL_OF_EXTRAS = frozenset(
    {
        "title",
        "$comment",
        "deprecated",
        "description",
        "examples",
        "const",
        "default",
        "@xsdAny",
        "@xsdAnyAttribute",
        "@xsdStructure",
        "@xsdAttribute",
        "@xsdUnhandledAttributes",
        "info",
    }
)
CONTAINER_KEYWORDS = frozenset(
    {"items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames"}
)


def _guarded(method: Callable[..., bool]) -> Callable[..., bool]:
    """Memoize a shape predicate per schema object and answer False on re-entry.

    Definitions may refer to themselves through `$ref`/`allOf`; without this a cycle would
    recurse forever, and large SERES schemas would re-check the same definitions many times.
    """

    def wrapper(self: Analysis, schema: Schema, *args: Any) -> bool:
        key = (method.__name__, id(schema))
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        self._memo[key] = False
        result = method(self, schema, *args)
        self._memo[key] = result
        return result

    return wrapper


class Kind(Enum):
    """XSD constructs a JSON subschema can be written as."""

    NILLABLE = auto()
    ARRAY = auto()
    SIMPLE_TYPE = auto()
    ATTRIBUTE = auto()
    UNHANDLED_ATTRIBUTE = auto()
    SIMPLE_TYPE_RESTRICTION = auto()
    COMPLEX_TYPE = auto()
    SIMPLE_CONTENT_EXTENSION = auto()
    SIMPLE_CONTENT_RESTRICTION = auto()
    COMPLEX_CONTENT = auto()
    COMPLEX_CONTENT_EXTENSION = auto()
    UNHANDLED_ENUM_ATTRIBUTE = auto()
    UNKNOWN = auto()


class JsonToXsdError(LocatedError):
    """A JSON Schema that cannot be written as XSD."""


def non_null_types(schema: Schema) -> list[str]:
    value = schema.get("type")
    types = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [item for item in types if item != "null"]


def has_null_with_other(schema: Schema) -> bool:
    value = schema.get("type")
    return isinstance(value, list) and "null" in value and len(value) > 1


def ref_name(reference: str, name: str = "schema") -> str:
    """The type name a `$ref` to `#/$defs/X` or `#/definitions/X` stands for."""
    parts = reference.lstrip("#").strip("/").split("/")
    if len(parts) != 2 or parts[0] not in ("$defs", "definitions"):
        raise JsonToXsdError(
            f"reference {reference!r} must point into $defs or definitions to become an XSD type",
            Location(name),
            "move the referenced schema under $defs",
        )
    return parts[1].replace("~1", "/").replace("~0", "~")


class Analysis:
    """The compatible XSD kinds per path of one JSON Schema."""

    def __init__(self, schema: Schema, name: str = "schema") -> None:
        self.schema = schema
        self.name = name
        self._kinds: dict[Path, set[Kind]] = defaultdict(set)
        self._incompatible: dict[Path, set[Kind]] = defaultdict(set)
        self.inline_root = self._inline_root()
        self._active: set[int] = set()
        self._memo: dict[tuple[str, int], bool] = {}
        self.analyze((), schema)

    def kinds(self, path: Path) -> set[Kind]:
        return self._kinds.get(path, set()) - self._incompatible.get(path, set())

    # ---- references -----------------------------------------------------------------------

    def follow(self, reference: str) -> Schema:
        node: Any = self.schema
        for part in reference.lstrip("#").strip("/").split("/"):
            if not part:
                continue
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise JsonToXsdError(
                    f"$ref {reference!r} does not point to anything in the schema",
                    Location(self.name, reference),
                    "fix the reference or add the missing definition",
                )
        return node if isinstance(node, dict) else {}

    def follow_all(self, schema: Schema) -> Schema:
        seen: set[str] = set()
        while isinstance(schema.get("$ref"), str):
            reference = schema["$ref"]
            if reference in seen:
                raise JsonToXsdError(
                    f"$ref {reference!r} refers to itself in a loop",
                    Location(self.name, reference),
                )
            seen.add(reference)
            schema = self.follow(reference)
        return schema

    # ---- walk -----------------------------------------------------------------------------

    def _inline_root(self) -> bool:
        present = [key for key in ("allOf", "anyOf", "oneOf") if key in self.schema]
        if len(present) != 1:
            return True
        subs = self.schema[present[0]]
        return not (
            isinstance(subs, list)
            and len(subs) == 1
            and isinstance(subs[0], dict)
            and "$ref" in subs[0]
        )

    def analyze(self, path: Path, schema: Any) -> None:
        if not isinstance(schema, dict):
            return
        nillable, value = self._nillable(schema)
        if nillable:
            self._kinds[path].add(Kind.NILLABLE)
            if value is not None:
                self.analyze(path, value)
                return
        if "array" in non_null_types(schema) or schema.get("type") == "array":
            items = schema.get("items")
            if not isinstance(items, dict):
                raise JsonToXsdError(
                    'a schema with "type": "array" must have an "items" schema',
                    Location(self.name, _pointer(path)),
                    "describe the repeating item with items",
                )
            self._kinds[path].add(Kind.ARRAY)
            self.analyze(path, items)
            return
        key = id(schema)
        if key in self._active:
            return
        self._active.add(key)
        try:
            self._analyze_target(path, self.follow_all(schema))
        finally:
            self._active.discard(key)

    def _analyze_target(self, path: Path, schema: Schema) -> None:
        kinds = self._kinds[path]
        if self.is_simple_type(schema):
            kinds.add(Kind.SIMPLE_TYPE)
            if "@xsdAttribute" in schema or schema.get("@xsdType") == "XmlAttribute":
                # older Altinn models mark attributes with "@xsdType": "XmlAttribute"
                kinds.add(Kind.ATTRIBUTE)
            if "@xsdUnhandledAttributes" in schema:
                kinds.add(Kind.UNHANDLED_ATTRIBUTE)
        if self.is_simple_type_restriction(schema):
            kinds.update({Kind.SIMPLE_TYPE, Kind.SIMPLE_TYPE_RESTRICTION})
        if self.is_complex_type(schema):
            kinds.add(Kind.COMPLEX_TYPE)
        if self.is_simple_content_extension(schema):
            kinds.add(Kind.SIMPLE_CONTENT_EXTENSION)
        if self.is_simple_content_restriction(schema):
            kinds.add(Kind.SIMPLE_CONTENT_RESTRICTION)
        if self._is_complex_content_extension(path, schema):
            kinds.update({Kind.COMPLEX_CONTENT, Kind.COMPLEX_CONTENT_EXTENSION})
        for keyword, value in schema.items():
            self._analyze_keyword((*path, keyword), keyword, value)
        if "@xsdUnhandledAttributes" in schema:
            kinds.add(Kind.UNHANDLED_ATTRIBUTE)
        if "@xsdUnhandledEnumAttributes" in schema:
            kinds.add(Kind.UNHANDLED_ENUM_ATTRIBUTE)
        if not kinds:
            kinds.add(Kind.UNKNOWN)

    def _analyze_keyword(self, path: Path, keyword: str, value: Any) -> None:
        if keyword in ("allOf", "anyOf", "oneOf") and isinstance(value, list):
            for index, sub in enumerate(value):
                self.analyze((*path, index), sub)
        elif keyword in ("$defs", "definitions", "properties") and isinstance(value, dict):
            for name, sub in value.items():
                self.analyze((*path, name), sub)
        elif keyword in CONTAINER_KEYWORDS and isinstance(value, dict):
            self.analyze(path, value)

    def _nillable(self, schema: Schema) -> tuple[bool, Schema | None]:
        if has_null_with_other(schema):
            return True, None
        if schema.get("@xsdNillable") is True:
            return True, None
        one_of = schema.get("oneOf")
        if not isinstance(one_of, list) or len(one_of) < 2:
            return False, None
        typed = next((sub for sub in one_of if isinstance(sub, dict) and "type" in sub), None)
        if typed is None:
            return False, None
        if typed.get("type") == "null":
            return True, next(
                (sub for sub in one_of if isinstance(sub, dict) and "$ref" in sub), None
            )
        return False, None

    # ---- predicates -----------------------------------------------------------------------

    @staticmethod
    def is_simple_type(schema: Schema) -> bool:
        if "type" not in schema:
            return False
        types = non_null_types(schema)
        return len(types) == 1 and types[0] in SIMPLE_JSON_TYPES

    def is_simple_or_restriction(self, schema: Schema) -> bool:
        return self.is_simple_type(schema) or self.is_simple_type_restriction(schema)

    @staticmethod
    def is_plain_restriction(schema: Schema, ignore: frozenset[str] = frozenset()) -> bool:
        keys = [key for key in schema if key not in ignore]
        return bool(keys) and all(key in PLAIN_RESTRICTION_KEYWORDS for key in keys)

    @staticmethod
    def has_single_all_of(schema: Schema) -> bool:
        if "allOf" not in schema:
            return False
        return all(key == "allOf" or key in SINGLE_ALL_OF_EXTRAS for key in schema)

    @_guarded
    def is_simple_type_restriction(self, schema: Schema) -> bool:
        if schema.get("@xsdStructure") == "XmlSchemaSimpleTypeRestriction":
            return True
        if not self.has_single_all_of(schema):
            if "type" not in schema:
                return False
            return self.is_plain_restriction(schema, frozenset({"type", "@xsdType", "format"}))
        subs = schema["allOf"]
        has_base = has_restrictions = False
        for item in subs:
            if not isinstance(item, dict):
                return False
            sub = self.follow_all(item)
            if self.is_simple_or_restriction(sub):
                if has_base:
                    return False
                has_base = True
            elif self.is_plain_restriction(sub):
                has_restrictions = True
            else:
                return False
        return has_base and (has_restrictions or len(subs) == 1)

    @_guarded
    def is_complex_type(self, schema: Schema, depth: int = 0) -> bool:
        if depth > 64:
            return False
        schema = self.follow_all(schema)
        if "properties" in schema:
            return True
        for keyword in ("allOf", "anyOf", "oneOf"):
            subs = schema.get(keyword)
            if isinstance(subs, list) and any(
                isinstance(sub, dict) and self.is_complex_type(sub, depth + 1) for sub in subs
            ):
                return True
        return False

    @_guarded
    def is_simple_content_extension(self, schema: Schema) -> bool:
        if any(key in schema for key in ("allOf", "oneOf", "anyOf", "if", "then", "else", "not")):
            return False
        properties = schema.get("properties")
        if not isinstance(properties, dict) or not isinstance(properties.get("value"), dict):
            return False
        value = properties["value"]
        if value.get("@xsdAttribute") is True:
            return False
        if not self.is_simple_or_restriction(self.follow_all(value)):
            return False
        attributes = sum(
            1
            for prop in properties.values()
            if isinstance(prop, dict)
            and self.is_simple_or_restriction(self.follow_all(prop))
            and prop.get("@xsdAttribute") is True
        )
        return attributes == len(properties) - 1

    @_guarded
    def is_simple_content_restriction(self, schema: Schema, depth: int = 0) -> bool:
        if depth > 64 or not self.has_single_all_of(schema):
            return False
        subs = [sub for sub in schema["allOf"] if isinstance(sub, dict)]
        bases = [sub for sub in subs if "$ref" in sub]
        if len(bases) != 1:
            return False
        base = self.follow(bases[0]["$ref"])
        if not self.is_simple_content_extension(base) and not self.is_simple_content_restriction(
            base, depth + 1
        ):
            return False
        property_schemas = [sub for sub in subs if "properties" in sub]
        if len(property_schemas) + 1 != len(schema["allOf"]):
            return False
        base_names: set[str] = set()
        guard = 0
        while not self.is_simple_type(base) and guard < 64:
            guard += 1
            base_names.update(_simple_content_properties(base, self))
            base_all_of = base.get("allOf")
            if not isinstance(base_all_of, list):
                break
            refs = [sub for sub in base_all_of if isinstance(sub, dict) and "$ref" in sub]
            if len(refs) != 1:
                break
            base = self.follow(refs[0]["$ref"])
        has_value = False
        for sub in property_schemas:
            for name, prop in sub["properties"].items():
                if name not in base_names or not isinstance(prop, dict):
                    return False
                target = self.follow_all(prop)
                if not has_value and name == "value":
                    has_value = True
                    if "@xsdAttribute" in prop:
                        return False
                elif "@xsdAttribute" not in prop:
                    return False
                if not self.is_simple_or_restriction(target) and not self.is_plain_restriction(
                    target
                ):
                    return False
        return has_value

    def _is_complex_content_extension(self, path: Path, schema: Schema) -> bool:
        if Kind.SIMPLE_CONTENT_RESTRICTION in self.kinds(path):
            return False
        subs = schema.get("allOf")
        if not isinstance(subs, list):
            return False
        refs = [sub for sub in subs if isinstance(sub, dict) and "$ref" in sub]
        if len(refs) > 1 or not refs:
            return False
        if not self.is_complex_type(refs[0]):
            return False
        target = _path_of(refs[0]["$ref"])
        self._incompatible[target].update(
            {Kind.SIMPLE_CONTENT_EXTENSION, Kind.SIMPLE_CONTENT_RESTRICTION}
        )
        return True


def _simple_content_properties(schema: Schema, analysis: Analysis) -> list[str]:
    names: list[str] = []
    if analysis.has_single_all_of(schema):
        for sub in schema["allOf"]:
            if isinstance(sub, dict) and isinstance(sub.get("properties"), dict):
                names.extend(sub["properties"])
    elif isinstance(schema.get("properties"), dict):
        names.extend(schema["properties"])
    return names


def _path_of(reference: str) -> Path:
    return tuple(
        part.replace("~1", "/").replace("~0", "~")
        for part in reference.lstrip("#").strip("/").split("/")
        if part
    )


def _pointer(path: Path) -> str:
    return "/" + "/".join(str(part) for part in path) if path else ""
