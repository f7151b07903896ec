"""Fixtures for the event forwarder's unit tests.

moto (in-process, real wire protocol through botocore) stands in for S3, SQS
and Secrets Manager, and produces the real S3 -> SQS notification messages;
loopback HTTP servers stand in for Adobe IMS and the AEP inlet (fake_aep.py)
and for AJO's SMS feedback webhook (fake_webhook.py).
`pipeline.deliver()` plays Lambda's SQS event source mapping: receive, invoke,
delete what succeeded, leave the reported failures to come back."""

from __future__ import annotations

import itertools
import json
from types import SimpleNamespace

import boto3
import pytest
from harness.fake_aep import CLIENT_ID, CLIENT_SECRET, FakeAep
from harness.fake_webhook import FakeWebhook
from harness.forwarder_testkit import (
    BUCKET,
    DATASET_ID,
    IMS_ORG,
    QUEUE,
    REGION,
    SCHEMA_ID,
    LambdaContext,
    sqs_event,
)
from harness.functions import function_dir, load_entry
from harness.moto_server import fake_aws
from moto import mock_aws

function_dir("event_forwarder")  # the tests import event_forwarder as the zip has it
from event_forwarder import app  # noqa: E402

_handler_names = itertools.count()


@pytest.fixture
def aws_env(monkeypatch):
    for name, value in fake_aws(REGION).items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def aws(aws_env):
    with mock_aws():
        yield SimpleNamespace(
            s3=boto3.client("s3", region_name=REGION),
            sqs=boto3.client("sqs", region_name=REGION),
            secrets=boto3.client("secretsmanager", region_name=REGION),
        )


@pytest.fixture
def fake_aep():
    server = FakeAep().start()
    yield server
    server.stop()


@pytest.fixture
def fake_webhook():
    with FakeWebhook() as server:
        yield server


AEP_VARIABLES = (
    "AEP_INLET_URL",
    "AEP_INLET_ALLOWED_HOST",
    "AEP_SECRET_ARN",
    "AEP_IMS_ORG_ID",
    "AEP_SANDBOX_NAME",
    "AEP_DATASET_ID",
    "AEP_SCHEMA_ID",
)


