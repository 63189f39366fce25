"""Empty and random valid instances for a model: for new instances, previews and tests.

`sample_instance` uses a plain `random.Random` so the runtime can call it without test
libraries; `instance_strategy` gives the same shapes as a hypothesis strategy for property
tests (hypothesis is imported only when asked for).
"""

from __future__ import annotations

import datetime as dt
import random
import string
import uuid
from typing import Any

from schemas.instances.regexgen import string_matching
from schemas.model.loader import DataModel
from schemas.model.tree import ModelField

ROW_ID = "altinnRowId"
MAX_DEPTH = 12


def empty_instance(model: DataModel) -> dict[str, Any]:
    """What a new instance holds: fixed (`const`) root values only, as the C# model does."""
    data: dict[str, Any] = {}
    for name, child in model.tree().root.children.items():
        restrictions = child.restrictions
        if "const" in restrictions and not child.repeating:
            data[name] = _coerce_const(child, restrictions["const"])
    return data


def sample_instance(
    model: DataModel, seed: int | random.Random | None = None, optional: float = 0.6
) -> dict[str, Any]:
    """Random data that is valid against the model; `optional` is the chance to fill an
    optional field."""
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    value = _object(model.tree().root, rng, optional, 0)
    return value if isinstance(value, dict) else {}


def _object(node: ModelField, rng: random.Random, optional: float, depth: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, child in node.children.items():
        needed = child.required or child.min_occurs > 0
        if not needed and (depth >= MAX_DEPTH or child.cycle or rng.random() > optional):
            continue
        result[name] = _field(child, rng, optional, depth + 1)
    return result


def _field(node: ModelField, rng: random.Random, optional: float, depth: int) -> Any:
    if node.repeating:
        low = node.min_occurs
        high = node.max_occurs if node.max_occurs is not None else low + 3
        high = min(high, low + 3)
        count = low if depth >= MAX_DEPTH else rng.randint(low, max(low, high))
        rows = []
        for _ in range(count):
            if node.content.properties:
                row = _object(node, rng, optional, depth)
                row[ROW_ID] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                rows.append(row)
            else:
                value = _scalar(node.content.node, node.item_type or "string", rng)
                if node.effective.node.get("uniqueItems") is True and value in rows:
                    continue  # a repeat would break uniqueItems; one row fewer is still valid
                rows.append(value)
        if len(rows) < low and node.effective.node.get("uniqueItems") is True:
            rows.extend(_distinct_fill(node, rows, low, rng))
        return rows
    if node.content.properties:
        return _object(node, rng, optional, depth)
    return _scalar(node.content.node, node.type, rng)


def _distinct_fill(node: ModelField, rows: list[Any], low: int, rng: random.Random) -> list[Any]:
    extra: list[Any] = []
    for _ in range(50 * max(1, low)):
        if len(rows) + len(extra) >= low:
            break
        value = _scalar(node.content.node, node.item_type or "string", rng)
        if value not in rows and value not in extra:
            extra.append(value)
    return extra


def _coerce_const(node: ModelField, value: Any) -> Any:
    """SERES models write `const: "1603"` on integer attributes; give the typed value."""
    if node.type == "integer" and isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return value


def _scalar(schema: dict[str, Any], kind: str, rng: random.Random) -> Any:
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return rng.choice(enum)
    if kind in ("integer", "number"):
        return _number(schema, kind, rng)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "date" or schema.get("format") == "date":
        return (dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 9000))).isoformat()
    fmt = schema.get("format")
    if fmt == "date-time":
        return f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T12:00:00Z"
    if fmt == "time":
        return f"1{rng.randint(0, 9)}:30:00"
    if fmt in ("email", "idn-email"):
        return f"user{rng.randint(1, 999)}@example.no"
    if kind == "object":
        return {}
    return _string(schema, rng)


def _number(schema: dict[str, Any], kind: str, rng: random.Random) -> Any:
    low = schema.get("minimum", schema.get("@xsdMinInclusive"))
    high = schema.get("maximum")
    ex_low = schema.get("exclusiveMinimum")
    ex_high = schema.get("exclusiveMaximum")
    lo = float(low) if isinstance(low, int | float) else -1000.0
    hi = float(high) if isinstance(high, int | float) else lo + 100000.0
    if isinstance(ex_low, int | float) and not isinstance(ex_low, bool):
        lo = max(lo, float(ex_low) + 1)
    if isinstance(ex_high, int | float) and not isinstance(ex_high, bool):
        hi = min(hi, float(ex_high) - 1)
    digits = schema.get("totalDigits")
    if isinstance(digits, int) and digits > 0:
        hi = min(hi, 10.0 ** min(digits, 15) - 1)
    hi = max(hi, lo)
    step = schema.get("multipleOf")
    value = rng.randint(int(-(-lo // 1)), int(hi // 1)) if int(hi) >= lo else lo
    if isinstance(step, int | float) and step > 0:
        value = step * round(value / step)
        if value < lo:
            value += step
    if kind == "integer":
        return int(value)
    return value


def _string(schema: dict[str, Any], rng: random.Random) -> str:
    min_len = schema.get("minLength", 0)
    max_len = schema.get("maxLength")
    low = min_len if isinstance(min_len, int) else 0
    high = max_len if isinstance(max_len, int) else max(low, 12)
    high = max(low, min(high, low + 12))
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        value = string_matching(pattern, rng, low, max_len if isinstance(max_len, int) else None)
        if value is not None:
            return value
    length = rng.randint(max(low, min(1, high)), high) if high else 0
    return "".join(rng.choice(string.ascii_letters) for _ in range(length))


def instance_strategy(model: DataModel, max_rows: int = 3) -> Any:
    """A hypothesis strategy drawing valid instances of the model."""
    from hypothesis import strategies as st

    def build(node: ModelField, depth: int) -> Any:
        if node.repeating:
            low = node.min_occurs
            high = node.max_occurs if node.max_occurs is not None else low + max_rows
            high = min(high, low + max_rows)
            if depth >= MAX_DEPTH:
                high = low
            if node.content.properties:
                row = st.tuples(obj(node, depth), st.uuids(version=4)).map(
                    lambda pair: {**pair[0], ROW_ID: str(pair[1])}
                )
            else:
                row = scalar(node)
            return st.lists(row, min_size=low, max_size=high)
        if node.content.properties:
            return obj(node, depth)
        return scalar(node)

    def scalar(node: ModelField) -> Any:
        return st.randoms(use_true_random=False).map(
            lambda r: _scalar(node.content.node, node.item_type or node.type or "string", r)
        )

    def obj(node: ModelField, depth: int) -> Any:
        required: dict[str, Any] = {}
        optional: dict[str, Any] = {}
        for name, child in node.children.items():
            if child.required or child.min_occurs > 0:
                required[name] = build(child, depth + 1)
            elif not child.cycle and depth < MAX_DEPTH:
                optional[name] = build(child, depth + 1)
        return st.fixed_dictionaries(required, optional=optional)

    return build(model.tree().root, 0)
