"""Fixtures for the inbound function's tests.

moto (in-process, real wire protocol through botocore) plays SNS, SQS, DynamoDB,
Secrets Manager, Firehose and S3: a real SNS -> SQS subscription (raw delivery off)
wraps each inbound JSON in the envelope Lambda gets. The loopback SMS API
(harness/loopback_sms.py) plays End User Messaging's opt-out list and SendTextMessage;
FakeWebhook plays AJO's inbound webhook. `Pipeline.deliver()` is one poll of Lambda's
SQS event source mapping (harness/sqs_event_source.py): receive, invoke, delete what
succeeded, leave the reported failures to come back (visibility timeout 0 here)."""

from __future__ import annotations

import gzip
import json
from types import SimpleNamespace

import boto3
import pytest
from harness.api_gateway import load_event
from harness.fake_webhook import FakeWebhook
from harness.functions import function_dir, load_entry
from harness.loopback_sms import LoopbackSmsApi
from harness.moto_server import fake_aws
from harness.sqs_event_source import EventSource
from moto import mock_aws

function_dir("sms_inbound")  # the tests import sms_inbound as the zip has it
from sms_inbound import app  # noqa: E402

REGION = "us-east-1"
OPT_OUT_LIST = "ajo-sms-opt-outs"
SENDER = "+14255550182"  # the handset (originationNumber in AWS's inbound JSON)
OUR_NUMBER = "+12125550101"  # the two-way number it texted
SECRET_VALUE = "webhook-secret-value-1"
HTTP_TIMEOUT = 1.0  # the fake's "timeout" step answers after hang_seconds (longer)
REPLIES = {
    "OPT_OUT_REPLY": "You are unsubscribed. Reply START to resubscribe.",
    "OPT_IN_REPLY": "You are subscribed again. Reply STOP to opt out.",
    "HELP_REPLY": "Example Corp: help at example.com. Reply STOP to opt out.",
}
FUNCTION_VARS = (
    "INBOUND_TABLE", "SELF_MANAGED_OPT_OUTS", "OPT_OUT_LIST_NAME", "OPT_OUT_KEYWORDS",
    "OPT_IN_KEYWORDS", "HELP_KEYWORDS", "CUSTOM_KEYWORDS", "OPT_OUT_REPLY", "OPT_IN_REPLY",
    "HELP_REPLY", "CONFIGURATION_SET_NAME", "AJO_INBOUND_WEBHOOK_URL",
    "AJO_INBOUND_WEBHOOK_SECRET_ARN", "AJO_INBOUND_WEBHOOK_HEADER", "EVENTS_STREAM_NAME",
    "MAX_ATTEMPTS", "HTTP_TIMEOUT_SECONDS", "LOG_LEVEL",
)  # fmt: skip


@pytest.fixture(scope="session")
def sms_api_server():
    with LoopbackSmsApi() as server:
        yield server


@pytest.fixture
def sms_api(sms_api_server):
    sms_api_server.reset()
    sms_api_server.add_opt_out_list(OPT_OUT_LIST)
    yield sms_api_server
    sms_api_server.reset()


@pytest.fixture
def aws(monkeypatch, sms_api):
    for name, value in fake_aws(REGION).items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", *FUNCTION_VARS):
        monkeypatch.delenv(name, raising=False)
    # mock_aws intercepts the services moto knows; this endpoint passes through to the fake.
    monkeypatch.setenv("AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2", sms_api.url)
    with mock_aws():
        yield SimpleNamespace(
            sns=boto3.client("sns", region_name=REGION),
            sqs=boto3.client("sqs", region_name=REGION),
            dynamodb=boto3.client("dynamodb", region_name=REGION),
            secrets=boto3.client("secretsmanager", region_name=REGION),
            firehose=boto3.client("firehose", region_name=REGION),
            s3=boto3.client("s3", region_name=REGION),
            sms=boto3.client("pinpoint-sms-voice-v2", region_name=REGION),
        )


@pytest.fixture
def webhook():
    server = FakeWebhook(secret=SECRET_VALUE)
    server.hang_seconds = HTTP_TIMEOUT * 2
    server.slow_seconds = HTTP_TIMEOUT / 5  # well inside the timeout, even on a busy machine
    with server:
        yield server


def fixture_message(name: str) -> str:
    """AWS's inbound JSON of tests/events/sns_inbound_<name>.json (the envelope's Message)."""
    return load_event(f"sns_inbound_{name}")["Message"]


def inbound_json(body: str, inbound_message_id: str, sender: str = SENDER) -> str:
    """AWS's inbound JSON for a message `body` from `sender` to OUR_NUMBER."""
    return json.dumps(
        {
            "originationNumber": sender,
            "destinationNumber": OUR_NUMBER,
            "messageKeyword": "KEYWORD_123456789012",
            "messageBody": body,
            "inboundMessageId": inbound_message_id,
            "previousPublishedMessageId": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        }
    )


