"""JSON-Schema-Test-Suite: jsonschema-rs (what Formstudio validates with) and the `jsonschema`
library (the reference) must both give the expected result wherever both support a feature.

The suite is read from STUDIO_JSONSCHEMA_TESTS (draft2020-12 and draft7). Remote `$ref`s are
served from its `remotes/` folder through a local registry/retriever; nothing is fetched.
Disagreements are grouped by feature (the test file, e.g. `optional/format/email`) and must be
explained: an engine could not compile/evaluate the schema (the error is the reason), the
feature is a declared gap below, or the feature is optional in the specification. A wrong
result on a required feature fails.
"""

from __future__ import annotations

import json
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
from conftest import require_suite
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7, DRAFT202012

REMOTE_BASE = "http://localhost:1234/"

DRAFTS: dict[str, tuple[Any, Any, Any]] = {
    "draft2020-12": (
        DRAFT202012,
        jsonschema_rs.Draft202012Validator,
        jsonschema.Draft202012Validator,
    ),
    "draft7": (DRAFT7, jsonschema_rs.Draft7Validator, jsonschema.Draft7Validator),
}

# Features one engine does not support, with why. Keyed by feature (test file), never by test.
REFERENCE_GAPS: dict[str, str] = {
    "optional/ecmascript-regex": "Python's re is not ECMA-262 (\\d, \\w, \\s and $ differ on Unicode)",
    "optional/format/ecmascript-regex": "format 'regex' is checked with Python's re, not ECMA-262",
    "optional/format/date-time": "the reference date-time checker accepts some leap seconds and offsets",
    "optional/format/time": "the reference time checker is looser about offsets and leap seconds",
    "optional/format/email": "the reference email checker only looks for an '@'",
    "optional/format/hostname": "the reference hostname check needs `fqdn` and is looser than RFC 1123",
    "optional/format/idn-hostname": "the reference idn-hostname check needs `idna` and misses some rules",
    "optional/format/iri": "the reference iri check needs `rfc3987` (GPL) and is skipped without it",
    "optional/format/iri-reference": "the reference iri-reference check needs `rfc3987`",
    "optional/format/uri": "the reference uri check needs `rfc3986-validator`/`rfc3987`",
    "optional/format/uri-reference": "the reference uri-reference check needs an RFC 3986 package",
    "optional/format/uri-template": "the reference uri-template check needs `uri-template`",
    "optional/format/duration": "the reference duration check needs `isoduration` and is looser",
    "optional/format/uuid": "the reference uuid check accepts UUIDs without hyphens",
    "optional/format/relative-json-pointer": "the reference relative-json-pointer check is looser",
    "optional/dependencies-compatibility": "the reference drops draft-07 `dependencies` in 2020-12",
    "optional/content": "the reference treats contentMediaType/contentEncoding as annotations",
}
BOTH_GAPS: dict[str, str] = {
    "vocabulary": "custom meta-schemas that leave out the validation vocabulary are not honoured",
}
FAST_GAPS: dict[str, str] = {}


@dataclass
class Tally:
    """Counts for one draft: cases, agreement, and disagreements by (feature, engine, reason)."""

    cases: int = 0
    agreed: int = 0
    fast_correct: int = 0
    reference_correct: int = 0
    explained: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    unexplained: Counter[tuple[str, str, str]] = field(default_factory=Counter)


def _remote_documents(root: Path) -> dict[str, Any]:
    remotes = root / "remotes"
    docs: dict[str, Any] = {}
    if remotes.is_dir():
        for path in sorted(remotes.rglob("*.json")):
            docs[REMOTE_BASE + path.relative_to(remotes).as_posix()] = json.loads(
                path.read_text(encoding="utf-8")
            )
    return docs


