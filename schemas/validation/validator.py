"""Validating instance data against a data model: every error, with the data path.

jsonschema-rs does the work (it is fast enough to validate on every keystroke of a 5,000-field
form); the `jsonschema` library is the reference implementation, selectable with
`engine="reference"` and used by the conformance test to cross-check the two.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import product
from typing import TYPE_CHECKING, Any, Literal

import jsonschema_rs

from schemas.diagnostics import LocatedError
from schemas.model.loader import DataModel

if TYPE_CHECKING:
    import jsonschema

Engine = Literal["fast", "reference"]

_RS_CLASSES: dict[str, Any] = {
    "2020-12": jsonschema_rs.Draft202012Validator,
    "2019-09": jsonschema_rs.Draft201909Validator,
    "draft-07": jsonschema_rs.Draft7Validator,
    "draft-06": jsonschema_rs.Draft6Validator,
    "draft-04": jsonschema_rs.Draft4Validator,
}
_PY_CLASS_NAMES: dict[str, str] = {
    "2020-12": "Draft202012Validator",
    "2019-09": "Draft201909Validator",
    "draft-07": "Draft7Validator",
    "draft-06": "Draft6Validator",
    "draft-04": "Draft4Validator",
}


def _reference_class(draft: str) -> Any:
    """The `jsonschema` class for a draft, imported on first use: the reference engine is
    only for comparisons, and importing it (with its format checkers) costs about a second."""
    import jsonschema

    return getattr(jsonschema, _PY_CLASS_NAMES[draft])


# Root keywords that constrain the document (rather than define or annotate) and so must not
# apply when the root element is a definition further down.
_ROOT_ASSERTIONS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "oneOf",
        "anyOf",
        "allOf",
        "not",
        "if",
        "then",
        "else",
        "$ref",
        "patternProperties",
        "unevaluatedProperties",
        "minProperties",
        "maxProperties",
        "dependentRequired",
        "dependentSchemas",
        "propertyNames",
    }
)


@dataclass(frozen=True, slots=True)
class DataError:
    """One way the data breaks the model.

    `path` is the data path in binding form (`Group[1].Name`), `field_path` the same without
    indices (the model-tree path); for a missing required property both name the missing
    property, so the error lands on the component bound to it.
    """

    path: str
    field_path: str
    pointer: str
    message: str
    keyword: str
    schema_path: str


class SchemaCompileError(LocatedError):
    """The model cannot be compiled into a validator (bad pattern, unresolvable $ref...)."""


class ModelValidator:
    """A compiled validator for one model's root element."""

    def __init__(self, model: DataModel, engine: Engine = "fast", formats: bool = True) -> None:
        self.model = model
        self.engine = engine
        self.schema = rooted_schema(model)
        draft = model.draft if model.draft in _RS_CLASSES else "2020-12"
        self._rs: Any = None
        self._py: Any = None
        try:
            if engine == "fast":
                self._rs = _RS_CLASSES[draft](self.schema, validate_formats=formats, offline=True)
            else:
                cls = _reference_class(draft)
                cls.check_schema(self.schema)
                checker = cls.FORMAT_CHECKER if formats else None
                self._py = cls(self.schema, format_checker=checker)
        except Exception as exc:  # each engine has its own exception types for bad schemas
            text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise SchemaCompileError(
                f"the schema cannot be compiled: {text}",
                model.location(""),
                "fix the keyword the message names (patterns are ECMA-262 regular expressions)",
            ) from None

    def is_valid(self, instance: Any) -> bool:
        if self._rs is not None:
            return bool(self._rs.is_valid(instance))
        assert self._py is not None
        return bool(self._py.is_valid(instance))

    def errors(self, instance: Any) -> list[DataError]:
        """All errors, sorted by data path (an empty list for valid data)."""
        if self._rs is not None:
            if self._rs.is_valid(instance):
                return []
            found = [_from_rs(error) for error in self._rs.iter_errors(instance)]
        else:
            assert self._py is not None
            found = [_from_py(error) for error in self._py.iter_errors(instance)]
        found.sort(key=lambda e: (e.pointer, e.keyword, e.message))
        return found


