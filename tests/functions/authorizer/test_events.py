"""Whatever shape a TOKEN event has, the answer is an Allow or a 401, never an
unhandled error (which API Gateway would turn into a 500)."""

from __future__ import annotations

import pytest
from ajo_authorizer import app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .authorizer_testkit import KEY_1, METHOD_ARN


def assert_unauthorized(call):
    with pytest.raises(Exception) as raised:
        call()
    assert type(raised.value) is Exception
    assert str(raised.value) == "Unauthorized"


@pytest.fixture
def authorize(secrets, secret_arn):
    return app.build({"API_KEY_SECRET_ARN": secret_arn}, client=secrets)


@pytest.mark.parametrize(
    "method_arn",
    [None, 42, 4.2, True, ["arn"], {"arn": METHOD_ARN}, b"arn:aws:execute-api:x:1:a/v1/POST/sms"],
)
def test_valid_key_with_a_non_string_method_arn_is_unauthorized(authorize, method_arn):
    event = {"type": "TOKEN", "authorizationToken": KEY_1, "methodArn": method_arn}
    assert_unauthorized(lambda: authorize(event))


@pytest.mark.parametrize(
    "event",
    [
        None,
        [],
        "TOKEN",
        42,
        {},
        {"type": "TOKEN", "authorizationToken": KEY_1},  # no methodArn
        {"type": "TOKEN", "methodArn": METHOD_ARN},  # no token
        {"type": "TOKEN", "methodArn": METHOD_ARN, "authorizationToken": [KEY_1]},
        {"type": "TOKEN", "methodArn": METHOD_ARN, "authorizationToken": {"k": KEY_1}},
        {"type": "TOKEN", "methodArn": METHOD_ARN, "authorizationToken": KEY_1.encode()},
        {"type": "TOKEN", "methodArn": "", "authorizationToken": KEY_1},
        {
            "type": "TOKEN",
            "methodArn": "arn:aws:execute-api:eu-west-1:1:api",
            "authorizationToken": KEY_1,
        },
    ],
)
def test_malformed_events_are_unauthorized(authorize, event):
    assert_unauthorized(lambda: authorize(event))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


# No deadline: the machine is shared, and timing is not what this test checks.
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    event=st.one_of(
        JSON,
        st.fixed_dictionaries(
            {"authorizationToken": st.one_of(st.just(KEY_1), JSON), "methodArn": JSON},
            optional={"type": st.one_of(st.just("TOKEN"), JSON)},
        ),
    )
)
def test_any_event_shape_is_an_allow_or_a_401(authorize, event):
    try:
        result = authorize(event)
    except Exception as error:  # which exception is the point of the test
        assert type(error) is Exception and str(error) == "Unauthorized", repr(error)
    else:
        assert result["policyDocument"]["Statement"][0]["Effect"] == "Allow"
        assert event["authorizationToken"] == KEY_1
