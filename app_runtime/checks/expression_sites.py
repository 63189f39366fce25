"""Where the expressions of an app sit, for the expression check (EXPR).

Which properties hold expressions, and of which type, comes from the component catalogue
(`layouts.catalogue.expr_slots`, derived from the layout schema); on top of that, the places
Altinn documents for types or keys the catalogue does not know (`COMMON_BOOLEAN`, `NESTED`,
unknown types' `textResourceBindings.*`), page `data.hidden`, and the conditions and
messages of `App/models/*.validation.json`. `unclear_components` is the check's hot loop:
it passes the components whose expressions are all clean without listing them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from app_runtime.app import LayoutSet
from layouts.catalogue.expr_slots import SCALAR_TYPES, ComponentSlots, component_slots
from layouts.expressions.typecheck import UNSURE, TypeEnvironment, clean_type, data_model_pairs
from schemas.sourcemap import JsonDocument

# Expression-valued properties Altinn documents beyond the catalogue's top-level props.
COMMON_BOOLEAN = ("hidden", "required", "readOnly")
NESTED = {
    ("edit", "addButton"): "boolean",
    ("edit", "saveButton"): "boolean",
    ("edit", "deleteButton"): "boolean",
    ("edit", "editButton"): "boolean",
    ("edit", "alertOnDelete"): "boolean",
    ("edit", "saveAndNextButton"): "boolean",
    ("source", "label"): "string",
    ("source", "description"): "string",
    ("source", "helpText"): "string",
    ("pageBreak", "breakBefore"): "string",
    ("pageBreak", "breakAfter"): "string",
}

Expression = tuple[str, str, Any]
"""(JSON pointer relative to its component, expected type, the expression)."""


@dataclass(frozen=True, slots=True)
class Site:
    """Where an expression sits and what its property expects."""

    file: str
    pointer: str
    value: Any
    expected: str
    data_type: str | None = None  # read from another data type (a Subform's entries)


def layout_sites(
    layout_set: LayoutSet, set_types: Mapping[str, str | None] | None = None
) -> Iterator[Site]:
    """Every expression-valued property of every page and component in a layout set."""
    by_page: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for entry in layout_set.components():
        by_page.setdefault(entry[0], []).append(entry)
    for page, document in layout_set.pages.items():
        yield from page_sites(layout_set, page, document, by_page.get(page, []), set_types)


def page_sites(
    layout_set: LayoutSet,
    page: str,
    document: JsonDocument,
    components: list[tuple[str, str, dict[str, Any]]],
    set_types: Mapping[str, str | None] | None = None,
) -> Iterator[Site]:
    """The expressions of one page: its `data.hidden`, then each component's.

    A Subform's own texts and entry name are evaluated per entry, against the data type of
    the layout set it shows (`set_types` maps layout-set ids to data types)."""
    file = layout_set.page_files.get(page, page)
    hidden = page_hidden(document)
    if hidden is not None:
        yield Site(file, "/data/hidden", hidden, "boolean")
    for _, pointer, component in components:
        entry_type = entry_type_of(component, set_types)
        for relative, expected, value in component_expressions(component):
            full = pointer + relative
            if entry_type is not None and per_entry(full):
                yield Site(file, full, value, expected, entry_type)
            else:
                yield Site(file, full, value, expected)


def page_hidden(document: JsonDocument) -> list[Any] | None:
    """A page's `data.hidden` when it is an expression."""
    data = document.data.get("data") if isinstance(document.data, dict) else None
    if isinstance(data, dict) and isinstance(data.get("hidden"), list):
        return data["hidden"]  # type: ignore[no-any-return]
    return None


def entry_type_of(
    component: Mapping[str, Any], set_types: Mapping[str, str | None] | None
) -> str | None:
    """The data type a Subform's entries are read from (None for other components)."""
    if component.get("type") == "Subform" and set_types:
        return set_types.get(str(component.get("layoutSet")))
    return None


