"""The one HTTP call the forwarder makes, on the standard library (no vendored
HTTP client): POST, return status, headers and body; never raise on a status."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class TransportError(Exception):
    """No whole HTTP answer. `sent` is False only when the request never left
    (DNS, refused, connect timeout, TLS): the server cannot have acted on it.
    Once written, a read timeout, reset, close or half an answer leaves the
    outcome unknown."""

    def __init__(self, reason: str, sent: bool):
        super().__init__(reason)
        self.sent = sent


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Response:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - URL is config, https enforced
    try:
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
                return Response(answer.status, answer.read(), _lower(answer.headers))
        except urllib.error.HTTPError as error:
            with error:
                return Response(error.code, error.read() or b"", _lower(error.headers))
    except urllib.error.URLError as error:
        # urlopen wraps only connect-and-send failures in URLError.
        raise TransportError(type(error.reason).__name__, sent=False) from None
    except (http.client.HTTPException, OSError) as error:
        raise TransportError(type(error).__name__, sent=True) from None


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in (headers or {}).items()}
