"""The Altinn layer: Altinn's attribute vocabulary, actions and request shape over the PDP.

An app's policy.xml is compiled with Altinn's matching habits (role codes and action ids are
compared case-insensitively, the [ORG]/[APP] template placeholders are filled in), requests are
built from (user, party, action, task) and the subject is enriched from the local register
lazily, so only attributes the policy refers to are looked up. When the app policy does not
apply, single-right delegations are consulted, as Altinn does. Minimum authentication levels
come back as obligations for the caller (the PEP) to check against the user's level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app_runtime.authorization import datatypes as dt
from app_runtime.authorization.context import Clock, Key
from app_runtime.authorization.errors import STATUS_OK
from app_runtime.authorization.model import DECISION_NAMES, NOT_APPLICABLE, PERMIT, Obligation
from app_runtime.authorization.parser import CompileOptions
from app_runtime.authorization.pdp import PolicyDecisionPoint
from app_runtime.authorization.register import Register, User, party_type_allowed

# Categories
SUBJECT = "urn:oasis:names:tc:xacml:1.0:subject-category:access-subject"
RESOURCE = "urn:oasis:names:tc:xacml:3.0:attribute-category:resource"
ACTION = "urn:oasis:names:tc:xacml:3.0:attribute-category:action"

# Attribute ids
ROLECODE = "urn:altinn:rolecode"
ACCESSPACKAGE = "urn:altinn:accesspackage"
ORG = "urn:altinn:org"
APP = "urn:altinn:app"
TASK = "urn:altinn:task"
END_EVENT = "urn:altinn:end-event"
APPRESOURCE = "urn:altinn:appresource"
PARTYID = "urn:altinn:partyid"
USERID = "urn:altinn:userid"
INSTANCE_ID = "urn:altinn:instance-id"
PARTYTYPE = "urn:altinn:partytype"
AUTHLEVEL = "urn:altinn:authlevel"
ACTION_ID = "urn:oasis:names:tc:xacml:1.0:action:action-id"
MIN_AUTHLEVEL = "urn:altinn:minimum-authenticationlevel"
MIN_AUTHLEVEL_ORG = "urn:altinn:minimum-authenticationlevel-org"

RESOURCE_ATTRIBUTES = (ORG, APP, TASK, END_EVENT, APPRESOURCE)

# Altinn's standard actions (the set the designer offers, plus pay/reject from app-lib).
ACTIONS = ("read", "write", "delete", "instantiate", "complete", "confirm", "sign", "reject", "pay")
# Further actions known from Altinn's resource registry action list.
EXTRA_ACTIONS = ("subscribe", "publish", "scopeaccess", "access")

WRITE_TASK_TYPES = frozenset({"data", "feedback", "pdf", "eformidling", "fiksarkiv", "subformpdf"})

ALTINN_OPTIONS = CompileOptions(case_insensitive_attributes=frozenset({ROLECODE, ACTION_ID}))


def actions_for_task_type(task_type: str | None) -> tuple[str, ...]:
    """Actions that allow moving a process on from a task of this type (any one suffices).

    data/feedback/pdf/eFormidling (and fiksArkiv, subformPdf) need write; payment needs pay or
    write; confirmation needs confirm; signing needs sign or write; any other (custom) task
    type needs the action with the task type's own name.
    """
    if not task_type:
        return ()
    lowered = task_type.lower()
    if lowered in WRITE_TASK_TYPES:
        return ("write",)
    if lowered == "payment":
        return ("pay", "write")
    if lowered == "confirmation":
        return ("confirm",)
    if lowered == "signing":
        return ("sign", "write")
    return (task_type,)


def is_known_action(action: str, extra: Iterable[str] = ()) -> bool:
    lowered = action.lower()
    return lowered in ACTIONS or lowered in EXTRA_ACTIONS or lowered in {e.lower() for e in extra}


def compile_options(org: str | None, app: str | None) -> CompileOptions:
    """Altinn matching plus [ORG]/[APP] placeholders filled with the app's own names."""
    placeholders: list[tuple[str, str]] = []
    if org:
        placeholders += [("[ORG]", org), ("[org]", org)]
    if app:
        placeholders += [("[APP]", app), ("[app]", app)]
    return CompileOptions(ALTINN_OPTIONS.case_insensitive_attributes, tuple(placeholders))


@dataclass(slots=True)
class AltinnDecision:
    """The answer for one Altinn request, with what the PEP must still check."""

    decision: str
    status: str
    rule_ids: list[str] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    min_auth_level: int | None = None
    min_auth_level_org: int | None = None
    via_delegation: bool = False
    message: str = ""

    @property
    def permitted(self) -> bool:
        return self.decision == "Permit"

    def allows(self, auth_level: int, acting_as_org: bool = False) -> bool:
        """Permit and the authentication level meets the obligation (Altinn's PEP rule)."""
        if not self.permitted:
            return False
        required = self.min_auth_level
        if acting_as_org and self.min_auth_level_org is not None:
            required = self.min_auth_level_org
        return required is None or auth_level >= required


def auth_levels(obligations: Iterable[Obligation]) -> tuple[int | None, int | None]:
    """Minimum authentication levels found by assignment category (not obligation id)."""
    user_level: int | None = None
    org_level: int | None = None
    for obligation in obligations:
        for assignment in obligation.assignments:
            key = assignment.category or assignment.attribute_id
            try:
                level = int(str(assignment.value))
            except ValueError:
                continue
            if key == MIN_AUTHLEVEL:
                user_level = max(level, user_level or 0)
            elif key == MIN_AUTHLEVEL_ORG:
                org_level = max(level, org_level or 0)
    return user_level, org_level


