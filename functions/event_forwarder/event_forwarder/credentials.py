"""AEP credentials from Secrets Manager, and the bearer token they yield.

The secret is JSON, one of:
  {"access_token": "..."}                        a token managed elsewhere
  {"client_id": "...", "client_secret": "...",   OAuth server-to-server: the
   "scope": "...", "token_url": "..."}           token is fetched from Adobe IMS
Optional "api_key" (default: client_id) is sent as x-api-key.

Tokens are cached for the life of the execution environment (less a margin);
`refresh()` is called once after a 401, re-reading the secret (it may have
been rotated) and fetching a new token."""

from __future__ import annotations

import json
import time
import urllib.parse
from dataclasses import dataclass

from ajo_runtime import aws, http

DEFAULT_TOKEN_URL = "https://ims-na1.adobelogin.com/ims/token/v3"  # noqa: S105 - a URL
DEFAULT_SCOPE = "openid,AdobeID,read_organizations,additional_info.projectedProductContext"
# Refresh this long before IMS says the token expires.
EXPIRY_MARGIN_SECONDS = 300


class CredentialsUnavailable(Exception):
    """No usable token right now (secret unreadable or malformed, IMS refused
    or failed). The object is retried later; the message names no secret."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Secret:
    access_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    scope: str = DEFAULT_SCOPE
    token_url: str = DEFAULT_TOKEN_URL
    api_key: str | None = None


def parse_secret(text: str) -> Secret:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise CredentialsUnavailable("SECRET_NOT_JSON") from None
    if not isinstance(data, dict):
        raise CredentialsUnavailable("SECRET_NOT_JSON_OBJECT")
    secret = Secret(
        access_token=_text(data, "access_token"),
        client_id=_text(data, "client_id"),
        client_secret=_text(data, "client_secret"),
        scope=_text(data, "scope") or DEFAULT_SCOPE,
        token_url=_text(data, "token_url") or DEFAULT_TOKEN_URL,
        api_key=_text(data, "api_key") or _text(data, "client_id"),
    )
    if not secret.access_token and not (secret.client_id and secret.client_secret):
        raise CredentialsUnavailable("SECRET_HAS_NO_CREDENTIALS")
    return secret


def _text(data: dict, key: str) -> str | None:
    value = data.get(key)
    return value.strip() or None if isinstance(value, str) else None


class TokenProvider:
    def __init__(self, secrets_client, secret_arn: str, timeout: float, clock=time.monotonic):
        self._client = secrets_client
        self._secret_arn = secret_arn
        self._timeout = timeout
        self._clock = clock
        self._secret: Secret | None = None
        self._token: str | None = None
        self._expires_at = 0.0

    @property
    def api_key(self) -> str | None:
        return self._load_secret().api_key

    def token(self) -> str:
        if self._token is None or self._clock() >= self._expires_at:
            self._fetch()
        return self._token

    def refresh(self) -> str:
        self._secret = None
        self._token = None
        return self.token()

    def _load_secret(self) -> Secret:
        if self._secret is None:
            try:
                answer = self._client.get_secret_value(SecretId=self._secret_arn)
            except Exception as error:  # botocore's ClientError, or a connection error
                reason = f"SECRET_UNREADABLE:{aws.reason(error)}"
                raise CredentialsUnavailable(reason) from None
            self._secret = parse_secret(answer.get("SecretString") or "")
        return self._secret

    def _fetch(self) -> None:
        secret = self._load_secret()
        if secret.access_token:
            # A static token: valid until AEP says otherwise (401 -> refresh).
            self._token, self._expires_at = secret.access_token, float("inf")
            return
        form = urllib.parse.urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": secret.client_id,
                "client_secret": secret.client_secret,
                "scope": secret.scope,
            }
        ).encode()
        try:
            answer = http.post(
                secret.token_url,
                form,
                {"Content-Type": "application/x-www-form-urlencoded"},
                self._timeout,
            )
        except http.TransportError as error:
            raise CredentialsUnavailable(f"IMS_UNREACHABLE:{error}") from None
        if answer.status != 200:
            raise CredentialsUnavailable(f"IMS_HTTP_{answer.status}")
        try:
            data = json.loads(answer.body)
            token = data["access_token"]
            lifetime = float(data.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError):
            raise CredentialsUnavailable("IMS_BAD_RESPONSE") from None
        # IMS v3 answers expires_in in seconds.
        self._token = token
        self._expires_at = self._clock() + max(lifetime - EXPIRY_MARGIN_SECONDS, 0.0)
