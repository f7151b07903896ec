"""AWS outages on the inbound path: a refused connection to Firehose or DynamoDB (what
botocore raises when the endpoint is down) fails the message, which SQS brings back;
the retry does only what is missing, so nothing is lost and nothing done twice."""

from __future__ import annotations

from botocore.exceptions import EndpointConnectionError

from .conftest import SENDER, inbound_json


class Down:
    """A botocore client whose `operation` fails `times` times as a down endpoint does."""

    def __init__(self, client, operation: str, times: int):
        self._client, self._operation, self.left = client, operation, times

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if name != self._operation:
            return attribute

        def call(**params):
            if self.left:
                self.left -= 1
                raise EndpointConnectionError(endpoint_url="https://unreachable.invalid")
            return attribute(**params)

        return call


def test_firehose_down_fails_the_message_and_the_retry_exports_once(pipeline):
    process = pipeline.function()
    steps = process.handle.__self__  # the batch calls Steps.handle
    steps._events._client = Down(steps._events._client, "put_record", times=2)
    pipeline.publish(inbound_json("STOP", "in-outage-1"))

    pipeline.drain(process)

    assert len(pipeline.exported()) == 1  # after two refused attempts
    assert pipeline.webhook.received_values("RequestID") == ["in-outage-1"]  # posted once
    assert [r.destination for r in pipeline.replies()] == [SENDER]  # replied once
    assert pipeline.dead_letters() == []


def test_progress_table_down_loses_nothing_and_repeats_nothing(pipeline):
    process = pipeline.function()
    store = process.handle.__self__._store  # the batch calls Steps.handle
    store._client = Down(store._client, "get_item", times=1)
    pipeline.publish(inbound_json("HELP", "in-outage-2"))

    pipeline.drain(process)

    assert pipeline.webhook.received_values("RequestID") == ["in-outage-2"]
    assert len(pipeline.replies()) == 1 and len(pipeline.exported()) == 1
    assert pipeline.item("in-outage-2")  # every step recorded
    assert pipeline.dead_letters() == []
