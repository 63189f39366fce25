"""The local register: who exists, and which roles and access packages they hold for whom.

Altinn asks the central registers (ER, folkeregister, access management) which roles a user has
for a party. Running an app locally needs the same answers, so they come from a YAML file with
persons, organisations, users, role assignments, access packages and single-right delegations.
A default population ships with the package (register_default.yaml) and covers every role the
examples and the real apps' policies use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from schemas.diagnostics import LocatedError, Location

DEFAULT_REGISTER = "register_default.yaml"

# Unit types (enhetstype) that Altinn treats as sub-units or bankruptcy estates.
SUBUNIT_TYPES = frozenset({"BEDR", "AAFY"})
BANKRUPTCY_TYPES = frozenset({"KBO"})


class RegisterError(LocatedError):
    """A register file that cannot be used (bad YAML, unknown party, duplicate id)."""


@dataclass(slots=True)
class Party:
    """A person or an organisation that can own instances (a reportee)."""

    party_id: int
    kind: str  # "person" or "organisation"
    name: str
    ssn: str | None = None
    org_number: str | None = None
    unit_type: str | None = None

    @property
    def party_type(self) -> str:
        """The partyTypesAllowed key: person, organisation, subUnit or bankruptcyEstate."""
        if self.kind == "person":
            return "person"
        unit = (self.unit_type or "").upper()
        if unit in SUBUNIT_TYPES:
            return "subUnit"
        if unit in BANKRUPTCY_TYPES:
            return "bankruptcyEstate"
        return "organisation"


@dataclass(slots=True)
class User:
    """A user who logs in; acts for their own person party and for parties they hold roles in."""

    user_id: int
    username: str
    name: str
    party_id: int | None = None  # the user's own person party
    auth_level: int = 2
    org: str | None = None  # service-owner code when the user acts as a service owner
    roles: dict[int, set[str]] = field(default_factory=dict)
    packages: dict[int, set[str]] = field(default_factory=dict)


@dataclass(slots=True)
class Delegation:
    """A single right delegated by a party to a user: actions on one app, maybe some tasks."""

    from_party: int
    to_user: int
    org: str
    app: str  # "*" for every app of the org
    actions: frozenset[str]
    tasks: frozenset[str] = frozenset()  # empty: any task

    def covers(self, org: str, app: str, action: str, task: str | None) -> bool:
        if self.org.lower() != org.lower() or self.app not in ("*", app):
            return False
        if action.lower() not in self.actions:
            return False
        return not self.tasks or (task is not None and task in self.tasks)


@dataclass(slots=True)
class Register:
    """The register contents with the look-ups the authorization layer needs."""

    parties: dict[int, Party] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    delegations: list[Delegation] = field(default_factory=list)
    role_packages: dict[str, set[str]] = field(default_factory=dict)
    source: str = "register"

    # ------------------------------------------------------------------ look-ups
    def user(self, ref: int | str) -> User | None:
        """A user by id or username."""
        text = str(ref).strip()
        if text.isdigit() and int(text) in self.users:
            return self.users[int(text)]
        for user in self.users.values():
            if user.username.lower() == text.lower():
                return user
        return None

    def party(self, ref: int | str) -> Party | None:
        """A party by party id, organisation number or national identity number."""
        text = str(ref).strip()
        if text.isdigit() and int(text) in self.parties:
            return self.parties[int(text)]
        for party in self.parties.values():
            if text in (party.org_number, party.ssn):
                return party
        return None

    def roles_for(self, user: User, party_id: int) -> set[str]:
        """Role codes the user holds for the party; PRIV for the user's own person party."""
        roles = set(user.roles.get(party_id, ()))
        if user.party_id == party_id:
            roles.add("PRIV")
        return roles

    def packages_for(self, user: User, party_id: int) -> set[str]:
        """Access packages held directly plus those the user's roles give."""
        packages = set(user.packages.get(party_id, ()))
        for role in self.roles_for(user, party_id):
            packages |= self.role_packages.get(role.upper(), set())
        return packages

    def parties_for(self, user: User) -> list[Party]:
        """Parties the user can act for (own party first), as the party selector shows them."""
        ids: list[int] = []
        if user.party_id is not None:
            ids.append(user.party_id)
        for party_id in [*user.roles, *user.packages]:
            if party_id not in ids:
                ids.append(party_id)
        for delegation in self.delegations:
            if delegation.to_user == user.user_id and delegation.from_party not in ids:
                ids.append(delegation.from_party)
        return [self.parties[party_id] for party_id in ids if party_id in self.parties]

    def delegations_for(self, user: User, party_id: int) -> list[Delegation]:
        return [
            d for d in self.delegations if d.to_user == user.user_id and d.from_party == party_id
        ]

    def all_role_codes(self) -> set[str]:
        codes = {"PRIV"} if any(u.party_id is not None for u in self.users.values()) else set()
        for user in self.users.values():
            for roles in user.roles.values():
                codes |= {role.upper() for role in roles}
        return codes

    def all_packages(self) -> set[str]:
        packages: set[str] = set()
        for user in self.users.values():
            for held in user.packages.values():
                packages |= held
        for implied in self.role_packages.values():
            packages |= implied
        return packages

    def all_orgs(self) -> set[str]:
        return {user.org.lower() for user in self.users.values() if user.org}