class SubjectFinder:
    """Attribute finder answering subject attributes of one user acting for one party."""

    __slots__ = ("log", "party_id", "register", "user")

    def __init__(
        self, register: Register, user: User, party_id: int, log: list[str] | None = None
    ) -> None:
        self.register = register
        self.user = user
        self.party_id = party_id
        self.log = log

    def __call__(self, category: str, attribute_id: str, datatype: str) -> tuple[Any, ...] | None:
        if category != SUBJECT:
            return None
        if self.log is not None:
            self.log.append(attribute_id)
        user = self.user
        if attribute_id == ROLECODE:
            values: Iterable[Any] = sorted(self.register.roles_for(user, self.party_id))
        elif attribute_id == ACCESSPACKAGE:
            values = sorted(self.register.packages_for(user, self.party_id))
        elif attribute_id == ORG:
            values = [user.org] if user.org else []
        elif attribute_id == USERID:
            values = [user.user_id]
        elif attribute_id == PARTYID:
            values = [user.party_id] if user.party_id is not None else []
        elif attribute_id == AUTHLEVEL:
            values = [user.auth_level]
        else:
            return None
        return _typed(values, datatype)


def _typed(values: Iterable[Any], datatype: str) -> tuple[Any, ...]:
    if datatype == dt.STRING:
        return tuple(str(value) for value in values)
    out: list[Any] = []
    for value in values:
        try:
            out.append(dt.parse_value(datatype, str(value)))
        except ValueError:
            continue
    return tuple(out)


class AltinnAuthorizer:
    """Decides Altinn requests for one app against its policy and the local register."""

    def __init__(self, pdp: PolicyDecisionPoint, register: Register, org: str, app: str) -> None:
        self.pdp = pdp
        self.register = register
        self.org = org
        self.app = app
        # Resource attributes an Altinn request may carry; absent ones are empty bags.
        self._base: dict[Key, tuple[Any, ...]] = {
            (RESOURCE, ORG, dt.STRING): (org,),
            (RESOURCE, APP, dt.STRING): (app,),
            (RESOURCE, TASK, dt.STRING): (),
            (RESOURCE, END_EVENT, dt.STRING): (),
            (RESOURCE, APPRESOURCE, dt.STRING): (),
            (RESOURCE, INSTANCE_ID, dt.STRING): (),
        }

    @classmethod
    def from_policy_file(
        cls, path: Path, register: Register, org: str, app: str, clock: Clock | None = None
    ) -> AltinnAuthorizer:
        pdp = PolicyDecisionPoint.from_files(path, options=compile_options(org, app), clock=clock)
        return cls(pdp, register, org, app)

    def bags(
        self,
        party_id: int,
        action: str,
        task: str | None = None,
        end_event: str | None = None,
        app_resource: str | None = None,
        instance_id: str | None = None,
    ) -> dict[Key, tuple[Any, ...]]:
        """Resource and action attributes of an Altinn request (the subject comes lazily)."""
        string = dt.STRING
        bags = self._base.copy()
        bags[(RESOURCE, PARTYID, string)] = (str(party_id),)
        bags[(RESOURCE, PARTYID, dt.INTEGER)] = (party_id,)
        bags[(ACTION, ACTION_ID, string)] = (action,)
        for attribute, value in (
            (TASK, task),
            (END_EVENT, end_event),
            (APPRESOURCE, app_resource),
            (INSTANCE_ID, instance_id),
        ):
            if value:
                bags[(RESOURCE, attribute, string)] = (value,)
        return bags

    def authorize(
        self,
        user: User,
        party_id: int,
        action: str,
        task: str | None = None,
        end_event: str | None = None,
        app_resource: str | None = None,
        instance_id: str | None = None,
        log: list[str] | None = None,
    ) -> AltinnDecision:
        """Decide whether `user`, acting for `party_id`, may perform `action`."""
        bags = self.bags(party_id, action, task, end_event, app_resource, instance_id)
        finder = SubjectFinder(self.register, user, party_id, log)
        outcome = self.pdp.evaluate(bags, finder=finder, copy=False)
        if outcome.decision == NOT_APPLICABLE:
            for delegation in self.register.delegations_for(user, party_id):
                if delegation.covers(self.org, self.app, action, task):
                    return AltinnDecision(
                        "Permit",
                        outcome.status_code,
                        [f"delegation from party {delegation.from_party}"],
                        via_delegation=True,
                    )
        levels = auth_levels(outcome.obligations) if outcome.decision == PERMIT else (None, None)
        return AltinnDecision(
            DECISION_NAMES[outcome.decision],
            outcome.status_code,
            list(outcome.decided_by),
            list(outcome.obligations),
            levels[0],
            levels[1],
            message=outcome.status[1] if outcome.status else "",
        )

    def authorize_instantiate(
        self, user: User, party_id: int, party_types_allowed: Mapping[str, Any] | None = None
    ) -> AltinnDecision:
        """May the user start an instance for this party? The party's type must be allowed by
        applicationmetadata's partyTypesAllowed, and the policy must permit `instantiate`."""
        party = self.register.parties.get(party_id)
        if party is None:
            return AltinnDecision(
                "Deny", STATUS_OK, message=f"party {party_id} is not in the register"
            )
        if not party_type_allowed(party_types_allowed, party):
            return AltinnDecision(
                "Deny",
                STATUS_OK,
                message=f"this app cannot be started for a {party.party_type} (partyTypesAllowed)",
            )
        return self.authorize(user, party_id, "instantiate")

    def authorize_process_next(
        self, user: User, party_id: int, task: str, task_type: str | None
    ) -> AltinnDecision:
        """May the user move the process on from `task`? Any one of the required actions."""
        last: AltinnDecision | None = None
        for action in actions_for_task_type(task_type) or ("write",):
            last = self.authorize(user, party_id, action, task=task)
            if last.permitted:
                return last
        assert last is not None
        return last
