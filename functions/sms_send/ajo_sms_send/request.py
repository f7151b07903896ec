"""The request the senders send: validation.py builds it from the body (CONTRACT.md section
1), delivery.py from a queued message; the senders read it and nothing else."""

from __future__ import annotations

from typing import NamedTuple

from .contract import SMS, Template


class SmsRequest(NamedTuple):  # NamedTuple, not dataclass: cheaper at cold start
    destination: str  # E.164
    message: str  # trimmed
    origination_identity: str | None
    message_type: str
    configuration_set_name: str | None
    context: dict[str, str] | None
    idempotency_key: str | None
    dry_run: bool
    # What the caller chose, before the deployment's defaults: the idempotency fingerprint
    # uses these, so a redeploy that changes a default does not turn a retry into a reuse.
    caller_origination: str | None = None
    caller_message_type: str | None = None
    caller_configuration_set: str | None = None
    delivery: str = "direct"  # after the deployment's default; a dry run is always direct
    time_to_live: int | None = None  # SendTextMessage TimeToLive (seconds); queued sends only
    channel: str = SMS
    media_urls: tuple[str, ...] | None = None  # MMS: one s3:// URI
    voice_id: str | None = None  # VOICE: after DEFAULT_VOICE_ID
    message_body_text_type: str | None = None  # VOICE: TEXT or SSML
    caller_voice_id: str | None = None
    template: Template | None = None  # WHATSAPP: a template instead of free-form text

    def fingerprint_fields(self) -> tuple:
        fields = (
            self.destination,
            self.message,
            self.caller_origination,
            self.caller_message_type,
            self.caller_configuration_set,
            self.context,
        )
        if self.channel == SMS:
            # As before channels existed: a key claimed by an SMS before the upgrade keeps
            # its fingerprint (and its queued trackingId), so its retry is still a replay.
            return fields
        fields = (
            *fields,
            self.channel,
            self.media_urls,
            self.caller_voice_id,
            self.message_body_text_type,
        )
        return fields if self.template is None else (*fields, self.template)
