"""Benchmark: `studio validate` on a large synthetic app vs merely parsing its files.

Builds an app in a temporary folder (100 pages x 50 components, a 5,000-field JSON Schema
model with its XSD, texts in two languages, options, process and policy), then times, in the
same process and run:

* validate: load the app and run every registered check (what `studio validate` does after
  start-up; check modules are imported before timing);
* parse: read every file of the app and `json.loads` / lxml-parse it.

Rounds of the three measurements are interleaved (parse, validate, core checks, parse, ...)
so that a change in the machine's load hits all of them alike; each figure is the best of
its rounds (the first validate round also pays one-time, per-process set-up such as
compiling the layout schema's validators, which `studio validate` pays once per run).
Ends with `validate_vs_parse = <ratio>`.
Run: python bench/validate.py [--pages N] [--components N] [--fields N] [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PROCESS = """<?xml version="1.0" encoding="utf-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:altinn="http://altinn.no/process" id="Definitions" targetNamespace="http://bpmn.io">
  <bpmn:process id="Process" isExecutable="false">
    <bpmn:startEvent id="Start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:task id="Task_1" name="Fill in">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:extensionElements><altinn:taskExtension><altinn:taskType>data</altinn:taskType>
      </altinn:taskExtension></bpmn:extensionElements>
    </bpmn:task>
    <bpmn:endEvent id="End"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Task_1"/>
    <bpmn:sequenceFlow id="f2" sourceRef="Task_1" targetRef="End"/>
  </bpmn:process>
</bpmn:definitions>
"""

POLICY = """<?xml version="1.0" encoding="utf-8"?>
<xacml:Policy xmlns:xacml="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17"
    PolicyId="urn:altinn:example:policyid:1" Version="1.0"
    RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides">
  <xacml:Target/>
  <xacml:Rule RuleId="urn:altinn:example:ruleid:1" Effect="Permit">
    <xacml:Target>
      <xacml:AnyOf><xacml:AllOf>
        <xacml:Match MatchId="urn:oasis:names:tc:xacml:3.0:function:string-equal-ignore-case">
          <xacml:AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">dagl</xacml:AttributeValue>
          <xacml:AttributeDesignator AttributeId="urn:altinn:rolecode"
            Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject"
            DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/>
        </xacml:Match>
      </xacml:AllOf></xacml:AnyOf>
      <xacml:AnyOf><xacml:AllOf>
        <xacml:Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal">
          <xacml:AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">ttd</xacml:AttributeValue>
          <xacml:AttributeDesignator AttributeId="urn:altinn:org"
            Category="urn:oasis:names:tc:xacml:3.0:attribute-category:resource"
            DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/>
        </xacml:Match>
        <xacml:Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal">
          <xacml:AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">big</xacml:AttributeValue>
          <xacml:AttributeDesignator AttributeId="urn:altinn:app"
            Category="urn:oasis:names:tc:xacml:3.0:attribute-category:resource"
            DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/>
        </xacml:Match>
      </xacml:AllOf></xacml:AnyOf>
      <xacml:AnyOf><xacml:AllOf>
        <xacml:Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal">
          <xacml:AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">read</xacml:AttributeValue>
          <xacml:AttributeDesignator AttributeId="urn:oasis:names:tc:xacml:1.0:action:action-id"
            Category="urn:oasis:names:tc:xacml:3.0:attribute-category:action"
            DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/>
        </xacml:Match>
      </xacml:AllOf></xacml:AnyOf>
    </xacml:Target>
  </xacml:Rule>
