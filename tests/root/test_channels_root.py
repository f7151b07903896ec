"""Plan tests of the root's channels (MMS and voice through the same endpoint): off
by default; on, the send function and the dispatcher get the same settings and the
send actions of each channel on the same identities, the sending roles read the media
bucket (created here, private and encrypted, or existing with its key), the
configuration set reports the channels' events, AJO's payload fields name them; and
the channels' validations."""

from __future__ import annotations

import json

import pytest
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
# Without the idempotency table (its ARN is known only after apply) the send role's
# policy is wholly known at plan.
KNOWN = {**BASE, "idempotency": {"enabled": False}}


def statements(summary, function: str) -> dict[str, dict]:
    policy = json.loads(summary.values[f"{function}.aws_iam_role_policy.this"]["policy"])
    return {s["Sid"]: s for s in policy["Statement"]}


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def env(summary, function: str) -> dict:
    return summary.values[f"{function}.aws_lambda_function.this"]["environment"][0]["variables"]


@pytest.fixture(scope="module")
def off_plan(plan_module):
    return plan_module(**KNOWN)


@pytest.fixture(scope="module")
def on_plan(plan_module):
    return plan_module(
        **KNOWN, kms_key_arn=KEY, channels={"mms": {}, "voice": {"default_voice_id": "JOANNA"}}
    )


def test_off_by_default_sms_only(off_plan):
    for function in (SEND, DISPATCH):
        assert env(off_plan, function)["CHANNELS"] == "SMS"
        assert "MEDIA_BUCKET" not in env(off_plan, function)
        sids = statements(off_plan, function)
        assert as_list(sids["SendTextMessage"]["Action"]) == ["sms-voice:SendTextMessage"]
        assert "ReadMedia" not in sids
    assert not [a for a in off_plan.values if a.startswith(MEDIA)]
    assert off_plan.outputs["media_bucket"] is None
    assert all(t.startswith("TEXT_") for t in off_plan.values[DESTINATION]["matching_event_types"])
    fields = [f["name"] for f in off_plan.outputs["ajo_custom_action"]["payload_fields"]]
    assert "channel" not in fields and "mediaUrls" not in fields


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
    ],
    ids=["v1", "existing-without-arn", "voice-id"],
)
def test_channel_validations(plan_module_error, inputs, message):
    error = plan_module_error(**{**BASE, **inputs})
    assert message in " ".join(error.split()), error


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