_META_URIS = {
    "2020-12": "https://json-schema.org/draft/2020-12/schema",
    "2019-09": "https://json-schema.org/draft/2019-09/schema",
    "draft-07": "http://json-schema.org/draft-07/schema#",
    "draft-06": "http://json-schema.org/draft-06/schema#",
    "draft-04": "http://json-schema.org/draft-04/schema#",
}
_REMOTE_KEYWORDS = frozenset(
    {"$dynamicRef", "$recursiveRef", "$anchor", "$dynamicAnchor", "$recursiveAnchor", "$id"}
)
COMPILE_KEYWORDS = _REMOTE_KEYWORDS | {"$ref", "pattern", "patternProperties"}
"""The keywords `CompileFacts.note` reads: a node without any contributes nothing."""


@dataclass(slots=True)
class CompileFacts:
    """What decides whether a schema compiles besides the meta-schema, gathered in one walk:
    every `$ref`, every regular expression, and whether anything needs more than a local
    pointer (anchors, nested `$id`s, dynamic references, a `$ref` that is not a string)."""

    refs: set[str]
    patterns: set[str]
    unsure: bool = False

    def note(self, node: dict[str, Any], at_root: bool) -> None:
        """Add what one object of the schema contributes (a walker calls this per object)."""
        if node.keys().isdisjoint(COMPILE_KEYWORDS):
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            self.refs.add(ref)
        elif ref is not None:
            self.unsure = True
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            self.patterns.add(pattern)
        patterns = node.get("patternProperties")
        if isinstance(patterns, dict):
            self.patterns.update(patterns)
        if any(key in node for key in _REMOTE_KEYWORDS if not (at_root and key == "$id")):
            self.unsure = True


def compile_facts(schema: Any) -> CompileFacts:
    """CompileFacts of every object anywhere in `schema` (data positions included: more
    than the compiler looks at, which can only make the answer more careful)."""
    facts = CompileFacts(set(), set())
    stack: list[Any] = [(True, schema)]
    while stack and not facts.unsure:
        at_root, node = stack.pop()
        if type(node) is dict:
            facts.note(node, at_root)
            stack.extend((False, value) for value in node.values())
        elif type(node) is list:
            stack.extend((False, item) for item in node)
    return facts


def surely_compiles(
    model: DataModel, facts: CompileFacts | None = None, meta_view: Any = None
) -> bool:
    """True when compiling the model's validator cannot fail, known without compiling it.

    Compiling a large model costs several times more than this: the schema against its
    draft's meta-schema, every `$ref` a local pointer that resolves, no anchors or nested
    `$id`s, and every regular expression accepted by the validator's own regex engine.
    `facts` may come from a walk the caller makes anyway (model lint); by default the
    schema is walked here. `meta_view` may stand in for the schema before the meta-schema
    check: the schema with leaves left out of its maps that `leaf_surely_valid` vouches
    for (see `MetaPlaces`), so the meta-schema verdict is the same. False means "compile to
    find out" (tests compare the verdict with real compiles)."""
    schema = rooted_schema(model)
    draft = meta_draft(model.draft)
    if not isinstance(schema, dict):
        return False
    checked = schema if meta_view is None else _rooted(meta_view, model.root_pointer)
    try:
        if not jsonschema_rs.meta.is_valid({**checked, "$schema": _META_URIS[draft]}):
            return False
    except Exception:  # an unknown meta-schema and the like: let the compiler decide
        return False
    if facts is None:
        facts = compile_facts(schema)
    if facts.unsure:
        return False
    return all(_local_ref_resolves(schema, ref) for ref in facts.refs) and all(
        _regex_compiles(pattern) for pattern in facts.patterns
    )


def meta_draft(draft: str) -> str:
    """The draft whose meta-schema judges a model of `draft` (an unknown one: 2020-12)."""
    return draft if draft in _META_URIS else "2020-12"


