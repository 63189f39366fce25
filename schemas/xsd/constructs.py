"""Find XSD constructs Altinn Studio cannot handle, with their line numbers.

Two grades: constructs the converter refuses outright (union, redefine, import, a wildcard in a
choice) and constructs that convert to JSON Schema but do not survive the way back to XSD when
the model is edited in Studio (choice, all, groups, attribute groups, lists, derivation by
restriction, substitution groups, identity constraints, mixed content, element wildcards).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from schemas.xsd.builtins import XSD_NS
from schemas.xsd.loader import is_xsd, local_name

UNSUPPORTED = "unsupported"
LOSSY = "lossy"


@dataclass(frozen=True, slots=True)
class Construct:
    """One problematic construct: its grade, a message and the element it is at."""

    grade: str
    message: str
    element: etree._Element


_UNSUPPORTED: dict[str, str] = {
    "union": "xs:union is not supported by Altinn Studio; use one restricted simple type",
    "redefine": "xs:redefine is not supported by Altinn Studio; define the types directly",
    "import": "xs:import is not supported by Altinn Studio; the model must be a single schema",
    "override": "xs:override (XSD 1.1) is not supported by Altinn Studio",
    "assert": "xs:assert (XSD 1.1) is not supported by Altinn Studio",
    "assertion": "xs:assertion (XSD 1.1) is not supported by Altinn Studio",
    "alternative": "xs:alternative (XSD 1.1) is not supported by Altinn Studio",
    "openContent": "xs:openContent (XSD 1.1) is not supported by Altinn Studio",
}
_LOSSY: dict[str, str] = {
    "choice": "xs:choice converts to oneOf, which Altinn Studio cannot write back to XSD",
    "all": "xs:all is written back as xs:sequence by Altinn Studio",
    "list": "xs:list is not written back to XSD by Altinn Studio",
    "key": "identity constraints (xs:key) are dropped by the conversion",
    "keyref": "identity constraints (xs:keyref) are dropped by the conversion",
    "unique": "identity constraints (xs:unique) are dropped by the conversion",
    "any": "element wildcards (xs:any) are not written back to XSD by Altinn Studio",
}


_CANDIDATE_TAGS = tuple(
    f"{{{XSD_NS}}}{kind}"
    for kind in (*_UNSUPPORTED, *_LOSSY, "group", "attributeGroup", "restriction", "complexType")
)
_ELEMENT_TAG = f"{{{XSD_NS}}}element"
_HAS_SUBSTITUTION = etree.XPath("boolean(//@substitutionGroup)")


def find_constructs(root: etree._Element) -> list[Construct]:
    """Every problematic construct in one schema document, in document order."""
    # Only elements of these kinds can be reported, and libxml2 picks them out in one pass;
    # xs:element (thousands in a large model) is only a candidate when some element has a
    # substitutionGroup, which one XPath query answers.
    tags = _CANDIDATE_TAGS
    if _HAS_SUBSTITUTION(root):
        tags = (*tags, _ELEMENT_TAG)
    found: list[Construct] = []
    for element in root.iter(*tags):
        found.extend(_classify(element))
    return found


def _classify(element: etree._Element) -> list[Construct]:
    kind = local_name(element)
    parent = element.getparent()
    if kind in _UNSUPPORTED:
        return [Construct(UNSUPPORTED, _UNSUPPORTED[kind], element)]
    if kind == "any" and parent is not None and is_xsd(parent, "choice"):
        return [
            Construct(
                UNSUPPORTED, "xs:any inside xs:choice is not supported by Altinn Studio", element
            )
        ]
    if kind in _LOSSY:
        return [Construct(LOSSY, _LOSSY[kind], element)]
    found: list[Construct] = []
    if kind == "group" and element.get("ref"):
        found.append(
            Construct(
                LOSSY, "group references are not written back to XSD by Altinn Studio", element
            )
        )
    if kind == "attributeGroup" and element.get("ref"):
        found.append(
            Construct(
                LOSSY,
                "attribute group references are not written back to XSD by Altinn Studio",
                element,
            )
        )
    if kind == "restriction" and parent is not None and is_xsd(parent, "complexContent"):
        found.append(
            Construct(
                LOSSY,
                "complexContent restriction cannot be written back to XSD by Altinn Studio",
                element,
            )
        )
    if kind == "element" and element.get("substitutionGroup"):
        found.append(Construct(LOSSY, "substitution groups are ignored by the conversion", element))
    if kind == "complexType" and (element.get("mixed") or "").strip() in ("true", "1"):
        found.append(
            Construct(
                LOSSY, "mixed content (text between elements) is ignored by the conversion", element
            )
        )
    return found
