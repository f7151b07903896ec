"""The bench's faster moto SQS answers as moto's own does."""

from __future__ import annotations

import time

import boto3
import pytest
from harness.moto_fast_sqs import fast_sqs
from moto import mock_aws
from moto.core import utils
from moto.sqs import models

ACCOUNT, REGION = "123456789012", "us-east-1"


@pytest.fixture
def sqs(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield boto3.client("sqs", region_name=REGION)


def test_the_clock_is_moto_s_clock():
    original = models.unix_time
    with fast_sqs():
        assert models.unix_time is not original
        assert abs(models.unix_time() - utils.unix_time()) < 0.05
        assert abs(models.unix_time_millis() - utils.unix_time_millis()) < 50
        moment = utils.utcnow()
        assert models.unix_time(moment) == utils.unix_time(moment)
    assert models.unix_time is original


def test_retention_is_decided_as_moto_decides(sqs):
    url = sqs.create_queue(QueueName="q", Attributes={"MessageRetentionPeriod": "60"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="x")
    backend = models.sqs_backends[ACCOUNT][REGION]
    (message,) = backend.get_queue("q")._messages
    original = models.SQSBackend.is_message_valid_based_on_retention_period
    now_ms = time.time() * 1000
    for age in (0, 30, 59, 61, 3600):
        message.sent_timestamp = int(now_ms - age * 1000)
        expected = original(backend, "q", message)
        with fast_sqs():
            assert backend.is_message_valid_based_on_retention_period("q", message) is expected
        assert expected is (age < 60)


def test_delays_and_visibility_hold(sqs):
    with fast_sqs():
        url = sqs.create_queue(QueueName="q", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=60)
        sqs.send_message(QueueUrl=url, MessageBody="now")
        first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        again = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    assert [m["Body"] for m in first] == ["now"]
    assert again == []  # in flight, and the other one is still delayed
