"""Plan tests of the root's channels (MMS, voice and WhatsApp through the same
endpoint): off by default; on, the send function and the dispatcher get the same
settings and the send actions of each channel on the same identities, the sending
roles read the media bucket (created here, private and encrypted, or existing with its
key), the configuration set reports the channels' events, WhatsApp's events topic is
encrypted, admits End User Messaging Social only and feeds the event export apart
from the SMS events, AJO's payload fields name them; and the channels' validations."""

from __future__ import annotations

import json

import pytest
from harness.api_gateway import as_list
from root.inputs import ACCOUNT, BASE

pytestmark = pytest.mark.slow
M = "module.ajo_sms"
SEND = f"{M}.module.send_function"
DISPATCH = f"{M}.module.delivery[0].module.dispatch_function"
MEDIA = f"{M}.module.media_bucket[0]"
DESTINATION = f"{M}.module.messaging.aws_pinpointsmsvoicev2_event_destination.firehose[0]"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0b7a1e3c-1111-2222-3333-444455556666"
OTHER_KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1c8b2f4d-1111-2222-3333-444455556666"
CREATED = f"ajo-sms-media-{ACCOUNT}"
EXPORT = f"{M}.module.event_export[0]"
WA_TOPIC = f"{M}.module.whatsapp_events[0].aws_sns_topic.this"
WA_KEY = f"{M}.module.whatsapp_events[0].aws_kms_key.this[0]"
WA_SUBSCRIPTION = f"{M}.aws_sns_topic_subscription.whatsapp_events_export[0]"
WA_ROLE = f"{M}.aws_iam_role.whatsapp_events_export[0]"
WA_STREAM = f'{EXPORT}.aws_kinesis_firehose_delivery_stream.this["whatsapp"]'
# End User Messaging Social's ID format, and the ARNs IAM knows them by (the ID's hex part).
WA_HEX = ["0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"]
WA_IDS = [f"phone-number-id-{h}" for h in WA_HEX]
WA_ARNS = [f"arn:aws:social-messaging:us-east-1:{ACCOUNT}:phone-number-id/{h}" for h in WA_HEX]
SOCIAL = "social-messaging.amazonaws.com"
WA_SOURCE_ARN = f"arn:aws:social-messaging:us-east-1:{ACCOUNT}:*"
DATE = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/"
# Without the idempotency table (its ARN is known only after apply) the send role's
# policy is wholly known at plan.
KNOWN = {**BASE, "idempotency": {"enabled": False}}


def statements(summary, function: str) -> dict[str, dict]:
    policy = json.loads(summary.values[f"{function}.aws_iam_role_policy.this"]["policy"])
    return {s["Sid"]: s for s in policy["Statement"]}


def env(summary, function: str) -> dict:
    return summary.values[f"{function}.aws_lambda_function.this"]["environment"][0]["variables"]


def policy(summary, address: str, attribute: str = "policy") -> dict[str, dict]:
    document = json.loads(summary.values[address][attribute])
    return {s["Sid"]: s for s in document["Statement"]}


def unknown_after_plan(summary, address: str) -> dict:
    (change,) = [c for c in summary.raw["resource_changes"] if c["address"] == address]
    return change["change"]["after_unknown"]


@pytest.fixture(scope="module")
def off_plan(plan_module):
    return plan_module(**KNOWN)


@pytest.fixture(scope="module")
def on_plan(plan_module):
    return plan_module(
        **KNOWN, kms_key_arn=KEY, channels={"mms": {}, "voice": {"default_voice_id": "JOANNA"}}
    )


@pytest.fixture(scope="module")
def whatsapp_plan(plan_module):
    # The event export is on by default; the deployment's key must not be the topic's.
    return plan_module(
        **KNOWN, kms_key_arn=KEY, channels={"whatsapp": {"phone_number_ids": WA_IDS, "mps": 40}}
    )


