"""What API Gateway does around the functions: the events it sends them, and its
evaluation of a TOKEN authorizer's policy.

The events are JSON fixtures in tests/events/ (as Powertools for AWS Lambda keeps its
tests' events), each builder filling in what differs from call to call.
"""

from __future__ import annotations

import base64
import fnmatch
import json
from typing import Any

from harness import REPO

EVENTS = REPO / "tests" / "events"


def load_event(name: str) -> dict[str, Any]:
    """tests/events/<name>.json, a fresh copy each call."""
    return json.loads((EVENTS / f"{name}.json").read_text())


def proxy_event(
    body: Any,
    *,
    headers: dict[str, str] | None = None,
    base64_body: bool = False,
    raw: bool = False,
    **request_context: Any,
) -> dict[str, Any]:
    """A REST proxy event (payload 1.0) as the stage sends it to the send function.

    `body` is JSON-encoded unless `raw` (then str or bytes as given); `base64_body`
    encodes it as API Gateway does for binary media types. `headers` are added to the
    fixture's; `request_context` keys (requestId, apiId, stage, authorizer) replace its."""
    text = body if raw else json.dumps(body)
    if base64_body:
        data = text if isinstance(text, bytes) else text.encode()
        text = base64.b64encode(data).decode()
    event = load_event("apiGatewayProxyEvent")
    event["headers"].update(headers or {})
    event["requestContext"].update(request_context)
    event["body"] = text
    event["isBase64Encoded"] = base64_body
    return event


def token_event(token: str | None, method_arn: str | None = None) -> dict[str, Any]:
    """A TOKEN authorizer's event for `method_arn` (the fixture's POST /sms if None);
    `token` None leaves the token out."""
    event = load_event("apiGatewayAuthorizerTokenEvent")
    if method_arn is not None:
        event["methodArn"] = method_arn
    if token is None:
        del event["authorizationToken"]
    else:
        event["authorizationToken"] = token
    return event


def policy_allows(policy: dict, arn: str) -> bool:
    """IAM evaluation for one ARN: some Allow matches it and no Deny does."""

    def matches(effect: str) -> bool:
        return any(
            fnmatch.fnmatchcase(arn, resource)
            for statement in policy["policyDocument"]["Statement"]
            if statement["Effect"] == effect
            for resource in as_list(statement["Resource"])
        )

    return matches("Allow") and not matches("Deny")


def as_list(value) -> list:
    """IAM's Action/Resource: a string or a list of them."""
    return value if isinstance(value, list) else [value]
