"""End User Messaging SMS v2 calls of the self-managed mode: the opt-out list and the
keyword replies.

Replies go through a client with botocore's retries off: SendTextMessage has no client
token, and botocore retries a reset or a read timeout that may follow an accepted send.
The outcome of each send is one of SENT, NOT_SENT (nothing was taken: give the claim
back, the message retries), UNKNOWN (the answer was lost after the request was written:
never resent) and REFUSED (the number is opted out: nothing will change that).
The opt-out list calls are idempotent: botocore's standard retries stay on for them.
"""

from __future__ import annotations

import enum
from typing import Any, NamedTuple

from ajo_runtime import aws
from botocore.exceptions import BotoCoreError, ClientError

from .errors import StepFailed

OPTED_OUT = "DESTINATION_PHONE_NUMBER_OPTED_OUT"
# Refusals retrying will not change (the deployment's setup): still failed, logged.
_PERMANENT = frozenset({"AccessDeniedException", "ValidationException"})
# Reply refusals that an immediate retry does not change.
_STAYS = frozenset({"ResourceNotFoundException", "ConflictException", "NoCredentialsError"})


class OptOutList:
    def __init__(self, client: Any, name: str):
        self._client = client
        self._name = name

    def opt_out(self, number: str) -> None:
        try:
            self._client.put_opted_out_number(OptOutListName=self._name, OptedOutNumber=number)
        except (BotoCoreError, ClientError) as error:
            raise _failed(error) from None

    def opt_in(self, number: str) -> None:
        try:
            self._client.delete_opted_out_number(OptOutListName=self._name, OptedOutNumber=number)
        except ClientError as error:
            if (
                aws.error_code(error) == "ResourceNotFoundException"
                and error.response.get("ResourceType") != "opt-out-list"
            ):
                return  # the number is not on the list: already opted in
            raise _failed(error) from None
        except BotoCoreError as error:
            raise _failed(error) from None


def _failed(error: Exception) -> StepFailed:
    reason = aws.reason(error)
    permanent = reason in _PERMANENT or (
        reason == "ResourceNotFoundException"  # the list named by OPT_OUT_LIST_NAME
    )
    return StepFailed("optOutList", reason, permanent)


class Sent(enum.StrEnum):
    SENT = "SENT"
    NOT_SENT = "NOT_SENT"
    UNKNOWN = "UNKNOWN"
    REFUSED = "REFUSED"


class ReplyOutcome(NamedTuple):
    sent: Sent
    reason: str | None = None  # an error code, for the log
    message_id: str | None = None

    @property
    def retry(self) -> bool:
        """Worth another try now: nothing was sent, and not for a reason that stays."""
        return self.sent == Sent.NOT_SENT and self.reason not in _PERMANENT | _STAYS


class Replies:
    def __init__(self, client: Any, configuration_set: str | None):
        self._client = client
        self._configuration_set = configuration_set

    def send(self, to: str, origination: str, body: str) -> ReplyOutcome:
        params = {
            "DestinationPhoneNumber": to,
            "OriginationIdentity": origination,
            "MessageBody": body,
            "MessageType": "TRANSACTIONAL",
        }
        if self._configuration_set:
            params["ConfigurationSetName"] = self._configuration_set
        try:
            answer = self._client.send_text_message(**params)
        except ClientError as error:
            return _refused(error)
        except Exception as error:  # transport, or an answer botocore could not read
            return _transport(error)
        # A 200 without MessageId still took the message.
        return ReplyOutcome(Sent.SENT, message_id=answer.get("MessageId"))


def _refused(error: ClientError) -> ReplyOutcome:
    response = error.response
    code, _, status = aws.service_error_of(response)
    if code == "ConflictException" and response.get("Reason") == OPTED_OUT:
        return ReplyOutcome(Sent.REFUSED, OPTED_OUT)
    if status in aws.GATEWAY_STATUSES:
        return ReplyOutcome(Sent.UNKNOWN, f"{code}:HTTP_{status}")
    # Throttling, quotas, validation, 500/503 answered by the service: nothing sent.
    return ReplyOutcome(Sent.NOT_SENT, code)


def _transport(error: Exception) -> ReplyOutcome:
    sent = Sent.UNKNOWN if aws.may_have_been_written(error) else Sent.NOT_SENT
    return ReplyOutcome(sent, type(error).__name__)
