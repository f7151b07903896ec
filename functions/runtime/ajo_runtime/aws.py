"""AWS clients as every function builds them: bounded timeouts, standard retries,
and the region a resource's ARN names (a secret may live in another region); a failed
call's error code; and whether it may have reached the service, which decides what a
retry risks."""

from __future__ import annotations

CLIENT_CONFIG = {
    "connect_timeout": 2,
    "read_timeout": 10,
    "retries": {"mode": "standard", "total_max_attempts": 4},
}


def region_of(arn: str) -> str | None:
    """`arn:aws:secretsmanager:eu-west-1:...` -> `eu-west-1`; None if not an ARN with one."""
    parts = arn.split(":")
    return parts[3] if len(parts) > 3 and parts[0] == "arn" and parts[3] else None


def error_code(error: BaseException) -> str | None:
    """The service's error code of a botocore ClientError (`NoSuchKey`), else None."""
    response = getattr(error, "response", None) or {}
    return (response.get("Error") or {}).get("Code") or None


def service_error_of(response: dict) -> tuple[str, str, int]:
    """A ClientError's answer as the mappers read it (botocore's parsed `response`): its
    code ("Unknown" when it names none), message and HTTP status (0 when unknown). A plain
    tuple: a NamedTuple class would cost every cold start ~0.2 ms."""
    error = response.get("Error") or {}
    status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode") or 0
    return error.get("Code") or "Unknown", error.get("Message") or "", status


def reason(error: BaseException) -> str:
    """What a log line or a retry decision names a failed call by: the service's error
    code, else the exception's type (a connection error, a timeout, credentials)."""
    return error_code(error) or type(error).__name__


# A gateway in front of the service gave up waiting for it (504) or for a valid answer
# (502): the service itself may have acted on the request.
GATEWAY_STATUSES = frozenset({502, 504})


def may_have_been_written(error: BaseException) -> bool:
    """Whether the request may have reached the service before botocore raised `error`
    (an exception of the call other than a ClientError). False only when it surely did
    not: refused, DNS, connect timeout, proxy, credentials, parameters. A read timeout, a
    reset, a FIN or half an answer (HTTPClientError; a connection never used cannot be
    told apart from one that was), TLS after connect, or anything raised while reading
    the answer: it may have."""
    from botocore.exceptions import BotoCoreError, HTTPClientError, SSLError
    from botocore.exceptions import ConnectionError as BotoConnectionError

    if isinstance(error, BotoConnectionError) and not isinstance(error, SSLError):
        return False
    if isinstance(error, HTTPClientError | SSLError):
        return True
    return not isinstance(error, BotoCoreError)


def client(service: str, region: str | None = None, **config):
    """A boto3 client with CLIENT_CONFIG (overridden by `config`)."""
    import boto3
    from botocore.config import Config

    return boto3.client(service, region_name=region, config=Config(**{**CLIENT_CONFIG, **config}))
