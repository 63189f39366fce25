"""XACML 3.0 conformance suite (OASIS tests as ported by AuthzForce) against our PDP.

Every folder under STUDIO_XACML_TESTS is one case: Policy.xml (or Policies/ with the root in
Policies/Policy.xml and the referenced ones beside it), Request.xml and Response.xml. A
folder with Request.xml.ignore means the policy must be rejected when loaded. The decision,
status code, obligations and advice (unordered, compared as typed values) and the echoed
IncludeInResult attributes must all agree.

Run this file directly (`python tests/test_xacml_conformance.py`) for pass counts by feature.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import require_suite, suite_path

from app_runtime.authorization import datatypes as dt
from app_runtime.authorization.errors import PolicyError
from app_runtime.authorization.pdp import PolicyDecisionPoint
from app_runtime.authorization.request import Result
from schemas.diagnostics import LocatedError
from schemas.xmlsafe import parse_xml_file

NS = "{urn:oasis:names:tc:xacml:3.0:core:schema:wd-17}"

FEATURES = {
    "IIA": "attribute references and request basics",
    "IIB": "target matching",
    "IIC": "function evaluation",
    "IID": "combining algorithms",
    "IIE": "policy references",
    "IIF": "obligations on policy sets",
    "IIIA": "obligations and advice",
    "IIIC": "optional: multiple decisions",
    "IIIE": "optional: hierarchical resources",
    "IIIF": "optional: multiple decisions (repeated categories)",
    "IIIG": "optional: other",
}


def feature_of(case: str) -> str:
    prefix = "".join(ch for ch in case if ch.isalpha() and ch.isupper())[:4].rstrip("_")
    for length in (4, 3):
        key = case[:length]
        if key in FEATURES:
            return key
    return prefix


def _clock() -> datetime:
    # Fixed instant: tests needing "now" either supply it in the request or only compare it
    # to far past/future values.
    return datetime(2024, 3, 25, 12, 0, 0, tzinfo=UTC)


def _typed(datatype: str, text: str) -> Any:
    datatype = dt.canonical_datatype(datatype)
    if not dt.is_known(datatype):
        return text
    try:
        return dt.parse_value(datatype, text)
    except ValueError:
        return text


def _assignments(node: Any) -> Counter:
    return Counter(
        (
            item.get("AttributeId"),
            dt.canonical_datatype(item.get("DataType", "")),
            _typed(item.get("DataType", ""), item.text or ""),
            item.get("Category"),
        )
        for item in node.findall(NS + "AttributeAssignment")
    )


def _expected_results(path: Path) -> list[dict[str, Any]]:
    root = parse_xml_file(path).getroot()
    out = []
    for result in root.findall(NS + "Result"):
        code = result.find(f"{NS}Status/{NS}StatusCode")
        out.append(
            {
                "decision": (result.findtext(NS + "Decision") or "").strip(),
                "status": code.get("Value") if code is not None else None,
                "obligations": sorted(
                    (o.get("ObligationId"), sorted(_assignments(o).items(), key=repr))
                    for o in result.findall(f"{NS}Obligations/{NS}Obligation")
                ),
                "advice": sorted(
                    (a.get("AdviceId"), sorted(_assignments(a).items(), key=repr))
                    for a in result.findall(f"{NS}AssociatedAdvice/{NS}Advice")
                ),
                "attributes": sorted(
                    (
                        attributes.get("Category"),
                        attribute.get("AttributeId"),
                        attribute.get("Issuer"),
                        dt.canonical_datatype(value.get("DataType", "")),
                        repr(_typed(value.get("DataType", ""), value.text or "")),
                    )
                    for attributes in result.findall(NS + "Attributes")
                    for attribute in attributes.findall(NS + "Attribute")
                    for value in attribute.findall(NS + "AttributeValue")
                ),
            }
        )
    return out


def _actual(result: Result) -> dict[str, Any]:
    def pack(items: list[Any]) -> list[Any]:
        return sorted(
            (
                item.id,
                sorted(
                    Counter(
                        (a.attribute_id, a.datatype, a.value, a.category) for a in item.assignments
                    ).items(),
                    key=repr,
                ),
            )
            for item in items
        )

    return {
        "decision": result.decision,
        "status": result.status_code,
        "obligations": pack(result.obligations),
        "advice": pack(result.advice),
        "attributes": sorted(
            (cat.category, attribute.attribute_id, attribute.issuer, datatype, repr(value))
            for cat in result.attributes
            for attribute in cat.attributes
            for datatype, value in attribute.values
        ),
    }


def run_case(folder: Path) -> tuple[bool, str]:
    """Run one conformance folder; (passed, reason when not)."""
    policies = folder / "Policies"
    if policies.is_dir():
        root = policies / "Policy.xml"
        others = sorted(p for p in policies.glob("*.xml") if p.name != "Policy.xml")
    else:
        root, others = folder / "Policy.xml", []
    must_reject = (folder / "Request.xml.ignore").exists() and not (folder / "Request.xml").exists()
    try:
        pdp = PolicyDecisionPoint.from_files(root, others, clock=_clock)
    except (PolicyError, LocatedError) as exc:
        if must_reject:
            return True, ""
        return False, f"policy rejected: {exc}"
    if must_reject:
        return False, "policy was loaded but must be rejected"
    results = pdp.decide_xml((folder / "Request.xml").read_bytes(), str(folder / "Request.xml"))
    actual = sorted((_actual(result) for result in results), key=repr)
    expected = sorted(_expected_results(folder / "Response.xml"), key=repr)
    if actual == expected:
        return True, ""
    return False, f"expected {expected}\n        got {actual}"


def _cases() -> list[Path]:
    base = suite_path("STUDIO_XACML_TESTS")
    if not base.is_dir():
        return []
    return sorted(path for path in base.iterdir() if path.is_dir())


@pytest.mark.conformance
@pytest.mark.parametrize("folder", _cases(), ids=lambda path: path.name)
def test_xacml_conformance_case(folder: Path) -> None:
    require_suite("STUDIO_XACML_TESTS")
    passed, reason = run_case(folder)
    assert passed, f"{folder.name}: {reason}"


@pytest.mark.conformance
def test_xacml_suite_is_present() -> None:
    base = require_suite("STUDIO_XACML_TESTS")
    assert any(path.is_dir() for path in base.iterdir())


def main() -> int:
    totals: dict[str, list[int]] = {}
    failures: list[str] = []
    for folder in _cases():
        try:
            passed, reason = run_case(folder)
        except Exception as exc:  # report every case, even one that crashes
            passed, reason = False, f"crashed: {type(exc).__name__}: {exc}"
        bucket = totals.setdefault(feature_of(folder.name), [0, 0])
        bucket[1] += 1
        if passed:
            bucket[0] += 1
        else:
            failures.append(f"{folder.name}: {reason}")
    for failure in failures:
        print("FAIL", failure)
    grand = [0, 0]
    for feature, (ok, total) in sorted(totals.items()):
        grand[0] += ok
        grand[1] += total
        print(f"{feature:5} {FEATURES.get(feature, ''):45} {ok}/{total}")
    print(f"xacml_conformance_passed = {grand[0]}/{grand[1]}")
    return 0 if grand[0] == grand[1] else 1


if __name__ == "__main__":
    os.chdir(Path(__file__).resolve().parent.parent)
    sys.exit(main())
