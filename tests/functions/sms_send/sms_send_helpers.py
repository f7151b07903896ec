"""Helpers shared by the sms_send tests."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from harness.api_gateway import proxy_event
from harness.functions import function_dir, load_entry
from harness.loopback_sms import LoopbackSmsApi
from harness.moto_server import fake_aws, free_port

__all__ = ["LoopbackSmsApi", "free_port"]

function_dir("sms_send")  # the tests import ajo_sms_send as the zip has it

US_NUMBER = "+14155550100"
US_NATIONAL = "(415) 555-0100"
FR_NUMBER = "+33612345678"
API_KEY = "secret-api-key-value"  # sent in every test event's headers, never logged
OMIT = object()  # request(field=OMIT) leaves the field out
API_REQUEST_ID = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"  # api_event's requestContext.requestId

FAKE_AWS = fake_aws("eu-west-1")
# Variables a handler load may set; cleared before each load so loads do not leak.
FUNCTION_VARS = (
    "CONFIGURATION_SET_NAME",
    "DEFAULT_ORIGINATION_IDENTITY",
    "DEFAULT_COUNTRY",
    "DEFAULT_MESSAGE_TYPE",
    "IDEMPOTENCY_TABLE",
    "IDEMPOTENCY_TTL_SECONDS",
    "SMS_API",
    "PINPOINT_APPLICATION_ID",
    "SMS_CONNECT_TIMEOUT_SECONDS",
    "SMS_READ_TIMEOUT_SECONDS",
    "SMS_MAX_ATTEMPTS",
    "SMS_TIME_BUDGET_SECONDS",
    "LOG_LEVEL",
    "UNKNOWN_OUTCOME",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2",
    "AWS_ENDPOINT_URL_PINPOINT",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_ENDPOINT_URL_SQS",
    "AWS_ENDPOINT_URL_FIREHOSE",
    "AWS_ENDPOINT_URL_SOCIALMESSAGING",
    "DEFAULT_DELIVERY",
    "QUEUE_URL_TRANSACTIONAL",
    "QUEUE_URL_PROMOTIONAL",
    "DELIVERY_TABLE",
    "VALIDITY_SECONDS",
    "MPS",
    "PROMOTIONAL_RESERVE",
    "MAX_ATTEMPTS",
    "DLQ_URL",
    "EVENTS_STREAM_NAME",
    "METRICS_NAMESPACE",
    "AWS_LAMBDA_FUNCTION_NAME",
    "CHANNELS",
    "MEDIA_BUCKET",
    "DEFAULT_VOICE_ID",
    "WHATSAPP_PHONE_NUMBER_IDS",
    "WHATSAPP_META_API_VERSION",
    "WHATSAPP_MPS",
)


class Table:
    def __init__(self, client: Any, name: str):
        self.client = client
        self.name = name

    def items(self) -> list[dict[str, Any]]:
        return self.client.scan(TableName=self.name)["Items"]


_handler_ids = itertools.count()
_handler_cache: dict[tuple, Any] = {}


def load_handler(env: dict[str, str], fresh: bool = False, entry: str = "handler") -> Any:
    """Import functions/sms_send/<entry>.py as a cold start would, with `env` set.

    Each load is a new module (unique name), so several configurations coexist in one
    session; loads are cached per environment unless `fresh`.
    """
    key = (entry, *sorted(env.items()))
    if not fresh and key in _handler_cache:
        return _handler_cache[key]
    with pytest.MonkeyPatch.context() as mp:
        for name in FUNCTION_VARS:
            mp.delenv(name, raising=False)
        for name, value in env.items():
            mp.setenv(name, value)
        module = load_entry("sms_send", entry, f"sms_send_{entry}_{next(_handler_ids)}")
    _handler_cache[key] = module
    return module


class Context:
    """The parts of the Lambda context object the function reads."""

    aws_request_id = "6f1c9c3e-1111-2222-3333-444455556666"

    def __init__(self, remaining_ms: int = 29_000):
        self._remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self._remaining_ms


def api_event(body: Any, base64_body: bool = False, raw: bool = False) -> dict[str, Any]:
    """The REST proxy event for `body`, with the API key header AJO sends."""
    return proxy_event(body, headers={"x-api-key": API_KEY}, base64_body=base64_body, raw=raw)


class Answer:
    def __init__(self, response: dict[str, Any]):
        self.raw = response
        self.status = response["statusCode"]
        self.headers = response["headers"]
        self.body = json.loads(response["body"])

    @property
    def error(self) -> dict[str, Any]:
        return self.body["error"]

    def __repr__(self) -> str:
        return f"Answer({self.status}, {self.body})"


def call(handler_module: Any, body: Any, context: Any = None, **event_options: Any) -> Answer:
    return Answer(handler_module.handler(api_event(body, **event_options), context or Context()))


# A deployment with MMS and voice on (both need an origination identity: the default).
MEDIA_BUCKET = "ajo-media"
MEDIA = f"s3://{MEDIA_BUCKET}/offers/spring-sale.png"
POOL = "pool-0123456789abcdef"
CHANNEL_ENV = {
    "CHANNELS": "SMS,MMS,VOICE",
    "MEDIA_BUCKET": MEDIA_BUCKET,
    "DEFAULT_ORIGINATION_IDENTITY": POOL,
}


def request(**fields: Any) -> dict[str, Any]:
    """A valid request body with fields overridden; OMIT leaves a field out."""
    body: dict[str, Any] = {"destinationNumber": US_NUMBER, "message": "Your code is 123456"}
    body.update(fields)
    return {k: v for k, v in body.items() if v is not OMIT}


def mms(**fields: Any) -> dict[str, Any]:
    """A valid MMS request body (text and one medium) with fields overridden."""
    return request(**{"channel": "MMS", "mediaUrls": [MEDIA], **fields})


def voice(**fields: Any) -> dict[str, Any]:
    """A valid voice request body (TEXT, the default voice) with fields overridden."""
    return request(**{"channel": "VOICE", **fields})


# A deployment with WhatsApp on: two phone number IDs, the first the default.
WHATSAPP_ID = "phone-number-id-" + "0123456789abcdef" * 2
WHATSAPP_OTHER_ID = "phone-number-id-" + "fedcba9876543210" * 2


def whatsapp_env(sms_api: LoopbackSmsApi) -> dict[str, str]:
    return {
        "CHANNELS": "SMS,WHATSAPP",
        "WHATSAPP_PHONE_NUMBER_IDS": f"{WHATSAPP_ID},{WHATSAPP_OTHER_ID}",
        "AWS_ENDPOINT_URL_SOCIALMESSAGING": sms_api.url,
    }


def whatsapp(**fields: Any) -> dict[str, Any]:
    """A valid WhatsApp template request (one body parameter) with fields overridden."""
    template = {
        "channel": "WHATSAPP",
        "message": OMIT,
        "templateName": "order_update",
        "templateLanguage": "en_US",
        "templateParameters": ["A-1042"],
    }
    return request(**{**template, **fields})
