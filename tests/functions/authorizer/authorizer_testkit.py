"""Constants and small helpers shared by the authorizer tests (a uniquely named
module, so it never clashes with another function's test helpers)."""

from __future__ import annotations

import json

from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError
from harness.api_gateway import load_event

REGION = "eu-west-1"
METHOD_ARN = load_event("apiGatewayAuthorizerTokenEvent")["methodArn"]  # POST /sms, eu-west-1
KEY_1 = "k1-Zq8vN3rT6yW9bC2eF5hJ8kM1pQ4sU7xA"
KEY_2 = "k2-Lm4nP7qR0tV3wY6zB9dG2jK5mN8pS1uX"
KEY_3 = "k3-Hc5fJ8lO1rU4xA7dE0gI3kN6qT9wZ2bD"


class CallCounter:
    """Counts GetSecretValue calls a real botocore client makes."""

    def __init__(self, client):
        self.calls = 0
        client.meta.events.register("before-call.secrets-manager.GetSecretValue", self._count)

    def _count(self, **_kwargs):
        self.calls += 1


def rotate(secrets, secret_arn: str, new_key: str) -> None:
    """What a rotation leaves behind: new value AWSCURRENT, old one AWSPREVIOUS."""
    secrets.put_secret_value(SecretId=secret_arn, SecretString=new_key)


class SecretsManagerFaults:
    """Makes a real botocore client meet Secrets Manager's failures on the wire.

    The hook runs where botocore sends the HTTP request (ahead of moto), so
    each fault goes through botocore's own error parsing and retry policy,
    exactly as the real one would: an error response is an awsJson 1.1 body
    with the service's status and `__type`; a refused connection raises what
    urllib3's refusal raises. `attempts` counts HTTP attempts, retries included.
    """

    # (HTTP status, error code, message) as Secrets Manager answers them.
    THROTTLING = (400, "ThrottlingException", "Rate exceeded")
    INTERNAL_ERROR = (500, "InternalServiceError", "An internal error occurred.")
    UNAVAILABLE = (503, "ServiceUnavailable", "Service Unavailable")
    REFUSED = "refused"

    def __init__(self, client):
        self.fault = None
        self.attempts = 0
        client.meta.events.register_first(
            "before-send.secrets-manager.GetSecretValue", self._before_send
        )

    def _before_send(self, request, **_kwargs):
        self.attempts += 1
        if self.fault is None:
            return None  # on to moto
        if self.fault == self.REFUSED:
            raise EndpointConnectionError(endpoint_url=request.url)
        status, code, message = self.fault
        body = json.dumps({"__type": code, "message": message}).encode()
        headers = {
            "Content-Type": "application/x-amz-json-1.1",
            "x-amzn-RequestId": "5b0c3f4e-0000-4000-8000-000000000000",
        }
        return AWSResponse(request.url, status, headers, _Body(body))


class _Body:
    """The raw-response part of AWSResponse botocore reads a body through."""

    def __init__(self, data: bytes):
        self._data = data

    def stream(self, **_kwargs):
        yield self._data
