"""Secret formats and token caching."""

from __future__ import annotations

import json

import pytest
from event_forwarder.credentials import CredentialsUnavailable, TokenProvider, parse_secret


class Secrets:
    def __init__(self, value: str):
        self.value, self.reads = value, 0

    def get_secret_value(self, SecretId):
        self.reads += 1
        return {"SecretString": self.value}


def test_static_token_secret():
    secret = parse_secret(json.dumps({"access_token": "abc", "api_key": "k"}))
    assert (secret.access_token, secret.api_key) == ("abc", "k")
    tokens = TokenProvider(Secrets(json.dumps({"access_token": "abc"})), "arn", 1.0)
    assert tokens.token() == "abc"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("nope", "SECRET_NOT_JSON"),
        ("[]", "SECRET_NOT_JSON_OBJECT"),
        ('{"client_id": "x"}', "SECRET_HAS_NO_CREDENTIALS"),
    ],
)
def test_unusable_secrets(text, reason):
    with pytest.raises(CredentialsUnavailable) as raised:
        parse_secret(text)
    assert raised.value.reason == reason


def test_ims_token_is_cached_until_near_expiry(fake_aep):
    from harness.fake_aep import CLIENT_ID, CLIENT_SECRET

    now = [0.0]
    secret = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "token_url": fake_aep.token_url,
    }
    secrets = Secrets(json.dumps(secret))
    tokens = TokenProvider(secrets, "arn", 5.0, clock=lambda: now[0])
    first = tokens.token()
    now[0] = 86399 - 301
    assert tokens.token() == first
    now[0] = 86399 - 299
    assert tokens.token() != first
    assert len(fake_aep.token_requests) == 2
    assert fake_aep.token_requests[0]["grant_type"] == "client_credentials"
    assert secrets.reads == 1  # the secret is read once, not per token
    tokens.refresh()
    assert secrets.reads == 2  # a refresh re-reads it (it may have been rotated)


def test_unreachable_ims_is_reported_without_the_secret():
    secret = {"client_id": "id", "client_secret": "s3cr3t", "token_url": "http://127.0.0.1:9/ims"}
    tokens = TokenProvider(Secrets(json.dumps(secret)), "arn", 0.5)
    with pytest.raises(CredentialsUnavailable) as raised:
        tokens.token()
    assert raised.value.reason.startswith("IMS_UNREACHABLE")
    assert "s3cr3t" not in str(raised.value)