# --------------------------------------------------------------------------- loading
def _line(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None else None


class _Reader:
    """Builds a Register from parsed YAML, reporting problems with their line."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, node: Any, message: str, hint: str = "") -> RegisterError:
        return RegisterError(message, Location(self.source, "", _line(node), None), hint)

    def mapping(self, node: Any, what: str) -> Mapping[str, Any]:
        if not isinstance(node, Mapping):
            raise self.fail(node, f"{what} must be a mapping")
        return node

    def sequence(self, node: Any, what: str) -> list[Any]:
        if node is None:
            return []
        if not isinstance(node, list):
            raise self.fail(node, f"{what} must be a list")
        return node

    def integer(self, node: Any, value: Any, what: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
            raise self.fail(node, f"{what} must be a whole number, not {value!r}")
        return int(value)

    def read(self, data: Any) -> Register:
        root = self.mapping(data, "the register file")
        register = Register(source=self.source)
        for kind, key in (("person", "persons"), ("organisation", "organisations")):
            for item in self.sequence(root.get(key), key):
                entry = self.mapping(item, f"an entry of {key}")
                party_id = self.integer(entry, entry.get("id"), f"{kind} id")
                if party_id in register.parties:
                    raise self.fail(entry, f"party id {party_id} is used twice")
                register.parties[party_id] = Party(
                    party_id,
                    kind,
                    str(entry.get("name", f"{kind} {party_id}")),
                    str(entry["ssn"]) if entry.get("ssn") is not None else None,
                    str(entry["orgnr"]) if entry.get("orgnr") is not None else None,
                    str(entry["unit_type"]) if entry.get("unit_type") is not None else None,
                )
        for item in self.sequence(root.get("users"), "users"):
            register_user = self.user(self.mapping(item, "an entry of users"), register)
            if register_user.user_id in register.users:
                raise self.fail(item, f"user id {register_user.user_id} is used twice")
            register.users[register_user.user_id] = register_user
        for item in self.sequence(root.get("delegations"), "delegations"):
            register.delegations.append(
                self.delegation(self.mapping(item, "a delegation"), register)
            )
        packages = root.get("role_packages") or {}
        for role, implied in self.mapping(packages, "role_packages").items():
            register.role_packages[str(role).upper()] = {
                str(p) for p in self.sequence(implied, f"role_packages.{role}")
            }
        return register

    def _party_ref(self, node: Any, value: Any, register: Register) -> int:
        party = register.party(value) if value is not None else None
        if party is None:
            raise self.fail(
                node, f"unknown party {value!r}", "list it under persons or organisations"
            )
        return party.party_id

    def user(self, entry: Mapping[str, Any], register: Register) -> User:
        user_id = self.integer(entry, entry.get("id"), "user id")
        username = str(entry.get("username") or user_id)
        party_ref = entry.get("person")
        user = User(
            user_id,
            username,
            str(entry.get("name", username)),
            self._party_ref(entry, party_ref, register) if party_ref is not None else None,
            self.integer(entry, entry.get("auth_level", 2), "auth_level"),
            str(entry["org"]).lower() if entry.get("org") else None,
        )
        for grant in self.sequence(entry.get("roles"), "roles"):
            grant_map = self.mapping(grant, "a role grant")
            party_id = self._party_ref(grant_map, grant_map.get("party"), register)
            codes = {str(code).upper() for code in self.sequence(grant_map.get("codes"), "codes")}
            user.roles.setdefault(party_id, set()).update(codes)
        for grant in self.sequence(entry.get("access_packages"), "access_packages"):
            grant_map = self.mapping(grant, "an access-package grant")
            party_id = self._party_ref(grant_map, grant_map.get("party"), register)
            names = {_package_code(p) for p in self.sequence(grant_map.get("packages"), "packages")}
            user.packages.setdefault(party_id, set()).update(names)
        return user

    def delegation(self, entry: Mapping[str, Any], register: Register) -> Delegation:
        from_party = self._party_ref(entry, entry.get("from"), register)
        to_ref = entry.get("to_user")
        to_user = register.user(to_ref) if to_ref is not None else None
        if to_user is None:
            raise self.fail(entry, f"unknown user {to_ref!r} in delegation")
        app_ref = str(entry.get("app", ""))
        org, slash, app = app_ref.partition("/")
        if not slash or not org or not app:
            raise self.fail(entry, f"delegation app must look like org/app, not {app_ref!r}")
        actions = frozenset(str(a).lower() for a in self.sequence(entry.get("actions"), "actions"))
        if not actions:
            raise self.fail(entry, "a delegation needs at least one action")
        tasks = frozenset(str(t) for t in self.sequence(entry.get("tasks"), "tasks"))
        return Delegation(from_party, to_user.user_id, org, app, actions, tasks)


def _package_code(value: Any) -> str:
    """`urn:altinn:accesspackage:skatt-naering` and `skatt-naering` mean the same package."""
    text = str(value).strip()
    return text.rsplit(":", 1)[-1] if text.startswith("urn:") else text.lstrip(":")


def load_register_text(text: str, source: str = "register.yaml") -> Register:
    try:
        data = YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise RegisterError(f"invalid YAML: {exc}", Location(source, "", line, None)) from None
    return _Reader(source).read(data or {})


def load_register(path: Path, source: str | None = None) -> Register:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RegisterError(
            f"cannot read register: {exc.strerror}", Location(source or str(path))
        ) from None
    return load_register_text(text, source or str(path))


def default_register() -> Register:
    """The ready population shipped with Formstudio."""
    text = (
        resources.files("app_runtime.authorization").joinpath(DEFAULT_REGISTER).read_text("utf-8")
    )
    return load_register_text(text, DEFAULT_REGISTER)


def party_type_allowed(allowed: Mapping[str, Any] | None, party: Party) -> bool:
    """applicationmetadata partyTypesAllowed: all false (or missing) means every type may."""
    if not allowed:
        return True
    flags = {key: bool(value) for key, value in allowed.items()}
    if not any(flags.values()):
        return True
    return flags.get(party.party_type, False)


def allowed_parties(
    register: Register, user: User, allowed: Mapping[str, Any] | None
) -> Iterable[Party]:
    """Parties this user may instantiate for, filtered by partyTypesAllowed."""
    return [party for party in register.parties_for(user) if party_type_allowed(allowed, party)]