def test_off_by_default_sms_only(off_plan):
    for function in (SEND, DISPATCH):
        assert env(off_plan, function)["CHANNELS"] == "SMS"
        assert "MEDIA_BUCKET" not in env(off_plan, function)
        sids = statements(off_plan, function)
        assert as_list(sids["SendTextMessage"]["Action"]) == ["sms-voice:SendTextMessage"]
        assert "ReadMedia" not in sids
        assert "SendWhatsAppMessage" not in sids
        assert not [k for k in env(off_plan, function) if k.startswith("WHATSAPP_")]
    assert not [a for a in off_plan.values if a.startswith(MEDIA)]
    assert off_plan.outputs["media_bucket"] is None
    assert all(t.startswith("TEXT_") for t in off_plan.values[DESTINATION]["matching_event_types"])
    fields = [f["name"] for f in off_plan.outputs["ajo_custom_action"]["payload_fields"]]
    assert "channel" not in fields and "mediaUrls" not in fields and "templateName" not in fields
    # No WhatsApp topic, key, subscription or stream.
    assert not [a for a in off_plan.values if "whatsapp" in a]
    assert off_plan.outputs["whatsapp_event_topic_arn"] is None
    firehose = policy(off_plan, f"{EXPORT}.aws_iam_role_policy.firehose")
    assert not [r for r in as_list(firehose["EventObjects"]["Resource"]) if "whatsapp" in r]


def test_both_sending_functions_get_the_channels(on_plan):
    for function in (SEND, DISPATCH):
        variables = env(on_plan, function)
        assert variables["CHANNELS"] == "SMS,MMS,VOICE"
        assert variables["MEDIA_BUCKET"] == CREATED
        assert variables["DEFAULT_VOICE_ID"] == "JOANNA"
        sids = statements(on_plan, function)
        assert sorted(as_list(sids["SendTextMessage"]["Action"])) == [
            "sms-voice:SendMediaMessage",
            "sms-voice:SendTextMessage",
            "sms-voice:SendVoiceMessage",
        ]
        # The media objects only, never the bucket's listing or other buckets; SSE-S3,
        # so no key to grant (not even the deployment's kms_key_arn).
        assert as_list(sids["ReadMedia"]["Action"]) == ["s3:GetObject"]
        assert as_list(sids["ReadMedia"]["Resource"]) == [f"arn:aws:s3:::{CREATED}/*"]
        assert "DecryptMedia" not in sids


def test_the_media_bucket_is_private_and_encrypted(on_plan):
    assert on_plan.values[f"{MEDIA}.aws_s3_bucket.this"]["bucket"] == CREATED
    block = on_plan.values[f"{MEDIA}.aws_s3_bucket_public_access_block.this"]
    assert all(
        block[k] is True
        for k in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        )
    )
    sse = on_plan.values[f"{MEDIA}.aws_s3_bucket_server_side_encryption_configuration.this"]
    default = sse["rule"][0]["apply_server_side_encryption_by_default"][0]
    # SSE-S3 even with a deployment key: End User Messaging reads the media itself.
    assert (default["sse_algorithm"], default.get("kms_master_key_id")) == ("AES256", None)
    policy = json.loads(on_plan.values[f"{MEDIA}.aws_s3_bucket_policy.this"]["policy"])
    (deny,) = policy["Statement"]
    assert deny["Effect"] == "Deny" and deny["Condition"]["Bool"]["aws:SecureTransport"] == "false"
    rule = on_plan.values[f"{MEDIA}.aws_s3_bucket_lifecycle_configuration.this"]["rule"][0]
    assert rule["id"] == "expire-media" and rule["expiration"] == []  # kept unless asked
    assert on_plan.outputs["media_bucket"] == {"name": CREATED, "arn": f"arn:aws:s3:::{CREATED}"}


def test_the_channels_events_are_reported(on_plan):
    types = on_plan.values[DESTINATION]["matching_event_types"]
    assert "MEDIA_DELIVERED" in types and "VOICE_COMPLETED" in types and "TEXT_DELIVERED" in types
    assert "MEDIA_ALL" not in types  # listed one by one, as the text types are


