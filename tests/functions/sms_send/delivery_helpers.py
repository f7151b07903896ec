"""Queued delivery's AWS side on moto: queues, DLQ, delivery table, events stream.

Each Delivery gets fresh resources, so tests never see each other's messages, records or
events.
"""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any

import boto3
from harness.sqs_event_source import EventSource, sqs_event

from .sms_send_helpers import Context, call, load_handler, request

_names = itertools.count()


class Serialised:
    """A botocore client whose calls run one at a time (moto's conditional writes are not
    atomic under concurrent requests; DynamoDB's are, so serialising loses nothing)."""

    def __init__(self, client: Any, lock: threading.Lock):
        self._client = client
        self._lock = lock

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return method(*args, **kwargs)

        return call


class BucketWrites:
    """A DynamoDB client for the token bucket, recording the tokens each write left."""

    def __init__(self, client: Any):
        self._client = client
        self.tokens: list[float] = []

    def put_item(self, **params: Any) -> Any:
        answer = self._client.put_item(**params)
        self.tokens.append(float(params["Item"]["tokens"]["N"]))
        return answer


class Delivery:
    def __init__(self, moto_url: str, sms_url: str, max_receive_count: int = 10):
        n = next(_names)
        self.moto_url = moto_url
        self.sqs = boto3.client("sqs", endpoint_url=moto_url)
        self.dynamodb = boto3.client("dynamodb", endpoint_url=moto_url)
        self.s3 = boto3.client("s3", endpoint_url=moto_url)
        firehose = self.firehose = boto3.client("firehose", endpoint_url=moto_url)
        self.dlq_url = self.sqs.create_queue(QueueName=f"sms-dlq-{n}")["QueueUrl"]
        dlq_arn = self.sqs.get_queue_attributes(QueueUrl=self.dlq_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})
        self.queue_urls = {
            kind: self.sqs.create_queue(
                QueueName=f"sms-{kind.lower()}-{n}",
                Attributes={"VisibilityTimeout": "5", "RedrivePolicy": redrive},
            )["QueueUrl"]
            for kind in ("TRANSACTIONAL", "PROMOTIONAL")
        }
        self.table = f"sms-delivery-{n}"
        self.idempotency_table = f"sms-idem-{n}"
        for name in (self.table, self.idempotency_table):
            self.dynamodb.create_table(
                TableName=name,
                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                BillingMode="PAY_PER_REQUEST",
            )
        self.bucket = f"sms-events-{n}"
        self.s3.create_bucket(
            Bucket=self.bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        self.stream = f"sms-events-{n}"
        firehose.create_delivery_stream(
            DeliveryStreamName=self.stream,
            ExtendedS3DestinationConfiguration={
                "RoleARN": "arn:aws:iam::123456789012:role/firehose",
                "BucketARN": f"arn:aws:s3:::{self.bucket}",
            },
        )
        common = {
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_url,
            "AWS_ENDPOINT_URL_DYNAMODB": moto_url,
            "AWS_ENDPOINT_URL_SQS": moto_url,
            "AWS_ENDPOINT_URL_FIREHOSE": moto_url,
            "CONFIGURATION_SET_NAME": "ajo-sms",
            "QUEUE_URL_TRANSACTIONAL": self.queue_urls["TRANSACTIONAL"],
            "QUEUE_URL_PROMOTIONAL": self.queue_urls["PROMOTIONAL"],
            "DELIVERY_TABLE": self.table,
        }
        self.send_env = {
            **common,
            "DEFAULT_DELIVERY": "queued",
            "IDEMPOTENCY_TABLE": self.idempotency_table,
        }
        self.dispatch_env = {
            **common,
            "DLQ_URL": self.dlq_url,
            "MPS": "20",
            "EVENTS_STREAM_NAME": self.stream,
        }

    def close(self) -> None:
        """Delete what was created (moto keeps at most 50 Firehose streams)."""
        self.firehose.delete_delivery_stream(DeliveryStreamName=self.stream)
        for url in (*self.queue_urls.values(), self.dlq_url):
            self.sqs.delete_queue(QueueUrl=url)
        for name in (self.table, self.idempotency_table):
            self.dynamodb.delete_table(TableName=name)

    def send_handler(self, **env: str) -> Any:
        return load_handler({**self.send_env, **env})

    def dispatcher(self, serialise: threading.Lock | None = None, **env: str) -> Any:
        """The dispatcher module, freshly cold-started (its bucket cache is its own)."""
        module = load_handler({**self.dispatch_env, **env}, fresh=True, entry="dispatcher")
        if serialise is not None:
            d = module._DISPATCHER
            client = Serialised(d._tracking._client, serialise)
            d._tracking._client = d._bucket._client = client
        return module

    def event_source(self, dispatcher: Any, kind: str = "TRANSACTIONAL", **options: Any):
        return EventSource(self.sqs, self.queue_urls[kind], dispatcher.handler, **options)

    def receive(self, url: str, visibility: int = 0) -> list[dict[str, Any]]:
        """Messages now visible in `url` (left in place unless visibility > 0)."""
        answer = self.sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=visibility,
            AttributeNames=["All"],
        )  # fmt: skip
        return answer.get("Messages") or []

    def count(self, url: str) -> int:
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=url,
            AttributeNames=[
                "ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed",
            ],
        )["Attributes"]
        return sum(int(v) for v in attributes.values())

    def record(self, tracking_id: str) -> dict[str, Any]:
        item = (
            self.dynamodb.get_item(
                TableName=self.table, Key={"id": {"S": f"track#{tracking_id}"}}, ConsistentRead=True
            ).get("Item")
            or {}
        )
        return {k: next(iter(v.values())) for k, v in item.items()}

    def events(self) -> list[dict[str, Any]]:
        found = []
        for obj in self.s3.list_objects_v2(Bucket=self.bucket).get("Contents") or []:
            data = self.s3.get_object(Bucket=self.bucket, Key=obj["Key"])["Body"].read()
            found += [json.loads(line) for line in data.decode().splitlines() if line.strip()]
        return found


def accept(delivery, **fields) -> str:
    answer = call(delivery.send_handler(), request(**fields))
    assert answer.status == 202, answer
    return answer.body["trackingId"]


def take(delivery, kind="TRANSACTIONAL", visibility=30):
    """Receive the queue's messages as the event source would (in flight afterwards)."""
    return delivery.receive(delivery.queue_urls[kind], visibility=visibility)


def event(*messages):
    return sqs_event(list(messages), "arn:aws:sqs:eu-west-1:123456789012:q", "eu-west-1")


def invoke(delivery, dispatcher, *messages, context=None, kind="TRANSACTIONAL"):
    """One invocation on received messages, then the event source's delete of the records
    not reported failed."""
    result = dispatcher.handler(event(*messages), context or Context())
    failed = {f["itemIdentifier"] for f in result["batchItemFailures"]}
    for m in messages:
        if m["MessageId"] not in failed and m["ReceiptHandle"] != m["MessageId"]:
            delivery.sqs.delete_message(
                QueueUrl=delivery.queue_urls[kind], ReceiptHandle=m["ReceiptHandle"]
            )
    return result
