"""Where a component (or page) holds expressions, and what each must evaluate to.

Derived from the generated layout schema, so nested places (options `source.label`,
`queryParameters.*`, `pageBreak.*`, table column `hidden`, grid `cellStyle.colSpan`, map
`toolbar.*`, number formatting, `textResourceBindings.*`, ...) are found without anyone keeping
a second list. Only places that are present in the given JSON are reported; whether the value
there is an expression or a literal is the caller's call (`isinstance(value, list)`).

Each type's schema is compiled once into a table (`component_slots`); `schema_walk_slots`
walks the schema along a component instead, and is what the tables are tested against.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from layouts.catalogue.model import ExprType
from layouts.catalogue.registry import resolve
from layouts.catalogue.schema_gen import definition_key, layout_schema
from schemas.sourcemap import escape_pointer_token

_TYPED_REF = re.compile(r"^#/definitions/(boolean|string|number|any)-expr$")
_MAX_DEPTH = 24


@cache
def _definitions() -> dict[str, Any]:
    definitions: dict[str, Any] = layout_schema()["definitions"]
    return definitions


def expression_slots(component: Mapping[str, Any]) -> Iterator[tuple[str, ExprType]]:
    """(JSON pointer relative to the component, expected type) for every expression-capable
    place the component uses. Unknown types yield nothing."""
    for pointer, expected, _ in component_slots(str(component.get("type", ""))).sites(component):
        yield pointer, expected


def schema_walk_slots(component: Mapping[str, Any]) -> Iterator[tuple[str, ExprType]]:
    """The same slots as `expression_slots`, found by walking the component along the whole
    layout schema: the reference the per-type tables are derived from and tested against."""
    definition = resolve(str(component.get("type", "")))
    if definition is None:
        return
    yield from walk_slots(_definitions()[definition_key(definition)], component)


def walk_slots(
    schema: Mapping[str, Any], component: Mapping[str, Any]
) -> Iterator[tuple[str, ExprType]]:
    """The slots of `component` under a component `schema`, by walking both together."""
    seen: set[str] = set()
    for pointer, expected in _walk(schema, component, "", 0):
        if pointer not in seen:
            seen.add(pointer)
            yield pointer, expected
    texts = component.get("textResourceBindings")
    if isinstance(texts, Mapping):
        # Keys the type does not define are schema errors, but Altinn still evaluates them
        # as text: type-check them too.
        for key in texts:
            pointer = f"/textResourceBindings/{escape_pointer_token(key)}"
            if pointer not in seen:
                yield pointer, ExprType.STRING


def page_expression_slots(page: Mapping[str, Any]) -> Iterator[tuple[str, ExprType]]:
    """Slots of a whole page file: `data.hidden` and every component's, with full pointers."""
    data = page.get("data")
    if not isinstance(data, Mapping):
        return
    if "hidden" in data:
        yield "/data/hidden", ExprType.BOOLEAN
    layout = data.get("layout")
    if not isinstance(layout, list):
        return
    for index, component in enumerate(layout):
        if isinstance(component, Mapping):
            for pointer, expected in expression_slots(component):
                yield f"/data/layout/{index}{pointer}", expected


def _expected(schema: Mapping[str, Any]) -> ExprType | None:
    """The expression type a schema node stands for, or None when it is not an expression."""
    annotated = schema.get("x-expression")
    if isinstance(annotated, str):
        return ExprType(annotated)
    match = _TYPED_REF.match(str(schema.get("$ref", "")))
    if match:
        return ExprType(match.group(1))
    alternatives = schema.get("anyOf")
    if isinstance(alternatives, list):
        kinds = [_expected(alt) for alt in alternatives if isinstance(alt, Mapping)]
        typed = {kind for kind in kinds if kind is not None}
        if len(typed) == 1:
            return typed.pop()
        if len(typed) > 1:
            return ExprType.ANY
    return None


