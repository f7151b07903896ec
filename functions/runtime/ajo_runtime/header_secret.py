"""A webhook's shared secret: a Secrets Manager SecretString sent as a header value,
read once per execution environment and again after the webhook answers 401 (it
may have been rotated). Neither the value nor AWS's text reaches a log."""

from __future__ import annotations

from typing import Any

from .aws import reason


class SecretUnavailable(Exception):
    """The value cannot be had: `reason` is a code, `permanent` when retrying is useless
    (the secret holds nothing a header can carry) until the secret is fixed."""

    def __init__(self, reason: str, permanent: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class HeaderSecret:
    def __init__(self, secrets_client: Any, secret_arn: str):
        self._client = secrets_client
        self._arn = secret_arn
        self._value: str | None = None

    def value(self) -> str:
        if self._value is None:
            try:
                answer = self._client.get_secret_value(SecretId=self._arn)
            except Exception as error:  # botocore's ClientError, or a connection error
                raise SecretUnavailable(f"SECRET_UNREADABLE:{reason(error)}") from None
            value = (answer.get("SecretString") or "").strip()
            if not value or "\n" in value or "\r" in value:
                raise SecretUnavailable("SECRET_NOT_A_HEADER_VALUE", permanent=True)
            self._value = value
        return self._value

    def forget(self) -> None:
        """Drop the cached value (after a 401): the next value() reads it again."""
        self._value = None
