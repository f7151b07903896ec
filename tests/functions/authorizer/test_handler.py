"""The authorizer as API Gateway sees it: handler.handler(event, context)."""

from __future__ import annotations

import string

import pytest
from ajo_authorizer import app, authorizer
from harness.api_gateway import token_event
from harness.clock import Clock
from harness.moto_server import free_port
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .authorizer_testkit import (
    KEY_1,
    KEY_2,
    KEY_3,
    CallCounter,
    rotate,
)

STAGE_RESOURCE = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/*/*"


class Context:
    aws_request_id = "11111111-2222-3333-4444-555555555555"


def assert_unavailable(call):
    """Any exception but Exception("Unauthorized"): API Gateway answers 5xx, AJO retries."""
    with pytest.raises(authorizer.Unavailable) as raised:
        call()
    assert str(raised.value) == "api key check unavailable"
    assert str(raised.value) != "Unauthorized"


def assert_unauthorized(call):
    """Exactly Exception("Unauthorized"): what API Gateway turns into a 401."""
    with pytest.raises(Exception) as raised:
        call()
    assert type(raised.value) is Exception
    assert str(raised.value) == "Unauthorized"


def test_valid_key_allows_the_whole_stage(secret_arn, load_handler):
    handler = load_handler({"API_KEY_SECRET_ARN": secret_arn})
    result = handler.handler(token_event(KEY_1), Context())
    assert result == {
        "principalId": "ajo",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": STAGE_RESOURCE}
            ],
        },
        "context": {"keyVersion": "current"},
    }


@pytest.mark.parametrize(
    "method_arn",
    [
        "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/POST/sms",
        "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/GET/",
        "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/v1/POST/a/b/c",
    ],
)
def test_policy_is_scoped_to_the_stage_not_the_method(secret_arn, load_handler, method_arn):
    # API Gateway caches the policy per token: naming only the first method
    # called would deny every other one for the cache TTL.
    handler = load_handler({"API_KEY_SECRET_ARN": secret_arn})
    result = handler.handler(token_event(KEY_1, method_arn), Context())
    assert result["policyDocument"]["Statement"][0]["Resource"] == STAGE_RESOURCE


def test_other_partition_and_stage_are_kept(secret_arn, load_handler):
    handler = load_handler({"API_KEY_SECRET_ARN": secret_arn})
    arn = "arn:aws-cn:execute-api:cn-north-1:123456789012:zz99/prod-2/POST/sms"
    resource = handler.handler(token_event(KEY_1, arn), Context())["policyDocument"]
    assert resource["Statement"][0]["Resource"] == (
        "arn:aws-cn:execute-api:cn-north-1:123456789012:zz99/prod-2/*/*"
    )


@pytest.mark.parametrize(
    "token",
    [None, "", KEY_2, KEY_1 + "x", KEY_1[:-1], KEY_1.upper(), " " + KEY_1, "é" * 40, 12345],
)
def test_missing_or_wrong_key_is_unauthorized(secret_arn, load_handler, token):
    handler = load_handler({"API_KEY_SECRET_ARN": secret_arn})
    assert_unauthorized(lambda: handler.handler(token_event(token), Context()))


def test_previous_key_keeps_working_after_rotation(secrets, secret_arn, load_handler):
    rotate(secrets, secret_arn, KEY_2)
    handler = load_handler({"API_KEY_SECRET_ARN": secret_arn})
    assert handler.handler(token_event(KEY_2), Context())["context"] == {"keyVersion": "current"}
    assert handler.handler(token_event(KEY_1), Context())["context"] == {"keyVersion": "previous"}


def test_revoking_the_previous_key_is_one_setting(secrets, secret_arn, load_handler):
    # api_key.accept_previous = false in the module sets this variable; a
    # configuration change starts new execution environments (empty caches).
    rotate(secrets, secret_arn, KEY_2)  # KEY_1 leaked and was rotated out
    handler = load_handler({"API_KEY_SECRET_ARN": secret_arn, "API_KEY_ACCEPT_PREVIOUS": "false"})
    assert handler.handler(token_event(KEY_2), Context())["context"] == {"keyVersion": "current"}
    assert_unauthorized(lambda: handler.handler(token_event(KEY_1), Context()))


