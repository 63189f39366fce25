"""Model checks (codes MODEL0xx): problems that stop Altinn generating C# or XML from a model.

Pure functions over a loaded model so `studio model check`, `studio validate` and the designer
share them; findings point into the `.schema.json` by JSON pointer with line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from schemas.diagnostics import Finding, Location, Severity, define_rule
from schemas.model.loader import DataModel, ModelLoadError, load_model, resolve_pointer
from schemas.model.tree import ModelField

UNREADABLE = define_rule(
    "MODEL001", "model-unreadable", Severity.ERROR, "The data model file cannot be read or parsed."
)
INVALID_NAME = define_rule(
    "MODEL002",
    "invalid-field-name",
    Severity.ERROR,
    "A field name is not a valid XML/C# name (letters, digits, '_' and '-', not starting with a digit).",
)
DUPLICATE_NAME = define_rule(
    "MODEL003",
    "duplicate-field-name",
    Severity.ERROR,
    "Two sibling fields have names that differ only in case.",
)
RESERVED_WORD = define_rule(
    "MODEL004",
    "reserved-field-name",
    Severity.ERROR,
    "A field is named with a C# keyword, which breaks the generated C# model.",
)
BROKEN_REF = define_rule(
    "MODEL005", "broken-ref", Severity.ERROR, "A $ref points to nothing in the model file."
)
REF_CYCLE = define_rule(
    "MODEL006",
    "ref-cycle-without-repetition",
    Severity.WARNING,
    "A type contains itself with no repeating (array) step, so data can nest without end.",
)
BOTH_PROPERTIES_AND_COMPOSITION = define_rule(
    "MODEL007",
    "root-properties-and-composition",
    Severity.ERROR,
    "The root has `properties` together with `oneOf`/`allOf`/`anyOf` (Altinn: BothPropertiesAndCompositionSchema).",
)
FIXED_VALUE_TYPE = define_rule(
    "MODEL008",
    "fixed-value-type-mismatch",
    Severity.INFO,
    "A `const`/`enum` value does not have the field's declared type, so no data can be valid.",
)
UNKNOWN_DRAFT = define_rule(
    "MODEL009", "unknown-schema-draft", Severity.WARNING, "The `$schema` draft is not recognised."
)
INVALID_SCHEMA = define_rule(
    "MODEL010",
    "invalid-schema",
    Severity.ERROR,
    "The schema cannot be compiled for validation (for example an invalid `pattern`).",
)
EXTERNAL_REF = define_rule(
    "MODEL011",
    "external-ref",
    Severity.WARNING,
    "A $ref points outside the model file; it is never fetched, so its fields are unknown.",
)

CSHARP_KEYWORDS = frozenset(
    [
        "abstract",
        "as",
        "base",
        "bool",
        "break",
        "byte",
        "case",
        "catch",
        "char",
        "checked",
        "class",
        "const",
        "continue",
        "decimal",
        "default",
        "delegate",
        "do",
        "double",
        "else",
        "enum",
        "event",
        "explicit",
        "extern",
        "false",
        "finally",
        "fixed",
        "float",
        "for",
        "foreach",
        "goto",
        "if",
        "implicit",
        "in",
        "int",
        "interface",
        "internal",
        "is",
        "lock",
        "long",
        "namespace",
        "new",
        "null",
        "object",
        "operator",
        "out",
        "override",
        "params",
        "private",
        "protected",
        "public",
        "readonly",
        "ref",
        "return",
        "sbyte",
        "sealed",
        "short",
        "sizeof",
        "stackalloc",
        "static",
        "string",
        "struct",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "uint",
        "ulong",
        "unchecked",
        "unsafe",
        "ushort",
        "using",
        "virtual",
        "void",
        "volatile",
        "while",
    ]
)
_NAME = re.compile(r"^[^\W\d][\w\-]*$", re.UNICODE)
_NOT_SCHEMA_KEYS = frozenset({"enum", "const", "examples", "default", "info", "texts"})
_SCHEMA_MAPS = frozenset({"properties", "$defs", "definitions", "patternProperties"})
_TYPE_CHECKS: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


def check_model_file(path: Any, name: str | None = None) -> list[Finding]:
    """Load a model file and check it; a load failure is a MODEL001 finding."""
    try:
        model = load_model(path, name)
    except ModelLoadError as exc:
        location = exc.location or Location(name or str(path))
        return [UNREADABLE.finding(exc.message, location, exc.hint)]
    return check_model(model)


def check_model(model: DataModel) -> list[Finding]:
    """Every MODEL finding for a loaded model (memoized on it: a model is immutable)."""
    cached = model._cache.get("lint")
    if cached is None:
        cached = _check_model(model)
        model._cache["lint"] = cached
    return list(cached)


def _check_model(model: DataModel) -> list[Finding]:
    findings: list[Finding] = []
    findings.extend(_draft(model))
    findings.extend(_root_composition(model))
    findings.extend(_names(model))
    ref_findings = list(_refs(model))
    findings.extend(ref_findings)
    findings.extend(_fixed_values(model))
    findings.extend(_cycles(model))
    if not ref_findings:
        findings.extend(_compiles(model))  # a bad $ref would be reported twice
    return findings


def _loc(model: DataModel, pointer: str) -> Location:
    return model.document.location(pointer)


def _draft(model: DataModel) -> Iterator[Finding]:
    if model.draft == "unknown":
        yield UNKNOWN_DRAFT.finding(
            f"unrecognised $schema {model.schema.get('$schema')!r}; validated as draft 2020-12",
            _loc(model, "/$schema"),
            'use "https://json-schema.org/draft/2020-12/schema"',
        )


def _root_composition(model: DataModel) -> Iterator[Finding]:
    schema = model.schema
    if "properties" not in schema:
        return
    for key in ("oneOf", "allOf", "anyOf"):
        if key in schema:
            yield BOTH_PROPERTIES_AND_COMPOSITION.finding(
                f"the root has both `properties` and `{key}`",
                _loc(model, f"/{key}"),
                f"move the root fields into a definition referenced from `{key}`, or drop `{key}`",
            )


def schema_nodes(node: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every sub-schema object with its pointer (skipping enum/const/default values)."""
    out: list[tuple[str, dict[str, Any]]] = []
    _collect_nodes(node, pointer, out)
    return iter(out)


