"""Template rendering and the deterministic event ID."""

from __future__ import annotations

from event_forwarder import xdm
from event_forwarder.config import AepConfig
from harness.forwarder_testkit import sms_event


def test_whole_value_placeholders_keep_json_types_and_drop_missing_keys():
    template = {
        "n": "{{totalMessageParts}}",
        "b": "{{isFinal}}",
        "ctx": "{{context}}",
        "gone": "{{nope}}",
        "list": ["{{messageId}}", "{{nope}}", 3],
    }
    rendered = xdm.render(template, sms_event(1))
    assert rendered == {
        "n": 1,
        "b": True,
        "ctx": {"journeyId": "journey-1", "profileId": "p-1"},
        "list": ["msg-000001", 3],
    }


def test_inline_placeholders_and_keys_are_text():
    template = {"_{{context.journeyId}}": "sms {{messageId}} {{nope}}/{{isFinal}}"}
    assert xdm.render(template, sms_event(1)) == {"_journey-1": "sms msg-000001 /true"}


def test_event_id_is_deterministic_and_distinguishes_status_updates():
    event = sms_event(1)
    later = {**event, "eventType": "TEXT_DELIVERED", "eventTimestamp": event["eventTimestamp"] + 5}
    assert xdm.event_id(event) == xdm.event_id(dict(event))
    assert xdm.event_id(event) != xdm.event_id(later)
    assert len(xdm.event_id(event)) == 32


def test_timestamp_missing_or_not_a_number_is_dropped():
    event = {**sms_event(1), "eventTimestamp": "soon"}
    assert "timestamp" not in xdm.render({"timestamp": "{{timestamp}}"}, event)


def test_envelope_has_header_and_body_schema_refs():
    config = AepConfig(
        inlet_url="https://dcs.adobedc.net/collection/batch/x",
        secret_arn="arn:aws:secretsmanager:us-east-1:123456789012:secret:s",
        ims_org_id="ORG@AdobeOrg",
        dataset_id="0" * 24,
        schema_id="https://ns.adobe.com/acme/schemas/1",
    )
    message = xdm.envelope(config, sms_event(2))
    assert message["header"]["schemaRef"] == message["body"]["xdmMeta"]["schemaRef"]
    assert message["header"]["source"] == {"name": "aws-end-user-messaging-sms"}
    assert message["body"]["xdmEntity"]["_id"] == xdm.event_id(sms_event(2))