@dataclass(frozen=True, slots=True)
class MetaPlaces:
    """Where a draft's meta-schema validates a value as a whole schema and as nothing else,
    keyword by keyword of a schema that is itself validated so (the root is).

    A member of a `droppable` map that is a valid schema can be left out of the document
    without changing the meta-schema's verdict: such a map is only required to be an
    object whose members are valid schemas (no `propertyNames`, no member counts). Keywords
    the draft does not define are left out, so a node under them is never such a place."""

    schemas: frozenset[str]
    """Keywords whose object value is a schema."""
    arrays: frozenset[str]
    """Keywords whose array items are schemas."""
    maps: frozenset[str]
    """Keywords whose object value maps names to schemas."""
    droppable: frozenset[str]
    """The maps that constrain nothing but their members being schemas."""


def _places(schemas: str, arrays: str, maps: str, droppable: str) -> MetaPlaces:
    return MetaPlaces(*(frozenset(words.split()) for words in (schemas, arrays, maps, droppable)))


_META_PLACES = {
    "2020-12": _places(
        "items contains additionalProperties propertyNames if then else not unevaluatedItems"
        " unevaluatedProperties contentSchema",
        "prefixItems allOf anyOf oneOf",
        "properties patternProperties $defs definitions",
        "properties $defs definitions",
    ),
    "2019-09": _places(
        "additionalItems unevaluatedItems items contains additionalProperties"
        " unevaluatedProperties propertyNames if then else not contentSchema",
        "items allOf anyOf oneOf",
        "properties patternProperties $defs definitions",
        "properties $defs definitions",
    ),
    "draft-07": _places(
        "additionalItems items contains additionalProperties propertyNames if then else not",
        "items allOf anyOf oneOf",
        "properties patternProperties definitions",
        "properties definitions",
    ),
    "draft-06": _places(
        "additionalItems items contains additionalProperties propertyNames not",
        "items allOf anyOf oneOf",
        "properties patternProperties definitions",
        "properties definitions",
    ),
    "draft-04": _places(
        "additionalItems items additionalProperties not",
        "items allOf anyOf oneOf",
        "properties patternProperties definitions",
        "properties definitions",
    ),
}


def meta_places(draft: str) -> MetaPlaces:
    """The MetaPlaces of the meta-schema that judges a model of `draft`."""
    return _META_PLACES[meta_draft(draft)]


_MAX_VARIANTS = 16


@lru_cache(maxsize=4096)
def leaf_surely_valid(items: tuple[tuple[str, Any], ...], draft: str) -> bool:
    """True when every JSON object equal (`==`) to `dict(items)` is a valid schema of the
    meta-schema that judges `draft`; False when some may not be (or it is not known).

    Equality blurs JSON types the meta-schema tells apart (`1 == 1.0 == True`, and draft-04
    takes 100.0 for no integer), so every such spelling of the numbers is checked. Validity
    as a document root means validity anywhere the meta-schema asks for a schema: nested
    places are judged by the same meta-schema (or by one of the vocabularies it joins).
    Memoized per equal `items`, which name the same leaves."""
    choices: list[list[Any]] = []
    count = 1
    for key, value in items:
        if key == "$schema":
            return False  # a document root would not be judged with its own $schema
        if value is None or type(value) is str:
            choices.append([value])
        elif type(value) in (int, float, bool):
            spellings = _equal_numbers(value)
            count *= len(spellings)
            choices.append(spellings)
        else:
            return False
    if count > _MAX_VARIANTS:
        return False
    uri = _META_URIS[meta_draft(draft)]
    keys = [key for key, _ in items]
    try:
        return all(
            jsonschema_rs.meta.is_valid({**dict(zip(keys, values, strict=True)), "$schema": uri})
            for values in product(*choices)
        )
    except Exception:  # a value the validator cannot take: not known to be valid
        return False


