"""The response API Gateway expects from a TOKEN authorizer."""

from __future__ import annotations

PRINCIPAL_ID = "ajo"  # non-secret: shows up in access logs as $context.authorizer.principalId


class BadMethodArn(ValueError):
    pass


def stage_resource(method_arn: object) -> str:
    """`arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/*/*` from the call's methodArn.

    Allowing every method and path of the stage (not just the one called) is
    deliberate: API Gateway caches this policy per token for the authorizer's
    TTL, and a policy naming only the first method would deny the others."""
    if not isinstance(method_arn, str):
        raise BadMethodArn("methodArn is not a string")
    api_arn, _, rest = method_arn.partition("/")
    stage = rest.partition("/")[0]
    if not api_arn.startswith("arn:") or api_arn.count(":") != 5 or not stage:
        raise BadMethodArn("methodArn is not an execute-api method ARN")
    return f"{api_arn}/{stage}/*/*"


def allow(resource: str, key_version: str) -> dict:
    """An Allow on `resource` (from stage_resource)."""
    return {
        "principalId": PRINCIPAL_ID,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": "execute-api:Invoke",
                    "Effect": "Allow",
                    "Resource": resource,
                }
            ],
        },
        # Readable in access logs as $context.authorizer.keyVersion: shows when
        # AJO has moved to the rotated key and the previous one can be retired.
        "context": {"keyVersion": key_version},
    }
