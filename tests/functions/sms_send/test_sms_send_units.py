"""Pure parts: segment counting, masking, settings, and the retry loop's arithmetic."""

from __future__ import annotations

import pytest
from ajo_runtime.masking import mask, mask_numbers_in_text
from ajo_sms_send.config import settings_from_env
from ajo_sms_send.contract import ApiError, count_segments
from ajo_sms_send.senders import RetryPolicy
from harness.clock import Clock
from hypothesis import given, settings
from hypothesis import strategies as st

from .sms_send_helpers import load_handler

GSM_EXT = "^{}\\[~]|€\f"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a", (1, "GSM-7")),
        ("a" * 160, (1, "GSM-7")),
        ("a" * 161, (2, "GSM-7")),
        ("a" * 306, (2, "GSM-7")),
        ("a" * 307, (3, "GSM-7")),
        ("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà", (1, "GSM-7")),
        # Extension characters take two septets...
        ("€" * 80, (1, "GSM-7")),
        ("€" * 81, (2, "GSM-7")),
        ("a" * 159 + "€", (2, "GSM-7")),
        (GSM_EXT * 8, (1, "GSM-7")),
        (GSM_EXT * 8 + "a", (2, "GSM-7")),
        # ...and an escape pair never straddles two parts: 152 + € cannot fit in part 1.
        ("a" * 152 + "€" + "a" * 150, (2, "GSM-7")),
        ("a" * 152 + "€" + "a" * 152, (3, "GSM-7")),
        # Anything outside GSM-7 switches the whole text to UCS-2.
        ("a" * 69 + "ç", (1, "UCS-2")),
        ("a" * 70 + "ç", (2, "UCS-2")),
        ("`", (1, "UCS-2")),
        ("ç" * 134, (2, "UCS-2")),
        ("ç" * 135, (3, "UCS-2")),
        # Emoji are two UTF-16 code units, never split across parts.
        ("🙂" * 35, (1, "UCS-2")),
        ("🙂" * 36, (2, "UCS-2")),
        ("a" * 66 + "🙂" + "a" * 65, (2, "UCS-2")),
        ("a" * 66 + "🙂" + "a" * 66, (3, "UCS-2")),
        ("🙂" * 800, (25, "UCS-2")),
    ],
)
def test_segments(text, expected):
    assert count_segments(text) == expected


@pytest.mark.parametrize(
    ("number", "masked"),
    [("+14155550100", "+1415*****00"), ("+33612345678", "+3361*****78"), ("+4412", "***12")],
)
def test_mask(number, masked):
    assert mask(number) == masked


def test_numbers_in_text_are_masked_however_written():
    text = "to +14155550100, (415) 555-0100 and 415.555.0100; order 12345 stays"
    masked = mask_numbers_in_text(text)
    assert "0100" not in masked
    assert "order 12345 stays" in masked


def test_settings_defaults():
    settings = settings_from_env({})
    assert (settings.sms_api, settings.default_country, settings.default_message_type) == (
        "v2",
        "US",
        "TRANSACTIONAL",
    )
    assert settings.idempotency_table is None
    assert (settings.connect_timeout, settings.read_timeout, settings.max_attempts) == (1, 3, 3)
    assert settings.unknown_outcome == "at_most_once"


def test_unknown_outcome_is_case_insensitive():
    assert settings_from_env({"UNKNOWN_OUTCOME": "AT_LEAST_ONCE"}).unknown_outcome == (
        "at_least_once"
    )


def test_empty_variables_count_as_unset():
    settings = settings_from_env({"CONFIGURATION_SET_NAME": "", "IDEMPOTENCY_TABLE": "  "})
    assert settings.configuration_set_name is None
    assert settings.idempotency_table is None


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"SMS_API": "v3"}, "SMS_API"),
        ({"SMS_API": "v1"}, "PINPOINT_APPLICATION_ID"),
        ({"DEFAULT_COUNTRY": "USA"}, "DEFAULT_COUNTRY"),
        ({"DEFAULT_MESSAGE_TYPE": "BULK"}, "DEFAULT_MESSAGE_TYPE"),
        ({"SMS_READ_TIMEOUT_SECONDS": "soon"}, "SMS_READ_TIMEOUT_SECONDS"),
        ({"SMS_MAX_ATTEMPTS": "0"}, "SMS_MAX_ATTEMPTS"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"UNKNOWN_OUTCOME": "exactly_once"}, "UNKNOWN_OUTCOME"),
    ],
)
def test_a_malformed_setting_fails_the_cold_start_naming_it(env, variable):
    with pytest.raises(ValueError, match=variable):
        settings_from_env(env)