class Pipeline:
    """Topic -> subscription -> queue (with DLQ) -> inbound function, on moto."""

    def __init__(self, aws, sms_api, webhook, max_receive_count: int = 5):
        self.aws, self.sms_api, self.webhook = aws, sms_api, webhook
        self.sleeps: list[float] = []
        self.topic_arn = aws.sns.create_topic(Name="ajo-sms-two-way")["TopicArn"]
        self.dlq_url = aws.sqs.create_queue(QueueName="ajo-sms-inbound-dlq")["QueueUrl"]
        self.queue_url = aws.sqs.create_queue(
            QueueName="ajo-sms-inbound",
            Attributes={
                "VisibilityTimeout": "0",  # a failed message is visible again at once
                "RedrivePolicy": json.dumps(
                    {
                        "deadLetterTargetArn": self._arn(self.dlq_url),
                        "maxReceiveCount": max_receive_count,
                    }
                ),
            },
        )["QueueUrl"]
        aws.sns.subscribe(
            TopicArn=self.topic_arn, Protocol="sqs", Endpoint=self._arn(self.queue_url)
        )  # raw message delivery off: the body is the SNS envelope
        aws.dynamodb.create_table(
            TableName="ajo-sms-inbound",
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        aws.dynamodb.update_time_to_live(
            TableName="ajo-sms-inbound",
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiresAt"},
        )
        self.secret_arn = aws.secrets.create_secret(
            Name="ajo-sms/inbound-webhook", SecretString=SECRET_VALUE
        )["ARN"]
        aws.s3.create_bucket(Bucket="ajo-sms-events")
        aws.firehose.create_delivery_stream(
            DeliveryStreamName="ajo-sms-events",
            ExtendedS3DestinationConfiguration={
                "RoleARN": "arn:aws:iam::123456789012:role/firehose",
                "BucketARN": "arn:aws:s3:::ajo-sms-events",
                "Prefix": "events/",
            },
        )

    def _arn(self, url: str) -> str:
        attributes = self.aws.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        return attributes["Attributes"]["QueueArn"]

    def environ(self, **overrides) -> dict[str, str]:
        env = {
            "INBOUND_TABLE": "ajo-sms-inbound",
            "SELF_MANAGED_OPT_OUTS": "true",
            "OPT_OUT_LIST_NAME": OPT_OUT_LIST,
            "CUSTOM_KEYWORDS": '["JOIN"]',
            **REPLIES,
            "CONFIGURATION_SET_NAME": "ajo-sms",
            "AJO_INBOUND_WEBHOOK_URL": self.webhook.url,
            "AJO_INBOUND_WEBHOOK_SECRET_ARN": self.secret_arn,
            "EVENTS_STREAM_NAME": "ajo-sms-events",
            "MAX_ATTEMPTS": "3",
            "HTTP_TIMEOUT_SECONDS": str(HTTP_TIMEOUT),
        }
        env.update({k: str(v) for k, v in overrides.items()})
        return {k: v for k, v in env.items() if v != ""}

    def function(self, **overrides):
        return app.build(self.environ(**overrides), sleep=self.sleeps.append)

    def publish(self, message: str) -> None:
        self.aws.sns.publish(TopicArn=self.topic_arn, Message=message)

    def send_raw(self, body: str) -> None:
        """A queue message that did not come through SNS."""
        self.aws.sqs.send_message(QueueUrl=self.queue_url, MessageBody=body)

    def deliver(self, process) -> int:
        """One poll; the number of records it got (0: the queue is empty)."""
        return EventSource(self.aws.sqs, self.queue_url, process, wait_seconds=0).poll_once()

    def drain(self, process, max_polls: int = 50) -> int:
        polls = 0
        while polls < max_polls and self.deliver(process):
            polls += 1
        return polls

    def dead_letters(self) -> list[dict]:
        answer = self.aws.sqs.receive_message(QueueUrl=self.dlq_url, MaxNumberOfMessages=10)
        return answer.get("Messages", [])

    def item(self, inbound_message_id: str) -> dict:
        answer = self.aws.dynamodb.get_item(
            TableName="ajo-sms-inbound", Key={"id": {"S": inbound_message_id}}
        )
        return {k: next(iter(v.values())) for k, v in (answer.get("Item") or {}).items()}

    def exported(self) -> list[dict]:
        """Every event the stream delivered to S3 (one JSON object per line)."""
        events = []
        listing = self.aws.s3.list_objects_v2(Bucket="ajo-sms-events", Prefix="events/")
        for entry in listing.get("Contents", []):
            data = self.aws.s3.get_object(Bucket="ajo-sms-events", Key=entry["Key"])["Body"].read()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            events += [json.loads(line) for line in data.decode().splitlines() if line]
        return events

    def replies(self) -> list:
        return self.sms_api.sends("v2")


@pytest.fixture
def pipeline(aws, sms_api, webhook):
    return Pipeline(aws, sms_api, webhook)


@pytest.fixture
def make_pipeline(aws, sms_api, webhook):
    return lambda **kwargs: Pipeline(aws, sms_api, webhook, **kwargs)


@pytest.fixture
def load_handler(monkeypatch):
    """Import handler.py as Lambda would at cold start, under a unique name."""
    loads = iter(range(1_000_000))

    def load(environ: dict[str, str]):
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return load_entry("sms_inbound", "handler", f"sms_inbound_handler_{next(loads)}")

    return load