def _reason(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return f"cannot evaluate: {type(error).__name__}: {text[:70]}"


def run_draft(root: Path, draft: str) -> Tally:
    """Run both engines over one draft's cases and classify every disagreement."""
    spec, fast_cls, reference_cls = DRAFTS[draft]
    documents = _remote_documents(root)

    def retrieve(uri: str) -> Any:
        key = uri.split("#", 1)[0]
        if key in documents:
            return documents[key]
        raise ValueError(f"{uri} is not a local remote; the network is never used")

    registry: Registry[Any] = Registry().with_resources(
        (uri, Resource.from_contents(doc, default_specification=spec))
        for uri, doc in documents.items()
    )
    tally = Tally()
    folder = root / "tests" / draft
    for path in sorted(folder.rglob("*.json")):
        feature = path.relative_to(folder).with_suffix("").as_posix()
        formats = feature.startswith("optional/format")
        for group in json.loads(path.read_text(encoding="utf-8")):
            _run_group(group, feature, formats, fast_cls, reference_cls, retrieve, registry, tally)
    return tally


def _run_group(
    group: dict[str, Any],
    feature: str,
    formats: bool,
    fast_cls: Any,
    reference_cls: Any,
    retrieve: Any,
    registry: Any,
    tally: Tally,
) -> None:
    fast: Any = None
    reference: Any = None
    fast_error: BaseException | None = None
    reference_error: BaseException | None = None
    try:
        fast = fast_cls(
            group["schema"], validate_formats=True if formats else None, retriever=retrieve
        )
    except Exception as exc:  # an engine refusing a schema is a finding, not a crash
        fast_error = exc
    try:
        checker = reference_cls.FORMAT_CHECKER if formats else None
        reference = reference_cls(group["schema"], registry=registry, format_checker=checker)
    except Exception as exc:
        reference_error = exc
    for case in group["tests"]:
        expected = case["valid"]
        fast_result, fast_why = _outcome(fast, fast_error, case["data"])
        reference_result, reference_why = _outcome(reference, reference_error, case["data"])
        tally.cases += 1
        fast_ok = fast_result == expected
        reference_ok = reference_result == expected
        tally.fast_correct += fast_ok
        tally.reference_correct += reference_ok
        if fast_ok and reference_ok:
            tally.agreed += 1
            continue
        for engine, ok, why, gaps in (
            ("jsonschema-rs", fast_ok, fast_why, FAST_GAPS),
            ("jsonschema", reference_ok, reference_why, REFERENCE_GAPS),
        ):
            if ok:
                continue
            declared = gaps.get(feature) or BOTH_GAPS.get(feature)
            if declared:
                tally.explained[(feature, engine, declared)] += 1
            elif why:
                tally.explained[(feature, engine, why)] += 1
            elif feature.startswith("optional/"):
                reason = "optional in the specification and not implemented this way"
                tally.explained[(feature, engine, reason)] += 1
            else:
                tally.unexplained[(feature, engine, "wrong result")] += 1


def _outcome(validator: Any, error: BaseException | None, data: Any) -> tuple[bool | None, str]:
    if validator is None:
        return None, _reason(error) if error else "no validator"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return bool(validator.is_valid(data)), ""
    except Exception as exc:
        return None, _reason(exc)


def _report(draft: str, tally: Tally) -> str:
    lines = [
        f"{draft}: {tally.cases} cases, both right {tally.agreed}, "
        f"jsonschema-rs right {tally.fast_correct}, jsonschema right {tally.reference_correct}"
    ]
    grouped: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for (feature, engine, reason), count in sorted(tally.explained.items()):
        grouped[(feature, engine)].append((reason, count))
    for (feature, engine), reasons in grouped.items():
        for reason, count in reasons:
            lines.append(f"  {feature} [{engine}] {count}: {reason}")
    for (feature, engine, reason), count in sorted(tally.unexplained.items()):
        lines.append(f"  UNEXPLAINED {feature} [{engine}] {count}: {reason}")
    return "\n".join(lines)


@pytest.mark.conformance
@pytest.mark.parametrize("draft", sorted(DRAFTS))
def test_engines_agree_with_the_suite(draft: str) -> None:
    root = require_suite("STUDIO_JSONSCHEMA_TESTS")
    if not (root / "tests" / draft).is_dir():
        pytest.skip(f"no tests/{draft} in {root}")
    tally = run_draft(root, draft)
    print("\n" + _report(draft, tally))
    assert tally.cases > 0
    assert not tally.unexplained, _report(draft, tally)
    # Formstudio validates with jsonschema-rs: it must be right on every required
    # (non-optional) case, apart from features neither engine supports.
    misses = {
        feature
        for (feature, engine, _) in tally.explained
        if engine == "jsonschema-rs" and not feature.startswith("optional/")
    }
    assert misses <= set(BOTH_GAPS), misses


def test_remote_refs_never_leave_the_machine(tmp_path: Path) -> None:
    """An unknown remote is refused by the retriever instead of being fetched."""
    (tmp_path / "tests" / "draft2020-12").mkdir(parents=True)
    (tmp_path / "remotes").mkdir()
    (tmp_path / "remotes" / "known.json").write_text('{"type": "integer"}')
    cases = [
        {
            "description": "remote",
            "schema": {"$ref": "http://localhost:1234/known.json"},
            "tests": [{"description": "int", "data": 1, "valid": True}],
        },
        {
            "description": "unknown remote",
            "schema": {"$ref": "http://example.invalid/never.json"},
            "tests": [{"description": "anything", "data": 1, "valid": True}],
        },
    ]
    (tmp_path / "tests" / "draft2020-12" / "refRemote.json").write_text(json.dumps(cases))
    tally = run_draft(tmp_path, "draft2020-12")
    assert tally.cases == 2
    assert tally.agreed == 1
    reasons = [reason for (_, _, reason) in tally.unexplained] + [
        r for (_, _, r) in tally.explained
    ]
    assert all("cannot evaluate" in reason for reason in reasons)
