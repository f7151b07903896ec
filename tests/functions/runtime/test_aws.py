"""aws.error_code / aws.reason: how a failed botocore call is named."""

from __future__ import annotations

import pytest
from ajo_runtime import aws
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError


def client_error(error: dict) -> ClientError:
    # The parsed response botocore raises a ClientError with.
    return ClientError({"Error": error, "ResponseMetadata": {"HTTPStatusCode": 404}}, "GetObject")


@pytest.mark.parametrize(
    ("error", "code", "reason"),
    [
        (client_error({"Code": "NoSuchKey", "Message": "gone"}), "NoSuchKey", "NoSuchKey"),
        (client_error({"Message": "no code"}), None, "ClientError"),
        (client_error({"Code": ""}), None, "ClientError"),
        (ClientError({}, "GetObject"), None, "ClientError"),
        (
            EndpointConnectionError(endpoint_url="https://x.invalid"),
            None,
            "EndpointConnectionError",
        ),
        (ReadTimeoutError(endpoint_url="https://x.invalid"), None, "ReadTimeoutError"),
        (ValueError("not botocore's"), None, "ValueError"),
    ],
)
def test_a_service_error_is_named_by_its_code_anything_else_by_its_type(error, code, reason):
    assert aws.error_code(error) == code
    assert aws.reason(error) == reason
