"""A key-store outage is a retryable 5xx, never a 401 (AJO retries every status
but 401, 403 and 404, so a 401 loses the message). Faults reach the real
botocore client the production code builds (app._secrets_client: its
timeouts and retry policy), the way Secrets Manager fails on the wire."""

from __future__ import annotations

import socket
import time

import pytest
from ajo_authorizer import app, authorizer, keys
from harness.api_gateway import token_event
from harness.clock import Clock

from .authorizer_testkit import KEY_1, KEY_2, SecretsManagerFaults

FAULTS = {
    "connection refused": SecretsManagerFaults.REFUSED,
    "throttling": SecretsManagerFaults.THROTTLING,
    "internal error 500": SecretsManagerFaults.INTERNAL_ERROR,
    "unavailable 503": SecretsManagerFaults.UNAVAILABLE,
}
# botocore's name for each fault, as the error log reports it.
ERROR_CODES = {
    "connection refused": "EndpointConnectionError",
    "throttling": "ThrottlingException",
    "internal error 500": "InternalServiceError",
    "unavailable 503": "ServiceUnavailable",
}


@pytest.fixture
def production_client(secrets):
    """The client the function builds at cold start, served by moto."""
    return app._secrets_client("arn:aws:secretsmanager:eu-west-1:123456789012:secret:x")


def build(secret_arn, client, clock, ttl=300):
    environ = {"API_KEY_SECRET_ARN": secret_arn, "API_KEY_CACHE_TTL_SECONDS": str(ttl)}
    return app.build(environ, client=client, clock=clock)


def is_unavailable(call) -> bool:
    try:
        call()
    except authorizer.Unavailable as error:
        return str(error) != "Unauthorized"
    return False


@pytest.mark.parametrize("name", FAULTS)
def test_outage_at_cold_start_is_a_5xx_after_the_client_retries(
    secret_arn, production_client, log_lines, name
):
    faults = SecretsManagerFaults(production_client)
    faults.fault = FAULTS[name]
    clock = Clock()
    authorize = build(secret_arn, production_client, clock)
    assert faults.attempts == 2  # the client's retry policy: two attempts, then give up
    clock.advance(keys.RETRY_AFTER_FAILURE_SECONDS)
    assert is_unavailable(lambda: authorize(token_event(KEY_1), "req-1"))
    # Even a key that would be wrong: it cannot be told apart now.
    assert is_unavailable(lambda: authorize(token_event(KEY_2), "req-2"))
    errors = [line for line in log_lines() if line["level"] == "ERROR"]
    assert errors[-1]["message"] == "api keys unavailable, answering 5xx"
    assert {line["errorCode"] for line in errors} == {ERROR_CODES[name]}
    assert KEY_1 not in repr(errors)


@pytest.mark.parametrize("name", FAULTS)
def test_cached_keys_ride_out_an_outage_until_their_ttl_ends(secret_arn, production_client, name):
    faults = SecretsManagerFaults(production_client)
    clock = Clock()
    authorize = build(secret_arn, production_client, clock, ttl=300)
    faults.fault = FAULTS[name]
    before = faults.attempts
    clock.advance(299)
    assert authorize(token_event(KEY_1))["context"] == {"keyVersion": "current"}
    # Inside the TTL the cached view is authoritative: a wrong key is still a 401.
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorize(token_event(KEY_2))
    assert faults.attempts == before  # no Secrets Manager call inside the TTL
    clock.advance(1)
    # Past the TTL no stale key is trusted (a revoked key must not live on).
    assert is_unavailable(lambda: authorize(token_event(KEY_1)))
    faults.fault = None  # the outage ends
    clock.advance(keys.RETRY_AFTER_FAILURE_SECONDS)
    assert authorize(token_event(KEY_1))["principalId"] == "ajo"


def test_outage_backs_off_instead_of_calling_per_request(secret_arn, production_client):
    faults = SecretsManagerFaults(production_client)
    clock = Clock()
    authorize = build(secret_arn, production_client, clock)
    assert faults.attempts == 2  # cold start: AWSCURRENT, AWSPREVIOUS (none yet)
    faults.fault = SecretsManagerFaults.THROTTLING
    clock.advance(300)
    for _ in range(20):
        assert is_unavailable(lambda: authorize(token_event(KEY_1)))
        clock.advance(keys.RETRY_AFTER_FAILURE_SECONDS / 20)
    assert faults.attempts == 2 + 2  # one refresh (two attempts) for 20 requests in 1 s
    clock.advance(keys.RETRY_AFTER_FAILURE_SECONDS)
    assert is_unavailable(lambda: authorize(token_event(KEY_1)))
    assert faults.attempts == 2 + 2 + 2  # the next second: one more refresh


def test_a_hanging_secrets_manager_fails_fast(aws_env, load_handler, monkeypatch):
    # Accepts the connection and never answers: the read times out. The
    # function must answer its 5xx well inside its own 5 s default timeout,
    # or API Gateway would see a timeout and no log line would say why.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", f"http://127.0.0.1:{port}")
        arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ajo-sms/api-key-AbCdEf"
        started = time.monotonic()
        handler = load_handler({"API_KEY_SECRET_ARN": arn})  # cold start: first read
        cold_start = time.monotonic() - started
    assert is_unavailable(lambda: handler.handler(token_event(KEY_1), None))
    assert cold_start < 3.5, cold_start  # 2 x 1 s read timeout + one backoff (< 1 s)