class Pipeline:
    """Bucket -> notification -> queue (with DLQ) -> forwarder, on moto."""

    def __init__(self, aws, aep: FakeAep, max_receive_count: int = 5):
        self.aws, self.aep = aws, aep
        self.sleeps: list[float] = []
        aws.s3.create_bucket(Bucket=BUCKET)
        self.dlq_url = aws.sqs.create_queue(QueueName=f"{QUEUE}-dlq")["QueueUrl"]
        self.dlq_arn = self._arn(self.dlq_url)
        self.queue_url = aws.sqs.create_queue(
            QueueName=QUEUE,
            Attributes={
                # 0: a failed message is visible again at once (no waiting in tests).
                "VisibilityTimeout": "0",
                "RedrivePolicy": json.dumps(
                    {"deadLetterTargetArn": self.dlq_arn, "maxReceiveCount": max_receive_count}
                ),
            },
        )["QueueUrl"]
        self.queue_arn = self._arn(self.queue_url)
        aws.s3.put_bucket_notification_configuration(
            Bucket=BUCKET,
            NotificationConfiguration={
                "QueueConfigurations": [
                    {
                        "QueueArn": self.queue_arn,
                        "Events": ["s3:ObjectCreated:*"],
                        "Filter": {
                            "Key": {"FilterRules": [{"Name": "prefix", "Value": "events/"}]}
                        },
                    }
                ]
            },
        )
        # S3 queued its s3:TestEvent; keep it aside so tests start with an empty queue.
        (test_event,) = self.receive()
        self.test_event_body = test_event["Body"]
        aws.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=test_event["ReceiptHandle"])
        self.secret_arn = aws.secrets.create_secret(
            Name="ajo-sms/aep",
            SecretString=json.dumps(
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "scope": "openid,AdobeID",
                    "token_url": aep.token_url,
                }
            ),
        )["ARN"]

    def _arn(self, url: str) -> str:
        attributes = self.aws.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        return attributes["Attributes"]["QueueArn"]

    def environ(self, **overrides) -> dict[str, str]:
        env = {
            "AEP_INLET_URL": self.aep.inlet_url,
            "AEP_INLET_ALLOWED_HOST": "127.0.0.1",
            "AEP_SECRET_ARN": self.secret_arn,
            "AEP_IMS_ORG_ID": IMS_ORG,
            "AEP_SANDBOX_NAME": "dev",
            "AEP_DATASET_ID": DATASET_ID,
            "AEP_SCHEMA_ID": SCHEMA_ID,
            "EVENTS_PREFIX": "events/",
            "BATCH_MAX_EVENTS": "100",
            "MAX_ATTEMPTS": "3",
        }
        env.update({k: str(v) for k, v in overrides.items()})
        return env

    def feedback_environ(self, webhook_url: str, aep: bool = False, **overrides) -> dict:
        """The feedback target on; AEP too when `aep`, else none of its variables."""
        env = self.environ(AJO_FEEDBACK_WEBHOOK_URL=webhook_url, **overrides)
        if not aep:
            for name in AEP_VARIABLES:
                env.pop(name)
        return env

    def forwarder(self, environ: dict[str, str] | None = None, **overrides):
        """A cold start with `environ` (default: environ(**overrides))."""
        return app.build(
            environ or self.environ(**overrides),
            s3_client=self.aws.s3,
            secrets_client=self.aws.secrets,
            sleep=self.sleeps.append,
        )

    def put(self, key: str, body: bytes) -> None:
        self.aws.s3.put_object(Bucket=BUCKET, Key=key, Body=body)

    def receive(self) -> list[dict]:
        answer = self.aws.sqs.receive_message(
            QueueUrl=self.queue_url, MaxNumberOfMessages=10, AttributeNames=["All"]
        )
        return answer.get("Messages", [])

    def deliver(self, forward, context=None) -> dict | None:
        """One poll of the event source mapping; None when the queue is empty."""
        messages = self.receive()
        if not messages:
            return None
        result = forward(sqs_event(messages, self.queue_arn), context or LambdaContext())
        failed = {f["itemIdentifier"] for f in result["batchItemFailures"]}
        for message in messages:
            if message["MessageId"] not in failed:
                self.aws.sqs.delete_message(
                    QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"]
                )
        return result

    def drain(self, forward, max_polls: int = 20) -> list[dict]:
        results = []
        for _ in range(max_polls):
            result = self.deliver(forward)
            if result is None:
                break
            results.append(result)
        return results

    def dead_letters(self) -> list[dict]:
        answer = self.aws.sqs.receive_message(QueueUrl=self.dlq_url, MaxNumberOfMessages=10)
        return answer.get("Messages", [])

    def redrive(self) -> int:
        """Move dead letters back to the source queue, as an operator's DLQ
        redrive does (each returns with a fresh receive count)."""
        moved = 0
        while dead := self.dead_letters():
            for message in dead:
                self.aws.sqs.send_message(QueueUrl=self.queue_url, MessageBody=message["Body"])
                self.aws.sqs.delete_message(
                    QueueUrl=self.dlq_url, ReceiptHandle=message["ReceiptHandle"]
                )
                moved += 1
        return moved

    def checkpoint(self, key: str, target: str = "aep-forwarder") -> dict | None:
        try:
            answer = self.aws.s3.get_object(Bucket=BUCKET, Key=f"{target}/checkpoints/{key}.json")
        except self.aws.s3.exceptions.NoSuchKey:
            return None
        return json.loads(answer["Body"].read())

    def kept(self, kind: str, target: str = "aep-forwarder") -> list[dict]:
        """Events kept under <target>/<kind>/ (rejected, unknown)."""
        listing = self.aws.s3.list_objects_v2(Bucket=BUCKET, Prefix=f"{target}/{kind}/")
        lines = []
        for item in listing.get("Contents", []):
            body = self.aws.s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
            lines += [json.loads(line) for line in body.decode().splitlines() if line]
        return lines


@pytest.fixture
def pipeline(aws, fake_aep):
    return Pipeline(aws, fake_aep)


@pytest.fixture
def make_pipeline(aws, fake_aep):
    return lambda **kwargs: Pipeline(aws, fake_aep, **kwargs)


@pytest.fixture
def load_handler(monkeypatch):
    """Import handler.py as Lambda would at cold start, under a unique name."""

    def load(environ: dict[str, str]):
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        module_name = f"event_forwarder_handler_{next(_handler_names)}"
        return load_entry("event_forwarder", "handler", module_name)

    return load
