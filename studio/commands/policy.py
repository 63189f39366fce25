"""`studio policy show APP` and `studio policy check APP ...`: an app's access rules.

`show` prints the rule matrix (who × which resources × which actions) and the minimum
authentication levels. `check` decides one request against the policy and the local register
and prints the decision with the rule that made it. Exit codes for `check`: 0 allowed, 1 not
allowed (denied, not applicable, indeterminate or too low an authentication level), 2 when the
app, policy or register cannot be used.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _load_app(path: str):  # type: ignore[no-untyped-def]
    from app_runtime.app import AppLoadError, load_app

    try:
        return load_app(path)
    except AppLoadError as exc:
        _fail(f"{exc}" + (f" ({exc.hint})" if exc.hint else ""))


@click.group(name="policy")
def command() -> None:
    """Show and test an app's access rules (App/config/authorization/policy.xml)."""


@command.command(name="show")
@click.argument("app_path", metavar="APP", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the matrix as JSON.")
def show(app_path: str, as_json: bool) -> None:
    """Print the rule matrix: subjects × resources × actions, and obligations."""
    from app_runtime.authorization.altinn import auth_levels
    from app_runtime.authorization.editing import read_policy
    from schemas.diagnostics import LocatedError

    app = _load_app(app_path)
    if app.policy_path is None:
        _fail("the app has no App/config/authorization/policy.xml")
    try:
        doc = read_policy(app.policy_path, app.relpath(app.policy_path))
    except LocatedError as exc:
        _fail(str(exc))
    rows = []
    for rule in doc.rules:
        resources = []
        for resource in rule.resources:
            scope = [f"{k}={v}" for k, v in resource.items() if k not in ("org", "app")]
            resources.append(", ".join(scope) if scope else "whole app")
        rows.append(
            {
                "rule": rule.rule_id,
                "effect": rule.effect,
                "subjects": rule.subjects,
                "resources": resources or ["(any)"],
                "actions": rule.actions or ["(any)"],
                "description": rule.description or "",
            }
        )
    levels = auth_levels(_literal_obligations(doc))
    if as_json:
        click.echo(
            json.dumps(
                {
                    "policy": doc.policy_id,
                    "rules": rows,
                    "minimumAuthenticationLevel": levels[0],
                    "minimumAuthenticationLevelOrg": levels[1],
                },
                indent=2,
            )
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Access rules of {app.root.name}", show_lines=True)
    for heading in ("Rule", "Effect", "Who", "Where", "Actions"):
        table.add_column(heading)
    for row in rows:
        table.add_row(
            row["rule"].rsplit(":", 1)[-1] if ":ruleid:" in row["rule"] else row["rule"],
            row["effect"],
            "\n".join(row["subjects"]),
            "\n".join(row["resources"]),
            ", ".join(row["actions"]),
        )
    console = Console(width=max(100, Console().width))
    console.print(table)
    if levels[0] is not None:
        org_part = f" (service owners: {levels[1]})" if levels[1] is not None else ""
        console.print(f"Minimum authentication level: {levels[0]}{org_part}")


def _literal_obligations(doc):  # type: ignore[no-untyped-def]
    from app_runtime.authorization.model import Assignment, Obligation

    return [
        Obligation(
            item.obligation_id,
            tuple(
                Assignment(a.attribute_id, a.datatype, a.value, a.category)
                for a in item.assignments
            ),
        )
        for item in doc.obligations
        if item.fulfill_on == "Permit"
    ]


@command.command(name="check")
@click.argument("app_path", metavar="APP", type=click.Path())
@click.option("--user", "user_ref", required=True, help="User id or username from the register.")
@click.option(
    "--party",
    "party_ref",
    default=None,
    help="Party id, org number or national id (default: the user's own).",
)
@click.option("--action", required=True, help="Action, e.g. read, write, instantiate, sign.")
@click.option("--task", default=None, help="Process task id the instance is in, e.g. Task_1.")
@click.option("--end-event", default=None, help="End event id when the process has ended.")
@click.option("--app-resource", default=None, help="App resource, e.g. events.")
@click.option(
    "--register",
    "register_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Register YAML file (default: Formstudio's built-in test population).",
)
def check(
    app_path: str,
    user_ref: str,
    party_ref: str | None,
    action: str,
    task: str | None,
    end_event: str | None,
    app_resource: str | None,
    register_path: str | None,
) -> None:
    """Decide one request and print the decision and the rule that made it."""
    from app_runtime.authorization.app_policy import load_app_authorizer
    from app_runtime.authorization.register import default_register, load_register
    from schemas.diagnostics import LocatedError

    app = _load_app(app_path)
    try:
        register = load_register(Path(register_path)) if register_path else default_register()
        authorizer = load_app_authorizer(app, register)
    except LocatedError as exc:
        _fail(str(exc) + (f" ({exc.hint})" if exc.hint else ""))
    user = register.user(user_ref)
    if user is None:
        known = ", ".join(sorted(u.username for u in register.users.values()))
        _fail(f"unknown user {user_ref!r}; the register has: {known}")
    if party_ref is None:
        if user.party_id is None:
            _fail(f"user {user.username} has no own party; pass --party")
        party_id = user.party_id
    else:
        party = register.party(party_ref)
        if party is None:
            _fail(f"unknown party {party_ref!r}")
        party_id = party.party_id
    decision = authorizer.authorize(user, party_id, action, task, end_event, app_resource)
    party_obj = register.parties.get(party_id)
    party_name = party_obj.name if party_obj else str(party_id)
    click.echo(
        f"Request:  {user.username} for {party_name} ({party_id}) -> {action}"
        + (f" in {task}" if task else "")
    )
    click.echo(f"Decision: {decision.decision}")
    if decision.rule_ids:
        label = "Rule" if len(decision.rule_ids) == 1 else "Rules"
        click.echo(f"{label}:    " + ", ".join(decision.rule_ids))
    elif decision.decision == "NotApplicable":
        click.echo("Rule:     none matched (access is denied)")
    if decision.message:
        click.echo(f"Status:   {decision.status} ({decision.message})")
    allowed = decision.allows(user.auth_level, acting_as_org=user.org is not None)
    if decision.permitted and decision.min_auth_level is not None:
        click.echo(
            f"Authentication level: required {decision.min_auth_level}, user has {user.auth_level}"
        )
    click.echo("Result:   " + ("allowed" if allowed else "not allowed"))
    sys.exit(0 if allowed else 1)