def _collect_nodes(node: Any, pointer: str, out: list[tuple[str, dict[str, Any]]]) -> None:
    # Appending (not nested generators) keeps the walk linear in the schema's size.
    if not isinstance(node, dict):
        return
    out.append((pointer, node))
    for key, value in node.items():
        if key in _NOT_SCHEMA_KEYS:
            continue
        child = f"{pointer}/{_esc(key)}"
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            for name, sub in value.items():
                if isinstance(sub, dict):
                    _collect_nodes(sub, f"{child}/{_esc(name)}", out)
        elif isinstance(value, dict):
            _collect_nodes(value, child, out)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    _collect_nodes(item, f"{child}/{index}", out)


def _model_nodes(model: DataModel) -> list[tuple[str, dict[str, Any]]]:
    """The model's sub-schemas, walked once and shared by the rules that scan them all."""
    cached = model._cache.get("schema_nodes")
    if cached is None:
        cached = list(schema_nodes(model.schema))
        model._cache["schema_nodes"] = cached
    return cached  # type: ignore[no-any-return]


def _names(model: DataModel) -> Iterator[Finding]:
    for pointer, node in _model_nodes(model):
        props = node.get("properties")
        if not isinstance(props, dict):
            continue
        seen: dict[str, str] = {}
        for name in props:
            if _NAME.match(name) and name not in CSHARP_KEYWORDS:
                folded = name.casefold()
                if folded not in seen:
                    seen[folded] = name
                    continue  # a clean name: no position needed (it costs a text scan)
            where = f"{pointer}/properties/{_esc(name)}"
            location = model.document.location(where, at_key=True)
            if not _NAME.match(name):
                yield INVALID_NAME.finding(
                    f"field name {name!r} is not a valid XML element or C# property name",
                    location,
                    "use letters, digits, '_' or '-', starting with a letter (no dots or spaces)",
                )
            elif name in CSHARP_KEYWORDS:
                yield RESERVED_WORD.finding(
                    f"field name {name!r} is a C# keyword",
                    location,
                    f"rename it, e.g. to {name.capitalize()!r} or {name + 'Value'!r}",
                )
            folded = name.casefold()
            if folded in seen:
                yield DUPLICATE_NAME.finding(
                    f"field {name!r} differs only in case from its sibling {seen[folded]!r}",
                    location,
                    "rename one of them; JSON binding and C# serialization treat them as one",
                )
            else:
                seen[folded] = name


