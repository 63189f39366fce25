"""Benchmark: validating form data against a large SERES-style model.

Builds a ~5,000-field model (groups of `-datadef-` elements with `orid` attributes and typed
`value`s, some repeating), 1,000 instances with errors in about one in five, and a layout
binding every value field to a component. In one run it times:

* the `jsonschema` library collecting all errors (the baseline, on a slice of the instances);
* Formstudio's validator (jsonschema-rs through `schemas.validation.ModelValidator`);
* bare jsonschema-rs `iter_errors` versus validation plus mapping each error to the
  components bound to its path (`app_runtime.datavalidation.LayoutSetValidator`).

Ends with `speedup_vs_jsonschema = <x>` and `mapping_overhead = <x>`.
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jsonschema
import jsonschema_rs

from app_runtime.datavalidation import BoundComponent, LayoutSetValidator
from schemas.instances import sample_instance
from schemas.model import DataModel, model_from_schema
from schemas.validation import ModelValidator, rooted_schema

FORMATS = [
    ("Tekst50-repformat-1", {"type": "string", "minLength": 1, "maxLength": 50}),
    ("Tekst175-repformat-2", {"type": "string", "minLength": 1, "maxLength": 175}),
    ("Fodselsnummer-repformat-3", {"type": "string", "pattern": "^[0-9]{11}$"}),
    ("Belop-repformat-4", {"type": "integer", "minimum": 0, "maximum": 999999999999999}),
    ("Dato-repformat-5", {"type": "string", "format": "date"}),
    ("JaNei-repformat-6", {"type": "string", "enum": ["Ja", "Nei"]}),
    ("Prosent-repformat-7", {"type": "number", "minimum": 0, "maximum": 100}),
]


def build_model(target_fields: int = 5000, seed: int = 7) -> dict[str, Any]:
    """A SERES-shaped schema: groups of datadef elements, each {orid, value}."""
    rng = random.Random(seed)
    definitions: dict[str, Any] = {name: dict(body) for name, body in FORMATS}
    root_props: dict[str, Any] = {
        "dataFormatProvider": {"type": "string", "const": "SERES", "@xsdType": "XmlAttribute"},
        "dataFormatId": {"type": "string", "const": "9999", "@xsdType": "XmlAttribute"},
    }
    fields = 2
    group_no = 9000
    datadef_no = 30000
    while fields < target_fields:
        group_no += 1
        group_name = f"Gruppe{group_no}-grp-{group_no}"
        group_props: dict[str, Any] = {
            "gruppeid": {"type": "integer", "const": group_no, "@xsdType": "XmlAttribute"}
        }
        fields += 2
        required = ["gruppeid"]
        for _ in range(rng.randint(6, 14)):
            datadef_no += 1
            element = f"Felt{datadef_no}-datadef-{datadef_no}"
            fmt = rng.choice(FORMATS)[0]
            definitions[element] = {
                "properties": {
                    "orid": {"type": "integer", "const": datadef_no, "@xsdType": "XmlAttribute"},
                    "value": {"$ref": f"#/definitions/{fmt}", "@xsdText": True},
                },
                "required": ["orid"],
            }
            group_props[element] = {"$ref": f"#/definitions/{element}", "@xsdMinOccurs": 0}
            fields += 3
        definitions[group_name] = {"properties": group_props, "required": required}
        if rng.random() < 0.15:
            root_props[group_name] = {
                "type": "array",
                "minItems": 0,
                "maxItems": 99,
                "items": {"$ref": f"#/definitions/{group_name}"},
                "@xsdMaxOccurs": 99,
            }
        else:
            root_props[group_name] = {"$ref": f"#/definitions/{group_name}"}
    definitions["Skjema"] = {"properties": root_props, "required": ["dataFormatProvider"]}
    return {
        "$schema": "http://json-schema.org/schema#",
        "$id": "schema.json",
        "type": "object",
        "properties": {"melding": {"$ref": "#/definitions/Skjema"}},
        "info": {"meldingsnavn": "melding", "XSLT-skriptnavn": "SERES_XSD_GEN"},
        "definitions": definitions,
    }


def leaf_paths(model: DataModel) -> list[tuple[str, Any]]:
    return [(f.path, f) for f in model.tree().walk() if f.name == "value"]


def bindings_for(model: DataModel) -> list[BoundComponent]:
    """One Input per value field (as a layout would bind them)."""
    out = []
    for index, (path, _) in enumerate(leaf_paths(model)):
        out.append(
            BoundComponent(
                f"input-{index}", "simpleBinding", path, path, "model", "page1", "", "Input"
            )
        )
    return out


def break_value(field: Any, rng: random.Random) -> Any:
    """A value that violates the field's restrictions."""
    node = field.content.node
    kind = field.type
    if kind in ("integer", "number"):
        return rng.choice(["not a number", -5, 1e30])
    if "pattern" in node:
        return "12345"
    if "enum" in node:
        return "Kanskje"
    if node.get("format") == "date":
        return "31.02.2024"
    return "x" * (int(node.get("maxLength", 50)) + 5) if rng.random() < 0.5 else ""