def per_entry(pointer: str) -> bool:
    """A Subform's own texts, entry name and table cells are evaluated per entry (against
    the data of that entry, as app-frontend does)."""
    return (
        "/textResourceBindings/" in pointer
        or pointer.endswith("/entryDisplayName")
        or ("/tableColumns/" in pointer and "/cellContent/" in pointer)
    )


def component_sites(file: str, pointer: str, component: Mapping[str, Any]) -> Iterator[Site]:
    """Expressions in one component: the catalogue's expression slots (every place its
    definition allows an expression, nested ones included), plus the documented places for
    types or keys the catalogue does not know."""
    for relative, expected, value in component_expressions(component):
        yield Site(file, pointer + relative, value, expected)


@dataclass(frozen=True, slots=True)
class _Fallback:
    """A documented expression place, checked when the catalogue does not report it."""

    outer: str
    inner: str | None
    relative: str
    expected: str
    reported: bool | None  # False: the catalogue never reports it; None: it depends


_Top = tuple[str, str, Mapping[str, frozenset[type]]]
"""(top-level key, expected type, `data_model_pairs(expected type)`)."""
_Quick = tuple[tuple[_Top, ...], tuple[tuple[str, str, str], ...], str | None]
"""Where `unclear_components` looks for one key tuple: the top-level places, (outer key,
inner key, expected type) triples, and the text-keys key (or None)."""
_MAX_QUICK = 512


class TypePlan:
    """What finding a component's expressions needs of its `type` value, worked out once:
    its slot table, and which documented places it may have to add.

    `quick` is False for types `unclear_components` must always leave to `expressions` (a
    Subform's entry texts are read from another data type)."""

    def __init__(self, slots: ComponentSlots, quick: bool = True) -> None:
        self.slots = slots
        self.quick = quick
        self.quick_plans: dict[tuple[str, ...], _Quick | None] = {}
        # The last component's keys and quick plan: the next component of the type usually
        # has the same keys, as the very same strings (a page's parse shares its keys), which
        # compare faster than the equal strings of the tuple kept in `quick_plans`. (Two
        # attributes, not a pair: no tuple to build per component.)
        self.last_keys: tuple[str, ...] | None = None
        self.last_quick: _Quick | None = None
        self.texts_fallback = not self.slots.known  # known types report every text key
        places: list[tuple[str, str | None, str]] = [
            (name, None, "boolean") for name in (*COMMON_BOOLEAN, "hiddenRow")
        ]
        places += [(outer, inner, expected) for (outer, inner), expected in NESTED.items()]
        fallbacks: list[_Fallback] = []
        for outer, inner, expected in places:
            tokens = (outer,) if inner is None else (outer, inner)
            reported = self.slots.covers(*tokens)
            if reported is not True:
                relative = "".join(f"/{escape(token)}" for token in tokens)
                fallbacks.append(_Fallback(outer, inner, relative, expected, reported))
        outers = {fallback.outer for fallback in fallbacks}
        if self.texts_fallback:
            outers.add("textResourceBindings")
        self.outers = frozenset(outers)
        # Text keys come between the top-level places and the nested ones.
        self._top = [fallback for fallback in fallbacks if fallback.inner is None]
        self._nested = [fallback for fallback in fallbacks if fallback.inner is not None]

    def expressions(self, component: Mapping[str, Any]) -> list[Expression]:
        """The component's expressions (see `component_expressions`)."""
        found = self.slots.expressions(component)
        if not self.outers.isdisjoint(component):
            self.add_fallbacks(component, found)
        return found

    def quick_plan(self, keys: tuple[str, ...]) -> _Quick | None:
        """Where `unclear_components` looks for expressions in components with these keys
        (remembered in `quick_plans`); None when it leaves them to `expressions`."""
        plain = self.slots.plain_slots(keys) if self.quick else None
        quick: _Quick | None = None
        if plain is not None and not (self.texts_fallback and "textResourceBindings" in keys):
            tops = [(key, expected, data_model_pairs(expected)) for key, expected in plain[0]]
            nested: list[tuple[str, str, str]] = []
            for fallback in (*self._top, *self._nested):
                if fallback.outer not in keys:
                    continue
                if fallback.reported is not False:
                    break  # whether the slots report it depends on the value
                if fallback.inner is None:
                    expected = fallback.expected
                    tops.append((fallback.outer, expected, data_model_pairs(expected)))
                else:
                    nested.append((fallback.outer, fallback.inner, fallback.expected))
            else:
                quick = (tuple(tops), tuple(nested), plain[1])
        if len(self.quick_plans) >= _MAX_QUICK:
            self.quick_plans.clear()
        self.quick_plans[keys] = quick
        return quick

    def add_fallbacks(self, component: Mapping[str, Any], found: list[Expression]) -> None:
        """Append the documented places the slots did not report (`component` has at least
        one of `outers`)."""
        self._add(self._top, component, found)
        if self.texts_fallback:
            bindings = component.get("textResourceBindings")
            if isinstance(bindings, Mapping):
                for key, value in bindings.items():
                    if isinstance(value, list):
                        found.append((f"/textResourceBindings/{escape(key)}", "string", value))
        self._add(self._nested, component, found)

    def _add(
        self, fallbacks: list[_Fallback], component: Mapping[str, Any], found: list[Expression]
    ) -> None:
        reported: list[str] | None = None
        for fallback in fallbacks:
            value = component.get(fallback.outer)
            if fallback.inner is not None:
                value = value.get(fallback.inner) if isinstance(value, Mapping) else None
            if not isinstance(value, list):
                continue
            if fallback.reported is None:
                # Reported or not depends on the value: ask the slots themselves (all of
                # them, not only the arrays in `found`).
                if reported is None:
                    reported = [pointer for pointer, _, _ in self.slots.sites(component)]
                if fallback.relative in reported:
                    continue
            found.append((fallback.relative, fallback.expected, value))