def _deref(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    for _ in range(_MAX_DEPTH):
        ref = schema.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/definitions/"):
            return schema
        schema = _definitions()[ref.rsplit("/", 1)[1]]
    return schema


def _walk(
    schema: Mapping[str, Any], value: Any, pointer: str, depth: int
) -> Iterator[tuple[str, ExprType]]:
    if depth > _MAX_DEPTH:
        return
    expected = _expected(schema)
    if expected is None:
        schema = _deref(schema)
        expected = _expected(schema)
    if expected is not None:
        yield pointer, expected
        return
    for keyword in ("anyOf", "oneOf", "allOf"):
        for alternative in schema.get(keyword) or ():
            if isinstance(alternative, Mapping):
                yield from _walk(alternative, value, pointer, depth + 1)
    if isinstance(value, Mapping):
        yield from _walk_object(schema, value, pointer, depth)
    elif isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for index, item in enumerate(value):
            yield from _walk(schema["items"], item, f"{pointer}/{index}", depth + 1)


def _walk_object(
    schema: Mapping[str, Any], value: Mapping[str, Any], pointer: str, depth: int
) -> Iterator[tuple[str, ExprType]]:
    properties = schema.get("properties") or {}
    extra = schema.get("additionalProperties")
    for key, item in value.items():
        sub = properties.get(key)
        if sub is None and isinstance(extra, Mapping):
            sub = extra
        if isinstance(sub, Mapping):
            yield from _walk(sub, item, f"{pointer}/{escape_pointer_token(key)}", depth + 1)


# -- per-type tables ---------------------------------------------------------------------------
# Walking the schema for every component is what made finding expressions slow. The schema of
# a type is fixed, so each schema node is compiled once into a plan that says what a value
# there can hold: an expression slot of a known type, nothing expression-capable at any depth
# (ids, bindings, plain settings), an object whose keys have their own plans, or "walk the
# schema" for the rare shapes a plan does not describe (alternatives that can hold
# expressions, deep nesting). A component then costs a look at the keys that can hold one.

_SLOT, _NOTHING, _OBJECT, _WALK, _TEXT_KEYS = range(5)
SCALAR_TYPES = frozenset({str, bool, int, float, type(None)})
_PLAN_DEPTH = 4  # deeper than any property the catalogue nests expressions in
_MAX_TABLES = 1024
_TEXTS = "textResourceBindings"
_TEXTS_PREFIX = f"/{_TEXTS}/"

# (kind, ...): (_SLOT, type) | (_NOTHING,) | (_OBJECT, props, extra, items, schema, depth)
# | (_WALK, schema, depth). `props` maps a key to (plan, escaped "/key").
_Plan = tuple[Any, ...]
_NOTHING_PLAN: _Plan = (_NOTHING,)

_Action = tuple[str, int, str | None, str, _Plan]
"""(key, kind, expected type, "/key", plan) for one key of a component worth looking at."""
_KeyPlan = tuple[
    tuple[tuple[str, str, str], ...], str | None, tuple[tuple[str, str, str], ...], Any
]
_MAX_KEY_TUPLES = 512

Site = tuple[str, ExprType, Any]
"""(pointer relative to the component, expected type, the value found there)."""


def _can_yield(schema: Mapping[str, Any], memo: dict[int, bool]) -> bool:
    """Whether `_walk` could report a slot anywhere below `schema`, for any value: a search
    over every node it could reach (alternatives, properties, items, `$ref`s).

    `memo` holds the answer per node (by id: the schema outlives one compilation). A node
    met again while its own answer is pending counts as True: too cautious only costs a
    walk where none was needed, never a missed slot."""
    key = id(schema)
    if key in memo:
        return memo[key]
    memo[key] = True
    node = schema
    found = _expected(node) is not None
    if not found:
        node = _deref(node)
        found = _expected(node) is not None
    if not found:
        properties = node.get("properties") or {}
        children: list[Any] = [
            member for keyword in ("anyOf", "oneOf", "allOf") for member in node.get(keyword) or ()
        ]
        if isinstance(properties, Mapping):
            children += properties.values()
            children += (node.get("additionalProperties"), node.get("items"))
            found = any(_can_yield(child, memo) for child in children if isinstance(child, Mapping))
        else:
            found = True  # not a shape the plans describe: let the walk decide
    memo[key] = found
    return found


def _compile(schema: Mapping[str, Any], depth: int, memo: dict[int, bool]) -> _Plan:
    """The plan for values at a schema node reached at `depth`, mirroring `_walk` exactly.
    `memo` remembers `_can_yield` per node (by id: the schema outlives one compilation)."""
    if depth > _MAX_DEPTH:
        return _NOTHING_PLAN
    node = schema
    expected = _expected(node)
    if expected is None:
        node = _deref(node)
        expected = _expected(node)
    if expected is not None:
        return (_SLOT, expected)
    if not _can_yield(node, memo):
        return _NOTHING_PLAN
    walk = (_WALK, schema, depth)
    if depth >= _PLAN_DEPTH:
        return walk
    for keyword in ("anyOf", "oneOf", "allOf"):
        for member in node.get(keyword) or ():
            if isinstance(member, Mapping) and _can_yield(member, memo):
                return walk  # the walk reports alternatives first, in its own order
    properties = node.get("properties") or {}
    if not isinstance(properties, Mapping):
        return walk
    props: dict[str, tuple[_Plan, str]] = {}
    for key, sub in properties.items():
        if sub is None:
            continue  # `_walk_object` falls back to additionalProperties for these
        plan = _compile(sub, depth + 1, memo) if isinstance(sub, Mapping) else _NOTHING_PLAN
        props[key] = (plan, f"/{escape_pointer_token(key)}")
    extra = node.get("additionalProperties")
    items = node.get("items")
    return (
        _OBJECT,
        props,
        _compile(extra, depth + 1, memo) if isinstance(extra, Mapping) else None,
        _compile(items, depth + 1, memo) if isinstance(items, Mapping) else None,
        schema,
        depth,
    )


def _run(plan: _Plan, value: Any, pointer: str, out: list[Site]) -> None:
    """Append the slots under `value` (at `pointer`) that `plan` finds, in walk order."""
    kind = plan[0]
    if kind == _SLOT:
        out.append((pointer, plan[1], value))
    elif kind == _OBJECT:
        if type(value) is dict:
            props, extra = plan[1], plan[2]
            for key, item in value.items():
                entry = props.get(key)
                if entry is not None:
                    sub, token = entry
                elif extra is not None:
                    sub, token = extra, f"/{escape_pointer_token(key)}"
                else:
                    continue
                sub_kind = sub[0]
                if sub_kind == _SLOT:
                    out.append((pointer + token, sub[1], item))
                elif sub_kind != _NOTHING:
                    _run(sub, item, pointer + token, out)
        elif type(value) is list:
            items = plan[3]
            if items is not None and items[0] != _NOTHING:
                for index, item in enumerate(value):
                    _run(items, item, f"{pointer}/{index}", out)
        elif isinstance(value, (Mapping, list)):
            _run_walk(plan[4], plan[5], value, pointer, out)
    elif kind == _WALK:
        _run_walk(plan[1], plan[2], value, pointer, out)


def _run_walk(
    schema: Mapping[str, Any], depth: int, value: Any, pointer: str, out: list[Site]
) -> None:
    # Pointers below different keys never collide, so removing repeats per subtree is
    # the same as the whole walk's removal.
    seen: set[str] = set()
    for found, expected in _walk(schema, value, pointer, depth):
        if found not in seen:
            seen.add(found)
            out.append((found, expected, _value_at(value, found[len(pointer) :])))


def _value_at(value: Any, pointer: str) -> Any:
    node = value
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


class ComponentSlots:
    """The expression slots of one component type, compiled once from its layout schema."""

    def __init__(self, root: _Plan | None) -> None:
        self.root = root
        # Which textResourceBindings keys the schema pass reports itself (key -> reported,
        # `_texts_extra` for keys the schema does not list); None when that depends on the
        # value. Every key it does not report is added afterwards as a string slot.
        self._texts: dict[str, bool] | None = {}
        self._texts_extra = False
        texts_plan: _Plan | None = None
        if root is not None and root[0] == _OBJECT:
            entry = root[1].get(_TEXTS)
            texts_plan = entry[0] if entry is not None else root[2]
        elif root is not None and root[0] == _WALK:
            self._texts = None
        if texts_plan is not None and texts_plan[0] == _WALK:
            self._texts = None
        elif texts_plan is not None and texts_plan[0] == _OBJECT:
            props, extra = texts_plan[1], texts_plan[2]
            kinds = {plan[0] for plan, _ in props.values()} | {extra[0] if extra else _NOTHING}
            if kinds <= {_SLOT, _NOTHING}:
                self._texts = {key: plan[0] == _SLOT for key, (plan, _) in props.items()}
                self._texts_extra = extra is not None and extra[0] == _SLOT
            else:
                self._texts = None

        # The hot path's view of the top level: key -> (kind, expected, "/key", plan), with
        # textResourceBindings as _TEXT_KEYS. Only for the catalogue's usual shape (the text
        # keys' fate known statically); anything else takes `sites`.
        self._top: dict[str, tuple[int, str | None, str, _Plan]] | None = None
        self._top_extra: _Plan | None = None
        self._key_plans: dict[tuple[str, ...], _KeyPlan] = {}
        self._text_types: dict[str, str | None] = {}
        self._text_extra_type: str | None = None
        texts_entry = root[1].get(_TEXTS) if root is not None and root[0] == _OBJECT else None
        texts_kind = texts_entry[0][0] if texts_entry is not None else None
        if texts_kind in (_OBJECT, _NOTHING) and self._texts is not None:
            assert root is not None and texts_entry is not None
            self._top = {}
            for key, (plan, token) in root[1].items():
                kind = _TEXT_KEYS if key == _TEXTS else plan[0]
                expected = str(plan[1]) if kind == _SLOT else None
                self._top[key] = (kind, expected, token, plan)
            self._top_extra = root[2]
            if texts_kind == _OBJECT:
                text_props, text_extra = texts_entry[0][1], texts_entry[0][2]
                self._text_types = {
                    key: str(plan[1]) if plan[0] == _SLOT else None
                    for key, (plan, _) in text_props.items()
                }
                if text_extra is not None and text_extra[0] == _SLOT:
                    self._text_extra_type = str(text_extra[1])

    @property
    def known(self) -> bool:
        return self.root is not None

    def expressions(self, component: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
        """`sites` narrowed to JSON arrays (the only values that can be expressions), with
        the expected type as a plain string: the expression check's hot path.

        Which keys to look at, and how, depends only on the component's keys, so that is
        worked out once per key tuple: keys where no slot can ever be are not looked at, and
        the usual component (slots and text keys only) takes a straight path."""
        if self._top is None:
            return self._slow_expressions(component)
        keys = tuple(component)
        plan = self._key_plans.get(keys)
        if plan is None:
            plan = self._key_plan(keys)
        before, texts_key, after, actions = plan
        if actions is not None:
            return self._ordered_expressions(component, actions)
        out: list[tuple[str, str, Any]] = []
        for key, token, expected in before:
            value = component[key]
            if isinstance(value, list):
                out.append((token, expected, value))
        unreported: list[tuple[str, str, Any]] | None = None
        if texts_key is not None:
            texts = component[texts_key]
            if type(texts) is dict:
                unreported = self._text_slots(texts, out)
            elif type(texts) not in SCALAR_TYPES:
                return self._ordered_expressions(component, self._actions_for(keys))
        for key, token, expected in after:
            value = component[key]
            if isinstance(value, list):
                out.append((token, expected, value))
        if unreported:
            out.extend(unreported)
        return out

    def plain_slots(
        self, keys: tuple[str, ...]
    ) -> tuple[tuple[tuple[str, str], ...], str | None] | None:
        """For components with these keys (in this order) whose `expressions` takes the
        straight path: (key, expected type) of each top-level slot, and the text-keys key
        (None if absent); None for any other shape. Order aside, `expressions` then gives
        exactly the slots holding arrays, and each text key holding one with `text_type`."""
        if self._top is None:
            return None
        plan = self._key_plans.get(keys)
        if plan is None:
            plan = self._key_plan(keys)
        before, texts_key, after, actions = plan
        if actions is not None:
            return None
        return tuple((key, expected) for key, _, expected in (*before, *after)), texts_key

    def text_type(self, key: str) -> str:
        """The type `expressions` gives an array at `textResourceBindings/<key>` on the
        straight path (keys the schema does not report are strings)."""
        found = self._text_types.get(key, self._text_extra_type)
        return "string" if found is None else found

    def _text_slots(
        self, texts: dict[str, Any], out: list[tuple[str, str, Any]]
    ) -> list[tuple[str, str, Any]] | None:
        """Adds to `out` the arrays under text keys the schema reports; returns those under
        keys it does not report (strings, listed after everything else), or None."""
        unreported: list[tuple[str, str, Any]] | None = None
        for text_key, text in texts.items():
            if not isinstance(text, list):
                continue  # below a text key there is never another slot
            pointer = _TEXTS_PREFIX + escape_pointer_token(text_key)
            text_type = self._text_types.get(text_key, self._text_extra_type)
            if text_type is not None:
                out.append((pointer, text_type, text))
            else:
                unreported = unreported or []
                unreported.append((pointer, "string", text))
        return unreported

    def _ordered_expressions(
        self, component: Mapping[str, Any], actions: tuple[_Action, ...]
    ) -> list[tuple[str, str, Any]]:
        """`expressions` for any keys, following each key's plan in the component's order."""
        out: list[tuple[str, str, Any]] = []
        unreported: list[tuple[str, str, Any]] | None = None
        for key, kind, expected, token, plan in actions:
            value = component[key]
            if kind == _SLOT:
                if isinstance(value, list):
                    out.append((token, expected, value))  # type: ignore[arg-type]
                continue
            value_type = type(value)
            if value_type in SCALAR_TYPES:
                continue  # no slot below a scalar
            if kind == _TEXT_KEYS and value_type is dict:
                more = self._text_slots(value, out)
                if more:
                    unreported = (unreported or []) + more
                continue
            if kind == _TEXT_KEYS and isinstance(value, Mapping):
                return self._slow_expressions(component)
            found: list[Site] = []
            _run(plan, value, token, found)
            out.extend((p, str(e), v) for p, e, v in found if isinstance(v, list))
        if unreported:
            out.extend(unreported)
        return out

    def _key_plan(self, keys: tuple[str, ...]) -> _KeyPlan:
        """How `expressions` treats components with these keys: (slots before the text
        keys, the text-keys key, slots after it, None) when slots and text keys are all
        there is to look at; else (..., every key's action) for the ordered loop."""
        actions = self._actions_for(keys)
        before: list[tuple[str, str, str]] = []
        after: list[tuple[str, str, str]] = []
        texts_key: str | None = None
        general = False
        for key, kind, expected, token, _ in actions:
            if kind == _SLOT and expected is not None:
                (after if texts_key is not None else before).append((key, token, expected))
            elif kind == _TEXT_KEYS and texts_key is None:
                texts_key = key
            else:
                general = True
        plan: _KeyPlan = (tuple(before), texts_key, tuple(after), actions if general else None)
        if len(self._key_plans) >= _MAX_KEY_TUPLES:
            self._key_plans.clear()
        self._key_plans[keys] = plan
        return plan

    def _actions_for(self, keys: tuple[str, ...]) -> tuple[_Action, ...]:
        assert self._top is not None
        actions: list[_Action] = []
        extra = self._top_extra
        for key in keys:
            entry = self._top.get(key)
            if entry is not None:
                if entry[0] != _NOTHING:
                    actions.append((key, *entry))
            elif extra is not None and extra[0] != _NOTHING:
                expected = str(extra[1]) if extra[0] == _SLOT else None
                actions.append((key, extra[0], expected, f"/{escape_pointer_token(key)}", extra))
        return tuple(actions)

    def _slow_expressions(self, component: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
        return [(p, str(e), v) for p, e, v in self.sites(component) if isinstance(v, list)]

    def sites(self, component: Mapping[str, Any]) -> list[Site]:
        """Every slot the component uses, with its value, in the order of `schema_walk_slots`."""
        root = self.root
        if root is None:
            return []
        out: list[Site] = []
        _run(root, component, "", out)
        texts = component.get(_TEXTS)
        if not isinstance(texts, Mapping) or not texts:
            return out
        reported = self._texts
        if reported is not None and type(texts) is dict:
            extra = self._texts_extra
            for key, value in texts.items():
                if not reported.get(key, extra):
                    out.append((_TEXTS_PREFIX + escape_pointer_token(key), ExprType.STRING, value))
            return out
        seen = {pointer for pointer, _, _ in out}
        for key in texts:
            pointer = _TEXTS_PREFIX + escape_pointer_token(key)
            if pointer not in seen:
                out.append((pointer, ExprType.STRING, texts[key]))
        return out

    def covers(self, *tokens: str) -> bool | None:
        """Whether a value present at the path of (unescaped) `tokens` is always reported as
        a slot (True), never (False), or only depending on the component (None)."""
        plan = self.root
        if plan is None:
            return False
        if len(tokens) == 2 and tokens[0] == _TEXTS:
            return True  # keys the schema does not report are added as strings
        for token in tokens:
            if plan[0] == _WALK:
                return None
            if plan[0] != _OBJECT:
                return False
            entry = plan[1].get(token)
            sub = entry[0] if entry is not None else plan[2]
            if sub is None:
                return False
            plan = sub
        if plan[0] == _WALK:
            return None
        return plan[0] == _SLOT


def compile_slots(schema: Mapping[str, Any]) -> ComponentSlots:
    """The slot table for a component schema (its `$ref`s point into the layout schema)."""
    return ComponentSlots(_compile(schema, 0, {}))


_TABLES: dict[str, ComponentSlots] = {}
"""`type` value -> its table; spellings of one type (letter case, aliases) share the table."""
_BY_DEFINITION: dict[str, ComponentSlots] = {}
_NO_SLOTS = ComponentSlots(None)


def component_slots(type_name: str) -> ComponentSlots:
    """The slot table for a `type` value (unknown types get an empty one). Tables are
    compiled once per component definition: a file may spell a type in many letter cases."""
    table = _TABLES.get(type_name)
    if table is None:
        definition = resolve(type_name)
        table = _NO_SLOTS
        if definition is not None:
            key = definition_key(definition)
            table = _BY_DEFINITION.get(key)
            if table is None:
                table = _BY_DEFINITION[key] = compile_slots(_definitions()[key])
        if len(_TABLES) >= _MAX_TABLES:
            _TABLES.clear()
        _TABLES[type_name] = table
    return table
