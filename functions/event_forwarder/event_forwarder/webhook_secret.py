"""The AJO feedback webhook's shared secret (a Secrets Manager SecretString,
sent as a header): read once per execution environment, re-read once after
a 401 (it may have been rotated), as the AEP token is (credentials.py)."""

from __future__ import annotations

from .credentials import CredentialsUnavailable


class WebhookSecret:
    def __init__(self, secrets_client, secret_arn: str):
        self._client = secrets_client
        self._secret_arn = secret_arn
        self._value: str | None = None

    def value(self) -> str:
        if self._value is None:
            try:
                answer = self._client.get_secret_value(SecretId=self._secret_arn)
            except Exception as error:  # botocore's ClientError, or a connection error
                code = getattr(error, "response", {}).get("Error", {}).get("Code")
                raise CredentialsUnavailable(
                    f"SECRET_UNREADABLE:{code or type(error).__name__}"
                ) from None
            value = (answer.get("SecretString") or "").strip()
            if not value or "\n" in value or "\r" in value:
                raise CredentialsUnavailable("SECRET_NOT_A_HEADER_VALUE")
            self._value = value
        return self._value

    def refresh(self) -> str:
        self._value = None
        return self.value()
