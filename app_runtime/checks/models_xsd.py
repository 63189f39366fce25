"""XSD checks (XSD): unsupported constructs in an app's .xsd, and drift from its .schema.json.

Altinn apps ship both files per model; Studio generates one from the other, but hand edits and
old apps let them drift, and then the backend (XML against the XSD-generated classes) and the
frontend (JSON Schema) disagree about valid data. We convert the XSD with the Altinn-compatible
converter and compare the field trees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from app_runtime.app.datatypes import class_ref
from app_runtime.checks.registry import check
from schemas.diagnostics import Finding, LocatedError, Location, Severity, define_rule
from schemas.xsd.agreement import (
    MISSING_IN_JSON,
    MISSING_IN_XSD,
    OCCURS,
    ROOT,
    TYPE,
    compare_xsd_with_json,
)
from schemas.xsd.builtins import XSD_NS
from schemas.xsd.constructs import LOSSY, UNSUPPORTED, find_constructs
from schemas.xsd.loader import is_xsd, load_xsd_tree
from schemas.xsd.to_json import XsdToJson

if TYPE_CHECKING:
    from app_runtime.app import App, ModelFiles

MAX_DIFFERENCES_PER_MODEL = 50

UNCONVERTIBLE = define_rule(
    "XSD001",
    "xsd-unconvertible",
    Severity.ERROR,
    "The XSD cannot be converted to JSON Schema the way Altinn Studio does it.",
)
UNSUPPORTED_CONSTRUCT = define_rule(
    "XSD002",
    "xsd-unsupported-construct",
    Severity.ERROR,
    "The XSD uses a construct Altinn Studio does not support (union, redefine, import, ...).",
)
LOSSY_CONSTRUCT = define_rule(
    "XSD003",
    "xsd-lossy-construct",
    Severity.INFO,
    "The XSD uses a construct that does not survive a JSON Schema -> XSD round trip in Studio.",
)
MISSING_FROM_JSON = define_rule(
    "XSD010",
    "xsd-field-missing-in-json-schema",
    Severity.WARNING,
    "A field of the XSD is missing from the model's JSON Schema.",
)
MISSING_FROM_XSD = define_rule(
    "XSD011",
    "xsd-field-missing-in-xsd",
    Severity.WARNING,
    "A field of the model's JSON Schema is missing from the XSD.",
)
TYPE_MISMATCH = define_rule(
    "XSD012",
    "xsd-json-type-mismatch",
    Severity.WARNING,
    "A field has a different type in the XSD than in the JSON Schema.",
)
OCCURS_MISMATCH = define_rule(
    "XSD013",
    "xsd-json-occurs-mismatch",
    Severity.WARNING,
    "A field repeats or is required in one of XSD and JSON Schema but not in the other.",
)
ROOT_MISMATCH = define_rule(
    "XSD014",
    "xsd-json-root-mismatch",
    Severity.WARNING,
    "The XSD's root element differs from the JSON Schema's @xsdRootElement.",
)

_RULE_OF = {
    MISSING_IN_JSON: MISSING_FROM_JSON,
    MISSING_IN_XSD: MISSING_FROM_XSD,
    TYPE: TYPE_MISMATCH,
    OCCURS: OCCURS_MISMATCH,
    ROOT: ROOT_MISMATCH,
}
_HINTS = {
    MISSING_IN_JSON: "regenerate the JSON Schema from the XSD, or add the field to the JSON Schema",
    MISSING_IN_XSD: "regenerate the XSD from the JSON Schema in Studio, or add the element to the XSD",
    TYPE: "make both files use the same type; regenerate one from the other",
    OCCURS: "align minOccurs/maxOccurs in the XSD with required/minItems/maxItems in the JSON Schema",
    ROOT: "use the same root element name in both files",
}


@check(
    "models",
    UNCONVERTIBLE,
    UNSUPPORTED_CONSTRUCT,
    LOSSY_CONSTRUCT,
    MISSING_FROM_JSON,
    MISSING_FROM_XSD,
    TYPE_MISMATCH,
    OCCURS_MISMATCH,
    ROOT_MISMATCH,
)
def check_model_xsds(app: App) -> Iterator[Finding]:
    """Each model's XSD: constructs, conversion, and agreement with its JSON Schema."""
    for files in app.models:
        if files.xsd_path is not None:
            yield from _check_model(app, files)


