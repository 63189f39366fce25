"""The data classes a component definition is made of. Pure data: no rendering, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ExprType(StrEnum):
    """What an expression in a property must evaluate to."""

    BOOLEAN = "boolean"
    STRING = "string"
    NUMBER = "number"
    ANY = "any"


class Category(StrEnum):
    """Palette groups, as Altinn Studio groups components."""

    FORM = "form"
    TEXT = "text"
    BUTTON = "button"
    ATTACHMENT = "attachment"
    CONTAINER = "container"
    ADVANCED = "advanced"


@dataclass(frozen=True, slots=True)
class Prop:
    """One property of a component.

    `kind` is the JSON type: string, number, integer, boolean, object, array or any.
    `expr` says the property may also hold an expression evaluating to that type.
    `schema` optionally gives a JSON Schema fragment for structured values (objects, arrays);
    it may use `#/definitions/<type>-expr` refs, which the layout schema embeds.
    `deprecated` marks legacy properties Altinn still tolerates (kept valid, linted as old);
    `nullable` lets the value be null (as older Studio versions wrote it).
    """

    name: str
    kind: str
    title: str = ""
    description: str = ""
    required: bool = False
    default: Any = None
    enum: tuple[Any, ...] = ()
    expr: ExprType | None = None
    schema: dict[str, Any] | None = None
    deprecated: bool = False
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class Binding:
    """A `dataModelBindings` key: whether it is required and which model types fit it.

    `types` uses model-tree type names: string, number, integer, boolean, date, array, object.
    An empty tuple means any type. `aliases` are other names Altinn accepts for the same
    binding (newer frontends renamed e.g. person_lookup_ssn to ssn).
    """

    key: str
    required: bool = False
    types: tuple[str, ...] = ()
    description: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        """The key and its other spellings (any one of them satisfies `required`)."""
        return (self.key, *self.aliases)


@dataclass(frozen=True, slots=True)
class ChildRef:
    """A child named by a container, where the name sits, and its multipage page (if any)."""

    id: str
    pointer: str
    multipage_page: int | None = None


@dataclass(frozen=True, slots=True)
class ComponentDefinition:
    """Everything the platform knows about one component type.

    `child_paths` lists where a container names its children, as key paths in the component
    JSON with `*` for "every item of this array", e.g. ("tabs", "*", "children").
    `repeating` marks containers that repeat their children once per row of an array binding
    (`repeating_binding` is that binding key).
    `aliases` are other spellings of the same type (the v9 renames: Header -> Heading, ...).
    `open_bindings` / `open_text_keys` / `open_props` say the component accepts keys the
    catalogue cannot list (Custom components, List columns).
    `successor` is the type name the v9 frontend uses instead (Header -> Heading,
    OrganisationLookup -> OrganizationLookup): what a designer should write into a v9 app.
    `multi_value` marks components whose simpleBinding holds several option values,
    comma-separated (Checkboxes, MultipleSelect). Whether a type uses options is
    `prop("optionsId") is not None`; whether it stores data at all is `bool(bindings)`.
    """

    type: str
    category: Category
    title: str = ""
    description: str = ""
    props: tuple[Prop, ...] = ()
    bindings: tuple[Binding, ...] = ()
    text_keys: tuple[str, ...] = ()
    child_paths: tuple[tuple[str, ...], ...] = ()
    repeating: bool = False
    repeating_binding: str | None = None
    multipage_children: bool = False
    form_component: bool = False
    aliases: tuple[str, ...] = ()
    deprecated: bool = False
    open_bindings: bool = False
    open_text_keys: bool = False
    open_props: bool = False
    successor: str | None = None
    multi_value: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_container(self) -> bool:
        return bool(self.child_paths)

    def prop(self, name: str) -> Prop | None:
        for prop in self.props:
            if prop.name == name:
                return prop
        return None

    def binding(self, key: str) -> Binding | None:
        """The binding spec for a `dataModelBindings` key (aliases included)."""
        for binding in self.bindings:
            if key in binding.keys:
                return binding
        return None

    @property
    def simple_binding_key(self) -> str | None:
        return "simpleBinding" if self.binding("simpleBinding") else None

    @property
    def names(self) -> tuple[str, ...]:
        """Every `type` value that selects this definition."""
        return (self.type, *self.aliases)

    @property
    def required_bindings(self) -> tuple[str, ...]:
        return tuple(b.key for b in self.bindings if b.required)

    def expression_props(self) -> tuple[Prop, ...]:
        """Top-level properties that may hold an expression (see also nested `schema` refs)."""
        return tuple(p for p in self.props if p.expr is not None)