def test_ajo_payload_fields_name_the_channels(on_plan):
    fields = {f["name"]: f for f in on_plan.outputs["ajo_custom_action"]["payload_fields"]}
    assert fields["channel"]["description"] == "SMS (default), MMS, VOICE"
    assert f"s3://{CREATED}/" in fields["mediaUrls"]["description"]
    assert "JOANNA" in fields["voiceId"]["description"]
    assert "messageBodyTextType" in fields
    assert fields["message"]["optional"] is True  # a media-only MMS has none


def test_both_sending_functions_send_whatsapp_from_the_numbers_only(whatsapp_plan):
    for function in (SEND, DISPATCH):
        variables = env(whatsapp_plan, function)
        assert variables["CHANNELS"] == "SMS,WHATSAPP"
        # The first is the default origination; the dispatcher paces each at WHATSAPP_MPS.
        assert variables["WHATSAPP_PHONE_NUMBER_IDS"] == ",".join(WA_IDS)
        assert variables["WHATSAPP_META_API_VERSION"] == "v20.0"
        assert variables["WHATSAPP_MPS"] == "40"
        assert "MEDIA_BUCKET" not in variables and "DEFAULT_VOICE_ID" not in variables
        sids = statements(whatsapp_plan, function)
        send = sids["SendWhatsAppMessage"]
        assert as_list(send["Action"]) == ["social-messaging:SendWhatsAppMessage"]
        assert sorted(as_list(send["Resource"])) == sorted(WA_ARNS)
        assert "Condition" not in send
        # No other statement grants End User Messaging Social anything.
        others = [s for sid, s in sids.items() if sid != "SendWhatsAppMessage"]
        assert not [a for s in others for a in as_list(s["Action"]) if a.startswith("social-")]
        assert as_list(sids["SendTextMessage"]["Action"]) == ["sms-voice:SendTextMessage"]


def test_the_whatsapp_event_topic_is_encrypted_and_admits_social_messaging_only(whatsapp_plan):
    topic_arn = f"arn:aws:sns:us-east-1:{ACCOUNT}:ajo-sms-whatsapp-events"
    topic = whatsapp_plan.values[WA_TOPIC]
    assert topic["name"] == "ajo-sms-whatsapp-events"
    assert topic.get("fifo_topic") is not True  # End User Messaging Social: standard topics only
    # Its own key (unknown until applied), not the deployment's kms_key_arn.
    assert unknown_after_plan(whatsapp_plan, WA_TOPIC)["kms_master_key_id"] is True
    key = whatsapp_plan.values[WA_KEY]
    assert key["enable_key_rotation"] is True
    grant = policy(whatsapp_plan, WA_KEY)["SocialMessagingPublishEvents"]
    assert grant["Principal"] == {"Service": SOCIAL}
    assert sorted(as_list(grant["Action"])) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert grant["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": WA_SOURCE_ARN},
    }
    (publish,) = policy(
        whatsapp_plan, f"{M}.module.whatsapp_events[0].aws_sns_topic_policy.this"
    ).values()
    assert publish["Effect"] == "Allow" and publish["Principal"] == {"Service": SOCIAL}
    assert as_list(publish["Action"]) == ["sns:Publish"]
    assert publish["Resource"] == topic_arn
    assert publish["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": WA_SOURCE_ARN},
    }
    # Built from known parts (modules/topic): the plan shows the ARN to set in the console.
    assert whatsapp_plan.outputs["whatsapp_event_topic_arn"] == topic_arn