def _refs(model: DataModel) -> Iterator[Finding]:
    for pointer, node in _model_nodes(model):
        ref = node.get("$ref")
        if not isinstance(ref, str):
            continue
        where = f"{pointer}/$ref"
        if not ref.startswith("#"):
            yield EXTERNAL_REF.finding(
                f"$ref {ref!r} points outside this file and is not followed",
                _loc(model, where),
                "inline the referenced definition under $defs",
            )
            continue
        try:
            resolve_pointer(model.schema, ref)
        except KeyError:
            yield BROKEN_REF.finding(
                f"$ref {ref!r} points to nothing in this file",
                _loc(model, where),
                "point it at an existing definition under $defs/definitions",
            )


def _fixed_values(model: DataModel) -> Iterator[Finding]:
    """One finding per model: SERES conversions write fixed integers as strings by the
    hundred, so listing each would drown everything else."""
    mismatches: list[tuple[str, Any, list[str]]] = []
    for pointer, node in _model_nodes(model):
        raw = node.get("type")
        types = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        checks = [_TYPE_CHECKS[t] for t in types if t in _TYPE_CHECKS]
        if not checks:
            continue
        values: list[tuple[str, Any]] = []
        if "const" in node:
            values.append(("const", node["const"]))
        if isinstance(node.get("enum"), list):
            values.extend((f"enum/{i}", v) for i, v in enumerate(node["enum"]))
        for key, value in values:
            if not any(check(value) for check in checks):
                mismatches.append((f"{pointer}/{key}", value, types))
    if mismatches:
        where, value, types = mismatches[0]
        more = f" (and {len(mismatches) - 1} more like it)" if len(mismatches) > 1 else ""
        yield FIXED_VALUE_TYPE.finding(
            f"fixed value {value!r} is not of the declared type {'/'.join(types)}{more}; "
            "data holding such a field never passes schema validation",
            _loc(model, where),
            'write the value with the field\'s type (e.g. 1603, not "1603")',
        )


def _cycles(model: DataModel) -> Iterator[Finding]:
    reported: set[str] = set()
    try:
        fields = model.tree().fields()
    except RecursionError:
        return
    for field in fields:
        if not field.cycle or field.content.target in reported:
            continue
        chain: list[ModelField] = [field]
        for ancestor in field.ancestors():
            if ancestor.content.target == field.content.target:
                break
            chain.append(ancestor)
        if any(step.repeating for step in chain):
            continue
        reported.add(field.content.target)
        every_step_required = all(step.required for step in chain)
        yield REF_CYCLE.finding(
            f"#{field.content.target} contains itself through {field.path!r} with no repeating step"
            + (
                " and every step is required, so no finite data is valid"
                if every_step_required
                else ""
            ),
            _loc(model, field.pointer),
            "make one step of the cycle an array (maxOccurs > 1) or break the cycle",
            severity=Severity.ERROR if every_step_required else None,
        )


def _compiles(model: DataModel) -> Iterator[Finding]:
    from schemas.validation.validator import ModelValidator, SchemaCompileError

    try:
        model._cache["validator"] = ModelValidator(model)  # reused by data validation
    except SchemaCompileError as exc:
        yield INVALID_SCHEMA.finding(
            exc.message,
            _loc(model, ""),
            "fix the keyword the message names (patterns use ECMA-262 regular expressions)",
        )


def _esc(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
