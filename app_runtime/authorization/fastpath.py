"""Compiling the common target shape into one generated Python function.

Almost every Altinn target is a conjunction of AnyOfs whose Matches are plain string
equalities (exact or ignoring case) on optional designators. Such a target cannot be
Indeterminate, so it reduces to boolean logic over set membership. Generating that logic as
straight-line Python (the way dataclasses generate __init__) removes a dozen closure calls
per rule. Bags are still fetched lazily, AnyOf by AnyOf, so a subject attribute is only looked
up (and enriched from the register) when the cheaper categories already matched.
"""

from __future__ import annotations

from typing import Any

SimpleMatch = tuple[tuple[str, str, str], str, bool]  # (bag key, value, ignore case)


def compile_simple_target(any_ofs: list[list[list[SimpleMatch]]]) -> Any:
    """A function ctx -> bool for AnyOfs (outer list, in evaluation order) of AllOfs of
    simple matches. Values of ignore-case matches must already be lower-cased."""
    constants: dict[str, Any] = {}
    lines = ["def target(ctx):", "    bags = ctx.bags"]
    fetched: dict[tuple[str, str, str], str] = {}
    lowered: set[str] = set()

    def constant(value: Any) -> str:
        name = f"C{len(constants)}"
        constants[name] = value
        return name

    def bag_var(key: tuple[str, str, str]) -> str:
        if key not in fetched:
            name = f"b{len(fetched)}"
            fetched[key] = name
            key_name = constant(key)
            lines.append(f"    {name} = bags.get({key_name})")
            lines.append(f"    if {name} is None:")
            lines.append(f"        {name} = ctx.bag({key_name})")
        return fetched[key]

    def lower_var(key: tuple[str, str, str]) -> str:
        bag = bag_var(key)
        name = "l" + bag[1:]
        if name not in lowered:
            lowered.add(name)
            lines.append(f"    {name} = [item.lower() for item in {bag}]")
        return name

    for any_of in any_ofs:
        singles = {(m[0][0], m[0][2]) for m in any_of if len(m) == 1}
        if len(any_of) > 1 and all(len(m) == 1 for m in any_of) and len(singles) == 1:
            key, _, ignore_case = any_of[0][0]
            source = lower_var(key) if ignore_case else bag_var(key)
            values = constant(frozenset(m[0][1] for m in any_of))
            lines.append(f"    if {values}.isdisjoint({source}):")
            lines.append("        return False")
            continue
        for all_of in any_of:
            for key, _, ignore_case in all_of:
                if ignore_case:
                    lower_var(key)
                else:
                    bag_var(key)
        alternatives = []
        for all_of in any_of:
            tests = []
            for key, value, ignore_case in all_of:
                source = lower_var(key) if ignore_case else bag_var(key)
                tests.append(f"{constant(value)} in {source}")
            alternatives.append("(" + " and ".join(tests) + ")")
        lines.append(f"    if not ({' or '.join(alternatives)}):")
        lines.append("        return False")
    lines.append("    return True")
    namespace: dict[str, Any] = dict(constants)
    exec(compile("\n".join(lines), "<xacml-target>", "exec"), namespace)
    function = namespace["target"]
    function.safe = True
    return function
