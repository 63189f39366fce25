"""JSON Schema -> XSD, following Altinn Studio's SERES and general strategies.

The schema is normalized, analyzed (see analyzer.py) and written: `info` becomes the SERES
annotation, the root keywords become the message element, `$defs` become named complex and
simple types, and the `@xsd*` hints restore attributes, occurs, nillable, simple content and
type derivation. Output is an lxml tree that `write_xsd` serializes with the schema's prefixes.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from schemas.diagnostics import Location
from schemas.xsd.analyzer import (
    Analysis,
    JsonToXsdError,
    Kind,
    Path,
    non_null_types,
    ref_name,
)
from schemas.xsd.builtins import (
    NUMERIC_TYPES,
    SERES_NS,
    XML_NS,
    XSD_NS,
    XSI_NS,
    compatible,
    xsd_type_for,
)
from schemas.xsd.normalize import normalize

Schema = dict[str, Any]

FORMS = {"qualified": "qualified", "unqualified": "unqualified"}
DERIVATIONS = {
    "all": "#all",
    "extension": "extension",
    "restriction": "restriction",
    "substitution": "substitution",
    "list": "list",
    "union": "union",
}


def is_seres(schema: Schema) -> bool:
    """Whether Altinn would pick its SERES strategy for this schema."""
    namespaces = schema.get("@xsdNamespaces")
    if isinstance(namespaces, dict) and any(
        isinstance(uri, str) and uri.lower() == SERES_NS.lower() for uri in namespaces.values()
    ):
        return True
    info = schema.get("info")
    return isinstance(info, dict) and info.get("XSLT-skriptnavn") == "SERES_XSD_GEN"


def message_name(schema: Schema) -> str:
    """The root element name: `@xsdRootElement`, else SERES `meldingsnavn`, else a default."""
    root = schema.get("@xsdRootElement")
    if isinstance(root, str) and root:
        return root
    if is_seres(schema):
        info = schema.get("info")
        if isinstance(info, dict) and isinstance(info.get("meldingsnavn"), str):
            return info["meldingsnavn"]
        return "melding"
    return "root"


def convert_json_schema(
    schema: Schema, name: str = "schema", check: bool = True
) -> etree._ElementTree:
    """Convert a JSON Schema dict to an XSD element tree.

    With `check`, the result is compiled as an XML Schema (as Altinn does) so that a model that
    cannot be expressed as valid XSD is reported instead of being written.
    """
    if not isinstance(schema, dict):
        raise JsonToXsdError("the JSON Schema must be an object", Location(name))
    try:
        tree = JsonToXsd(normalize(schema), name).convert()
    except RecursionError:
        raise JsonToXsdError(
            "the schema nests or refers to itself too deeply to convert",
            Location(name),
            "break the reference cycle with an array (a repeating group)",
        ) from None
    if check:
        try:
            etree.XMLSchema(tree)
        except etree.XMLSchemaParseError as exc:
            raise JsonToXsdError(
                f"the XSD produced from this schema is not valid: {exc}",
                Location(name),
                "simplify the model: Altinn's XSD writer supports sequences of properties, "
                "$ref to $defs, arrays, attributes, simple content and single-base allOf",
            ) from None
    return tree


def write_xsd(tree: etree._ElementTree) -> bytes:
    """Serialize an XSD tree the way Altinn files look: UTF-8 declaration, two-space indent."""
    for element in tree.iter():
        _order_attributes(element)
    etree.indent(tree, space="  ")
    body = etree.tostring(tree, encoding="utf-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


ATTRIBUTE_ORDER = (
    "name",
    "ref",
    "type",
    "base",
    "itemType",
    "use",
    "default",
    "fixed",
    "nillable",
    "minOccurs",
    "maxOccurs",
    "value",
)


def _order_attributes(element: etree._Element) -> None:
    """Put name/type/occurs first, as XSD authors and Altinn write them; others keep order."""
    if not isinstance(element.tag, str) or len(element.attrib) < 2:
        return
    items = list(element.attrib.items())
    rank = {name: index for index, name in enumerate(ATTRIBUTE_ORDER)}
    ordered = sorted(items, key=lambda item: rank.get(item[0], len(rank)))
    if ordered != items:
        element.attrib.clear()
        for key, value in ordered:
            element.set(key, value)


class _Work:
    """The keywords of a subschema not yet consumed (Altinn's work list)."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.pending = dict(schema)

    def pull(self, keyword: str) -> Any:
        return self.pending.pop(keyword, None)

    def get(self, keyword: str) -> Any:
        return self.pending.get(keyword)

    def has(self, keyword: str) -> bool:
        return keyword in self.pending


class JsonToXsd:
    """One conversion of a normalized JSON Schema."""

    def __init__(self, schema: Schema, name: str) -> None:
        self.schema = schema
        self.name = name
        self.analysis = Analysis(schema, name)
        self.namespaces = self._namespaces()
        self.xsd_prefix = next((p for p, uri in self.namespaces.items() if uri == XSD_NS), "xsd")
        nsmap = {(prefix or None): uri for prefix, uri in self.namespaces.items()}
        self.root = etree.Element(self._tag("schema"), nsmap=nsmap)
        self.has_root_element = False

    # ---- infrastructure -------------------------------------------------------------------

    def _tag(self, local: str) -> str:
        return f"{{{XSD_NS}}}{local}"

    def _sub(self, parent: etree._Element, local: str, **attributes: str) -> etree._Element:
        return etree.SubElement(parent, self._tag(local), attributes)

    def _builtin(self, local: str) -> str:
        return f"{self.xsd_prefix}:{local}" if self.xsd_prefix else local

    def error(self, message: str, path: Path, hint: str = "") -> JsonToXsdError:
        pointer = "/" + "/".join(str(part) for part in path) if path else ""
        return JsonToXsdError(message, Location(self.name, pointer), hint)

    def _namespaces(self) -> dict[str, str]:
        namespaces: dict[str, str] = {}
        declared = self.schema.get("@xsdNamespaces")
        if isinstance(declared, dict):
            for prefix, uri in declared.items():
                if isinstance(uri, str):
                    namespaces[prefix] = uri
        if XSD_NS not in namespaces.values():
            namespaces["xsd"] = XSD_NS
        if XSI_NS not in namespaces.values():
            namespaces["xsi"] = XSI_NS
        return namespaces

    # ---- schema level ---------------------------------------------------------------------

    def convert(self) -> etree._ElementTree:
        self._schema_attributes()
        self._unhandled(self.root, self.schema.get("@xsdUnhandledAttributes"))
        work = _Work(self.schema)
        for keyword in list(self.schema):
            if not work.has(keyword):
                continue
            if keyword == "info":
                work.pull("info")
                self._info(self.schema["info"])
            elif keyword in ("$defs", "definitions"):
                work.pull(keyword)
                definitions = self.schema[keyword]
                if isinstance(definitions, dict):
                    for name, definition in definitions.items():
                        if isinstance(definition, dict):
                            self._definition(name, (keyword, name), definition)
            elif keyword in ("oneOf", "anyOf", "allOf", "properties"):
                if not self.analysis.inline_root:
                    work.pull(keyword)
                if not self.has_root_element:
                    self._root_message(work)
        return etree.ElementTree(self.root)

    def _schema_attributes(self) -> None:
        attributes = self.schema.get("@xsdSchemaAttributes")
        if not isinstance(attributes, dict):
            return
        for key, value in attributes.items():
            if not isinstance(value, str):
                continue
            lowered = value.strip().lower()
            if key in ("AttributeFormDefault", "ElementFormDefault") and lowered in FORMS:
                attribute = (
                    "attributeFormDefault"
                    if key == "AttributeFormDefault"
                    else "elementFormDefault"
                )
                self.root.set(attribute, FORMS[lowered])
            elif key in ("BlockDefault", "FinalDefault"):
                tokens = [DERIVATIONS.get(part.strip().lower(), "") for part in value.split(",")]
                tokens = [token for token in tokens if token]
                if tokens:
                    self.root.set(
                        "blockDefault" if key == "BlockDefault" else "finalDefault",
                        " ".join(tokens),
                    )
            elif key == "TargetNamespace" and value:
                self.root.set("targetNamespace", value)

    def _info(self, info: Any) -> None:
        if not isinstance(info, dict):
            return
        annotation = self._sub(self.root, "annotation")
        documentation = self._sub(annotation, "documentation")
        for name, value in info.items():
            self._sub(
                documentation, "attribute", name=name, fixed="" if value is None else str(value)
            )

    def _definition(self, name: str, path: Path, definition: Schema) -> None:
        kinds = self.analysis.kinds(path)
        if Kind.COMPLEX_TYPE in kinds:
            complex_type = self._sub(self.root, "complexType", name=name)
            self._complex_type(complex_type, _Work(definition), path)
            self._unhandled(complex_type, definition.get("@xsdUnhandledAttributes"))
        elif Kind.SIMPLE_TYPE in kinds:
            simple_type = self._sub(self.root, "simpleType", name=name)
            self._simple_type(simple_type, _Work(definition), path)
            self._unhandled(simple_type, definition.get("@xsdUnhandledAttributes"))

    def _root_message(self, work: _Work) -> None:
        self.has_root_element = True
        element = self._sub(self.root, "element", name=message_name(self.schema))
        if self.analysis.inline_root:
            kinds = self.analysis.kinds(())
            if Kind.COMPLEX_TYPE in kinds:
                self._element_complex(element, work, ())
            elif Kind.SIMPLE_TYPE in kinds:
                self._element_simple(element, work, ())
            else:
                raise self.error(
                    "the root of the schema is neither a complex nor a simple type",
                    (),
                    "give the root properties, or a oneOf with a $ref to the message type",
                )
            return
        for keyword in ("allOf", "anyOf", "oneOf"):
            subs = self.schema.get(keyword)
            if isinstance(subs, list) and subs:
                element.set("type", ref_name(subs[0]["$ref"], self.name))
                return

    # ---- complex types --------------------------------------------------------------------

    def _complex_type(self, item: etree._Element, work: _Work, path: Path) -> None:
        kinds = self.analysis.kinds(path)
        if Kind.COMPLEX_CONTENT_EXTENSION in kinds:
            self._complex_content_extension(item, work, path)
        elif Kind.SIMPLE_CONTENT_RESTRICTION in kinds:
            self._simple_content_restriction(item, work, path)
        elif Kind.SIMPLE_CONTENT_EXTENSION in kinds:
            self._simple_content_extension(item, work, path)
        else:
            sequence = etree.Element(self._tag("sequence"))
            attributes: list[etree._Element] = []
            all_of = work.pull("allOf")
            if isinstance(all_of, list):
                for index, sub in enumerate(all_of):
                    if not isinstance(sub, dict) or "$ref" in sub:
                        continue
                    self._properties(sequence, attributes, _Work(sub), (*path, "allOf", index))
            else:
                self._properties(sequence, attributes, work, path)
            if len(sequence):
                item.append(sequence)
            for attribute in attributes:
                item.append(attribute)
            self._any_attribute(item, work)

    def _element_complex(self, element: etree._Element, work: _Work, path: Path) -> None:
        kinds = self.analysis.kinds(path)
        if Kind.NILLABLE in kinds:
            self._nillable_complex(element, work, path)
        elif Kind.ARRAY in kinds:
            items = work.get("items")
            items = items if isinstance(items, dict) else {}
            if "properties" in items:
                complex_type = self._sub(element, "complexType")
                self._complex_type(complex_type, _Work(items), path)
            else:
                type_name = self._array_type_name(items, _Work(items))
                if type_name:
                    element.set("type", type_name)
        elif work.has("$ref"):
            element.set("type", ref_name(work.pull("$ref"), self.name))
        else:
            complex_type = self._sub(element, "complexType")
            self._complex_type(complex_type, work, path)

    def _nillable_complex(self, element: etree._Element, work: _Work, path: Path) -> None:
        one_of = work.get("oneOf")
        if isinstance(one_of, list):
            handled = self._nillable_composition(element, one_of, path)
        else:
            handled = self._nillable_plain(element, work, path)
        if not handled:
            raise self.error("this schema cannot be written as a nillable complex type", path)
        element.set("nillable", "true")

    def _nillable_plain(self, element: etree._Element, work: _Work, path: Path) -> bool:
        if work.get("@xsdNillable") is True and work.has("$ref"):
            element.set("type", ref_name(work.get("$ref"), self.name))
            return True
        if work.get("@xsdNillable") is True and work.has("properties"):
            complex_type = self._sub(element, "complexType")
            self._complex_type(complex_type, work, path)
            return True
        items = work.get("items")
        if not work.has("type") and items is None:
            return False
        items = items if isinstance(items, dict) else {}
        if Kind.COMPLEX_CONTENT_EXTENSION in self.analysis.kinds(path):
            complex_type = self._sub(element, "complexType")
            self._complex_type(complex_type, _Work(items), path)
            return True
        one_of = items.get("oneOf")
        if one_of is None and "$ref" in items:
            element.set("type", ref_name(items["$ref"], self.name))
            return True
        if isinstance(one_of, list):
            ref = next((sub for sub in one_of if isinstance(sub, dict) and "$ref" in sub), None)
            if ref is not None:
                element.set("type", ref_name(ref["$ref"], self.name))
                return True
        if "properties" in items:
            complex_type = self._sub(element, "complexType")
            self._complex_type(complex_type, _Work(items), path)
            return True
        return False

    def _nillable_composition(self, element: etree._Element, one_of: list[Any], path: Path) -> bool:
        for sub in one_of:
            if isinstance(sub, dict) and "$ref" in sub:
                element.set("type", ref_name(sub["$ref"], self.name))
                return True
        for index, sub in enumerate(one_of):
            if isinstance(sub, dict) and "properties" in sub:
                complex_type = self._sub(element, "complexType")
                self._complex_type(complex_type, _Work(sub), (*path, "oneOf", index))
                return True
        return False

    def _properties(
        self, sequence: etree._Element, attributes: list[etree._Element], work: _Work, path: Path
    ) -> None:
        properties = work.pull("properties")
        if not isinstance(properties, dict):
            return
        required = work.pull("required")
        required = required if isinstance(required, list) else []
        for name, prop in properties.items():
            prop = prop if isinstance(prop, dict) else {}
            sub_path = (*path, "properties", name)
            item = self._subschema(sub_path, prop)
            item.set("name", name)
            is_required = name in required
            if etree.QName(item).localname == "attribute":
                if is_required:
                    item.set("use", "required")
                if "const" in prop:
                    item.set("fixed", _text(prop["const"]))
                if "default" in prop:
                    item.set("default", _text(prop["default"]))
                attributes.append(item)
                continue
            if not is_required:
                item.set("minOccurs", "0")
            if "@xsdMinOccurs" in prop and item.get("minOccurs") is None:
                item.set("minOccurs", _text(prop["@xsdMinOccurs"]))
            if "@xsdMaxOccurs" in prop and item.get("maxOccurs") is None:
                item.set("maxOccurs", _text(prop["@xsdMaxOccurs"]))
            self._unhandled(item, prop.get("@xsdUnhandledAttributes"))
            sequence.append(item)

    def _subschema(self, path: Path, schema: Schema) -> etree._Element:
        kinds = self.analysis.kinds(path)
        min_occurs: str | None = None
        max_occurs: str | None = None
        if Kind.ARRAY in kinds:
            if "minItems" in schema:
                min_occurs = _text(schema["minItems"])
            max_occurs = _text(schema["maxItems"]) if "maxItems" in schema else "unbounded"
        if Kind.SIMPLE_TYPE in kinds and Kind.ATTRIBUTE in kinds:
            attribute = etree.Element(self._tag("attribute"))
            self._attribute(attribute, _Work(schema), path)
            return attribute
        element = etree.Element(self._tag("element"))
        if Kind.SIMPLE_TYPE in kinds:
            self._element_simple(element, _Work(schema), path)
        elif Kind.COMPLEX_TYPE in kinds:
            self._element_complex(element, _Work(schema), path)
        if min_occurs is not None and min_occurs != "1":
            element.set("minOccurs", min_occurs)
        if max_occurs is not None:
            element.set("maxOccurs", max_occurs)
        return element

    def _any_attribute(self, owner: etree._Element, work: _Work) -> None:
        value = work.pull("@xsdAnyAttribute")
        if not isinstance(value, dict):
            return
        any_attribute = self._sub(owner, "anyAttribute")
        if value.get("Id"):
            any_attribute.set("id", str(value["Id"]))
        namespace = value.get("Namespace")
        if isinstance(namespace, str) and namespace and namespace != "##any":
            any_attribute.set("namespace", namespace)
        process = str(value.get("ProcessContent") or "None").lower()
        if process in ("skip", "lax", "strict"):
            any_attribute.set("processContents", process)

    # ---- simple and derived content -------------------------------------------------------

    def _simple_content_extension(self, item: etree._Element, work: _Work, path: Path) -> None:
        content = self._sub(item, "simpleContent")
        extension = self._sub(content, "extension")
        properties = work.pull("properties") or {}
        required = work.pull("required") or []
        value = properties.get("value") if isinstance(properties.get("value"), dict) else {}
        value_work = _Work(value)
        if value_work.has("$ref"):
            extension.set("base", ref_name(value_work.pull("$ref"), self.name))
        else:
            base = self._type_name(value_work.pull("type"), value_work)
            if base:
                extension.set("base", base)
        for name, prop in properties.items():
            if name == "value" or not isinstance(prop, dict):
                continue
            attribute = self._sub(extension, "attribute", name=name)
            self._attribute(attribute, _Work(prop), (*path, "properties", name))
            if "const" in prop:
                attribute.set("fixed", _text(prop["const"]))
            if "default" in prop:
                attribute.set("default", _text(prop["default"]))
            if name in required:
                attribute.set("use", "required")
        self._any_attribute(extension, work)

    def _simple_content_restriction(self, item: etree._Element, work: _Work, path: Path) -> None:
        content = self._sub(item, "simpleContent")
        restriction = self._sub(content, "restriction")
        subs = work.pull("allOf") or []
        base_index = next(i for i, sub in enumerate(subs) if "$ref" in sub)
        props_index = next(i for i, sub in enumerate(subs) if "properties" in sub)
        base_schema = subs[base_index]
        restriction.set("base", ref_name(base_schema["$ref"], self.name))
        properties = subs[props_index]["properties"]
        value = properties.get("value")
        if isinstance(value, dict):
            if "type" in value or "allOf" in value:
                simple_type = self._sub(restriction, "simpleType")
                self._simple_type(
                    simple_type, _Work(value), (*path, "allOf", props_index, "properties", "value")
                )
            else:
                target = self._target_base_type(base_schema)
                self._facets(restriction, _Work(value), target)
        for name, prop in properties.items():
            if name == "value" or not isinstance(prop, dict):
                continue
            attribute = self._sub(restriction, "attribute", name=name)
            self._attribute(
                attribute, _Work(prop), (*path, "allOf", props_index, "properties", name)
            )
        self._any_attribute(restriction, work)

    def _complex_content_extension(self, item: etree._Element, work: _Work, path: Path) -> None:
        content = self._sub(item, "complexContent")
        subs = work.pull("allOf") or []
        ref = next(sub for sub in subs if isinstance(sub, dict) and "$ref" in sub)
        extension = self._sub(content, "extension", base=ref_name(ref["$ref"], self.name))
        sequence = etree.Element(self._tag("sequence"))
        attributes: list[etree._Element] = []
        for index, sub in enumerate(subs):
            if not isinstance(sub, dict) or "$ref" in sub:
                continue
            sub_work = _Work(sub)
            self._properties(sequence, attributes, sub_work, (*path, "allOf", index))
            self._any_attribute(item, _Work(sub))
        if len(sequence):
            extension.append(sequence)
        for attribute in attributes:
            extension.append(attribute)
        self._any_attribute(extension, work)

    def _element_simple(self, element: etree._Element, work: _Work, path: Path) -> None:
        kinds = self.analysis.kinds(path)
        if Kind.ARRAY in kinds:
            items = work.get("items")
            items = items if isinstance(items, dict) else {}
            type_name = self._array_type_name(items, _Work(items))
            if type_name:
                element.set("type", type_name)
        elif Kind.NILLABLE in kinds and isinstance(work.get("oneOf"), list):
            one_of = work.pull("oneOf")
            ref = next((sub for sub in one_of if isinstance(sub, dict) and "$ref" in sub), None)
            if ref is not None:
                element.set("type", ref_name(ref["$ref"], self.name))
            element.set("nillable", "true")
        elif work.has("$ref"):
            element.set("type", ref_name(work.pull("$ref"), self.name))
        elif work.has("type"):
            type_name = self._type_name(work.pull("type"), work)
            if type_name:
                element.set("type", type_name)
        else:
            simple_type = self._sub(element, "simpleType")
            self._simple_type(simple_type, work, path)
        if Kind.NILLABLE in kinds:
            element.set("nillable", "true")

    def _simple_type(self, item: etree._Element, work: _Work, path: Path) -> None:
        kinds = self.analysis.kinds(path)
        if Kind.SIMPLE_TYPE_RESTRICTION in kinds:
            self._simple_type_restriction(item, work, path)
            return
        restriction = self._sub(item, "restriction")
        if work.has("$ref"):
            restriction.set("base", ref_name(work.pull("$ref"), self.name))
        elif work.has("type"):
            base = self._type_name(work.pull("type"), work)
            if base:
                restriction.set("base", base)
        else:
            raise self.error(
                "this is not a valid simple type", path, 'give it a "type" or a "$ref"'
            )

    def _attribute(self, attribute: etree._Element, work: _Work, path: Path) -> None:
        kinds = self.analysis.kinds(path)
        if work.has("$ref"):
            attribute.set("type", ref_name(work.pull("$ref"), self.name))
        elif Kind.SIMPLE_TYPE_RESTRICTION in kinds:
            simple_type = self._sub(attribute, "simpleType")
            self._simple_type(simple_type, work, path)
        elif work.has("type"):
            type_name = self._type_name(work.pull("type"), work)
            if type_name:
                attribute.set("type", type_name)

    def _simple_type_restriction(self, item: etree._Element, work: _Work, path: Path) -> None:
        restriction = self._sub(item, "restriction")
        target = ""
        restriction_sets: list[_Work] = []
        if work.has("type"):
            base = self._type_name(work.pull("type"), work)
            if base:
                restriction.set("base", base)
            target = base or ""
            restriction_sets.append(work)
        elif isinstance(work.get("allOf"), list):
            subs = work.pull("allOf")
            base_indexes = [
                index
                for index, _ in enumerate(subs)
                if Kind.SIMPLE_TYPE in self.analysis.kinds((*path, "allOf", index))
            ]
            if len(base_indexes) != 1:
                raise self.error(
                    "a simple type restriction needs exactly one base type in allOf", path
                )
            base_schema = subs[base_indexes[0]]
            if "$ref" in base_schema:
                restriction.set("base", ref_name(base_schema["$ref"], self.name))
                target = self._target_base_type(base_schema)
                if not target:
                    raise self.error(
                        "could not find the built-in type this restriction is based on", path
                    )
            elif "type" in base_schema:
                base_work = _Work(base_schema)
                base = self._type_name(base_work.pull("type"), base_work)
                if base:
                    restriction.set("base", base)
                target = base or ""
            else:
                raise self.error(
                    "invalid base type for a simple type restriction",
                    (*path, "allOf", base_indexes[0]),
                )
            self._unhandled(restriction, base_schema.get("@xsdUnhandledAttributes"))
            restriction_sets.extend(
                _Work(sub)
                for index, sub in enumerate(subs)
                if index != base_indexes[0] and isinstance(sub, dict)
            )
        elif work.get("@xsdStructure") == "XmlSchemaSimpleTypeRestriction" and work.has("$ref"):
            restriction.set("base", ref_name(work.get("$ref"), self.name))
            if not self._target_base_type(work.schema):
                raise self.error(
                    "could not find the built-in type this restriction is based on", path
                )
        else:
            raise self.error("this is not a valid simple type restriction", path)
        for restriction_work in restriction_sets:
            self._facets(restriction, restriction_work, target)

    def _target_base_type(self, schema: Schema, depth: int = 0) -> str:
        """The built-in XSD type at the end of a chain of references and allOf bases."""
        if depth > 64:
            return ""
        schema = self.analysis.follow_all(schema)
        subs = schema.get("allOf")
        if isinstance(subs, list):
            for sub in subs:
                if isinstance(sub, dict):
                    found = self._target_base_type(sub, depth + 1)
                    if found:
                        return found
        work = _Work(schema)
        if work.has("type"):
            return self._type_name(work.pull("type"), work) or ""
        return ""

    def _facets(self, restriction: etree._Element, work: _Work, target: str) -> None:
        enum_attributes = work.pull("@xsdUnhandledEnumAttributes")
        numeric = target.rpartition(":")[2] in NUMERIC_TYPES if target else False
        facets: list[tuple[str, str]] = []
        for keyword in list(work.pending):
            if not work.has(keyword):
                continue
            value = work.get(keyword)
            if keyword == "maxLength":
                work.pull(keyword)
                if numeric:
                    facets.append(("totalDigits", _text(value)))
                elif work.get("minLength") == value:
                    work.pull("minLength")
                    facets.append(("length", _text(value)))
                else:
                    facets.append(("maxLength", _text(value)))
            elif keyword == "minLength":
                work.pull(keyword)
                if work.get("maxLength") == value:
                    work.pull("maxLength")
                    facets.append(("length", _text(value)))
                else:
                    facets.append(("minLength", _text(value)))
            elif keyword == "enum":
                work.pull(keyword)
                facets.extend(("enumeration", _text(item)) for item in (value or []))
            elif keyword in _FACET_OF:
                work.pull(keyword)
                facets.append((_FACET_OF[keyword], _text(value)))
            elif keyword == "multipleOf":
                work.pull(keyword)
                digits = _fraction_digits(value)
                if digits is None:
                    raise JsonToXsdError(
                        f"multipleOf {value!r} is not a power of ten, so it cannot become fractionDigits",
                        Location(self.name),
                        "use multipleOf values such as 1, 0.1 or 0.01",
                    )
                facets.append(("fractionDigits", digits))
        for kind, value in facets:
            facet = self._sub(restriction, kind, value=value)
            if isinstance(enum_attributes, dict) and isinstance(enum_attributes.get(value), dict):
                self._unhandled(facet, enum_attributes[value])

    # ---- names and types ------------------------------------------------------------------

    def _type_name(self, type_value: Any, work: _Work) -> str | None:
        """The XSD type for a `type` keyword, honouring a compatible `@xsdType` hint."""
        types = non_null_types({"type": type_value}) if type_value is not None else []
        if not types:
            return None
        json_type = types[0]
        fmt = work.pull("format")
        hint = work.pull("@xsdType")
        if json_type == "array":
            items = work.get("items")
            item_types = non_null_types(items) if isinstance(items, dict) else []
            json_type = item_types[0] if item_types else "string"
        if json_type not in ("boolean", "string", "number", "integer"):
            if len(types) == 1 and json_type == "object":
                return None
            return self._builtin("string")
        if isinstance(hint, str) and hint and compatible(json_type, hint):
            return self._builtin(hint)
        return self._builtin(xsd_type_for(json_type, fmt if isinstance(fmt, str) else None))

    def _array_type_name(self, items: Schema, work: _Work) -> str | None:
        if "type" in items:
            return self._type_name(work.pull("type"), work)
        if "$ref" in items:
            return ref_name(items["$ref"], self.name)
        one_of = items.get("oneOf")
        if isinstance(one_of, list):
            ref = next((sub for sub in one_of if isinstance(sub, dict) and "$ref" in sub), None)
            if ref is not None:
                return ref_name(ref["$ref"], self.name)
        return None

    def _unhandled(self, element: etree._Element, attributes: Any) -> None:
        if not isinstance(attributes, dict):
            return
        for key, value in attributes.items():
            prefix, _, local = key.rpartition(":")
            if prefix == "xml":
                element.set(f"{{{XML_NS}}}{local}", _text(value))
            elif prefix:
                namespace = self.namespaces.get(prefix)
                if namespace is None:
                    raise JsonToXsdError(
                        f"attribute {key!r} uses the prefix {prefix!r}, which @xsdNamespaces does not declare",
                        Location(self.name),
                        f'add "{prefix}" to @xsdNamespaces',
                    )
                element.set(f"{{{namespace}}}{local}", _text(value))
            else:
                element.set(local, _text(value))


_FACET_OF = {
    "pattern": "pattern",
    "maximum": "maxInclusive",
    "minimum": "minInclusive",
    "exclusiveMaximum": "maxExclusive",
    "exclusiveMinimum": "minExclusive",
    "formatExclusiveMinimum": "minExclusive",
    "formatMinimum": "minInclusive",
    "formatExclusiveMaximum": "maxExclusive",
    "formatMaximum": "maxInclusive",
    "totalDigits": "totalDigits",
}


def _text(value: Any) -> str:
    """A JSON value as XSD attribute text (numbers without float noise, booleans lower-case)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        try:
            return (
                format(Decimal(repr(value)).normalize(), "f")
                if value != int(value)
                else str(int(value))
            )
        except (InvalidOperation, OverflowError, ValueError):
            return repr(value)
    if value is None:
        return ""
    return str(value)


def _fraction_digits(value: Any) -> str | None:
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except InvalidOperation:
        return None
    if number <= 0:
        return None
    digits = 0
    while number < 1:
        number *= 10
        digits += 1
    return str(digits) if number == 1 else None
