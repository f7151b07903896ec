"""One DynamoDB item per inboundMessageId (hash key `id`, TTL `expiresAt`) recording
which steps are done, so an SNS/SQS duplicate or a retry after a partial failure
repeats nothing already done.

Attributes (one per step, each written once the step is done):
  optOutList  DONE                      the opt-out list holds the right state
  reply       CLAIMED | SENT | UNKNOWN | REFUSED
                                        CLAIMED is written (conditionally) before the
                                        send, with `replyToken`; a claim found by a later
                                        run means its send may have happened: never resent
  webhook     FORWARDED                 AJO's inbound webhook answered 2xx
  export      EXPORTED                  the event is in the events stream
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

TTL_SECONDS = 7 * 24 * 3600  # SNS/SQS duplicates and DLQ redrives come well before
OPT_OUT_LIST, REPLY, WEBHOOK, EXPORT = "optOutList", "reply", "webhook", "export"
STEPS = (OPT_OUT_LIST, REPLY, WEBHOOK, EXPORT)
DONE, FORWARDED, EXPORTED = "DONE", "FORWARDED", "EXPORTED"
CLAIMED, SENT, UNKNOWN, REFUSED = "CLAIMED", "SENT", "UNKNOWN", "REFUSED"


class Progress:
    def __init__(self, client: Any, table: str, clock: Callable[[], float] = time.time):
        self._client = client
        self._table = table
        self._clock = clock

    def load(self, item_id: str) -> dict[str, str]:
        """Step -> status of what earlier runs finished (empty for a new message)."""
        answer = self._client.get_item(
            TableName=self._table, Key={"id": {"S": item_id}}, ConsistentRead=True
        )
        item = answer.get("Item") or {}
        return {step: item[step]["S"] for step in STEPS if "S" in item.get(step, {})}

    def record(self, item_id: str, step: str, status: str) -> None:
        self._update(item_id, f"#step = :status, {_KEEP_TTL}", {"#step": step}, {":status": status})

    def claim_reply(self, item_id: str, token: str) -> bool:
        """Claim the reply before sending it; False when another run already has."""
        try:
            self._update(
                item_id,
                f"#reply = :claimed, #token = :token, {_KEEP_TTL}",
                {"#reply": REPLY, "#token": "replyToken"},
                {":claimed": CLAIMED, ":token": token},
                condition="attribute_not_exists(#reply)",
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def release_reply(self, item_id: str, token: str) -> None:
        """Give the claim back (the send surely failed), only if it is still ours."""
        with contextlib.suppress(self._client.exceptions.ConditionalCheckFailedException):
            self._client.update_item(
                TableName=self._table,
                Key={"id": {"S": item_id}},
                UpdateExpression="REMOVE #reply, #token",
                ConditionExpression="#reply = :claimed AND #token = :token",
                ExpressionAttributeNames={"#reply": REPLY, "#token": "replyToken"},
                ExpressionAttributeValues={":claimed": {"S": CLAIMED}, ":token": {"S": token}},
            )  # a failed condition: no longer ours, nothing to give back

    def _update(
        self,
        item_id: str,
        assignments: str,
        names: dict[str, str],
        values: dict[str, str],
        condition: str | None = None,
    ) -> None:
        params: dict[str, Any] = {
            "TableName": self._table,
            "Key": {"id": {"S": item_id}},
            "UpdateExpression": f"SET {assignments}",
            "ExpressionAttributeNames": {**names, "#expiresAt": "expiresAt"},
            "ExpressionAttributeValues": {
                **{k: {"S": v} for k, v in values.items()},
                ":expiresAt": {"N": str(int(self._clock()) + TTL_SECONDS)},
            },
        }
        if condition:
            params["ConditionExpression"] = condition
        self._client.update_item(**params)


# The first write of an item sets its expiry; later steps keep it.
_KEEP_TTL = "#expiresAt = if_not_exists(#expiresAt, :expiresAt)"
