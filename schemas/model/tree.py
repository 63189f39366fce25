"""The model tree: every field of a data model with the dotted path layouts bind to.

Children are built lazily, so recursive models (a person with a `parent` person) are infinite
trees that cost nothing until a path is resolved through them; walks stop where a field's type
is already among its ancestors and mark the field `cycle`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from schemas.model.loader import resolve_pointer

if TYPE_CHECKING:
    from schemas.model.loader import DataModel

MAX_REF_HOPS = 64
MAX_RESOLVED = 200_000
"""Bound on memoized path lookups per tree (the distinct paths of even huge apps fit)."""
RESTRICTION_KEYS = (
    "minLength",
    "maxLength",
    "pattern",
    "enum",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "totalDigits",
    "fractionDigits",
    "formatMinimum",
    "formatMaximum",
    "formatExclusiveMinimum",
    "formatExclusiveMaximum",
)
DATE_FORMATS = frozenset({"date"})
_INDEX = re.compile(r"\[[^\]]*\]")
_UNRESOLVED = object()
_COMPOSITION_KEYWORDS = frozenset({"allOf", "oneOf", "anyOf"})
_COLLECTED_KEYWORDS = frozenset({"properties", "required", "allOf", "oneOf", "anyOf"})


class BrokenRef(Exception):
    """A `$ref` that names nothing in the model file (or leaves it)."""

    def __init__(self, ref: str, pointer: str) -> None:
        super().__init__(ref)
        self.ref = ref
        self.pointer = pointer


_NO_PROPERTIES: Mapping[str, tuple[dict[str, Any], str]] = MappingProxyType({})
_NO_NAMES: frozenset[str] = frozenset()


class Effective:
    """A schema node with its `$ref`s followed and `allOf` members merged in.

    A plain slotted class: one is made per field (and per array's items), thousands per
    model, and a dataclass with default factories cost more than the work it describes."""

    __slots__ = ("node", "properties", "refs", "required", "target")

    def __init__(
        self,
        node: dict[str, Any],
        target: str,
        properties: dict[str, tuple[dict[str, Any], str]] | None = None,
        required: set[str] | None = None,
        refs: tuple[str, ...] = (),
    ) -> None:
        self.node = node
        self.target = target  # pointer of the innermost definition reached, or the node's own
        # Without containers of its own, a node gets shared read-only empty ones: most are
        # leaves, and two fresh containers each is real memory over a large model.
        self.properties: dict[str, tuple[dict[str, Any], str]] = (
            _NO_PROPERTIES if properties is None else properties  # type: ignore[assignment]
        )
        self.required: set[str] = _NO_NAMES if required is None else required  # type: ignore[assignment]
        self.refs = refs

    def __repr__(self) -> str:
        return f"Effective({self.target!r}, properties={list(self.properties)})"


class FieldKind:
    """What a binding check reads of a field: its type and where it repeats.

    One shared object per combination (`kind_of`), so a check can key a memo of its
    per-kind answers on it: identity hashing, no tuple built per field."""

    __slots__ = ("has_properties", "repeating", "type", "under_repeating")

    def __init__(
        self, type_name: str, repeating: bool, has_properties: bool, under_repeating: bool
    ) -> None:
        self.type = type_name
        self.repeating = repeating
        self.has_properties = has_properties
        self.under_repeating = under_repeating
        """Some field above this one repeats."""

    def __repr__(self) -> str:
        return (
            f"FieldKind({self.type!r}, repeating={self.repeating}, "
            f"has_properties={self.has_properties}, under_repeating={self.under_repeating})"
        )


_KINDS: dict[tuple[str, bool, bool, bool], FieldKind] = {}
MAX_KINDS = 1024
"""Types are the model's own strings, so the shared kinds are bounded."""


def kind_of(
    type_name: str, repeating: bool, has_properties: bool, under_repeating: bool
) -> FieldKind:
    """The shared FieldKind of that combination (a fresh one past MAX_KINDS)."""
    key = (type_name, repeating, has_properties, under_repeating)
    kind = _KINDS.get(key)
    if kind is None:
        kind = FieldKind(type_name, repeating, has_properties, under_repeating)
        if len(_KINDS) < MAX_KINDS:
            _KINDS[key] = kind
    return kind


def split_path(path: str) -> list[str]:
    """`a.b[0].c` -> ['a', 'b', 'c']: index brackets are tolerated and ignored."""
    cleaned = _INDEX.sub("", path.strip())
    return [part for part in cleaned.split(".") if part]


class ModelField:
    """One field: name, dotted path, type, restrictions, occurrence and children."""

    __slots__ = (
        "_children",
        "_kind",
        "_repeating_ancestors",
        "_type",
        "broken_ref",
        "content",
        "cycle",
        "effective",
        "items",
        "json_types",
        "name",
        "nullable",
        "parent",
        "path",
        "pointer",
        "repeating",
        "required",
        "tree",
    )

    def __init__(
        self,
        tree: ModelTree,
        name: str,
        path: str,
        pointer: str,
        node: dict[str, Any],
        required: bool,
        parent: ModelField | None,
    ) -> None:
        self.tree = tree
        self.name = name
        self.path = path
        self.pointer = pointer
        self.parent = parent
        self.required = required
        self.broken_ref: BrokenRef | None = None
        try:
            effective = tree.effective(node, pointer)
        except BrokenRef as exc:
            self.broken_ref = exc
            effective = Effective({k: v for k, v in node.items() if k != "$ref"}, pointer)
        self.effective = effective
        eff = effective.node
        self.json_types, self.nullable = json_types, _ = _types_of(eff)
        repeating = "array" in json_types or (
            not json_types and ("items" in eff or "prefixItems" in eff)
        )
        self.repeating = repeating
        self.items: Effective | None = None
        content = effective
        if repeating:
            items = eff.get("items")
            if isinstance(items, dict):
                try:
                    self.items = content = tree.effective(items, f"{effective.target}/items")
                except BrokenRef as exc:
                    self.broken_ref = exc
            if self.items is None:
                content = Effective({}, pointer)
        self.content = content
        self.cycle = bool(content.properties) and self._repeats_an_ancestor(content.target)
        self._children: dict[str, ModelField] | None = None
        self._repeating_ancestors: tuple[ModelField, ...] | None = None
        self._type: str | None = None
        self._kind: FieldKind | None = None

    def _repeats_an_ancestor(self, target: str) -> bool:
        node = self.parent
        while node is not None:
            content = node.content
            if content.target == target and content.properties:
                return True
            node = node.parent
        return False

    # -- description ---------------------------------------------------------------------
    @property
    def type(self) -> str:
        """Model-tree type: string, number, integer, boolean, date, object, array or ''."""
        if self._type is None:  # memoized: bindings and agreement checks ask for every field
            self._type = (
                "array" if self.repeating else _model_type(self.json_types, self.effective.node)
            )
        return self._type

    @property
    def item_type(self) -> str | None:
        """For arrays, the type of one row (object for repeating groups)."""
        if not self.repeating:
            return None
        if self.items is None:
            return ""
        types, _ = _types_of(self.items.node)
        return _model_type(types, self.items.node)

    @property
    def format(self) -> str | None:
        node = self.content.node
        value = node.get("format")
        return value if isinstance(value, str) else None

    @property
    def restrictions(self) -> dict[str, Any]:
        node = self.content.node
        found = {key: node[key] for key in RESTRICTION_KEYS if key in node}
        extra = node.get("@xsdRestrictions")
        if isinstance(extra, dict):
            for key, value in extra.items():
                found.setdefault(key, value)
        return found

    @property
    def min_occurs(self) -> int:
        node = self.effective.node
        if self.repeating:
            value = node.get("minItems", node.get("@xsdMinOccurs", 0))
            return value if isinstance(value, int) else 0
        explicit = node.get("@xsdMinOccurs")
        if isinstance(explicit, int):
            return explicit
        return 1 if self.required else 0

    @property
    def max_occurs(self) -> int | None:
        """None means unbounded."""
        node = self.effective.node
        if not self.repeating:
            return 1
        value = node.get("maxItems", node.get("@xsdMaxOccurs"))
        return value if isinstance(value, int) else None

    @property
    def is_attribute(self) -> bool:
        node = self.effective.node
        return node.get("@xsdAttribute") is True or node.get("@xsdType") == "XmlAttribute"

    @property
    def is_text(self) -> bool:
        return self.effective.node.get("@xsdText") is True

    @property
    def xsd(self) -> dict[str, Any]:
        """The field's `@xsd*` annotations (site first, then its definition), kept verbatim
        so XSD output and the designer can show them."""
        return {k: v for k, v in self.effective.node.items() if k.startswith("@xsd")}

    @property
    def is_object(self) -> bool:
        return bool(self.content.properties) or self.type == "object"

    @property
    def depth(self) -> int:
        return self.path.count(".")

    def ancestors(self) -> Iterator[ModelField]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def repeating_ancestors(self) -> tuple[ModelField, ...]:
        """The repeating fields above this one, nearest first (memoized: binding checks ask
        for every bound field)."""
        if self._repeating_ancestors is None:
            parent = self.parent
            if parent is None:
                self._repeating_ancestors = ()
            else:
                above = parent.repeating_ancestors
                self._repeating_ancestors = (parent, *above) if parent.repeating else above
        return self._repeating_ancestors

    @property
    def kind(self) -> FieldKind:
        """This field's shared FieldKind (memoized: binding checks ask for every field)."""
        kind = self._kind
        if kind is None:
            kind = self._kind = kind_of(
                self.type,
                self.repeating,
                bool(self.content.properties),
                bool(self.repeating_ancestors),
            )
        return kind

    # -- structure -----------------------------------------------------------------------
    @property
    def children(self) -> dict[str, ModelField]:
        """Sub-fields by name (for arrays: the fields of one row), built on first use."""
        if self._children is None:
            self._children = self.tree.build_children(self, self.content)
        return self._children

    def child(self, name: str) -> ModelField | None:
        return self.children.get(name)

    def walk(self) -> Iterator[ModelField]:
        """This field's descendants, depth first, stopping below cycles."""
        for child in self.children.values():
            yield child
            if not child.cycle and child.content.properties:  # leaves have no children
                yield from child.walk()

    def describe(self) -> str:
        text = self.type or "any"
        if self.repeating and self.item_type:
            text = f"array of {self.item_type}"
        if self.format and self.type != "date":
            text += f" ({self.format})"
        return text

    def __repr__(self) -> str:
        return f"ModelField({self.path!r}, {self.describe()})"


class ModelTree:
    """All fields of a model, addressable by binding path."""

    def __init__(self, model: DataModel) -> None:
        self.model = model
        self.schema = model.schema
        root_node = (
            resolve_pointer(self.schema, model.root_pointer) if model.root_pointer else self.schema
        )
        self._pointed: dict[str, Any] = {}  # definitions by the pointer `$ref`s name them with
        self._resolved: dict[str, ModelField | None] = {}
        self.root = ModelField(self, "", "", model.root_pointer, root_node, True, None)

    # -- lookups -------------------------------------------------------------------------
    def resolve(self, path: str) -> ModelField | None:
        """The field a binding path names (`a.b[0].c`), or None.

        Memoized per path: every component binding and expression asks, often repeatedly."""
        resolved = self._resolved
        found = resolved.get(path, _UNRESOLVED)  # no KeyError: most paths are new
        if found is not _UNRESOLVED:
            return found  # type: ignore[no-any-return]
        node: ModelField | None = self.root
        if "[" in path or (path and (path[0].isspace() or path[-1].isspace())):
            parts = split_path(path)
        else:
            parts = path.split(".")
        for part in parts:
            if part:
                children = node._children  # type: ignore[union-attr]
                if children is None:
                    children = node.children  # type: ignore[union-attr]
                node = children.get(part)
                if node is None:
                    break
        if len(resolved) < MAX_RESOLVED:
            resolved[path] = node
        return node

    def field(self, path: str) -> ModelField:
        found = self.resolve(path)
        if found is None:
            raise KeyError(path)
        return found

    def closest(self, path: str) -> tuple[ModelField, list[str]]:
        """The deepest existing field along `path` and the parts that did not resolve."""
        node = self.root
        parts = split_path(path)
        for index, part in enumerate(parts):
            found = node.children.get(part)
            if found is None:
                return node, parts[index:]
            node = found
        return node, []

    def walk(self) -> Iterator[ModelField]:
        return self.root.walk()

    def fields(self) -> list[ModelField]:
        return list(self.walk())

    def complete(
        self, partial: str, types: tuple[str, ...] = (), limit: int = 50
    ) -> list[ModelField]:
        """Fields whose path starts with `partial` (case-insensitive, indices ignored),
        optionally only of the given types: what a binding editor offers as you type."""
        wanted = ".".join(split_path(partial)).casefold()
        if partial.rstrip().endswith("."):
            wanted += "."
        found: list[ModelField] = []
        for candidate in self.walk():
            if not candidate.path.casefold().startswith(wanted):
                continue
            if types and candidate.type not in types:
                continue
            found.append(candidate)
            if len(found) >= limit:
                break
        return found

    # -- construction --------------------------------------------------------------------
    def effective(self, node: dict[str, Any], pointer: str) -> Effective:
        """Follow `$ref` chains and merge `allOf` (and `oneOf`/`anyOf` alternatives)."""
        if isinstance(node, dict) and not isinstance(node.get("$ref"), str):
            # The common case: no reference to follow, so the node is its own definition
            # (shared, not copied, unless merging alternatives below will add to it).
            if node.keys().isdisjoint(_COLLECTED_KEYWORDS):
                return Effective(node, pointer)  # a leaf: nothing to collect
            composed = "allOf" in node or "oneOf" in node or "anyOf" in node
            result = Effective(dict(node) if composed else node, pointer, {}, set())
            self._collect(result, result.node, pointer, optional=False, depth=0)
            return result
        ref = node.get("$ref") if isinstance(node, dict) else None
        if isinstance(ref, str) and ref.startswith("#"):
            # One hop to an already resolved definition that refers no further: what most
            # references are, so it is answered here; `_follow` does the general case.
            target = ref[1:]
            current = self._pointed.get(target, _UNRESOLVED)
            if current is _UNRESOLVED:
                try:
                    current = self._pointed[target] = resolve_pointer(self.schema, target)
                except KeyError:
                    return self._follow(node, pointer)  # raises the BrokenRef
            if isinstance(current, dict) and not isinstance(current.get("$ref"), str):
                if len(node) > 1:
                    site = {key: value for key, value in node.items() if key != "$ref"}
                    merged = {**site, **current, **site}  # the site's keywords win
                else:
                    merged = dict(current)
                result = Effective(merged, target, {}, set(), (target,))
                if not merged.keys().isdisjoint(_COLLECTED_KEYWORDS):
                    self._collect(result, merged, target, optional=False, depth=0)
                return result
        return self._follow(node, pointer)

    def _follow(self, node: dict[str, Any], pointer: str) -> Effective:
        refs: list[str] = []
        merged: dict[str, Any] = {}
        target = pointer
        current: Any = node
        hops = 0
        while isinstance(current, dict) and isinstance(current.get("$ref"), str):
            ref = current["$ref"]
            if len(current) > 1:
                for key, value in current.items():
                    if key != "$ref" and key not in merged:
                        merged[key] = value
            if not ref.startswith("#"):
                raise BrokenRef(ref, target)
            target = ref[1:]
            if target in refs or hops >= MAX_REF_HOPS:
                raise BrokenRef(ref, pointer)
            refs.append(target)
            current = self._pointed.get(target, _UNRESOLVED)
            if current is _UNRESOLVED:
                try:
                    current = resolve_pointer(self.schema, target)
                except KeyError:
                    raise BrokenRef(ref, pointer) from None
                self._pointed[target] = current
            hops += 1
        if isinstance(current, dict):
            # the site's keywords win over the definition's, in the site-then-definition order
            merged = {**merged, **current, **merged} if merged else dict(current)
        result = Effective(merged, target, {}, set(), tuple(refs))
        if not merged.keys().isdisjoint(_COLLECTED_KEYWORDS):
            self._collect(result, merged, target, optional=False, depth=0)
        return result

    def _collect(
        self, result: Effective, node: dict[str, Any], pointer: str, optional: bool, depth: int
    ) -> None:
        if depth > MAX_REF_HOPS:
            return
        props = node.get("properties")
        if isinstance(props, dict):
            found = result.properties
            prefix = f"{pointer}/properties/"
            for name, sub in props.items():
                if isinstance(sub, dict) and name not in found:
                    # (`_esc` inline for the usual name: a call per property adds up)
                    escaped = _esc(name) if "~" in name or "/" in name else name
                    found[name] = (sub, prefix + escaped)
        required = node.get("required")
        if isinstance(required, list) and not optional:
            names = result.required
            for entry in required:
                if isinstance(entry, str):
                    names.add(entry)
        if node.keys().isdisjoint(_COMPOSITION_KEYWORDS):
            return
        for key in ("allOf", "oneOf", "anyOf"):
            members = node.get(key)
            if not isinstance(members, list):
                continue
            for index, member in enumerate(members):
                if not isinstance(member, dict):
                    continue
                member_pointer = f"{pointer}/{key}/{index}"
                try:
                    sub = self.effective(member, member_pointer)
                except BrokenRef:
                    continue
                alternative = optional or key != "allOf"
                for name, value in sub.properties.items():
                    result.properties.setdefault(name, value)
                if not alternative:
                    result.required.update(sub.required)
                for attr in ("type", "format"):
                    if attr in sub.node:
                        result.node.setdefault(attr, sub.node[attr])

    def build_children(self, parent: ModelField, content: Effective) -> dict[str, ModelField]:
        """The fields of `content`'s properties under `parent`.

        Most fields of a large model are plain leaves (a `type` such as "string", nothing to
        follow or collect: `_plain_leaf_type`): those are built directly with what __init__
        would work out (the node is its own definition), and with the type, kind and
        repeating ancestors the memos would hold; the rest take __init__."""
        children: dict[str, ModelField] = {}
        prefix = f"{parent.path}." if parent.path else ""
        required = content.required
        above: tuple[ModelField, ...] | None = None
        leaf_kinds: dict[str, FieldKind] = {}
        # Objects made with __new__ and filled here: calling a class whose __init__ is
        # Python code costs more than the assignments it does.
        new_field = ModelField.__new__
        new_effective = Effective.__new__
        for name, (node, pointer) in content.properties.items():
            type_name = _plain_leaf_type(node)
            if type_name is not None:
                if above is None:
                    ancestors = parent.repeating_ancestors
                    above = (parent, *ancestors) if parent.repeating else ancestors
                kind = leaf_kinds.get(type_name)
                if kind is None:
                    kind = leaf_kinds[type_name] = kind_of(type_name, False, False, bool(above))
                # What __init__ would work out, written directly (the hot loop of a tree)
                leaf = new_field(ModelField)
                leaf.tree = self
                leaf.name = name
                leaf.path = prefix + name
                leaf.pointer = pointer
                leaf.parent = parent
                leaf.required = name in required
                leaf.broken_ref = None
                effective = new_effective(Effective)  # (no __init__ call: see below)
                effective.node = node
                effective.target = pointer
                effective.properties = _NO_PROPERTIES  # type: ignore[assignment]
                effective.required = _NO_NAMES  # type: ignore[assignment]
                effective.refs = ()
                leaf.effective = leaf.content = effective
                leaf.json_types = (node["type"],)
                leaf.nullable = node.get("nillable") is True or node.get("@xsdNillable") is True
                leaf.repeating = leaf.cycle = False
                leaf.items = leaf._children = None
                leaf._type = type_name
                leaf._kind = kind
                leaf._repeating_ancestors = above
                children[name] = leaf
                continue
            children[name] = ModelField(
                self, name, prefix + name, pointer, node, name in required, parent
            )
        self._remember_paths(parent, children)
        return children

    def _remember_paths(self, parent: ModelField, children: dict[str, ModelField]) -> None:
        """Put the new fields into `resolve`'s memo under their paths, when resolving that
        path would reach exactly that field (no name holds a dot or a bracket, nothing at
        either end of the path that `resolve` strips): a large model's bindings then find
        their fields with one lookup each, not a walk."""
        resolved = self._resolved
        if len(resolved) + len(children) > MAX_RESOLVED or not _reachable_by_path(parent):
            return
        at_root = parent.parent is None
        for name, child in children.items():
            if (
                name
                and "." not in name
                and "[" not in name
                and not name[-1].isspace()
                and not (at_root and name[0].isspace())
            ):
                resolved.setdefault(child.path, child)


def _reachable_by_path(field: ModelField) -> bool:
    """Whether `resolve(path)` of a field below this one walks the names this field's path
    was made of, through the tree's own fields (see `_remember_paths`; the last name's end
    is the child's to check). A field built outside the tree's cache (a caller's own walk)
    is not: its children must not stand in for the tree's."""
    node = field
    while node.parent is not None:
        name = node.name
        if not name or "." in name or "[" in name:
            return False
        parent = node.parent
        if parent.parent is None and name[0].isspace():
            return False  # the path would start with whitespace, which `resolve` strips
        siblings = parent._children
        if siblings is None or siblings.get(name) is not node:
            return False
        node = parent
    return node is field.tree.root


def _plain_leaf_type(node: dict[str, Any]) -> str | None:
    """The model-tree type of a plain leaf node (one `type` string, not an array or null;
    no keyword to follow or collect; a string `format` if any), else None."""
    raw = node.get("type")
    if (
        type(raw) is not str
        or raw == "array"
        or raw == "null"
        or not node.keys().isdisjoint(_NOT_PLAIN_LEAF)
    ):
        return None
    if raw != "string":
        return raw
    value = node.get("format")
    if value is None:
        return raw
    if type(value) is not str:
        return None  # the general path (and `ModelField.type`) decide what that means
    return "date" if value in DATE_FORMATS else raw


_NOT_PLAIN_LEAF = frozenset({"$ref", *_COLLECTED_KEYWORDS})
"""A node with any of these keys takes ModelField.__init__ (a non-string `$ref`, which that
ignores, included: rare, and the general path is always right)."""


def leaf_summary(node: dict[str, Any]) -> tuple[str, int | None] | None:
    """The type and explicit `@xsdMinOccurs` a ModelField for `node` would report, when `node`
    is a plain leaf (no `$ref` to follow, nothing to collect, not an array); None otherwise.

    Lets a caller that only compares fields skip building ModelFields for the thousands of
    leaves of a large model; `min_occurs` is the explicit value, else 1 if required, else 0."""
    if (
        not isinstance(node, dict)
        or isinstance(node.get("$ref"), str)
        or not node.keys().isdisjoint(_COLLECTED_KEYWORDS)
    ):
        return None
    types, _ = _types_of(node)
    if "array" in types or (not types and ("items" in node or "prefixItems" in node)):
        return None
    explicit = node.get("@xsdMinOccurs")
    return _model_type(types, node), explicit if isinstance(explicit, int) else None


def _esc(token: str) -> str:
    if "~" not in token and "/" not in token:
        return token
    return token.replace("~", "~0").replace("/", "~1")


def _types_of(node: dict[str, Any]) -> tuple[tuple[str, ...], bool]:
    raw = node.get("type")
    if isinstance(raw, str) and raw != "null":
        # the common case, answered without building intermediate tuples
        nullable = node.get("nillable") is True or node.get("@xsdNillable") is True
        return (raw,), nullable
    if isinstance(raw, str):
        types: tuple[str, ...] = (raw,)
    elif isinstance(raw, list):
        types = tuple(t for t in raw if isinstance(t, str))
    else:
        types = ()
    nullable = "null" in types or node.get("nillable") is True or node.get("@xsdNillable") is True
    return tuple(t for t in types if t != "null"), nullable


def _model_type(types: tuple[str, ...], node: dict[str, Any]) -> str:
    if not types:
        if "properties" in node:
            return "object"
        values = node.get("enum") if isinstance(node.get("enum"), list) else None
        if "const" in node:
            values = [node["const"]]
        if values:
            return _value_type(values[0])
        return ""
    first = types[0]
    if first == "string" and node.get("format") in DATE_FORMATS:
        return "date"
    return first


def _value_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return ""
