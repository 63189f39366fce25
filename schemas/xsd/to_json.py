"""XSD -> JSON Schema, producing the same shapes and `@xsd*` keywords as Altinn Studio.

Altinn's converter walks the schema object model: every complex type becomes a list of steps
(attribute groups, the content model, runs of properties) joined with `allOf`, sequences pass
"optional" and "array" down to their elements, and the result is normalized. We walk the lxml
tree the same way so that the JSON Schema an app gets from us is the one Studio would write, and
so that the XSD writer can turn it back into the original XSD.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree

from schemas.xsd.builtins import DATE_TYPES, KNOWN_TYPES, XSD_NS, json_type_of
from schemas.xsd.loader import (
    LoadedXsd,
    XsdError,
    is_xsd,
    load_xsd_bytes,
    load_xsd_file,
    local_name,
    uniform_scope,
    xsd_children,
)
from schemas.xsd.markup import annotation_comment
from schemas.xsd.normalize import normalize
from schemas.xsd.xsdparts import (
    DRAFT_2020_12,
    UNBOUNDED,
    BadName,
    Properties,
    Steps,
    apply_facets,
    builtin_base,
    facets_of,
    occurs,
    parents_with,
    parse_occurs,
    place_items,
    qname,
    schema_attributes,
    schema_info,
    unhandled_attributes,
    wildcard_of,
)

Schema = dict[str, Any]
_ZERO = Decimal(0)
_ELEMENT_TAG = f"{{{XSD_NS}}}element"
_ANNOTATION_TAG = f"{{{XSD_NS}}}annotation"
_ANY_ATTRIBUTE_TAG = f"{{{XSD_NS}}}anyAttribute"
_ATTRIBUTE_TAG = f"{{{XSD_NS}}}attribute"
_ATTRIBUTE_GROUP_TAG = f"{{{XSD_NS}}}attributeGroup"
_SIMPLE_TYPE_TAG = f"{{{XSD_NS}}}simpleType"
_COMPLEX_TYPE_TAG = f"{{{XSD_NS}}}complexType"
# what a complex type's content model can be, by tag: read once per complex type
_CONTENT_KINDS = {
    f"{{{XSD_NS}}}{kind}": kind
    for kind in ("simpleContent", "complexContent", "group", "choice", "all", "sequence")
}
_Member = tuple[Schema, bool, bool]


def convert_xsd_file(path: Path, schema_id: str = "schema.json", name: str | None = None) -> Schema:
    """Convert an XSD file to an Altinn-style JSON Schema dict."""
    return XsdToJson(load_xsd_file(path, name)).convert(schema_id)


def convert_xsd_bytes(raw: bytes, name: str, schema_id: str = "schema.json") -> Schema:
    """Convert XSD text (includes are refused: there is no folder to look in)."""
    return XsdToJson(load_xsd_bytes(raw, name)).convert(schema_id)


class XsdToJson:
    """One conversion run over a loaded XSD.

    With `share_leaves`, equal childless elements convert to one shared dict: fine for callers
    that only read the result (the agreement check), and cheaper for large models."""

    def __init__(self, loaded: LoadedXsd, share_leaves: bool = False) -> None:
        self.loaded = loaded
        self.share_leaves = share_leaves
        self._leaves: dict[tuple[Any, ...], tuple[Schema, bool]] = {}
        # sequence members by (namespace scope, optional, array), then by their attributes
        # other than the leading name: see `_sequence`
        self._member_leaves: dict[tuple[Any, ...], dict[tuple[Any, ...], _Member]] = {}
        self._scopes: dict[etree._Element, tuple[tuple[str | None, str], ...] | None] = {}
        self._scope: tuple[tuple[str | None, str], ...] | None = None
        # the elements with an xs:annotation / xs:anyAttribute child, once a run knows them
        self._annotated: set[etree._Element] | None = None
        self._wildcarded: set[etree._Element] | None = None
        self.root = loaded.root
        self.simple_types = {
            item.get("name", ""): item for item in loaded.items if is_xsd(item, "simpleType")
        }
        self._qnames: dict[tuple[Any, ...], tuple[str | None, str] | None] = {}

    def _qname(self, element: etree._Element, value: str | None) -> tuple[str | None, str] | None:
        """`qname`, memoized per value and namespace scope: models name the same few types on
        thousands of elements, and elements rarely declare namespaces of their own."""
        if value is None:
            return None
        scope = element.nsmap
        key = (value, *scope.items())
        found = self._qnames.get(key)
        if found is None:
            found = self._qnames[key] = qname(element, value)
        return found

    def error(self, message: str, element: etree._Element, hint: str = "") -> XsdError:
        return XsdError(message, self.loaded.location(element), hint)

    # ---- schema level -------------------------------------------------------------------

    def convert(self, schema_id: str = "schema.json") -> Schema:
        """The Altinn-style JSON Schema for the whole XSD."""
        try:
            return self._convert(schema_id)
        except BadName as exc:
            raise self.error(exc.message, exc.element, exc.hint) from None
        except RecursionError:
            raise self.error(
                "the schema nests too deeply to convert", self.root, "flatten the structure"
            ) from None

    def _convert(self, schema_id: str) -> Schema:
        root = self.root
        self._leaves = {}  # results of an earlier run may have been changed by the caller
        self._member_leaves = {}
        self._scopes = {}
        # Annotations and attribute wildcards are rare: the elements that have one are found
        # per document in one pass in C (none at all when the document has no such tag), not
        # looked for under each element converted.
        documents = {root, *(item.getparent() for item in self.loaded.items)} - {None}
        self._annotated = parents_with(documents, _ANNOTATION_TAG)
        self._wildcarded = parents_with(documents, _ANY_ATTRIBUTE_TAG)
        builder: Schema = {
            "$schema": DRAFT_2020_12,
            "$id": schema_id,
            "type": "object",
            "@xsdNamespaces": {(prefix or ""): uri for prefix, uri in root.nsmap.items()},
            "@xsdSchemaAttributes": schema_attributes(root),
        }
        unhandled = unhandled_attributes(root)
        if unhandled:
            builder["@xsdUnhandledAttributes"] = unhandled
        items: list[tuple[str, Schema, bool]] = []
        for item in self.loaded.items:
            kind = local_name(item)
            name = item.get("name", "")
            self._scope = self._document_scope(item)
            if kind == "annotation":
                info = schema_info(item)
                if info is not None:
                    builder["info"] = info
            elif kind == "simpleType":
                items.append((name, self._global_simple_type(item), False))
            elif kind == "complexType":
                items.append((name, self._complex_type(item, False, False, False), False))
            elif kind == "group":
                items.append((name, self._group(item, False, False), False))
            elif kind == "element":
                items.append((name, self._element(item, False, False), True))
            elif kind == "attribute":
                items.append((name, self._attribute(item, False, False), False))
            elif kind == "attributeGroup":
                items.append((name, self._attribute_group(item, False, False), False))
            elif kind == "notation":
                continue
            else:
                raise self.error(f"unsupported top-level declaration xs:{kind}", item)
        place_items(builder, items)
        self._scope = None
        return normalize(builder)

    def _document_scope(self, item: etree._Element) -> tuple[tuple[str | None, str], ...] | None:
        """The namespaces in scope on every element of `item`'s document, or None when some
        element below its root declares its own: childless elements are converted once per
        shape, and the namespaces in scope are part of the shape (they resolve the type's
        prefix)."""
        root = item.getparent()
        if root is None:
            return None
        if root not in self._scopes:
            self._scopes[root] = uniform_scope(root)
        return self._scopes[root]

    # ---- helpers --------------------------------------------------------------------------

    def _add_unhandled(self, element: etree._Element, builder: Schema) -> None:
        unhandled = unhandled_attributes(element)
        if unhandled:
            builder["@xsdUnhandledAttributes"] = unhandled

    def _annotation(self, element: etree._Element, builder: Schema) -> None:
        annotated = self._annotated
        if (annotated is not None and element not in annotated) or not len(element):
            return
        for annotation in element.iterchildren(_ANNOTATION_TAG):
            comment = annotation_comment(annotation)
            if comment:
                builder["$comment"] = comment

    def _ref(self, element: etree._Element, value: str | None) -> str:
        resolved = qname(element, value)
        if resolved is None:
            raise self.error("cannot make a reference to an empty name", element)
        return f"#/$defs/{resolved[1]}"

    # ---- types ----------------------------------------------------------------------------

    def _handle_type(
        self,
        element: etree._Element,
        type_name: str,
        min_occurs: Decimal,
        max_occurs: Decimal,
        array: bool,
        nillable: bool,
        builder: Schema,
    ) -> None:
        array = array or max_occurs > 1
        if not array:
            self._build_type(element, type_name, nillable, builder)
            return
        items: Schema = {}
        self._build_type(element, type_name, nillable, items)
        if min_occurs > 0:
            builder["minItems"] = int(min_occurs)
        if 1 < max_occurs < UNBOUNDED:
            builder["maxItems"] = int(max_occurs)
        builder["type"] = "array"
        builder["items"] = items

    def _once(
        self, item: etree._Element, type_name: str, optional: bool, array: bool, builder: Schema
    ) -> None:
        """`_handle_type` for a declaration that occurs once (minOccurs 0 when optional)."""
        self._handle_type(
            item, type_name, Decimal(0 if optional else 1), Decimal(1), array, False, builder
        )

    def _build_type(
        self, element: etree._Element, type_name: str, nillable: bool, builder: Schema
    ) -> None:
        resolved = self._qname(element, type_name)
        if resolved is None:
            return
        namespace, local = resolved
        if namespace == XSD_NS:
            builder["@xsdType"] = local
            mapped = json_type_of(local)
            if mapped is None:
                if local == "anyType":
                    return
                raise self.error(
                    f"the XSD type xs:{local} cannot be mapped to a JSON Schema type",
                    element,
                    "use a built-in simple type such as xs:string or xs:decimal",
                )
            json_type, fmt = mapped
            builder["type"] = [json_type, "null"] if nillable else json_type
            if fmt is not None:
                builder["format"] = fmt
            return
        builder["$ref"] = f"#/$defs/{local}"
        if nillable:
            builder["@xsdNillable"] = True

    # ---- simple types ---------------------------------------------------------------------

    def _global_simple_type(self, item: etree._Element) -> Schema:
        builder: Schema = {}
        self._simple_type(item, False, False, builder)
        self._add_unhandled(item, builder)
        return builder

    def _simple_type(
        self, item: etree._Element, optional: bool, array: bool, builder: Schema
    ) -> None:
        for content in item:
            if is_xsd(content, "restriction"):
                self._simple_restriction(content, optional, array, builder)
                return
            if is_xsd(content, "list"):
                self._simple_list(content, optional, array, builder)
                return
            if is_xsd(content, "union"):
                raise self.error(
                    "xs:union is not supported by Altinn Studio",
                    content,
                    "replace the union with a single restricted simple type",
                )

    def _simple_restriction(
        self, item: etree._Element, optional: bool, array: bool, builder: Schema
    ) -> None:
        facets = facets_of(item)
        base = item.get("base")
        base_qname = qname(item, base)
        primitive_base = (
            base_qname is not None and base_qname[0] == XSD_NS and base_qname[1] in KNOWN_TYPES
        )
        with_all_of = not primitive_base and bool(facets)
        inline = xsd_children(item, "simpleType")
        steps = Steps()
        if inline:
            self._simple_type(inline[0], optional, array, builder)
        elif with_all_of:
            step: Schema = {}
            self._once(item, base or "", optional, array, step)
            steps.add(step)
        elif base:
            self._once(item, base, optional, array, builder)
        builder["@xsdStructure"] = "XmlSchemaSimpleTypeRestriction"
        date_base = builtin_base(item, self.simple_types) in DATE_TYPES
        if with_all_of:
            facet_step: Schema = {}
            apply_facets(facets, facet_step, date_base, True)
            steps.add(facet_step)
            steps.build_into(builder)
            return
        apply_facets(facets, builder, date_base, True)

    def _simple_list(
        self, item: etree._Element, optional: bool, array: bool, builder: Schema
    ) -> None:
        builder["type"] = "array"
        inline = xsd_children(item, "simpleType")
        if inline:
            items: Schema = {}
            self._simple_type(inline[0], optional, array, items)
            self._add_unhandled(inline[0], items)
        elif item.get("itemType"):
            items = {}
            self._once(item, item.get("itemType") or "", optional, False, items)
        else:
            raise self.error('invalid list: it needs "itemType" or an inline xs:simpleType', item)
        builder["items"] = items

    # ---- attributes -----------------------------------------------------------------------

    def _attribute(self, item: etree._Element, optional: bool, array: bool) -> Schema:
        builder: Schema = {}
        self._annotation(item, builder)
        if item.get("ref"):
            builder["$ref"] = self._ref(item, item.get("ref"))
            builder["@xsdType"] = "#ref"
        elif item.get("type"):
            use_optional = optional or item.get("use", "optional") == "optional"
            self._once(item, item.get("type") or "", use_optional, array, builder)
        else:
            inline = xsd_children(item, "simpleType")
            if inline:
                self._simple_type(inline[0], optional, array, builder)
        if item.get("default") is not None:
            builder["default"] = item.get("default")
        if item.get("fixed") is not None:
            builder["const"] = item.get("fixed")
        builder["@xsdAttribute"] = True
        self._add_unhandled(item, builder)
        return builder

    def _attribute_group(self, item: etree._Element, optional: bool, array: bool) -> Schema:
        builder: Schema = {}
        self._annotation(item, builder)
        steps = Steps()
        properties = Properties()
        self._attributes(item, optional, array, steps, properties)
        properties.flush(steps)
        steps.build_into(builder)
        self._add_unhandled(item, builder)
        return builder

    def _attributes(
        self,
        owner: etree._Element,
        optional: bool,
        array: bool,
        steps: Steps,
        properties: Properties,
    ) -> None:
        for child in owner:
            if is_xsd(child, "attribute"):
                name = child.get("name") or (qname(child, child.get("ref")) or (None, ""))[1]
                properties.add(
                    name,
                    self._attribute(child, optional, array),
                    not optional and child.get("use") == "required",
                )
            elif is_xsd(child, "attributeGroup"):
                properties.flush(steps)
                steps.add(self._reference_step(child))

    def _reference_step(self, item: etree._Element) -> Schema:
        builder: Schema = {}
        self._annotation(item, builder)
        builder["$ref"] = self._ref(item, item.get("ref"))
        builder["@xsdType"] = "#ref"
        return builder

    def _any_attribute(self, owner: etree._Element, builder: Schema) -> None:
        wildcarded = self._wildcarded
        if (wildcarded is not None and owner not in wildcarded) or not len(owner):
            return
        for child in owner.iterchildren(_ANY_ATTRIBUTE_TAG):
            builder["@xsdAnyAttribute"] = wildcard_of(child)

    # ---- elements -------------------------------------------------------------------------

    def _element(self, item: etree._Element, optional: bool, array: bool) -> Schema:
        if len(item):
            return self._element_schema(item, optional, array)
        # A childless element's schema depends only on its attributes other than the name, the
        # flags and the namespaces in scope; large models repeat a few such shapes thousands
        # of times, so each shape is converted once per run.
        names = item.keys()
        values = item.values()
        if "name" in names:
            at = names.index("name")
            del names[at], values[at]
        scope = self._scope
        key = (optional, array, *names, "", *values, "", *(scope or item.nsmap.items()))
        found = self._leaves.get(key)
        if found is None:
            schema = self._element_schema(item, optional, array)
            flat = not any(isinstance(value, dict | list) for value in schema.values())
            self._leaves[key] = (schema, flat)
            return schema if self.share_leaves or not flat else dict(schema)
        schema, flat = found
        if self.share_leaves:
            return schema
        return dict(schema) if flat else self._element_schema(item, optional, array)

    def _element_schema(self, item: etree._Element, optional: bool, array: bool) -> Schema:
        # The hot path of a conversion (one call per element): attributes are read once.
        builder: Schema = {}
        self._annotation(item, builder)
        attributes = dict(item.items())
        raw_min = attributes.get("minOccurs")
        raw_max = attributes.get("maxOccurs")
        min_occurs = parse_occurs(raw_min)
        max_occurs = parse_occurs(raw_max)
        nillable = (attributes.get("nillable") or "").strip() in ("true", "1")
        if attributes.get("ref"):
            builder["$ref"] = self._ref(item, attributes.get("ref"))
            builder["@xsdType"] = "#ref"
        elif attributes.get("type"):
            self._handle_type(
                item,
                attributes.get("type") or "",
                _ZERO if optional else min_occurs,
                max_occurs,
                array,
                nillable,
                builder,
            )
        else:
            target = builder if max_occurs <= 1 else {}
            for child in item:
                tag = child.tag
                if tag == _SIMPLE_TYPE_TAG:
                    self._simple_type(child, optional, array, target)
                    break
                if tag == _COMPLEX_TYPE_TAG:
                    self._complex_type_into(child, optional, array, nillable, target)
                    break
            if max_occurs > 1:
                builder["type"] = ["array", "null"] if nillable else "array"
                if min_occurs != 0:
                    builder["minItems"] = int(min_occurs)
                if max_occurs < UNBOUNDED:
                    builder["maxItems"] = int(max_occurs)
                builder["items"] = target
        for key in attributes:
            if key[0] == "{":  # a foreign attribute (rare)
                self._add_unhandled(item, builder)
                break
        if raw_min is not None and raw_min.strip():
            builder["@xsdMinOccurs"] = int(min_occurs) if min_occurs < UNBOUNDED else 0
        if raw_max is not None and raw_max.strip():
            builder["@xsdMaxOccurs"] = raw_max.strip()
        return builder

    # ---- complex types --------------------------------------------------------------------

    def _complex_type(
        self, item: etree._Element, optional: bool, array: bool, nillable: bool
    ) -> Schema:
        builder: Schema = {}
        self._complex_type_into(item, optional, array, nillable, builder)
        return builder

    def _complex_type_into(
        self, item: etree._Element, optional: bool, array: bool, nillable: bool, builder: Schema
    ) -> None:
        self._annotation(item, builder)
        steps = Steps()
        attributes = Properties()
        content: tuple[str, etree._Element] | None = None
        for child in item:
            tag = child.tag
            if tag == _ATTRIBUTE_TAG:
                name = child.get("name") or (qname(child, child.get("ref")) or (None, ""))[1]
                attributes.add(
                    name, self._attribute(child, False, False), child.get("use") == "required"
                )
            elif tag == _ATTRIBUTE_GROUP_TAG:
                attributes.flush(steps)
                steps.add(self._reference_step(child))
            elif content is None and isinstance(tag, str) and tag in _CONTENT_KINDS:
                content = _CONTENT_KINDS[tag], child  # the first one counts
        attributes.flush(steps)
        if content is not None:
            kind, child = content
            if kind == "simpleContent":
                steps.add(self._simple_content(child, optional, array))
            elif kind == "complexContent":
                steps.add(self._complex_content(child, optional, array))
            elif kind == "group":
                steps.add(self._reference_step(child))
            elif kind == "choice":
                steps.add(self._choice(child, optional, array))
            elif kind == "all":
                steps.add(self._all(child, optional, array))
            else:
                step = self._sequence(child, optional, array)
                if nillable:
                    step["@xsdNillable"] = True
                steps.add(step)
        steps.build_into(builder)
        self._any_attribute(item, builder)
        self._add_unhandled(item, builder)

    def _group(self, item: etree._Element, optional: bool, array: bool) -> Schema:
        builder: Schema = {}
        self._annotation(item, builder)
        for child in item:
            if is_xsd(child, "choice"):
                builder.update(self._choice(child, optional, array))
                break
            if is_xsd(child, "all"):
                builder.update(self._all(child, optional, array))
                break
            if is_xsd(child, "sequence"):
                builder.update(self._sequence(child, optional, array))
                break
        return builder

    def _choice(self, item: etree._Element, optional: bool, array: bool) -> Schema:
        builder: Schema = {}
        self._annotation(item, builder)
        choices: list[Schema] = []
        for child in item:
            if is_xsd(child, "element"):
                name = child.get("name") or (qname(child, child.get("ref")) or (None, ""))[1]
                option: Schema = {"properties": {name: self._element(child, optional, array)}}
                if occurs(child, "minOccurs") > 0:
                    option["required"] = [name]
                choices.append(option)
            elif is_xsd(child, "group"):
                choices.append(self._reference_step(child))
            elif is_xsd(child, "choice"):
                choices.append(self._choice(child, optional, array))
            elif is_xsd(child, "sequence"):
                choices.append(self._sequence(child, optional, array))
            elif is_xsd(child, "any"):
                raise self.error(
                    "xs:any inside xs:choice is not supported by Altinn Studio",
                    child,
                    "move the wildcard into a sequence",
                )
        if choices:
            builder["oneOf"] = choices
        return builder

    def _all(self, item: etree._Element, optional: bool, array: bool) -> Schema:
        builder: Schema = {}
        self._annotation(item, builder)
        properties = Properties()
        for child in xsd_children(item, "element"):
            name = child.get("name") or (qname(child, child.get("ref")) or (None, ""))[1]
            properties.add(
                name,
                self._element(child, optional, array),
                not optional and occurs(child, "minOccurs") > 0,
            )
        properties.build_into(builder)
        builder["@xsdStructure"] = "all"
        return builder

    def _sequence(self, item: etree._Element, optional: bool, array: bool) -> Schema:
        optional = optional or occurs(item, "minOccurs") == 0
        array = array or occurs(item, "maxOccurs") > 1
        builder: Schema = {}
        self._annotation(item, builder)
        steps = Steps()
        properties = Properties()
        # Most members of a large model are childless elements named by their first
        # attribute; each distinct rest of the attributes (the member's shape) is converted
        # once (`_member`), and a member then costs one attribute read and at most one
        # lookup (none when it has the shape of the member before it). A sequence of
        # elements only (libxml2 picks them out) is converted by `_elements`; anything else
        # takes the general path below.
        scope = self._scope
        members = None
        if scope is not None:
            members = self._member_leaves.setdefault((scope, optional, array), {})
            elements = list(item.iterchildren(_ELEMENT_TAG))
            if len(elements) == len(item):  # no other particle, comment or instruction
                self._elements(elements, optional, array, members, properties)
                properties.flush(steps)
                steps.build_into(builder)
                return builder
        for child in item:
            if child.tag == _ELEMENT_TAG:  # most children: compared directly, not via is_xsd
                if members is not None:
                    self._elements((child,), optional, array, members, properties)
                else:
                    self._add_element(child, optional, array, properties)
            elif is_xsd(child, "group"):
                properties.flush(steps)
                steps.add(self._reference_step(child))
            elif is_xsd(child, "choice"):
                properties.flush(steps)
                steps.add(self._choice(child, optional, array))
            elif is_xsd(child, "sequence"):
                properties.flush(steps)
                steps.add(self._sequence(child, optional, array))
            elif is_xsd(child, "any"):
                properties.flush(steps)
                steps.add({"@xsdType": "#any"})
        properties.flush(steps)
        steps.build_into(builder)
        return builder

    def _elements(
        self,
        elements: Iterable[etree._Element],
        optional: bool,
        array: bool,
        members: dict[tuple[Any, ...], _Member],
        properties: Properties,
    ) -> None:
        """Add sequence members that are elements (all of a sequence, or one between other
        particles), in the namespace scope `members` was made for: the hot loop of a
        conversion, one pass per element of the model."""
        found_properties = properties.properties
        found_required = properties.required
        share = self.share_leaves
        previous: list[Any] | None = None  # the shape of the last member taken this way
        shared: Schema = {}  # and its schema, whether that is flat, whether it is required
        flat = required = False
        for child in elements:
            if not len(child):
                attributes = child.items()
                label, name = attributes[0] if attributes else ("", "")
                if label == "name" and name:
                    attributes[0] = None  # the shape: every attribute but the name
                    if attributes != previous:
                        key = tuple(attributes)
                        found = members.get(key)
                        if found is None:
                            found = members[key] = self._member(child, optional, array)
                        shared, flat, required = found
                        previous = attributes
                    if share:
                        found_properties[name] = shared
                    else:  # a private copy, or a new conversion when not flat
                        found_properties[name] = (
                            dict(shared) if flat else self._element_schema(child, optional, array)
                        )
                    if required:
                        found_required.append(name)
                    continue
            self._add_element(child, optional, array, properties)

    def _add_element(
        self, child: etree._Element, optional: bool, array: bool, properties: Properties
    ) -> None:
        """A sequence member the general way."""
        name = child.get("name") or (qname(child, child.get("ref")) or (None, ""))[1]
        properties.add(
            name,
            self._element(child, optional, array),
            not optional and parse_occurs(child.get("minOccurs")) > 0,
        )

    def _member(self, item: etree._Element, optional: bool, array: bool) -> _Member:
        """A childless sequence member's schema, whether it holds no nested dicts or lists
        (so a copy is private), and whether the member is required."""
        schema = self._element_schema(item, optional, array)
        flat = not any(isinstance(value, dict | list) for value in schema.values())
        return schema, flat, not optional and parse_occurs(item.get("minOccurs")) > 0

    def _simple_content(self, item: etree._Element, optional: bool, array: bool) -> Schema:
        builder: Schema = {}
        self._annotation(item, builder)
        for child in item:
            if is_xsd(child, "restriction"):
                self._simple_content_restriction(child, optional, array, builder)
                break
            if is_xsd(child, "extension"):
                self._simple_content_extension(child, optional, array, builder)
                break
        return builder

    def _simple_content_restriction(
        self, item: etree._Element, optional: bool, array: bool, builder: Schema
    ) -> None:
        self._annotation(item, builder)
        base = item.get("base")
        if not base:
            raise self.error("base is required on simpleContent/restriction", item)
        steps = Steps()
        properties = Properties()
        base_step: Schema = {}
        self._once(item, base, optional, array, base_step)
        steps.add(base_step)
        restrictions: Schema = {}
        apply_facets(facets_of(item), restrictions, False, False)
        inline = xsd_children(item, "simpleType")
        if inline:
            value: Schema = {}
            self._simple_type(inline[0], optional, array, value)
            parts = [value]
            if restrictions:
                parts.append(restrictions)
            properties.add("value", {"allOf": parts}, False)
        else:
            properties.add("value", restrictions, False)
        self._attributes(item, optional, array, steps, properties)
        properties.flush(steps)
        steps.build_into(builder)
        self._any_attribute(item, builder)

    def _simple_content_extension(
        self, item: etree._Element, optional: bool, array: bool, builder: Schema
    ) -> None:
        self._annotation(item, builder)
        steps = Steps()
        properties = Properties()
        value: Schema = {"@xsdText": True}
        self._once(item, item.get("base") or "", optional, array, value)
        properties.add("value", value, True)
        self._attributes(item, optional, array, steps, properties)
        properties.flush(steps)
        steps.build_into(builder)
        self._any_attribute(item, builder)

    def _complex_content(self, item: etree._Element, optional: bool, array: bool) -> Schema:
        builder: Schema = {}
        self._annotation(item, builder)
        for child in item:
            if is_xsd(child, "restriction", "extension"):
                self._derivation(child, optional, array, builder)
                break
        return builder

    def _derivation(
        self, item: etree._Element, optional: bool, array: bool, builder: Schema
    ) -> None:
        """complexContent restriction or extension: base type, then particle, then attributes."""
        self._annotation(item, builder)
        steps = Steps()
        properties = Properties()
        base_step: Schema = {}
        self._once(item, item.get("base") or "", optional, array, base_step)
        steps.add(base_step)
        for child in item:
            if is_xsd(child, "group"):
                steps.add(self._reference_step(child))
                break
            if is_xsd(child, "choice"):
                steps.add(self._choice(child, optional, array))
                break
            if is_xsd(child, "all"):
                steps.add(self._all(child, optional, array))
                break
            if is_xsd(child, "sequence"):
                steps.add(self._sequence(child, False, False))
                break
        self._attributes(item, optional, array, steps, properties)
        properties.flush(steps)
        steps.build_into(builder)
        self._any_attribute(item, builder)
