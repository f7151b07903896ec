"""The AJO inbound webhook's header value: a Secrets Manager SecretString, read once
per execution environment and again after the webhook answers 401 (it may have been
rotated). Neither the value nor AWS's text reaches a log."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .errors import StepFailed, aws_reason


class WebhookSecret:
    def __init__(self, client: Any, secret_arn: str):
        self._client = client
        self._arn = secret_arn
        self._value: str | None = None

    def value(self) -> str:
        if self._value is None:
            try:
                answer = self._client.get_secret_value(SecretId=self._arn)
            except (BotoCoreError, ClientError) as error:
                raise StepFailed("webhook", f"SECRET_UNREADABLE:{aws_reason(error)}") from None
            value = (answer.get("SecretString") or "").strip()
            if not value:
                raise StepFailed("webhook", "SECRET_EMPTY", permanent=True)
            self._value = value
        return self._value

    def forget(self) -> None:
        self._value = None