def test_rotation_takes_effect_when_the_cache_expires(secrets, secret_arn):
    clock = Clock()
    counter = CallCounter(secrets)
    environ = {"API_KEY_SECRET_ARN": secret_arn, "API_KEY_CACHE_TTL_SECONDS": "120"}
    authorize = app.build(environ, client=secrets, clock=clock)
    calls_after_cold_start = counter.calls
    for _ in range(50):
        authorize(token_event(KEY_1))
    assert counter.calls == calls_after_cold_start  # hot path: no Secrets Manager call

    rotate(secrets, secret_arn, KEY_2)
    rotate(secrets, secret_arn, KEY_3)  # KEY_1 is now neither current nor previous
    clock.advance(119)
    assert authorize(token_event(KEY_1))["principalId"] == "ajo"  # cached view, still valid
    assert_unauthorized(lambda: authorize(token_event(KEY_3)))
    clock.advance(1)
    assert authorize(token_event(KEY_3))["context"] == {"keyVersion": "current"}
    assert authorize(token_event(KEY_2))["context"] == {"keyVersion": "previous"}
    assert_unauthorized(lambda: authorize(token_event(KEY_1)))


def test_every_candidate_key_is_compared(secrets, secret_arn, monkeypatch):
    # A match on the first key must not skip the second: the time taken may not
    # reveal which key (or whether any) matched.
    rotate(secrets, secret_arn, KEY_2)
    authorize = app.build({"API_KEY_SECRET_ARN": secret_arn}, client=secrets)
    compared = []
    real = authorizer.hmac.compare_digest

    def spy(a, b):
        compared.append(b)
        return real(a, b)

    monkeypatch.setattr(authorizer.hmac, "compare_digest", spy)
    authorize(token_event(KEY_2))
    assert compared == [KEY_2.encode(), KEY_1.encode()]


def test_unreachable_secrets_manager_is_a_retryable_5xx_with_an_error_log(
    aws_env, load_handler, log_lines, monkeypatch
):
    # A refused connection, for real: a loopback port nobody listens on.
    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", f"http://127.0.0.1:{free_port()}")
    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ajo-sms/api-key-AbCdEf"
    handler = load_handler({"API_KEY_SECRET_ARN": arn})
    assert_unavailable(lambda: handler.handler(token_event(KEY_1), Context()))
    errors = [line for line in log_lines() if line["level"] == "ERROR"]
    assert errors[0]["message"].startswith("api keys unavailable at cold start")
    assert errors[-1]["message"] == "api keys unavailable, answering 5xx"
    assert errors[-1]["errorCode"] == "EndpointConnectionError"
    assert errors[-1]["requestId"] == Context.aws_request_id


@pytest.mark.parametrize(
    "environ",
    [{}, {"API_KEY_CACHE_TTL_SECONDS": "-5"}, {"API_KEY_ACCEPT_PREVIOUS": "no"}],
)
def test_misconfigured_function_is_a_retryable_5xx(aws_env, load_handler, log_lines, environ):
    # A deployment fault is not a wrong key: a 401 would make AJO drop the message.
    if environ:
        environ = {"API_KEY_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:1:secret:k", **environ}
    handler = load_handler(environ)
    assert_unavailable(lambda: handler.handler(token_event(KEY_1), Context()))
    lines = log_lines()
    assert lines[-1]["level"] == "ERROR"
    assert lines[-1]["message"] == "authorizer misconfigured, answering 5xx"
    assert lines[-1]["reason"]


def test_bad_method_arn_is_unauthorized(secret_arn, load_handler):
    handler = load_handler({"API_KEY_SECRET_ARN": secret_arn})
    assert_unauthorized(lambda: handler.handler(token_event(KEY_1, "not-an-arn"), Context()))


def test_denials_are_logged_with_a_reason_and_never_the_token(
    secrets, secret_arn, load_handler, log_lines
):
    rotate(secrets, secret_arn, KEY_2)
    handler = load_handler({"API_KEY_SECRET_ARN": secret_arn})
    wrong = "wrong-" + KEY_3
    for token in (KEY_1, KEY_2, wrong, None):
        try:
            handler.handler(token_event(token), Context())
        except Exception as error:
            assert str(error) == "Unauthorized"
    lines = log_lines()
    reasons = [line.get("reason") for line in lines if line["message"] == "request denied"]
    assert reasons == ["invalid_key", "missing_key"]
    raw = repr(lines)
    for secret in (KEY_1, KEY_2, KEY_3, wrong):
        assert secret not in raw
        assert secret[3:12] not in raw  # not even a fragment


# No deadline: the machine is shared, and timing is not what this test checks.
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(token=st.text(alphabet=string.printable + "éß€\x00", max_size=80))
def test_no_other_token_is_accepted(secret_arn, secrets, token):
    authorize = app.build({"API_KEY_SECRET_ARN": secret_arn}, client=secrets)
    if token == KEY_1:
        return
    assert_unauthorized(lambda: authorize(token_event(token)))
