"""Fixtures for the sms_send function's tests.

Nothing here stands in for the function itself. AWS is played by:
- harness/loopback_sms.py: the SMS APIs' real wire protocols (AWS JSON 1.0 for v2,
  REST-JSON for Pinpoint v1) on 127.0.0.1, so botocore parses every answer as from AWS;
- moto in server mode on 127.0.0.1 and a free port, for DynamoDB.
The handler reaches both through the standard AWS_ENDPOINT_URL_<SERVICE> variables.
"""

from __future__ import annotations

import contextlib
import itertools

import pytest

from .delivery_helpers import Delivery
from .sms_send_helpers import FAKE_AWS, FUNCTION_VARS, LoopbackSmsApi, Table, load_handler


@pytest.fixture(scope="session", autouse=True)
def fake_aws_environment():
    with pytest.MonkeyPatch.context() as mp:
        for name, value in FAKE_AWS.items():
            mp.setenv(name, value)
        for name in FUNCTION_VARS:
            mp.delenv(name, raising=False)
        yield


@pytest.fixture(scope="session")
def sms_api_server():
    with LoopbackSmsApi() as server:
        yield server


@pytest.fixture
def sms_api(sms_api_server):
    """The loopback SMS API, with no scripted replies and no recorded requests."""
    sms_api_server.reset()
    yield sms_api_server
    sms_api_server.reset()


@pytest.fixture(scope="session")
def moto_server(moto_endpoint):
    """The session's loopback moto server (tests/conftest.py); tables get unique names."""
    return moto_endpoint


_table_names = itertools.count()


@pytest.fixture
def idempotency_table(moto_server):
    """A fresh table shaped as the contract says: partition key `id` (S), TTL `expiration`."""
    import boto3

    client = boto3.client("dynamodb", endpoint_url=moto_server)
    name = f"sms-idempotency-{next(_table_names)}"
    client.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.update_time_to_live(
        TableName=name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiration"},
    )
    yield Table(client, name)
    with contextlib.suppress(client.exceptions.ResourceNotFoundException):
        client.delete_table(TableName=name)


@pytest.fixture
def v2_env(sms_api) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url,
        "CONFIGURATION_SET_NAME": "ajo-sms",
    }


@pytest.fixture
def v2(v2_env):
    """The handler with SMS_API unset (v2), a configuration set, idempotency off."""
    return load_handler(v2_env)


@pytest.fixture
def v1(sms_api):
    return load_handler(
        {
            "SMS_API": "v1",
            "PINPOINT_APPLICATION_ID": "app0123456789",
            "AWS_ENDPOINT_URL_PINPOINT": sms_api.url,
            "CONFIGURATION_SET_NAME": "ajo-sms",
        }
    )


@pytest.fixture
def with_idempotency(sms_api, moto_server, idempotency_table):
    return load_handler(
        {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url,
            "AWS_ENDPOINT_URL_DYNAMODB": moto_server,
            "CONFIGURATION_SET_NAME": "ajo-sms",
            "IDEMPOTENCY_TABLE": idempotency_table.name,
        }
    )


@pytest.fixture
def make_delivery(moto_server, sms_api):
    """Factory: Delivery(max_receive_count=...) on moto, deleted after the test."""
    made: list[Delivery] = []

    def make(max_receive_count: int = 10) -> Delivery:
        made.append(Delivery(moto_server, sms_api.url, max_receive_count))
        return made[-1]

    yield make
    for one in made:
        one.close()


@pytest.fixture
def delivery(make_delivery):
    """Fresh queues, DLQ, delivery and idempotency tables and events stream on moto."""
    return make_delivery()
