"""Every request field: accepted forms, and the contract's 400 for each wrong form.

A rejected request must never reach the SMS API.
"""

from __future__ import annotations

import pytest

from .sms_send_helpers import API_REQUEST_ID, FR_NUMBER, OMIT, US_NATIONAL, US_NUMBER, call, request

REJECTIONS = [
    # (fields, code, field)
    ({"destinationNumber": OMIT}, "MISSING_FIELD", "destinationNumber"),
    ({"destinationNumber": None}, "MISSING_FIELD", "destinationNumber"),
    ({"destinationNumber": 14155550100}, "INVALID_FIELD", "destinationNumber"),
    ({"destinationNumber": ["+14155550100"]}, "INVALID_FIELD", "destinationNumber"),
    ({"destinationNumber": ""}, "INVALID_PHONE_NUMBER", "destinationNumber"),
    ({"destinationNumber": "not a number"}, "INVALID_PHONE_NUMBER", "destinationNumber"),
    ({"destinationNumber": "+1415555"}, "INVALID_PHONE_NUMBER", "destinationNumber"),
    ({"destinationNumber": "+10005550100"}, "INVALID_PHONE_NUMBER", "destinationNumber"),
    ({"destinationNumber": "+1" + "4" * 80}, "INVALID_PHONE_NUMBER", "destinationNumber"),
    ({"destinationNumber": "+1 415 555 0100 ext. 12"}, "INVALID_PHONE_NUMBER", "destinationNumber"),
    # A French national number read with the US default is not valid.
    ({"destinationNumber": "06 12 34 56 78"}, "INVALID_PHONE_NUMBER", "destinationNumber"),
    ({"defaultCountry": "XX"}, "INVALID_FIELD", "defaultCountry"),
    ({"defaultCountry": "USA"}, "INVALID_FIELD", "defaultCountry"),
    ({"defaultCountry": 1}, "INVALID_FIELD", "defaultCountry"),
    ({"message": OMIT}, "MISSING_FIELD", "message"),
    ({"message": None}, "MISSING_FIELD", "message"),
    ({"message": 42}, "INVALID_FIELD", "message"),
    ({"message": ""}, "INVALID_FIELD", "message"),
    ({"message": " \n\t "}, "INVALID_FIELD", "message"),
    ({"message": "x" * 1601}, "MESSAGE_TOO_LONG", "message"),
    ({"message": "a\ud800b"}, "INVALID_FIELD", "message"),
    ({"originationIdentity": 5}, "INVALID_FIELD", "originationIdentity"),
    ({"originationIdentity": ""}, "INVALID_FIELD", "originationIdentity"),
    ({"originationIdentity": "pool id"}, "INVALID_FIELD", "originationIdentity"),
    ({"originationIdentity": "p" * 257}, "INVALID_FIELD", "originationIdentity"),
    ({"poolId": "pool_1;drop"}, "INVALID_FIELD", "poolId"),
    ({"poolId": {"id": "pool-1"}}, "INVALID_FIELD", "poolId"),
    (
        {"originationIdentity": "+12065550100", "poolId": "pool-abc"},
        "CONFLICTING_FIELDS",
        "poolId",
    ),
    ({"messageType": "MARKETING"}, "INVALID_FIELD", "messageType"),
    ({"messageType": True}, "INVALID_FIELD", "messageType"),
    ({"configurationSetName": "has space"}, "INVALID_FIELD", "configurationSetName"),
    ({"configurationSetName": ""}, "INVALID_FIELD", "configurationSetName"),
    ({"configurationSetName": 7}, "INVALID_FIELD", "configurationSetName"),
    ({"context": "journey-1"}, "INVALID_FIELD", "context"),
    ({"context": ["journey-1"]}, "INVALID_FIELD", "context"),
    ({"context": {"journeyId": 12}}, "INVALID_FIELD", "context"),
    ({"context": {"journeyId": {"a": "b"}}}, "INVALID_FIELD", "context"),
    ({"context": {"": "x"}}, "INVALID_FIELD", "context"),
    ({"context": {"journey id": "x"}}, "INVALID_FIELD", "context"),
    ({"context": {"k" * 101: "x"}}, "INVALID_FIELD", "context"),
    ({"context": {"journeyId": "v" * 801}}, "INVALID_FIELD", "context"),
    ({"context": {f"k{i}": "v" for i in range(6)}}, "INVALID_FIELD", "context"),
    # Counted and measured as sent, as the API's request model does (issue 11).
    ({"context": {"e": "", **{f"k{i}": "v" for i in range(5)}}}, "INVALID_FIELD", "context"),
    ({"context": {"k": " " + "v" * 800}}, "INVALID_FIELD", "context"),
    ({"context": {"k": "bad\udc00"}}, "INVALID_FIELD", "context"),
    ({"idempotencyKey": ""}, "INVALID_FIELD", "idempotencyKey"),
    ({"idempotencyKey": "k" * 257}, "INVALID_FIELD", "idempotencyKey"),
    ({"idempotencyKey": 123}, "INVALID_FIELD", "idempotencyKey"),
    ({"dryRun": "true"}, "INVALID_FIELD", "dryRun"),
    ({"dryRun": 1}, "INVALID_FIELD", "dryRun"),
]