</xacml:Policy>
"""

KINDS = ("Input", "TextArea", "Datepicker", "Dropdown", "Checkboxes")


def build_app(root: Path, pages: int, components: int, fields: int) -> None:
    """Write the synthetic app under `root`."""
    app = root / "App"
    groups = max(1, fields // 50)
    per_group = fields // groups
    properties = {
        f"group{g}": {
            "type": "object",
            "properties": {
                f"field{f}": {"type": "string", "maxLength": 100} for f in range(per_group)
            },
        }
        for g in range(groups)
    }
    model = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "schema.json",
        "type": "object",
        "info": {"rootNode": ""},
        "@xsdRootElement": "model",
        "properties": properties,
    }
    xsd = ['<?xml version="1.0" encoding="utf-8"?>']
    xsd.append('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">')
    xsd.append('<xs:element name="model"><xs:complexType><xs:sequence>')
    for g in range(groups):
        xsd.append(f'<xs:element name="group{g}" minOccurs="0"><xs:complexType><xs:sequence>')
        for f in range(per_group):
            xsd.append(f'<xs:element name="field{f}" type="xs:string" minOccurs="0"/>')
        xsd.append("</xs:sequence></xs:complexType></xs:element>")
    xsd.append("</xs:sequence></xs:complexType></xs:element></xs:schema>")

    texts: dict[str, list[dict[str, str]]] = {"nb": [], "en": []}
    page_files: dict[str, object] = {}
    counter = 0
    for p in range(pages):
        layout = []
        for c in range(components):
            kind = KINDS[c % len(KINDS)]
            group, field = counter % groups, (counter // groups) % per_group
            counter += 1
            text_key = f"page{p}.comp{c}.title"
            component: dict[str, object] = {
                "id": f"page{p}-comp{c}x",
                "type": kind,
                "dataModelBindings": {"simpleBinding": f"group{group}.field{field}"},
                "textResourceBindings": {"title": text_key},
                "required": c % 2 == 0,
                "hidden": ["equals", ["dataModel", f"group{group}.field{field}"], "skjul"],
            }
            if kind in ("Dropdown", "Checkboxes"):
                component["optionsId"] = f"list{c % 10}"
            layout.append(component)
            for language in texts:
                texts[language].append({"id": text_key, "value": f"{language} {p}/{c}"})
        page_files[f"page{p}"] = {"data": {"layout": layout}}

    files: dict[str, object] = {
        "App/config/applicationmetadata.json": {
            "id": "ttd/big",
            "org": "ttd",
            "title": {"nb": "Stor app"},
            "dataTypes": [
                {
                    "id": "model",
                    "allowedContentTypes": ["application/xml"],
                    "appLogic": {"autoCreate": True, "classRef": "Altinn.App.Models.model"},
                    "taskId": "Task_1",
                    "maxCount": 1,
                    "minCount": 1,
                }
            ],
            "partyTypesAllowed": {
                "bankruptcyEstate": False,
                "organisation": True,
                "person": True,
                "subUnit": False,
            },
        },
        "App/config/process/process.bpmn": PROCESS,
        "App/config/authorization/policy.xml": POLICY,
        "App/models/model.schema.json": model,
        "App/models/model.xsd": "\n".join(xsd),
        "App/ui/layout-sets.json": {
            "sets": [{"id": "form", "dataType": "model", "tasks": ["Task_1"]}]
        },
        "App/ui/form/Settings.json": {"pages": {"order": list(page_files)}},
    }
    for language, resources in texts.items():
        files[f"App/config/texts/resource.{language}.json"] = {
            "language": language,
            "resources": resources,
        }
    for i in range(10):
        files[f"App/options/list{i}.json"] = [
            {"value": f"v{j}", "label": f"Option {j}"} for j in range(20)
        ]
    for name, content in page_files.items():
        files[f"App/ui/form/layouts/{name}.json"] = content
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else json.dumps(content, indent=2)
        path.write_text(text, encoding="utf-8")
    assert app.is_dir()


def parse_only(root: Path) -> int:
    """Read and parse every JSON and XML file of the app; return how many were parsed."""
    from lxml import etree

    count = 0
    for path in sorted(root.rglob("*")):
        if path.suffix == ".json":
            json.loads(path.read_bytes())
            count += 1
        elif path.suffix in (".xml", ".bpmn", ".xsd"):
            etree.fromstring(path.read_bytes())
            count += 1
    return count


def validate(root: Path) -> int:
    from app_runtime.app import load_app
    from app_runtime.validation.runner import run_checks

    return len(run_checks(load_app(root)))


LOADER_AREAS = ("files", "layouts", "texts", "options", "metadata")


def validate_loader_areas(root: Path) -> int:
    """Loading plus the FILE/LAY/TXT/OPT/META checks only (the loader-and-validate share)."""
    from app_runtime.app import load_app
    from app_runtime.validation.runner import load_checks, run_checks

    checks = [c for c in load_checks()[0] if c.area in LOADER_AREAS]
    return len(run_checks(load_app(root), checks))


def per_check(root: Path, checks: list) -> None:  # type: ignore[type-arg]
    """Time loading and each check separately (each on a freshly loaded app)."""
    from app_runtime.app import load_app

    started = time.perf_counter()
    load_app(root).load_everything()
    print(f"  {'load_everything':60s} {(time.perf_counter() - started) * 1000:8.1f} ms")
    for registered in checks:
        app = load_app(root)
        app.load_everything()
        started = time.perf_counter()
        try:
            list(registered.run(app))
        except Exception as exc:
            print(f"  {registered.name} failed: {exc}")
        print(f"  {registered.name:60s} {(time.perf_counter() - started) * 1000:8.1f} ms")


def best_of_interleaved(rounds: int, functions: list, root: Path) -> list[tuple[float, int]]:  # type: ignore[type-arg]
    """For each function, (best seconds, its result) over `rounds` rounds taken in turn."""
    best = [(float("inf"), 0) for _ in functions]
    for _ in range(rounds):
        for index, function in enumerate(functions):
            started = time.perf_counter()
            result = function(root)
            elapsed = time.perf_counter() - started
            if elapsed < best[index][0]:
                best[index] = (elapsed, result)
    return best


def import_cost_ms() -> float:
    """Start-up cost of `studio validate`: importing every check module, in a fresh process."""
    import subprocess

    code = (
        "import time; t = time.perf_counter(); "
        "from app_runtime.validation.runner import load_checks; load_checks(); "
        "print((time.perf_counter() - t) * 1000)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    try:
        return float(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--components", type=int, default=50)
    parser.add_argument("--fields", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="profile one validate run")
    parser.add_argument("--per-check", action="store_true", help="time each check alone")
    args = parser.parse_args()

    from app_runtime.validation.runner import load_checks

    checks, problems = load_checks()
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as folder:
        root = Path(folder) / "big-app"
        build_app(root, args.pages, args.components, args.fields)
        files = sum(1 for p in root.rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
        print(
            f"app: {args.pages} pages x {args.components} components, {args.fields} model "
            f"fields, {files} files, {size / 1e6:.1f} MB; {len(checks)} checks"
        )
        if problems:
            print(f"warning: {len(problems)} check modules failed to load")
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(validate, root)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        if args.per_check:
            per_check(root, checks)
        (parse_seconds, parsed), (validate_seconds, findings), (own_seconds, _) = (
            best_of_interleaved(args.rounds, [parse_only, validate, validate_loader_areas], root)
        )
    print(f"parse: {parsed} files in {parse_seconds * 1000:.1f} ms")
    print(f"validate: {findings} findings in {validate_seconds * 1000:.1f} ms")
    print(f"parse_ms = {parse_seconds * 1000:.1f}")
    print(f"validate_ms = {validate_seconds * 1000:.1f}")
    print(f"check_import_ms = {import_cost_ms():.0f}")
    print(f"load_and_core_checks_ms = {own_seconds * 1000:.1f}")
    print(f"load_and_core_checks_vs_parse = {own_seconds / parse_seconds:.2f}")
    print(f"validate_vs_parse = {validate_seconds / parse_seconds:.2f}")


if __name__ == "__main__":
    main()