TYPE_PLANS: dict[str, TypePlan] = {}
"""`type` value -> its plan, filled by `type_plan` (read it directly in hot loops)."""
_MAX_PLANS = 1024


_PLANS_BY_TABLE: dict[tuple[int, bool], TypePlan] = {}
"""(slot table id, quick) -> plan: spellings of one type share a plan (tables live for the
process, so their ids stay theirs)."""


def type_plan(type_name: str) -> TypePlan:
    plan = TYPE_PLANS.get(type_name)
    if plan is None:
        if len(TYPE_PLANS) >= _MAX_PLANS:
            TYPE_PLANS.clear()
        # A Subform's entry texts are checked against another data type: not quickly.
        slots = component_slots(type_name)
        quick = type_name != "Subform"
        plan = _PLANS_BY_TABLE.get((id(slots), quick))
        if plan is None:
            plan = _PLANS_BY_TABLE[(id(slots), quick)] = TypePlan(slots, quick=quick)
        TYPE_PLANS[type_name] = plan
    return plan


Entry = tuple[str, str, dict[str, Any]]
"""(page id, JSON pointer, component), as `LayoutSet.components` gives them."""


def unclear_components(components: list[Entry], env: TypeEnvironment) -> list[Entry]:
    """The entries whose expressions need a closer look: those with one `clean_type` does
    not pass under `env`, and those of a shape this does not judge (`TypePlan.quick_plan`).

    The expression check's hot loop: for every other component no list of expressions is
    built, only the keys that may hold one are looked at (as `TypePlan.quick_plan` worked
    out once per key tuple of the type), and the commonest expression, [function,
    ["dataModel", path], literal], is judged without a call (`data_model_pairs`). Values
    are told apart by `type(...) is`, cheaper than `isinstance`; subclasses of list (never
    parsed from JSON) are left unclear, as `clean_type` never passes one."""
    plans = TYPE_PLANS
    find = env.find_default_path
    unclear: list[Entry] = []
    for entry in components:
        component = entry[2]
        try:
            plan = plans[component["type"]]
        except (KeyError, TypeError):  # no type, one not seen yet, or not even a string
            plan = type_plan(str(component.get("type", "")))
        keys = tuple(component)
        if keys == plan.last_keys:
            quick = plan.last_quick  # the keys of the type's last component, likely the same
        else:
            try:
                quick = plan.quick_plans[keys]
            except KeyError:
                quick = plan.quick_plan(keys)
            plan.last_quick = quick
        plan.last_keys = keys
        if quick is None:
            unclear.append(entry)
            continue
        tops, nested, texts_key = quick
        clean = True
        for key, expected, pairs in tops:
            value = component[key]
            value_type = type(value)
            if value_type is list:
                if find is not None and len(value) == 3:
                    # [function, ["dataModel", path], literal], judged here when the table
                    # says a found path is all it needs (`data_model_pairs`); else, or if
                    # anything raises, `clean_type` decides.
                    inner = value[1]
                    try:
                        if (
                            type(inner) is list
                            and len(inner) == 2
                            and inner[0] == "dataModel"
                            and type(inner[1]) is str
                            and type(value[2]) in pairs.get(value[0], ())
                            and find(inner[1]) is not None
                        ):
                            continue
                    except Exception:
                        pass
                if clean_type(value, expected, env) is UNSURE:
                    clean = False
                    break
            elif value_type not in SCALAR_TYPES and isinstance(value, list):
                clean = False  # a subclass of list: `clean_type` never passes one
                break
        if texts_key is not None and clean:
            texts = component[texts_key]
            if type(texts) is dict:
                for text_key in texts:  # (iterating keys builds one object less than values)
                    if type(texts[text_key]) is not str:  # (rare: most texts are keys)
                        clean = _texts_clean(plan.slots, texts, env)
                        break
            elif type(texts) not in SCALAR_TYPES:
                clean = False  # `expressions` takes its general path
        if nested and clean:
            clean = _nested_clean(component, nested, env)
        if not clean:
            unclear.append(entry)
    return unclear


