"""Expression evaluation speed: compiled closures vs the tree-walking interpreter vs the same
logic written by hand as Python lambdas, on one generated form.

The form: 10 pages of 100 top-level inputs (each with a `hidden` and a `required` expression
reading the data model and other components) and 10 repeating groups of 100 rows whose child
has `hidden` and `required` per row, plus `hiddenRow` per row: 2,000 component contexts and
5,000 expression evaluations per pass. All three variants evaluate the same (expression,
context) pairs against the same state and their results are compared first. A pass starts
with hidden-ness memos cleared, so `component` lookups re-evaluate their targets every time.

Usage: python bench/expressions.py [--repeat N]
Ends with `compiled_vs_python = <ratio>` and `full_reevaluation_ms = <ms>` (a fresh state for
new data: contexts rebuilt and every expression evaluated, compiled).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from typing import Any

from layouts.expressions import EvalState, LayoutTree, compile_expression, evaluate
from layouts.expressions.tree import ComponentContext

PAGES = 10
INPUTS_PER_PAGE = 100
GROUPS = 10
ROWS = 100


def build_form() -> tuple[dict[str, Any], dict[str, Any]]:
    """Layouts and data: top-level inputs plus repeating groups, all expressions included."""
    rng = random.Random(7)
    layouts: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for page in range(PAGES):
        components: list[dict[str, Any]] = []
        for index in range(INPUTS_PER_PAGE):
            number = page * INPUTS_PER_PAGE + index
            other = (number + 1) % (PAGES * INPUTS_PER_PAGE)
            components.append(
                {
                    "id": f"c{number}",
                    "type": "Input",
                    "dataModelBindings": {"simpleBinding": f"f{number}"},
                    "hidden": ["equals", ["dataModel", f"f{number}"], "hide"],
                    "required": [
                        "and",
                        ["greaterThan", ["dataModel", f"n{number}"], 10],
                        ["not", ["equals", ["component", f"c{other}"], "x"]],
                    ],
                }
            )
            data[f"f{number}"] = rng.choice(["hide", "show", "x", "value"])
            data[f"n{number}"] = rng.randint(0, 20)
        group = page % GROUPS
        components.append(
            {
                "id": f"group{group}",
                "type": "RepeatingGroup",
                "dataModelBindings": {"group": f"g{group}"},
                "children": [f"age{group}"],
                "hiddenRow": ["equals", ["dataModel", f"g{group}.skip"], True],
            }
        )
        components.append(
            {
                "id": f"age{group}",
                "type": "Input",
                "dataModelBindings": {"simpleBinding": f"g{group}.age"},
                "hidden": ["lessThan", ["dataModel", f"g{group}.age"], 18],
                "required": [
                    "or",
                    ["equals", ["dataModel", f"g{group}.name"], ""],
                    ["greaterThanEq", ["component", f"age{group}"], 67],
                ],
            }
        )
        data[f"g{group}"] = [
            {
                "age": rng.randint(0, 99),
                "name": rng.choice(["", "Kari", "Ola"]),
                "skip": rng.random() < 0.1,
            }
            for _ in range(ROWS)
        ]
        layouts[f"Page{page}"] = {"data": {"layout": components}}
    return layouts, data


def handwritten(prop: str, component: dict[str, Any]) -> Callable[[ComponentContext], Any]:
    """The same logic as the component's expression, as a Python programmer would write it
    against the same state API (data reads transposed to the row, component reads honouring
    hidden-ness)."""
    cid = component["id"]
    if cid.startswith("group"):
        path = f"{component['dataModelBindings']['group']}.skip"
        return lambda ctx: ctx.state.data_value(path, None, ctx) is True
    if cid.startswith("age"):
        group_path = component["dataModelBindings"]["simpleBinding"].rsplit(".", 1)[0]
        age, name = f"{group_path}.age", f"{group_path}.name"
        if prop == "hidden":

            def hidden(ctx: ComponentContext) -> bool:
                value = ctx.state.data_value(age, None, ctx)
                return value is not None and float(value) < 18

            return hidden

        def required_row(ctx: ComponentContext) -> bool:
            if ctx.state.data_value(name, None, ctx) == "":
                return True
            value = ctx.state.component_value(ctx, cid)
            return value is not None and float(value) >= 67

        return required_row
    number = int(cid[1:])
    field, count = f"f{number}", f"n{number}"
    other = f"c{(number + 1) % (PAGES * INPUTS_PER_PAGE)}"
    if prop == "hidden":
        return lambda ctx: ctx.state.data_value(field, None, ctx) == "hide"

    def required(ctx: ComponentContext) -> bool:
        value = ctx.state.data_value(count, None, ctx)
        greater = value is not None and float(value) > 10
        return greater and ctx.state.component_value(ctx, other) != "x"

    return required


def work_items(state: EvalState) -> list[tuple[Any, ComponentContext, dict[str, Any], str]]:
    """(expression, context, component, property) for every evaluation of one pass."""
    items = []
    for context in state.all_contexts():
        info = context.component
        assert info is not None
        for prop in ("hidden", "required"):
            if prop in info.json:
                items.append((info.json[prop], context, dict(info.json), prop))
    for page in state.pages:
        for context in page.walk():
            if context.is_row:
                info = context.component
                assert info is not None
                items.append((info.json["hiddenRow"], context, dict(info.json), "hiddenRow"))
    return items


def reset(state: EvalState) -> None:
    for page in state.pages:
        for context in page.walk():
            context._hidden = None


def timed(
    runs: dict[str, Callable[[], list[Any]]], repeat: int, state: EvalState
) -> dict[str, tuple[float, list[Any]]]:
    """Best time per variant, the variants interleaved so machine load affects all alike."""
    best = {name: float("inf") for name in runs}
    results: dict[str, list[Any]] = {}
    for _ in range(repeat):
        for name, run in runs.items():
            reset(state)
            start = time.perf_counter()
            results[name] = run()
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: (best[name], results[name]) for name in runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="passes per variant (best kept)")
    args = parser.parse_args()

    layouts, data = build_form()
    tree = LayoutTree(layouts)
    state = EvalState(tree=tree, models={"default": data})
    items = work_items(state)
    contexts = len(state.all_contexts())
    compiled = [(compile_expression(source), context) for source, context, _, _ in items]
    python = [(handwritten(prop, component), context) for _, context, component, prop in items]
    interpreted = [(source, context) for source, context, _, _ in items]
    print(f"form: {contexts} component contexts, {len(items)} expression evaluations per pass")

    def run_compiled() -> list[Any]:
        return [function(context) for function, context in compiled]

    def run_python() -> list[Any]:
        return [function(context) for function, context in python]

    def run_interpreted() -> list[Any]:
        return [evaluate(source, state, context) for source, context in interpreted]

    fast = timed({"python": run_python, "compiled": run_compiled}, args.repeat, state)
    (t_python, r_python), (t_compiled, r_compiled) = fast["python"], fast["compiled"]
    t_interp, r_interp = timed({"interpreted": run_interpreted}, 3, state)["interpreted"]
    mismatches = sum(
        1 for a, b, c in zip(r_compiled, r_python, r_interp, strict=True) if not a == b == c
    )
    if mismatches:
        raise SystemExit(f"{mismatches} results differ between the variants")

    cached = {(id(source), prop): compile_expression(source) for source, _, _, prop in items}

    def full_reevaluation() -> int:
        """What the runtime does on a save: a fresh state for the new data, then every
        context's own expressions (hidden and required; hiddenRow through is_hidden)."""
        fresh = EvalState(tree=tree, models={"default": data})
        count = 0
        for page in fresh.pages:
            for context in page.walk():
                info = context.component
                if info is None:
                    continue
                if context.is_row:
                    context.is_hidden()
                    count += 1
                    continue
                for prop in ("hidden", "required"):
                    source = info.json.get(prop)
                    if source is not None:
                        cached[(id(source), prop)](context)
                        count += 1
        return count

    full_times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        evaluated = full_reevaluation()
        full_times.append(time.perf_counter() - start)
    full_ms = min(full_times) * 1000

    per = 1e6 / len(items)
    print(f"hand-written python: {t_python * 1000:8.2f} ms  ({t_python * per:.2f} µs/expr)")
    print(f"compiled:            {t_compiled * 1000:8.2f} ms  ({t_compiled * per:.2f} µs/expr)")
    print(f"interpreted:         {t_interp * 1000:8.2f} ms  ({t_interp * per:.2f} µs/expr)")
    print(f"interpreted_vs_compiled = {t_interp / t_compiled:.2f}")
    print(f"full re-evaluation (fresh state, {evaluated} evaluations): {full_ms:.2f} ms")
    print(f"compiled_vs_python = {t_compiled / t_python:.2f}")
    print(f"full_reevaluation_ms = {full_ms:.2f}")


if __name__ == "__main__":
    main()
