"""Altinn Studio's XSD <-> JSON Schema converter tests, run against our converters.

Every pair in `$STUDIO_DATAMODEL_TESTS/PAIRS.tsv` (kind, input, expected, upstream test name;
paths relative to the suite folder) is converted and compared semantically as the suite's
NOTICE describes. Each pair is its own test, and a summary test prints pass counts per kind.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import require_suite, suite_path
from lxml import etree

from schemas.xmlsafe import parse_xml_bytes, parse_xml_file
from schemas.xsd.compare import json_differences, xsd_differences
from schemas.xsd.to_json import convert_xsd_file
from schemas.xsd.to_xsd import convert_json_schema, write_xsd

KINDS = ("xsd2json", "json2xsd", "roundtrip")
INSTANCE = re.compile(r"\+XML instance (\S+\.xml) must validate")


@dataclass(frozen=True)
class Pair:
    kind: str
    source: str
    expected: str
    name: str

    @property
    def id(self) -> str:
        return f"{self.kind}:{Path(self.source).name}"


def _pairs() -> list[Pair]:
    index = suite_path("STUDIO_DATAMODEL_TESTS") / "PAIRS.tsv"
    if not index.is_file():
        return []
    with index.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return [Pair(row["kind"], row["input"], row["expected"], row["test"]) for row in rows]


def run_pair(suite: Path, pair: Pair) -> list[str]:
    """Differences between our output and the expected file (empty list: the pair passes)."""
    source = suite / pair.source
    expected = suite / pair.expected
    if pair.kind == "xsd2json":
        actual = convert_xsd_file(source)
        wanted = json.loads(expected.read_text(encoding="utf-8-sig"))
        return json_differences(actual, wanted)
    if pair.kind == "json2xsd":
        schema = json.loads(source.read_text(encoding="utf-8-sig"))
    elif pair.kind == "roundtrip":
        schema = convert_xsd_file(source)
    else:
        return [f"unknown kind {pair.kind!r}"]
    written = write_xsd(convert_json_schema(schema, pair.source))
    actual_root = parse_xml_bytes(written, "converted").getroot()
    differences = xsd_differences(actual_root, parse_xml_file(expected).getroot())
    instance = INSTANCE.search(pair.name)
    if not differences and instance and (suite / instance.group(1)).is_file():
        document = parse_xml_file(suite / instance.group(1))
        for label, xsd_root in (
            ("original", parse_xml_file(source).getroot()),
            ("converted", actual_root),
        ):
            validator = etree.XMLSchema(xsd_root)
            if not validator.validate(document):
                differences.append(
                    f"{instance.group(1)} is not valid against the {label} XSD: {validator.error_log.last_error}"
                )
    return differences


PAIRS = _pairs()


@pytest.mark.conformance
@pytest.mark.parametrize("pair", PAIRS, ids=[pair.id for pair in PAIRS])
def test_pair(pair: Pair) -> None:
    suite = require_suite("STUDIO_DATAMODEL_TESTS")
    differences = run_pair(suite, pair)
    assert not differences, f"{pair.name}\n" + "\n".join(differences)


@pytest.mark.conformance
def test_pass_counts_per_kind(capsys: pytest.CaptureFixture[str]) -> None:
    suite = require_suite("STUDIO_DATAMODEL_TESTS")
    if not PAIRS:
        pytest.skip("PAIRS.tsv lists no pairs")
    passed = dict.fromkeys(KINDS, 0)
    total = dict.fromkeys(KINDS, 0)
    failures: list[str] = []
    for pair in PAIRS:
        total[pair.kind] = total.get(pair.kind, 0) + 1
        try:
            differences = run_pair(suite, pair)
        except Exception as exc:  # a crash is a failure of that pair, reported with the rest
            differences = [f"{type(exc).__name__}: {exc}"]
        if differences:
            failures.append(f"{pair.id}: {differences[0]}")
        else:
            passed[pair.kind] = passed.get(pair.kind, 0) + 1
    with capsys.disabled():
        for kind in total:
            print(f"\ndatamodel_{kind}_passed = {passed[kind]}/{total[kind]}", end="")
        print()
    assert not failures, "\n".join(failures)