def test_an_unknown_default_country_fails_the_cold_start(sms_api):
    with pytest.raises(ValueError, match="DEFAULT_COUNTRY"):
        load_handler(
            {"AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_api.url, "DEFAULT_COUNTRY": "ZZ"},
            fresh=True,
        )


def test_the_function_does_not_need_the_full_phonenumbers_package(v2):
    # The zip ships phonenumberslite: no geocoder, carrier or timezone data.
    import sys

    assert not {"phonenumbers.geocoder", "phonenumbers.carrier", "phonenumbers.timezone"} & set(
        sys.modules
    )


def _flaky(failures, error_factory):
    calls = []

    def send(request):
        calls.append(request)
        if len(calls) <= failures:
            raise error_factory()
        return "msg"

    return send, calls


def _throttled():
    return ApiError(429, "THROTTLED", "slow", retry_safe=True)


def test_retry_delays_are_jittered_and_bounded():
    clock = Clock(0.0)
    send, calls = _flaky(2, _throttled)
    policy = RetryPolicy(3, 10, 4, sleep=clock.sleep, clock=clock, jitter=lambda: 1.0)
    result = policy.send(send, "r")
    assert result == ("msg", 3)
    assert len(calls) == 3
    assert clock.now == pytest.approx(0.1 + 0.2)  # full jitter at its maximum


def test_an_error_that_is_not_retry_safe_is_raised_at_once():
    send, calls = _flaky(5, lambda: ApiError(503, "UPSTREAM_UNAVAILABLE", "timeout"))
    with pytest.raises(ApiError) as raised:
        RetryPolicy(3, 10, 4, sleep=lambda s: None).send(send, "r")
    assert len(calls) == 1
    assert raised.value.attempts == 1


def test_no_attempt_starts_that_could_overrun_the_budget():
    clock = Clock(0.0)

    def slow_failure(request):
        clock.now += 1.0  # e.g. a connect timeout
        raise _throttled()

    with pytest.raises(ApiError) as raised:
        RetryPolicy(10, 6, 4, sleep=clock.sleep, clock=clock, jitter=lambda: 0.0).send(
            slow_failure, "r"
        )
    # At 2 s a third attempt still fits (2 s + 4 s worst case = 6 s); at 3 s a fourth would not.
    assert raised.value.attempts == 3
    assert clock.now <= 6


def _example_numbers():
    import phonenumbers
    from phonenumbers import PhoneNumberFormat, PhoneNumberType

    types = [t for t in vars(PhoneNumberType).values() if isinstance(t, int)]
    found = set()
    for region in phonenumbers.SUPPORTED_REGIONS:
        for kind in types:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                found.add(phonenumbers.format_number(number, PhoneNumberFormat.E164))
    for code in phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS:
        number = phonenumbers.example_number_for_non_geo_entity(code)
        if number is not None:
            found.add(phonenumbers.format_number(number, PhoneNumberFormat.E164))
    return sorted(found)


def test_the_e164_fast_path_agrees_with_parse_on_every_example_number():
    import phonenumbers
    from ajo_sms_send.validation import parse_canonical_e164

    numbers = _example_numbers()
    taken = 0
    for text in numbers:
        fast = parse_canonical_e164(text)
        if fast is not None:
            taken += 1
            assert fast == phonenumbers.parse(text, None), text
    assert len(numbers) > 900
    assert taken > len(numbers) * 0.8  # the fast path serves most real numbers


def test_the_e164_fast_path_serves_plain_numbers():
    from ajo_sms_send.validation import parse_canonical_e164

    assert parse_canonical_e164("+14155550100") is not None
    assert parse_canonical_e164("+33612345678") is not None
    for text in ("14155550100", "+1 415 555 0100", "+3906123456", "+٤١٥٥٥٥٠١٠٠", "+999123456"):
        assert parse_canonical_e164(text) is None


@given(digits=st.text("0123456789", min_size=7, max_size=15))
@settings(max_examples=500, deadline=None)
def test_the_e164_fast_path_agrees_with_parse_on_any_digits(digits):
    import phonenumbers
    from ajo_sms_send.validation import parse_canonical_e164

    fast = parse_canonical_e164("+" + digits)
    if fast is not None:
        assert fast == phonenumbers.parse("+" + digits, None)


def _transport_cases():
    from botocore import exceptions as bx

    url = "https://sms-voice.eu-west-1.amazonaws.com/"
    # (exception, retried inside the function, outcome unknown)
    return [
        (bx.EndpointConnectionError(endpoint_url=url), True, False),  # refused, DNS
        (bx.ConnectTimeoutError(endpoint_url=url), True, False),
        (bx.ProxyConnectionError(proxy_url=url), True, False),
        (bx.ConnectionClosedError(endpoint_url=url), False, True),  # reset, FIN, half answer
        (bx.ReadTimeoutError(endpoint_url=url), False, True),
        (bx.SSLError(endpoint_url=url, error="EOF"), False, True),  # may fail mid-exchange
        (bx.HTTPClientError(error="?"), False, True),
        (UnicodeDecodeError("utf-8", b"\xc3", 0, 1, "truncated"), False, True),
        (bx.NoCredentialsError(), False, False),  # botocore stopped before sending
    ]


@pytest.mark.parametrize(("exc", "retry_safe", "unknown"), _transport_cases())
def test_only_failures_before_the_request_was_written_are_retry_safe(exc, retry_safe, unknown):
    from ajo_sms_send.senders import transport_error

    error = transport_error(exc, "the SMS API")
    assert (error.retry_safe, error.outcome_unknown) == (retry_safe, unknown)
    assert error.status >= 500  # never the caller's fault


@pytest.mark.parametrize(
    ("status", "unknown"), [(500, False), (502, True), (503, False), (504, True)]
)
def test_a_gateway_error_is_an_unknown_outcome(status, unknown):
    from ajo_sms_send.senders import service_error

    error = service_error("Oops", "", status, "the SMS API")
    assert error.outcome_unknown is unknown
    assert error.retry_safe is not unknown