def test_whatsapp_events_land_in_the_export_apart_from_the_sms_events(whatsapp_plan):
    subscription = whatsapp_plan.values[WA_SUBSCRIPTION]
    assert subscription["protocol"] == "firehose"
    assert subscription["raw_message_delivery"] is True  # the event, not SNS's envelope
    (trust,) = json.loads(whatsapp_plan.values[WA_ROLE]["assume_role_policy"])["Statement"]
    assert trust["Principal"] == {"Service": "sns.amazonaws.com"}
    assert as_list(trust["Action"]) == ["sts:AssumeRole"]
    (put,) = policy(whatsapp_plan, f"{M}.aws_iam_role_policy.whatsapp_events_export[0]").values()
    assert sorted(as_list(put["Action"])) == [  # AWS's example policy, on the one stream
        "firehose:DescribeDeliveryStream",
        "firehose:ListDeliveryStreams",
        "firehose:ListTagsForDeliveryStream",
        "firehose:PutRecord",
        "firehose:PutRecordBatch",
    ]
    stream_arn = f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/ajo-sms-whatsapp-events"
    assert as_list(put["Resource"]) == [stream_arn]
    # A stream of its own, beside the SMS events' prefix (which the Glue table and the
    # forwarder read), never in it; the same bucket, role and log group.
    stream = whatsapp_plan.values[WA_STREAM]
    assert stream["name"] == "ajo-sms-whatsapp-events"
    s3 = stream["extended_s3_configuration"][0]
    assert s3["prefix"] == f"whatsapp-events/{DATE}"
    assert s3["error_output_prefix"] == f"errors/whatsapp/!{{firehose:error-output-type}}/{DATE}"
    assert s3["bucket_arn"] == f"arn:aws:s3:::ajo-sms-events-{ACCOUNT}"
    assert [p["type"] for p in s3["processing_configuration"][0]["processors"]] == [
        "AppendDelimiterToRecord"
    ]
    assert stream["server_side_encryption"][0]["enabled"] is True
    sms = whatsapp_plan.values[f'{EXPORT}.aws_kinesis_firehose_delivery_stream.this["sms"]']
    assert sms["extended_s3_configuration"][0]["prefix"] == f"events/{DATE}"
    firehose = policy(whatsapp_plan, f"{EXPORT}.aws_iam_role_policy.firehose")
    bucket = f"arn:aws:s3:::ajo-sms-events-{ACCOUNT}"
    assert sorted(as_list(firehose["EventObjects"]["Resource"])) == [
        f"{bucket}/errors/*",
        f"{bucket}/events/*",
        f"{bucket}/whatsapp-events/*",
    ]
    assert sorted(r.rsplit(":", 1)[1] for r in as_list(firehose["ErrorLogging"]["Resource"])) == [
        "DestinationDelivery",
        "WhatsAppDelivery",
    ]


def test_whatsapp_without_the_event_export_has_the_topic_only(plan_module):
    summary = plan_module(
        **KNOWN,
        channels={"whatsapp": {"phone_number_ids": WA_IDS[:1], "meta_api_version": "v21.0"}},
        event_export={"enabled": False},
    )
    assert WA_TOPIC in summary.values and WA_KEY in summary.values
    assert WA_SUBSCRIPTION not in summary.values and WA_ROLE not in summary.values
    variables = env(summary, SEND)
    assert variables["WHATSAPP_PHONE_NUMBER_IDS"] == WA_IDS[0]
    assert (variables["WHATSAPP_META_API_VERSION"], variables["WHATSAPP_MPS"]) == ("v21.0", "80")


def test_ajo_payload_fields_name_whatsapp_and_its_template(whatsapp_plan):
    fields = {f["name"]: f for f in whatsapp_plan.outputs["ajo_custom_action"]["payload_fields"]}
    assert fields["channel"]["description"] == "SMS (default), WHATSAPP"
    # A template message has no text; free-form text is for the 24 h window only.
    assert fields["message"]["optional"] is True
    assert "24 h" in fields["message"]["description"]
    for name in ("templateName", "templateLanguage", "templateParameters"):
        assert fields[name]["optional"] is True, name
        assert fields[name]["description"].startswith("WHATSAPP: "), name
    assert "{{1}}" in fields["templateParameters"]["description"]
    assert "mediaUrls" not in fields and "voiceId" not in fields


