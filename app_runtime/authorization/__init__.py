"""Access rules: a XACML 3.0 decision point with Altinn's vocabulary on top.

Layers, lowest first:
- datatypes, functions, higher_order: the XACML data types and standard function library;
- expressions, model, combining, fastpath, indexing: the compiled policy tree and evaluation;
- parser (policies, with load-time validation), request (requests, responses, multiple
  decisions), pdp (the decision point);
- altinn (URNs, actions, task-type rule, request building, enrichment, delegations), register
  (the local register from YAML), app_policy (an app's policy in context), editing (policy.xml
  as editable rules, written back losslessly).

Out of scope: XPath (AttributeSelector, xpathExpression, the xpath-node-* functions,
access-permitted) and request Content; such policies are rejected at load with a clear error.
CombinedDecision and RequestDefaults are read but not acted upon.
"""

from app_runtime.authorization.altinn import (
    ACTIONS,
    AltinnAuthorizer,
    AltinnDecision,
    actions_for_task_type,
)
from app_runtime.authorization.app_policy import load_app_authorizer, load_app_pdp
from app_runtime.authorization.errors import PolicyError, RequestError
from app_runtime.authorization.pdp import PolicyDecisionPoint
from app_runtime.authorization.register import (
    Register,
    default_register,
    load_register,
    party_type_allowed,
)

__all__ = [
    "ACTIONS",
    "AltinnAuthorizer",
    "AltinnDecision",
    "PolicyDecisionPoint",
    "PolicyError",
    "Register",
    "RequestError",
    "actions_for_task_type",
    "default_register",
    "load_app_authorizer",
    "load_app_pdp",
    "load_register",
    "party_type_allowed",
]