def _texts_clean(slots: ComponentSlots, texts: dict[str, Any], env: TypeEnvironment) -> bool:
    for key, text in texts.items():
        if isinstance(text, list) and clean_type(text, slots.text_type(key), env) is UNSURE:
            return False
    return True


def _nested_clean(
    component: Mapping[str, Any], nested: tuple[tuple[str, str, str], ...], env: TypeEnvironment
) -> bool:
    for outer, inner, expected in nested:
        holder = component[outer]
        if isinstance(holder, Mapping):
            value = holder.get(inner)
            if isinstance(value, list) and clean_type(value, expected, env) is UNSURE:
                return False
    return True


def component_expressions(component: Mapping[str, Any]) -> list[Expression]:
    """(pointer relative to the component, expected type, value) of every expression in a
    component, in the order `component_sites` always gave them."""
    type_name = component.get("type", "")
    plan = TYPE_PLANS.get(type_name) if type(type_name) is str else None
    if plan is None:
        plan = type_plan(str(type_name))
    return plan.expressions(component)


def validation_sites(file: str, data: Any) -> Iterator[Site]:
    """Conditions (boolean) and messages (string) in a `*.validation.json` file."""
    if not isinstance(data, Mapping):
        return
    definitions = data.get("definitions")
    if isinstance(definitions, Mapping):
        for name, definition in definitions.items():
            yield from _validation_entry(file, f"/definitions/{escape(name)}", definition)
    validations = data.get("validations")
    if isinstance(validations, Mapping):
        for field, entries in validations.items():
            if not isinstance(entries, list):
                continue
            for index, entry in enumerate(entries):
                yield from _validation_entry(file, f"/validations/{escape(field)}/{index}", entry)


def _validation_entry(file: str, pointer: str, entry: Any) -> Iterator[Site]:
    if not isinstance(entry, Mapping):
        return
    if isinstance(entry.get("condition"), list):
        yield Site(file, f"{pointer}/condition", entry["condition"], "boolean")
    if isinstance(entry.get("message"), list):
        yield Site(file, f"{pointer}/message", entry["message"], "string")


def escape(token: str) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")