def test_an_existing_media_bucket_and_its_key(plan_module):
    summary = plan_module(
        **KNOWN,
        channels={
            "mms": {
                "media_bucket": {
                    "create": False,
                    "existing_arn": "arn:aws:s3:::brand-media",
                    "kms_key_arn": OTHER_KEY,
                }
            }
        },
    )
    assert not [a for a in summary.values if a.startswith(MEDIA)]
    assert env(summary, SEND)["CHANNELS"] == "SMS,MMS"
    assert env(summary, SEND)["MEDIA_BUCKET"] == "brand-media"
    sids = statements(summary, SEND)
    assert as_list(sids["ReadMedia"]["Resource"]) == ["arn:aws:s3:::brand-media/*"]
    decrypt = sids["DecryptMedia"]
    assert as_list(decrypt["Resource"]) == [OTHER_KEY]
    assert decrypt["Condition"]["StringEquals"]["kms:ViaService"] == "s3.us-east-1.amazonaws.com"
    assert "sms-voice:SendVoiceMessage" not in as_list(sids["SendTextMessage"]["Action"])


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"sms": {**BASE["sms"], "api": "v1"}, "channels": {"voice": {}}}, 'need sms.api = "v2"'),
        (
            {"channels": {"mms": {"media_bucket": {"create": False}}}},
            "existing_arn must be an S3 bucket ARN",
        ),
        ({"channels": {"voice": {"default_voice_id": "HAL"}}}, "default_voice_id must be one of"),
        (
            {
                "sms": {**BASE["sms"], "api": "v1"},
                "channels": {"whatsapp": {"phone_number_ids": WA_IDS}},
            },
            'channels.mms, channels.voice and channels.whatsapp need sms.api = "v2"',
        ),
        (
            {"channels": {"whatsapp": {"phone_number_ids": []}}},
            "phone_number_ids must name at least one phone number ID",
        ),
        (
            # Meta's numeric phone number ID, not End User Messaging Social's.
            {"channels": {"whatsapp": {"phone_number_ids": ["106540352242922"]}}},
            "phone_number_ids must be End User Messaging Social phone number IDs",
        ),
        (
            {"channels": {"whatsapp": {"phone_number_ids": [WA_IDS[0].upper()]}}},
            "phone_number_ids must be End User Messaging Social phone number IDs",
        ),
        (
            {"channels": {"whatsapp": {"phone_number_ids": [WA_IDS[0], WA_IDS[1], WA_IDS[0]]}}},
            "phone_number_ids must not repeat an ID",
        ),
        (
            {"channels": {"whatsapp": {"phone_number_ids": WA_IDS, "meta_api_version": "20.0"}}},
            "meta_api_version must be a Meta Graph API version",
        ),
        (
            {"channels": {"whatsapp": {"phone_number_ids": WA_IDS, "mps": 0}}},
            "channels.whatsapp.mps must be a whole number of messages per second",
        ),
        (
            {"channels": {"whatsapp": {"phone_number_ids": WA_IDS, "mps": 2.5}}},
            "channels.whatsapp.mps must be a whole number of messages per second",
        ),
    ],
    ids=[
        "v1",
        "existing-without-arn",
        "voice-id",
        "whatsapp-v1",
        "whatsapp-no-id",
        "whatsapp-meta-id",
        "whatsapp-upper-case-id",
        "whatsapp-duplicate-id",
        "whatsapp-version",
        "whatsapp-mps-zero",
        "whatsapp-mps-fraction",
    ],
)
def test_channel_validations(plan_module_error, inputs, message):
    error = plan_module_error(**{**BASE, **inputs})
    assert message in " ".join(error.replace("│", " ").split()), error


def test_the_voice_list_is_botocore_s():
    """channels.tf validates default_voice_id against its own copy of the VoiceId enum:
    a botocore update that adds a voice fails here first."""
    import botocore.session
    import hcl2
    from harness.terraform import REPO

    with (REPO / "channels.tf").open() as handle:
        (local,) = [b for b in hcl2.load(handle)["locals"] if "voice_ids" in b]
    model = botocore.session.get_session().get_service_model("pinpoint-sms-voice-v2")
    assert [v.strip('"') for v in local["voice_ids"]] == model.shape_for("VoiceId").enum