def _equal_numbers(value: float) -> list[Any]:
    """The JSON numbers and booleans equal to `value`, each spelling once (0.0 and -0.0
    are different spellings)."""
    found: list[Any] = [value]
    if value != value:  # NaN equals nothing else
        return found
    candidates: list[Any] = [True, False]
    try:
        candidates.append(float(value))
        if value == 0:
            candidates.extend((0.0, -0.0))
        if value - int(value) == 0:
            candidates.append(int(value))
    except (OverflowError, ValueError):
        pass
    seen = {(type(value), repr(value))}
    for candidate in candidates:
        spelled = (type(candidate), repr(candidate))
        if candidate == value and spelled not in seen:
            seen.add(spelled)
            found.append(candidate)
    return found


def _local_ref_resolves(schema: dict[str, Any], ref: str) -> bool:
    """Whether the compiler will find `ref`'s target. Stricter than `resolve_pointer`, which
    forgives extra leading slashes that the compiler reads as empty keys."""
    if not ref.startswith("#/"):
        return ref == "#"
    node: Any = schema
    for raw in ref[2:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if type(node) is dict and token in node:
            node = node[token]
        elif type(node) is list and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


@cache
def _regex_compiles(pattern: str) -> bool:
    try:
        jsonschema_rs.Draft202012Validator({"pattern": pattern})
    except Exception:
        return False
    return True


def rooted_schema(model: DataModel) -> dict[str, Any]:
    """The schema with the root element as its entry point (keeping every definition)."""
    schema = model.schema
    if not model.root_pointer:
        return schema
    return copy.copy(_rooted(schema, model.root_pointer))


def _rooted(schema: dict[str, Any], root_pointer: str) -> dict[str, Any]:
    if not root_pointer:
        return schema
    rooted = {k: v for k, v in schema.items() if k not in _ROOT_ASSERTIONS}
    rooted["allOf"] = [{"$ref": "#" + root_pointer}]
    return rooted


def validate_data(model: DataModel, instance: Any, engine: Engine = "fast") -> list[DataError]:
    """One-shot validation (compile, validate); keep a ModelValidator to validate many."""
    return ModelValidator(model, engine).errors(instance)


def data_path(parts: Iterable[str | int]) -> str:
    """['a', 0, 'b'] -> 'a[0].b' (the form layouts and expressions use)."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text = f"{text}.{part}" if text else str(part)
    return text


def _field_path(parts: Iterable[str | int]) -> str:
    return ".".join(str(p) for p in parts if not isinstance(p, int))


def _pointer(parts: Iterable[str | int]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _make(
    parts: list[str | int], message: str, keyword: str, schema_parts: Iterable[Any]
) -> DataError:
    return DataError(
        data_path(parts),
        _field_path(parts),
        _pointer(parts),
        message,
        keyword,
        _pointer(schema_parts),
    )


def _from_rs(error: Any) -> DataError:
    parts: list[str | int] = list(error.instance_path)
    kind = error.kind
    keyword = _rs_keyword(kind)
    if keyword == "required":
        missing = getattr(kind, "property", None)
        if isinstance(missing, str):
            parts.append(missing)
    return _make(parts, error.message, keyword, error.schema_path)


def _rs_keyword(kind: Any) -> str:
    name = type(kind).__name__
    special = {
        "Constant": "const",
        "OneOfNotValid": "oneOf",
        "OneOfMultipleValid": "oneOf",
        "FalseSchema": "false",
    }
    if name in special:
        return special[name]
    return name[:1].lower() + name[1:]


def _from_py(error: jsonschema.ValidationError) -> DataError:
    parts: list[str | int] = list(error.absolute_path)
    keyword = str(error.validator)
    if keyword == "required":
        missing = _missing_property(error)
        if missing:
            parts.append(missing)
    return _make(parts, error.message, keyword, error.absolute_schema_path)


def _missing_property(error: jsonschema.ValidationError) -> str | None:
    required = error.validator_value
    instance = error.instance
    if isinstance(required, list) and isinstance(instance, dict):
        for name in required:
            if isinstance(name, str) and name not in instance and repr(name) in error.message:
                return name
    return None


def iter_error_paths(errors: Iterable[DataError]) -> Iterator[str]:
    for error in errors:
        yield error.field_path
