"""KeyStore: which keys are accepted, when Secrets Manager is called, and how
it fails (closed) when Secrets Manager cannot be read."""

from __future__ import annotations

import boto3
import pytest
from ajo_authorizer import keys as keys_module
from ajo_authorizer.keys import KeyStore, KeysUnavailable
from botocore.config import Config
from harness.clock import Clock

from .authorizer_testkit import KEY_1, KEY_2, KEY_3, REGION, CallCounter, rotate


def store_for(secrets, secret_arn, ttl=300, clock=None):
    clock = clock or Clock()
    return KeyStore(secrets, secret_arn, ttl, clock), clock


def test_before_any_rotation_only_the_current_key_is_accepted(secrets, secret_arn):
    store, _ = store_for(secrets, secret_arn)
    assert store.accepted() == (("current", KEY_1.encode()),)


def test_after_a_rotation_current_and_previous_are_both_accepted(secrets, secret_arn):
    rotate(secrets, secret_arn, KEY_2)
    store, _ = store_for(secrets, secret_arn)
    assert store.accepted() == (("current", KEY_2.encode()), ("previous", KEY_1.encode()))


def test_warm_cache_makes_no_secrets_manager_call(secrets, secret_arn):
    rotate(secrets, secret_arn, KEY_2)
    counter = CallCounter(secrets)
    store, clock = store_for(secrets, secret_arn, ttl=300)
    store.accepted()
    assert counter.calls == 2  # AWSCURRENT + AWSPREVIOUS, once
    for _ in range(500):
        clock.advance(0.5)  # 250 s in total, inside the TTL
        store.accepted()
    assert counter.calls == 2


def test_ttl_expiry_picks_up_a_rotation(secrets, secret_arn):
    store, clock = store_for(secrets, secret_arn, ttl=300)
    assert [label for label, _ in store.accepted()] == ["current"]
    rotate(secrets, secret_arn, KEY_2)
    clock.advance(299)
    assert store.accepted() == (("current", KEY_1.encode()),)  # still the cached view
    clock.advance(1)
    assert store.accepted() == (("current", KEY_2.encode()), ("previous", KEY_1.encode()))
    rotate(secrets, secret_arn, KEY_3)
    clock.advance(300)
    # Two rotations later the first key is gone for good.
    assert store.accepted() == (("current", KEY_3.encode()), ("previous", KEY_2.encode()))


def test_zero_ttl_reads_secrets_manager_every_time(secrets, secret_arn):
    counter = CallCounter(secrets)
    store, _ = store_for(secrets, secret_arn, ttl=0)
    store.accepted()
    store.accepted()
    # AWSPREVIOUS does not exist yet: each refresh tries both stages.
    assert counter.calls == 4


def test_surrounding_whitespace_in_the_secret_is_ignored(secrets):
    arn = secrets.create_secret(Name="padded", SecretString=f"  {KEY_1}\n")["ARN"]
    store, _ = store_for(secrets, arn)
    assert store.accepted() == (("current", KEY_1.encode()),)


def test_same_value_in_both_stages_is_listed_once(secrets, secret_arn):
    rotate(secrets, secret_arn, KEY_1)
    store, _ = store_for(secrets, secret_arn)
    assert store.accepted() == (("current", KEY_1.encode()),)


def test_missing_secret_fails_closed(secrets):
    store, _ = store_for(
        secrets, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:nope-AbCdEf"
    )
    with pytest.raises(KeysUnavailable) as raised:
        store.accepted()
    assert raised.value.error_code == "ResourceNotFoundException"


def test_empty_current_value_fails_closed(secrets):
    arn = secrets.create_secret(Name="blank", SecretString="   ")["ARN"]
    store, _ = store_for(secrets, arn)
    with pytest.raises(KeysUnavailable, match="empty"):
        store.accepted()


def test_binary_secret_fails_closed(secrets):
    arn = secrets.create_secret(Name="binary", SecretBinary=b"\x00\x01")["ARN"]
    store, _ = store_for(secrets, arn)
    with pytest.raises(KeysUnavailable, match="binary"):
        store.accepted()


def unreachable_client():
    """A real client aimed at a loopback port nobody listens on."""
    return boto3.client(
        "secretsmanager",
        region_name=REGION,
        endpoint_url="http://127.0.0.1:9",
        config=Config(connect_timeout=0.5, retries={"total_max_attempts": 1}),
    )


def test_unreachable_secrets_manager_fails_closed_and_backs_off(aws_env):
    client = unreachable_client()
    counter = CallCounter(client)
    clock = Clock()
    store = KeyStore(client, "arn:aws:secretsmanager:eu-west-1:1:secret:x", 300, clock)
    with pytest.raises(KeysUnavailable) as raised:
        store.accepted()
    assert raised.value.error_code == "EndpointConnectionError"
    assert counter.calls == 1
    # Within the back-off window requests keep failing without new calls...
    clock.advance(keys_module.RETRY_AFTER_FAILURE_SECONDS / 2)
    with pytest.raises(KeysUnavailable):
        store.accepted()
    assert counter.calls == 1
    # ...and after it Secrets Manager is tried again.
    clock.advance(keys_module.RETRY_AFTER_FAILURE_SECONDS)
    with pytest.raises(KeysUnavailable):
        store.accepted()
    assert counter.calls == 2


def test_expired_keys_are_not_used_when_refresh_fails(secrets, secret_arn):
    store, clock = store_for(secrets, secret_arn, ttl=300)
    assert store.accepted()
    secrets.delete_secret(SecretId=secret_arn, ForceDeleteWithoutRecovery=True)
    clock.advance(301)
    with pytest.raises(KeysUnavailable):
        store.accepted()  # fail closed: no stale key survives its TTL


def test_recovers_after_an_outage(secrets, secret_arn):
    real_get = secrets.get_secret_value
    failing = {"on": True}

    def flaky(**kwargs):
        if failing["on"]:
            raise secrets.exceptions.InternalServiceError(
                {"Error": {"Code": "InternalServiceError", "Message": "boom"}}, "GetSecretValue"
            )
        return real_get(**kwargs)

    secrets.get_secret_value = flaky
    store, clock = store_for(secrets, secret_arn)
    with pytest.raises(KeysUnavailable):
        store.accepted()
    failing["on"] = False
    clock.advance(keys_module.RETRY_AFTER_FAILURE_SECONDS)
    assert store.accepted() == (("current", KEY_1.encode()),)


def test_accept_previous_false_accepts_the_current_key_only(secrets, secret_arn):
    rotate(secrets, secret_arn, KEY_2)
    counter = CallCounter(secrets)
    store = KeyStore(secrets, secret_arn, 300, Clock(), accept_previous=False)
    assert store.accepted() == (("current", KEY_2.encode()),)
    assert counter.calls == 1  # AWSPREVIOUS is not even read


def test_dropping_the_previous_label_revokes_it_when_the_cache_expires(secrets, secret_arn):
    # The no-Terraform emergency revoke: take AWSPREVIOUS off the old version.
    rotate(secrets, secret_arn, KEY_2)
    store, clock = store_for(secrets, secret_arn, ttl=60)
    assert [label for label, _ in store.accepted()] == ["current", "previous"]
    versions = secrets.list_secret_version_ids(SecretId=secret_arn)["Versions"]
    (previous,) = [v["VersionId"] for v in versions if "AWSPREVIOUS" in v["VersionStages"]]
    secrets.update_secret_version_stage(
        SecretId=secret_arn, VersionStage="AWSPREVIOUS", RemoveFromVersionId=previous
    )
    clock.advance(60)
    assert store.accepted() == (("current", KEY_2.encode()),)