def _check_model(app: App, files: ModelFiles) -> Iterator[Finding]:
    if files.xsd_path is None:
        return
    name = app.relpath(files.xsd_path)
    tree = app.xml(files.xsd_path)
    if tree is None:
        return  # unreadable XML is reported by the loader
    root = tree.getroot()
    if not is_xsd(root, "schema"):
        yield UNCONVERTIBLE.finding(
            "the file is not an XML Schema (its root element is not xs:schema)",
            Location(name, "", root.sourceline, None),
            "models/*.xsd must contain an XML Schema",
        )
        return
    refused = False
    for construct in find_constructs(root):
        where = Location(name, "", construct.element.sourceline, None)
        if construct.grade == UNSUPPORTED:
            refused = True
            yield UNSUPPORTED_CONSTRUCT.finding(
                construct.message, where, "rewrite this part of the schema"
            )
        elif construct.grade == LOSSY:
            yield LOSSY_CONSTRUCT.finding(
                construct.message,
                where,
                "keep editing this model as XSD, or simplify the construct",
            )
    if refused:
        return
    try:
        loaded = load_xsd_tree(tree, name, files.xsd_path.parent)
        converted = XsdToJson(loaded, share_leaves=True).convert(files.xsd_path.name)
    except LocatedError as exc:
        yield UNCONVERTIBLE.finding(exc.message, exc.location or Location(name), exc.hint)
        return
    if files.schema_path is None:
        return
    yield from _agreement(app, files, name, converted, root)


def _agreement(
    app: App, files: ModelFiles, xsd_name: str, converted: dict[str, object], root: Any
) -> Iterator[Finding]:
    from app_runtime.derived_cache import shared_model
    from schemas.model import ModelLoadError

    if files.schema_path is None:
        return
    document = app.json(files.schema_path)
    if document is None:
        return
    model = shared_model(document, files.name, _class_ref(app, files.name))
    if isinstance(model, ModelLoadError):
        return  # the MODEL checks report schemas that cannot be loaded
    try:
        differences = compare_xsd_with_json(converted, model)
    except (ModelLoadError, RecursionError):
        return  # the MODEL checks report schemas that cannot be loaded
    lines: dict[str, int | None] | None = None
    for difference in differences[:MAX_DIFFERENCES_PER_MODEL]:
        rule = _RULE_OF[difference.kind]
        if difference.json_pointer is not None:
            location = document.location(difference.json_pointer)
        else:
            if lines is None:
                lines = _declaration_lines(root)
            leaf = difference.path.rpartition(".")[2]
            location = Location(xsd_name, "", lines.get(leaf), None)
        yield rule.finding(difference.message, location, _HINTS[difference.kind])
    extra = len(differences) - MAX_DIFFERENCES_PER_MODEL
    if extra > 0:
        yield MISSING_FROM_JSON.finding(
            f"... and {extra} more differences between {xsd_name} and its JSON Schema",
            Location(xsd_name),
            "regenerate one file from the other",
            Severity.INFO,
        )


def _declaration_lines(root: Any) -> dict[str, int | None]:
    """The line of the first element/attribute declaration of each name (a field is placed
    at the declaration named like its last step); one pass serves every difference."""
    lines: dict[str, int | None] = {}
    for element in root.iter(f"{{{XSD_NS}}}element", f"{{{XSD_NS}}}attribute"):
        name = element.get("name")
        if name is not None and name not in lines:
            lines[name] = element.sourceline
    return lines


def _class_ref(app: App, model_name: str) -> str | None:
    for entry in app.data_types:
        reference = class_ref(entry)
        if isinstance(reference, str) and reference.rsplit(".", 1)[-1] == model_name:
            return reference
    return None