@pytest.mark.parametrize(("fields", "code", "field"), REJECTIONS)
def test_a_wrong_field_is_a_400_naming_it_and_sends_nothing(v2, sms_api, fields, code, field):
    answer = call(v2, request(**fields))

    assert answer.status == 400
    assert answer.body == {
        "status": "REJECTED",
        "error": {"code": code, "message": answer.error["message"], "field": field},
        "requestId": API_REQUEST_ID,
    }
    assert field in answer.error["message"] or code == "INVALID_PHONE_NUMBER"
    assert answer.headers == {"Content-Type": "application/json"}
    assert sms_api.sends() == []


def test_a_rejected_number_is_never_echoed(v2):
    answer = call(v2, request(destinationNumber="+1 415 555 0100 ext. 12"))
    assert "555" not in answer.raw["body"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"destinationNumber": US_NUMBER}, US_NUMBER),
        ({"destinationNumber": US_NATIONAL}, US_NUMBER),
        ({"destinationNumber": "415.555.0100"}, US_NUMBER),
        ({"destinationNumber": "+1 (415) 555-0100"}, US_NUMBER),
        ({"destinationNumber": "tel:+1-415-555-0100"}, US_NUMBER),
        ({"destinationNumber": "06 12 34 56 78", "defaultCountry": "FR"}, FR_NUMBER),
        ({"destinationNumber": "06 12 34 56 78", "defaultCountry": "fr"}, FR_NUMBER),
        # An E.164 number ignores defaultCountry.
        ({"destinationNumber": FR_NUMBER, "defaultCountry": "US"}, FR_NUMBER),
        ({"destinationNumber": US_NUMBER, "defaultCountry": None}, US_NUMBER),
    ],
)
def test_numbers_are_normalised_to_e164(v2, sms_api, fields, expected):
    answer = call(v2, request(**fields))

    assert answer.status == 200, answer
    assert answer.body["destinationNumber"] == expected
    assert sms_api.sends()[0].body["DestinationPhoneNumber"] == expected


def test_the_function_default_country_reads_national_numbers(sms_api, v2_env):
    from .sms_send_helpers import load_handler

    handler = load_handler({**v2_env, "DEFAULT_COUNTRY": "FR"})
    answer = call(handler, request(destinationNumber="06 12 34 56 78"))
    assert answer.body["destinationNumber"] == FR_NUMBER


def test_the_message_is_trimmed_and_1600_characters_are_allowed(v2, sms_api):
    text = "é" * 1600
    answer = call(v2, request(message=f"  \n{text}\n "))

    assert answer.status == 200
    assert sms_api.sends()[0].body["MessageBody"] == text


def test_unknown_fields_and_nulls_are_ignored(v2, sms_api):
    answer = call(
        v2,
        request(
            unknownField={"deep": [1, 2]},
            originationIdentity=None,
            poolId=None,
            messageType=None,
            configurationSetName=None,
            context=None,
            idempotencyKey=None,
            dryRun=None,
        ),
    )
    assert answer.status == 200, answer
    assert set(sms_api.sends()[0].body) == {
        "DestinationPhoneNumber",
        "MessageBody",
        "MessageType",
        "ConfigurationSetName",
    }


def test_pool_id_is_an_alias_of_origination_identity(v2, sms_api):
    call(v2, request(poolId="pool-0123456789abcdef"))
    call(v2, request(poolId="pool-1", originationIdentity="pool-1"))

    sent = [r.body["OriginationIdentity"] for r in sms_api.sends()]
    assert sent == ["pool-0123456789abcdef", "pool-1"]


def test_context_drops_empty_values_and_trims(v2, sms_api):
    context = {"journeyId": " j-1 ", "profileId": "", "nodeId": "   "}
    answer = call(v2, request(context=context))

    assert answer.status == 200
    assert sms_api.sends()[0].body["Context"] == {"journeyId": "j-1"}


def test_message_type_is_case_insensitive(v2, sms_api):
    call(v2, request(messageType="promotional"))
    assert sms_api.sends()[0].body["MessageType"] == "PROMOTIONAL"
