"""An app's access rules in context: its identity, its process, its compiled policy.

Shared by the policy checks, `studio policy` and the runtime so that all of them read the
policy, the process tasks and the org/app names the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app_runtime.authorization.altinn import AltinnAuthorizer, compile_options
from app_runtime.authorization.context import Clock
from app_runtime.authorization.errors import PolicyError
from app_runtime.authorization.parser import PolicyStore, parse_policy_element
from app_runtime.authorization.pdp import PolicyDecisionPoint
from app_runtime.authorization.register import Register
from schemas.diagnostics import Location
from schemas.xmlsafe import parse_xml_file

if TYPE_CHECKING:
    from app_runtime.app import App

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
ALTINN_NS = "http://altinn.no/process"
TASK_TAGS = frozenset({"task", "serviceTask", "userTask", "scriptTask", "manualTask"})


def app_identity(app: App) -> tuple[str, str]:
    """(org, app) from applicationmetadata.json `id` ("org/app"); ttd and the folder name
    stand in when it is missing or still a template placeholder."""
    data = app.metadata.data if app.metadata is not None else None
    org, name = "", ""
    if isinstance(data, dict):
        full = data.get("id")
        if isinstance(full, str) and "/" in full:
            org, _, name = full.partition("/")
        if isinstance(data.get("org"), str) and not org:
            org = data["org"]
    # The app template still says [ORG]/[APP]; run it locally as a ttd (test) app.
    if not org or org.startswith("["):
        org = "ttd"
    if not name or name.startswith("["):
        name = app.root.name
    return org, name


def party_types_allowed(app: App) -> dict[str, Any] | None:
    data = app.metadata.data if app.metadata is not None else None
    value = data.get("partyTypesAllowed") if isinstance(data, dict) else None
    return value if isinstance(value, dict) else None


@dataclass(slots=True)
class ProcessFacts:
    """What the access rules need from process.bpmn."""

    tasks: dict[str, str] = field(default_factory=dict)  # task id -> task type
    end_events: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)  # altinn:action names used by tasks
    readable: bool = False


def process_facts(app: App) -> ProcessFacts:
    """Tasks, end events and task actions read with the hardened XML parser."""
    facts = ProcessFacts()
    if app.process_path is None:
        return facts
    tree = app.xml(app.process_path)
    if tree is None:
        return facts
    facts.readable = True
    for element in tree.getroot().iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        if namespace == BPMN_NS and local in TASK_TAGS and element.get("id"):
            task_type = ""
            for child in element.iter(f"{{{ALTINN_NS}}}taskType"):
                task_type = (child.text or "").strip()
                break
            facts.tasks[element.get("id", "")] = task_type
        elif namespace == BPMN_NS and local == "endEvent" and element.get("id"):
            facts.end_events.add(element.get("id", ""))
        elif namespace == ALTINN_NS and local == "action" and (element.text or "").strip():
            facts.actions.add((element.text or "").strip())
    return facts


def load_app_pdp(app: App, clock: Clock | None = None) -> PolicyDecisionPoint:
    """Compile the app's policy.xml with Altinn's options; PolicyError when it is unusable."""
    if app.policy_path is None:
        raise PolicyError(
            "the app has no App/config/authorization/policy.xml",
            Location("App/config/authorization/policy.xml"),
            "every Altinn app needs a policy; start from the app template's policy.xml",
        )
    name = app.relpath(app.policy_path)
    tree = app.xml(app.policy_path)
    if tree is None:
        tree = parse_xml_file(app.policy_path, name)  # raises XmlSafetyError with the position
    org, app_name = app_identity(app)
    node, references = parse_policy_element(tree.getroot(), name, compile_options(org, app_name))
    store = PolicyStore()
    store.add(node, references)
    store.link()
    return PolicyDecisionPoint(node, clock=clock)


def load_app_authorizer(
    app: App, register: Register, clock: Clock | None = None
) -> AltinnAuthorizer:
    org, app_name = app_identity(app)
    return AltinnAuthorizer(load_app_pdp(app, clock), register, org, app_name)
