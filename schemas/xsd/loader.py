"""Reading an XSD safely: hardened parsing, local includes only, clear located errors.

Altinn models are single files; SERES never uses includes. We still accept `xs:include` of a
file in the same folder (merged in place), but anything that would reach outside the model's
folder or onto the network is refused before any read happens, and `xs:import`/`xs:redefine`
are reported as unsupported, as Altinn Studio does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from lxml import etree

from schemas.diagnostics import LocatedError, Location
from schemas.xmlsafe import parse_xml_bytes, parse_xml_file
from schemas.xsd.builtins import XSD_NS

MAX_INCLUDE_DEPTH = 16


class XsdError(LocatedError):
    """An XSD that cannot be read or converted; carries file and line."""


def xsd_tag(local: str) -> str:
    return f"{{{XSD_NS}}}{local}"


_XSD_PREFIX = f"{{{XSD_NS}}}"
_XSD_PREFIX_LENGTH = len(_XSD_PREFIX)


def local_name(element: etree._Element) -> str:
    # lxml tags are "{namespace}local" (or plain "local"); reading the string is much cheaper
    # than building an etree.QName, and the converter asks for every element.
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def is_xsd(element: etree._Element, *names: str) -> bool:
    """True for an element in the XSD namespace, optionally with one of the given names."""
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith(_XSD_PREFIX):
        return False
    return not names or tag[_XSD_PREFIX_LENGTH:] in names


_TAGS: dict[tuple[str, ...], list[str]] = {}  # the tags to filter by, per tuple of names


def xsd_children(element: etree._Element, *names: str) -> list[etree._Element]:
    if not len(element):
        return []
    # libxml2 filters by tag: no Python call per child (sequences have thousands)
    tags = _TAGS.get(names)
    if tags is None:
        tags = _TAGS[names] = (
            [_XSD_PREFIX + name for name in names] if names else [_XSD_PREFIX + "*"]
        )
    return list(element.iterchildren(*tags))


def uniform_scope(root: etree._Element) -> tuple[tuple[str | None, str], ...] | None:
    """The namespaces in scope on every element under `root` when `root` alone declares
    namespaces; None when some element below declares its own.

    lxml reports each declaration as a start-ns event, in one pass in C: cheaper than asking
    thousands of elements for their namespace maps."""
    declared = root.nsmap
    declarations = sum(1 for _ in etree.iterwalk(root, events=("start-ns",)))
    return tuple(declared.items()) if declarations == len(declared) else None


@dataclass(slots=True)
class LoadedXsd:
    """The schema root plus its top-level items with includes merged, in document order."""

    name: str
    root: etree._Element
    items: list[etree._Element] = field(default_factory=list)
    sources: list[tuple[etree._Element, str]] = field(default_factory=list)

    def location(self, element: etree._Element) -> Location:
        """Where an element is, naming the file it came from (includes keep their own name)."""
        top = element.getroottree().getroot()
        name = next((label for root, label in self.sources if root is top), self.name)
        return Location(name, "", element.sourceline, None)


def load_xsd_file(path: Path, name: str | None = None) -> LoadedXsd:
    """Parse an XSD file and merge local includes; raise XsdError/XmlSafetyError on trouble."""
    label = name or str(path)
    tree = parse_xml_file(path, label)
    return _build(tree.getroot(), label, path.parent.resolve(), path.resolve())


def load_xsd_bytes(raw: bytes, name: str, folder: Path | None = None) -> LoadedXsd:
    """Parse XSD text; includes are resolved against `folder` (refused when it is None)."""
    tree = parse_xml_bytes(raw, name)
    return _build(tree.getroot(), name, folder.resolve() if folder else None, None)


def load_xsd_tree(tree: etree._ElementTree, name: str, folder: Path | None) -> LoadedXsd:
    """Use an already parsed (hardened) XSD tree, such as one cached by the app loader."""
    return _build(tree.getroot(), name, folder.resolve() if folder else None, None)


def _build(
    root: etree._Element, name: str, folder: Path | None, self_path: Path | None
) -> LoadedXsd:
    if not is_xsd(root, "schema"):
        raise XsdError(
            f"the root element is <{root.tag}>, not an XML Schema <xs:schema>",
            Location(name, "", root.sourceline, None),
            "point at an .xsd file whose root is xs:schema",
        )
    loaded = LoadedXsd(name, root)
    loaded.sources.append((root, name))
    seen = {self_path} if self_path else set()
    loaded.items = _items(root, name, folder, seen, loaded, 0)
    return loaded


def _items(
    root: etree._Element,
    name: str,
    folder: Path | None,
    seen: set[Path],
    loaded: LoadedXsd,
    depth: int,
) -> list[etree._Element]:
    items: list[etree._Element] = []
    for child in root:
        if not isinstance(child.tag, str):
            continue
        if not is_xsd(child):
            raise XsdError(
                f"unexpected element <{child.tag}> directly inside xs:schema",
                Location(name, "", child.sourceline, None),
                "only XML Schema declarations may appear at the top level",
            )
        kind = local_name(child)
        if kind == "import":
            raise XsdError(
                "xs:import is not supported by Altinn Studio; the model must be one schema",
                Location(name, "", child.sourceline, None),
                "copy the imported types into this schema",
            )
        if kind == "redefine":
            raise XsdError(
                "xs:redefine is not supported by Altinn Studio",
                Location(name, "", child.sourceline, None),
                "write the redefined types directly in this schema",
            )
        if kind == "include":
            items.extend(_include(child, name, folder, seen, loaded, depth))
            continue
        items.append(child)
    return items


def _include(
    element: etree._Element,
    name: str,
    folder: Path | None,
    seen: set[Path],
    loaded: LoadedXsd,
    depth: int,
) -> list[etree._Element]:
    where = Location(name, "", element.sourceline, None)
    target = (element.get("schemaLocation") or "").strip()
    if not target:
        raise XsdError("xs:include without schemaLocation", where, "name the file to include")
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or target.startswith(("/", "\\")):
        raise XsdError(
            f"xs:include of {target!r} points outside the model folder or to the network; "
            "it is refused and was not fetched",
            where,
            "place the included schema next to this one and use a relative file name",
        )
    if folder is None:
        raise XsdError(
            f"xs:include of {target!r} cannot be resolved for a schema given as text",
            where,
            "convert the file from disk so that includes can be found",
        )
    candidate = (folder / target).resolve()
    if not candidate.is_relative_to(folder):
        raise XsdError(
            f"xs:include of {target!r} points outside the model folder; it is refused",
            where,
            "keep included schemas in the same folder as the model",
        )
    if depth >= MAX_INCLUDE_DEPTH:
        raise XsdError("includes are nested too deeply", where, "flatten the include chain")
    if candidate in seen:
        return []
    seen.add(candidate)
    if not candidate.is_file():
        raise XsdError(f"included schema {target!r} does not exist", where)
    included_name = str(Path(name).parent / target) if name else target
    tree = parse_xml_file(candidate, included_name)
    root = tree.getroot()
    if not is_xsd(root, "schema"):
        raise XsdError(f"included file {target!r} is not an XML Schema", where)
    loaded.sources.append((root, included_name))
    return _items(root, included_name, folder, seen, loaded, depth + 1)
