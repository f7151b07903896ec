"""Constants and small helpers shared by the authorizer tests (a uniquely named
module, so it never clashes with another function's test helpers)."""

from __future__ import annotations

REGION = "eu-west-1"
METHOD_ARN = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/POST/sms"
KEY_1 = "k1-Zq8vN3rT6yW9bC2eF5hJ8kM1pQ4sU7xA"
KEY_2 = "k2-Lm4nP7qR0tV3wY6zB9dG2jK5mN8pS1uX"
KEY_3 = "k3-Hc5fJ8lO1rU4xA7dE0gI3kN6qT9wZ2bD"


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


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


def token_event(token, method_arn: str = METHOD_ARN) -> dict:
    event = {"type": "TOKEN", "methodArn": method_arn}
    if token is not None:
        event["authorizationToken"] = token
    return event
