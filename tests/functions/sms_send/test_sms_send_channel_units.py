"""Pure parts of the channels: AWS's constants held to botocore's model, settings, parts,
and the SMS fingerprint kept as it was before channels (keys claimed before an upgrade)."""

from __future__ import annotations

import hashlib
import json
import re

import botocore.session
import pytest
from ajo_sms_send import contract, validation
from ajo_sms_send.config import settings_from_env
from ajo_sms_send.contract import parts_of
from ajo_sms_send.stores import fingerprint
from ajo_sms_send.validation import validate

MODEL = botocore.session.get_session().get_service_model("pinpoint-sms-voice-v2")


def member(operation: str, name: str):
    return MODEL.operation_model(operation).input_shape.members[name]


def test_the_voices_are_botocore_s():
    assert set(member("SendVoiceMessage", "VoiceId").enum) == contract.VOICE_IDS
    assert contract.DEFAULT_VOICE_ID in contract.VOICE_IDS


def test_the_text_types_and_limits_are_the_model_s():
    assert set(contract.MAX_VOICE_CHARS) == set(
        member("SendVoiceMessage", "MessageBodyTextType").enum
    )
    # The model bounds the body at SSML's 6000; TEXT's 3000 is the operation's documentation.
    assert (
        contract.MAX_VOICE_CHARS["SSML"]
        == member("SendVoiceMessage", "MessageBody").metadata["max"]
    )
    assert "3000" in member("SendVoiceMessage", "MessageBodyTextType").documentation
    assert contract.MAX_VOICE_CHARS["TEXT"] == 3000
    mms_body = member("SendMediaMessage", "MessageBody").metadata
    assert mms_body["max"] == validation.MAX_MESSAGE_CHARS


def test_the_media_url_rules_are_the_model_s():
    urls = member("SendMediaMessage", "MediaUrls")
    assert (urls.metadata["min"], urls.metadata["max"]) == (1, 1)
    assert urls.member.metadata["max"] == contract.MAX_MEDIA_URL
    assert urls.member.metadata["pattern"] == r"s3://([a-z0-9\.-]{3,63})/(.+)"
    # Every URI the function lets through also matches the model's own pattern.
    for url in ("s3://abc/k.png", "s3://a.b-c/x/y z.pdf", "s3://bkt/é.mp3"):
        assert validation._MEDIA_URL_RE.fullmatch(url)
        assert re.fullmatch(urls.member.metadata["pattern"], url)


def test_both_new_operations_require_an_origination_identity():
    for operation in ("SendMediaMessage", "SendVoiceMessage"):
        required = MODEL.operation_model(operation).input_shape.required_members
        assert required == ["DestinationPhoneNumber", "OriginationIdentity"]


@pytest.mark.parametrize(
    ("key", "extension"),
    [("a.PNG", "png"), ("dir.v2/file", ""), ("dir/file.tar.gz", "gz"), ("x", ""), ("a.", "")],
)
def test_media_extension(key, extension):
    assert contract.media_extension(key) == extension


def test_parts_per_channel():
    assert parts_of("SMS", "x" * 161) == (2, 2, "GSM-7")
    assert parts_of("MMS", "x" * 1600) == (1, 1, None)
    assert parts_of("MMS", "") == (1, 1, None)
    assert parts_of("VOICE", "x" * 3000) == (1, None, None)


def test_channel_settings():
    assert settings_from_env({}).channels == {"SMS"}
    s = settings_from_env({"CHANNELS": " voice , mms", "MEDIA_BUCKET": "ajo-media"})
    assert s.channels == {"SMS", "MMS", "VOICE"}  # SMS is always on
    assert s.media_bucket == "ajo-media"
    assert settings_from_env({"DEFAULT_VOICE_ID": "joanna"}).default_voice_id == "JOANNA"
    assert settings_from_env({"CHANNELS": "VOICE"}).media_bucket is None  # no MMS: no bucket


def test_an_sms_fingerprint_is_what_it_was_before_channels():
    """A key claimed by an SMS before the upgrade: its retry after it is still a replay."""
    settings = settings_from_env({})
    request = validate({"destinationNumber": "+14155550100", "message": "hi"}, settings)
    before = json.dumps(
        ["+14155550100", "hi", None, None, None, None],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    assert fingerprint(request) == hashlib.sha256(before.encode()).hexdigest()
    explicit = validate(
        {"destinationNumber": "+14155550100", "message": "hi", "channel": "sms"}, settings
    )
    assert fingerprint(explicit) == fingerprint(request)


def test_a_fingerprint_tells_the_channels_apart():
    settings = settings_from_env(
        {
            "CHANNELS": "MMS,VOICE",
            "MEDIA_BUCKET": "ajo-media",
            "DEFAULT_ORIGINATION_IDENTITY": "pool-1",
        }
    )
    base = {"destinationNumber": "+14155550100", "message": "hi"}
    bodies = [
        base,
        {**base, "channel": "MMS"},
        {**base, "channel": "MMS", "mediaUrls": ["s3://ajo-media/a.png"]},
        {**base, "channel": "MMS", "mediaUrls": ["s3://ajo-media/b.png"]},
        {**base, "channel": "VOICE"},
        {**base, "channel": "VOICE", "voiceId": "JOANNA"},
        {**base, "channel": "VOICE", "message": "<speak>hi</speak>"},
        {**base, "channel": "VOICE", "message": "<speak>hi</speak>", "messageBodyTextType": "SSML"},
    ]
    prints = [fingerprint(validate(body, settings)) for body in bodies]
    assert len(set(prints)) == len(prints)
    # Spelling that means the same is the same request.
    assert (
        fingerprint(validate({**base, "channel": "voice", "voiceId": "joanna"}, settings))
        == (prints[5])
    )
    assert (
        fingerprint(validate({**base, "channel": "VOICE", "messageBodyTextType": "text"}, settings))
        == (prints[4])
    )


SOCIAL = botocore.session.get_session().get_service_model("socialmessaging")


def test_the_whatsapp_rules_are_the_model_s():
    shape = SOCIAL.operation_model("SendWhatsAppMessage").input_shape
    assert shape.required_members == ["originationPhoneNumberId", "message", "metaApiVersion"]
    number = shape.members["originationPhoneNumberId"].metadata
    # Every phone number ID the settings accept matches the model's own pattern.
    for value in ("phone-number-id-" + "0" * 32, "phone-number-id-" + "0123456789abcdef" * 2):
        assert re.fullmatch(contract.WHATSAPP_PHONE_NUMBER_ID_RE, value)
        assert re.fullmatch(number["pattern"], value)
        assert number["min"] <= len(value) <= number["max"]
    # The largest body the validation lets through stays far inside the blob's bound.
    template = contract.Template(
        "x" * 512,
        "en_US",
        ("é" * contract.MAX_TEMPLATE_PARAMETER,) * contract.MAX_TEMPLATE_PARAMETERS,
    )
    biggest = json.dumps(contract.whatsapp_message("+14155550100", "", template))
    assert len(biggest.encode()) < shape.members["message"].metadata["max"]


def test_a_whatsapp_message_is_one_part_and_a_meta_message_object():
    assert parts_of("WHATSAPP", "x" * 4096) == (1, None, None)
    text = contract.whatsapp_message("+33612345678", "Bonjour", None)
    assert text == {"messaging_product": "whatsapp", "to": "+33612345678", "type": "text",
                    "text": {"preview_url": False, "body": "Bonjour"}}  # fmt: skip
    bare = contract.whatsapp_message("+33612345678", "", contract.Template("hello", "fr"))
    assert bare["template"] == {"name": "hello", "language": {"code": "fr"}}