def make_instances(model: DataModel, count: int, seed: int = 11) -> tuple[list[Any], int]:
    rng = random.Random(seed)
    bases = [sample_instance(model, rng, optional=0.8) for _ in range(12)]
    tree = model.tree()
    broken = 0
    instances = []
    for _ in range(count):
        instance = copy.deepcopy(rng.choice(bases))
        if rng.random() < 0.2:
            broken += 1
            for _ in range(rng.randint(1, 3)):
                _sprinkle_error(instance, tree, rng)
        instances.append(instance)
    return instances, broken


def _sprinkle_error(instance: dict[str, Any], tree: Any, rng: random.Random) -> None:
    group_name = rng.choice([k for k, v in instance.items() if isinstance(v, dict | list)])
    group_field = tree.root.children[group_name]
    target = instance[group_name]
    if isinstance(target, list):
        if not target:
            return
        target = rng.choice(target)
    element_name = rng.choice([n for n in group_field.children if n.endswith(tuple("0123456789"))])
    element_field = group_field.children[element_name]
    element = target.setdefault(
        element_name, {"orid": element_field.children["orid"].restrictions["const"]}
    )
    element["value"] = break_value(element_field.children["value"], rng)


def timed(function: Any, *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fields", type=int, default=5000)
    parser.add_argument("--instances", type=int, default=1000)
    parser.add_argument(
        "--reference-slice",
        type=int,
        default=100,
        help="how many instances the slow jsonschema baseline validates (throughput is per instance)",
    )
    args = parser.parse_args()

    model = model_from_schema(build_model(args.fields), "model")
    field_count = len(model.tree().fields())
    instances, broken = make_instances(model, args.instances)
    print(f"model: {field_count} fields; {len(instances)} instances, {broken} with errors")

    schema = rooted_schema(model)
    fast = ModelValidator(model)
    bindings = bindings_for(model)
    mapped = LayoutSetValidator(model, bindings, "model")
    bare = jsonschema_rs.validator_for(schema, validate_formats=True)
    reference = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )

    # Warm up every engine (compilation and caches) before timing.
    for instance in instances[:5]:
        fast.errors(instance)
        mapped.validate(instance)
        list(bare.iter_errors(instance))
        list(reference.iter_errors(instance))

    slice_ = instances[: args.reference_slice]
    t_reference, reference_errors = timed(lambda: [list(reference.iter_errors(i)) for i in slice_])
    _, fast_slice_errors = timed(lambda: [fast.errors(i) for i in slice_])
    t_fast, fast_errors = timed(lambda: [fast.errors(i) for i in instances])
    t_bare, bare_errors = timed(lambda: [list(bare.iter_errors(i)) for i in instances])
    t_mapped, mapped_errors = timed(lambda: [mapped.validate(i) for i in instances])
    invalid = [i for i, errors in zip(instances, fast_errors, strict=True) if errors]
    t_bare_invalid, _ = timed(lambda: [list(bare.iter_errors(i)) for i in invalid])
    t_mapped_invalid, _ = timed(lambda: [mapped.validate(i) for i in invalid])

    ref_total = sum(len(e) for e in reference_errors)
    fast_slice_total = sum(len(e) for e in fast_slice_errors)
    total_errors = sum(len(e) for e in fast_errors)
    bound = sum(1 for per in mapped_errors for m in per if m.component_ids)
    assert ref_total == fast_slice_total, (ref_total, fast_slice_total)
    assert total_errors == sum(len(e) for e in bare_errors)

    reference_rate = len(slice_) / t_reference
    fast_rate = len(instances) / t_fast
    speedup = fast_rate / reference_rate
    overhead = t_mapped / t_bare
    print(
        f"errors found: {total_errors} ({bound} mapped to a component); "
        f"reference and fast agree on the {len(slice_)}-instance slice: {ref_total} errors"
    )
    print(
        f"jsonschema (reference): {reference_rate:10.1f} instances/s  ({len(slice_)} instances, {t_reference:.2f} s)"
    )
    print(
        f"Formstudio validator:   {fast_rate:10.1f} instances/s  ({len(instances)} instances, {t_fast:.3f} s)"
    )
    print(
        f"bare jsonschema-rs:     {len(instances) / t_bare:10.1f} instances/s  (iter_errors, {t_bare:.3f} s)"
    )
    print(
        f"validate + map errors:  {len(instances) / t_mapped:10.1f} instances/s  ({t_mapped:.3f} s)"
    )
    print(
        f"on the {len(invalid)} invalid instances alone, validate + map costs "
        f"{t_mapped_invalid / t_bare_invalid:.2f}x bare iter_errors"
    )
    print(f"speedup_vs_jsonschema = {speedup:.1f}")
    print(f"mapping_overhead = {overhead:.2f}")


if __name__ == "__main__":
    main()
