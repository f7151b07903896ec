"""A loopback stand-in for the SMS APIs that speaks their real wire protocols.

Used by the sms_send tests, the benchmarks and the demo. It answers:

- End User Messaging SMS v2 (`pinpoint-sms-voice-v2`, AWS JSON 1.0): `POST /` with
  `X-Amz-Target: PinpointSMSVoiceV2.SendTextMessage`, `.SendMediaMessage` (MMS) or
  `.SendVoiceMessage`; errors carry `__type`, `Message`, modeled members (`Reason`,
  `Fields`, ...) and the `x-amzn-ErrorType` header, so botocore parses them exactly as it
  parses AWS's answers. The three check their input against botocore's model of them
  (required members, lengths, patterns, enums, list and map sizes: `model_violations`) and
  the rules their documentation adds (an MMS has text, media or both; a TEXT voice message
  at most 3000 characters), answering `ValidationException` (`Reason` MISSING_PARAMETER /
  FIELD_VALIDATION_FAILED / MAXIMUM_SIZE_EXCEEDED, `Fields`, a `Message` quoting the value
  as AWS's do) before anything else. All three are recorded
  (`api` "v2", `Captured.operation`; `sends(operation=...)`) and share the scripted
  replies, the opt-out lists and the MPS; an MMS or a voice message is one part.
- the opt-out list operations of the same API, `PinpointSMSVoiceV2.PutOptedOutNumber` and
  `PinpointSMSVoiceV2.DeleteOptedOutNumber`, on lists made with `add_opt_out_list(name)`
  (as Terraform would): one opted-out set per list; an unknown list answers
  `ResourceNotFoundException` (`ResourceType` "opt-out-list"), deleting a number not on
  the list `ResourceNotFoundException` (`ResourceType` "opted-out-number"). While a
  destination is on any list the fake holds (the fake does not model which list an
  origination identity uses), the three sends answer `ConflictException`, `Reason`
  `DESTINATION_PHONE_NUMBER_OPTED_OUT`, before any scripted reply. `enqueue_op(op, ...)`
  scripts the answers (JSON 1.0 status replies) of these operations; sends keep their own
  queue. They are recorded with `api` "v2-opt-out" and never counted as SMS.
- Amazon Pinpoint v1 (REST-JSON): `POST /v1/apps/{application-id}/messages` answering a
  `MessageResponse` whose `Result` is keyed by the destination address.
- End User Messaging Social (`socialmessaging`, REST-JSON): `POST /v1/whatsapp/send`
  (SendWhatsAppMessage; `api` "social"), its input checked against botocore's model as the
  v2 sends' are (the `message` blob base64 on the wire, its decoded size bounded), a refusal
  answered as the service does: `x-amzn-ErrorType` and a body of `message` only
  (`social_error`). `Captured.whatsapp` is the decoded WhatsApp message object and its `to`
  the destination. It shares the scripted replies, the rules and the MPS (one message per
  send, per originationPhoneNumberId; over it `ThrottledRequestException`, HTTP 429); the
  opt-out lists are End User Messaging SMS's and do not apply.

Behaviour is scripted with `Reply` objects: queued replies are consumed first (one per
request), then per-destination rules, then a default success. Every request is recorded,
and every SMS the fake *accepted* is counted (`accepted_count`), including those whose
answer is then lost (`accept_then_reset`, `accept_then_close`, `accept_then_half_answer`):
tests assert "exactly N SMS sent" on that count, not on what the client saw.

MPS mode (`set_mps(n)`, `--mps n`): like End User Messaging, each origination identity
sends at most n message parts per second (a token bucket over parts, capacity n, refilled
continuously); a v2 send over it answers `ThrottlingException` in the AWS JSON 1.0 error
shape (HTTP 400, `x-amzn-ErrorType`), before any scripted reply.

Run standalone (`PYTHONPATH=tests python -m harness.loopback_sms --port 0`) it prints
`PORT <n>` and serves until stdin closes; the bench uses that to keep the server out of
the measured process.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import socket
import struct
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import botocore.session
from harness.functions import function_dir

function_dir("sms_send")  # the function's own segment count, as the zip has it
from ajo_sms_send.contract import count_segments  # noqa: E402

V2_PREFIX = "PinpointSMSVoiceV2."
SOCIAL_SEND_PATH = "/v1/whatsapp/send"
SEND_OPERATIONS = frozenset({"SendTextMessage", "SendMediaMessage", "SendVoiceMessage"})
# The sends whose input the fake checks against the model, as the service does: all three.
MODEL_CHECKED = SEND_OPERATIONS
MAX_VOICE_TEXT = 3000  # SendVoiceMessage MessageBody with MessageBodyTextType TEXT
OPT_OUT_OPERATIONS = frozenset({"PutOptedOutNumber", "DeleteOptedOutNumber"})
V2_CONTENT_TYPE = "application/x-amz-json-1.0"
V2_NAMESPACE = "com.amazonaws.pinpointsmsvoicev2"


@dataclass
class Reply:
    """One scripted answer.

    kind: "v2" (JSON 1.0 body), "social" (End User Messaging Social's REST-JSON body),
    "v1-result" (per-address result, filled in with the request's address), "rest"
    (REST-JSON body as-is), "hang" (sleep then answer),
    "close" (drop the connection without answering), and the accepted-then-lost kinds
    "reset", "fin", "half" (ACCEPT_THEN_FAIL).
    """

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    kind: str = "v2"
    delay: float = 0.0


def v2_ok(message_id: str | None = None) -> Reply:
    return Reply(200, {"MessageId": message_id or str(uuid.uuid4())})


def v2_error(error_type: str, message: str, status: int = 400, **members: Any) -> Reply:
    """An AWS JSON 1.0 error as End User Messaging SMS sends it."""
    body = {"__type": f"{V2_NAMESPACE}#{error_type}", "Message": message, **members}
    return Reply(status, body, {"x-amzn-ErrorType": f"{error_type}:http://internal.amazon.com/"})


def social_ok(message_id: str | None = None) -> Reply:
    """SendWhatsAppMessage's 200 answer."""
    return Reply(200, {"messageId": message_id or str(uuid.uuid4())}, kind="social")


def social_error(error_type: str, message: str, status: int) -> Reply:
    """An End User Messaging Social REST-JSON error: the type in `x-amzn-ErrorType`, the
    body's only member `message` (botocore's socialmessaging model)."""
    return Reply(status, {"message": message}, {"x-amzn-ErrorType": error_type}, kind="social")


def v1_result(
    delivery_status: str = "SUCCESSFUL",
    status_code: int = 200,
    status_message: str = "MessageId: accepted",
    message_id: str | None = None,
) -> Reply:
    """A Pinpoint SendMessages 200 answer whose per-address result has this status."""
    result = {"DeliveryStatus": delivery_status, "StatusCode": status_code}
    if status_message:
        result["StatusMessage"] = status_message
    if delivery_status == "SUCCESSFUL":
        result["MessageId"] = message_id or str(uuid.uuid4())
    return Reply(200, result, kind="v1-result")


def v1_error(error_type: str, message: str, status: int) -> Reply:
    """A Pinpoint REST-JSON error (`x-amzn-ErrorType` + `Message`)."""
    body = {"Message": message, "RequestID": str(uuid.uuid4())}
    return Reply(status, body, {"x-amzn-ErrorType": error_type}, kind="rest")


def hang(seconds: float) -> Reply:
    """Answer only after `seconds` (longer than the client's read timeout: a timeout)."""
    return Reply(kind="hang", delay=seconds, body={"MessageId": str(uuid.uuid4())})


def close_connection() -> Reply:
    """Drop the connection without answering and without taking the SMS (counted as not sent)."""
    return Reply(kind="close")


# Accepted, then the connection fails: the SMS counts as sent, the answer is lost. On the
# wire `accept_then_close` is the same as `close_connection`: a client cannot tell them apart.
ACCEPT_THEN_FAIL = frozenset({"reset", "fin", "half"})


def accept_then_reset(message_id: str | None = None) -> Reply:
    """Take the SMS, then abort the connection with a TCP RST (ECONNRESET on the client)."""
    return Reply(200, {"MessageId": message_id or str(uuid.uuid4())}, kind="reset")


def accept_then_close(message_id: str | None = None) -> Reply:
    """Take the SMS, then close the connection (FIN) without answering."""
    return Reply(200, {"MessageId": message_id or str(uuid.uuid4())}, kind="fin")


def accept_then_half_answer(message_id: str | None = None) -> Reply:
    """Take the SMS, send a 200's head and half its body, then close (FIN)."""
    return Reply(200, {"MessageId": message_id or str(uuid.uuid4())}, kind="half")


@dataclass
class Captured:
    api: str  # "v2", "v1" or "unknown"
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    status: int = 0  # HTTP status answered (0 until answered; connection drops stay 0)
    at: float = 0.0  # time.monotonic() on arrival

    @property
    def operation(self) -> str:
        """The AWS JSON 1.0 operation (`X-Amz-Target` without its prefix)."""
        if self.api == "social":
            return "SendWhatsAppMessage"
        return self.headers.get("X-Amz-Target", "").removeprefix("PinpointSMSVoiceV2.")

    @property
    def whatsapp(self) -> dict[str, Any]:
        """SendWhatsAppMessage's `message`: the WhatsApp Cloud API message object sent."""
        return json.loads(base64.b64decode(self.body.get("message") or ""))

    @property
    def destination(self) -> str | None:
        if self.api == "social":
            try:
                return self.whatsapp.get("to")
            except ValueError:
                return None
        if self.api in ("v2", "v2-opt-out"):
            return self.body.get("DestinationPhoneNumber") or self.body.get("OptedOutNumber")
        if self.api == "v1":
            return next(iter(self.body.get("Addresses") or {}), None)
        return None


RuleValue = Reply | Callable[[Captured], Reply]


class PartsPerSecond:
    """End User Messaging's MPS: a token bucket over message parts per origination identity."""

    def __init__(self, mps: float, clock: Callable[[], float] = time.monotonic):
        self.mps = mps
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # identity -> (tokens, at)

    def admit(self, identity: str, parts: int) -> bool:
        now = self._clock()
        tokens, at = self._buckets.get(identity, (self.mps, now))
        tokens = min(self.mps, tokens + (now - at) * self.mps)
        if tokens < min(parts, self.mps):  # a message longer than the capacity leaves debt
            self._buckets[identity] = (tokens, now)
            return False
        self._buckets[identity] = (tokens - parts, now)
        return True


def throttling() -> Reply:
    return v2_error("ThrottlingException", "Rate exceeded", 400)


_SESSION = botocore.session.get_session()
_MODEL = _SESSION.get_service_model("pinpoint-sms-voice-v2")
_SOCIAL_MODEL = _SESSION.get_service_model("socialmessaging")


def model_violations(
    operation: str, params: Any, model: Any = _MODEL
) -> list[tuple[str, str, str]]:
    """(Reason, member path, constraint) for each way `params` breaks the operation's input
    shape in botocore's model: what the service's own validation refuses. Blobs are taken
    as they travel in JSON: base64."""
    shape = model.operation_model(operation).input_shape
    return list(_violations(shape, params, ""))


def _violations(shape: Any, value: Any, path: str):
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        if not isinstance(value, dict):
            yield "FIELD_VALIDATION_FAILED", path, "Member must be a structure"
            return
        for name in shape.required_members:
            if value.get(name) is None:
                yield "MISSING_PARAMETER", _join(path, name), "Member must not be null"
        for name, member in value.items():
            if name in shape.members and member is not None:
                yield from _violations(shape.members[name], member, _join(path, name))
        return
    if kind == "string":
        if not isinstance(value, str):
            yield "FIELD_VALIDATION_FAILED", path, "Member must be a string"
            return
        if shape.enum and value not in shape.enum:
            yield (
                "FIELD_VALIDATION_FAILED",
                path,
                f"Member must satisfy enum value set: {shape.enum}",
            )
        if len(value) < meta.get("min", 0):
            yield (
                "FIELD_VALIDATION_FAILED",
                path,
                f"Member must have length greater than or equal to {meta['min']}",
            )
        if "max" in meta and len(value) > meta["max"]:
            yield (
                "FIELD_VALIDATION_FAILED",
                path,
                f"Member must have length less than or equal to {meta['max']}",
            )
        if "pattern" in meta and not re.fullmatch(meta["pattern"], value):
            yield (
                "FIELD_VALIDATION_FAILED",
                path,
                f"Member must satisfy regular expression pattern: {meta['pattern']}",
            )
        return
    if kind in ("list", "map"):
        if not isinstance(value, list if kind == "list" else dict):
            yield "FIELD_VALIDATION_FAILED", path, f"Member must be a {kind}"
            return
        if len(value) < meta.get("min", 0) or ("max" in meta and len(value) > meta["max"]):
            yield (
                "FIELD_VALIDATION_FAILED",
                path,
                f"Member must have between {meta.get('min', 0)} and {meta.get('max')} items",
            )
        if kind == "list":
            for i, item in enumerate(value):
                yield from _violations(shape.member, item, f"{path}.{i + 1}.member")
        else:
            for key, item in value.items():
                yield from _violations(shape.key, key, f"{path}.{key}.key")
                yield from _violations(shape.value, item, f"{path}.{key}.value")
        return
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            yield "FIELD_VALIDATION_FAILED", path, "Member must be an integer"
        elif value < meta.get("min", value) or value > meta.get("max", value):
            yield (
                "FIELD_VALIDATION_FAILED",
                path,
                f"Member must be between {meta.get('min')} and {meta.get('max')}",
            )
        return
    if kind == "blob":
        try:
            size = len(base64.b64decode(value, validate=True))
        except (TypeError, ValueError):
            yield "FIELD_VALIDATION_FAILED", path, "Member must be base64-encoded binary"
            return
        if size < meta.get("min", 0) or ("max" in meta and size > meta["max"]):
            yield (
                "FIELD_VALIDATION_FAILED",
                path,
                f"Member must have length between {meta.get('min', 0)} and {meta.get('max')}",
            )
        return
    if kind == "boolean" and not isinstance(value, bool):
        yield "FIELD_VALIDATION_FAILED", path, "Member must be a boolean"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _input_error(operation: str, body: dict[str, Any]) -> Reply | None:
    """The ValidationException the three sends answer for a bad input."""
    found = model_violations(operation, body)
    if (
        operation == "SendMediaMessage"
        and not body.get("MessageBody")
        and not body.get("MediaUrls")
    ):
        found.append(("MISSING_PARAMETER", "MessageBody", "MessageBody or MediaUrls is required"))
    if (
        operation == "SendVoiceMessage"
        and body.get("MessageBodyTextType", "TEXT") == "TEXT"
        and len(str(body.get("MessageBody") or "")) > MAX_VOICE_TEXT
    ):
        found.append(
            (
                "MAXIMUM_SIZE_EXCEEDED",
                "MessageBody",
                f"A TEXT message body has at most {MAX_VOICE_TEXT} characters",
            )
        )
    if not found:
        return None
    reason, path, constraint = found[0]
    head = path.split(".", 1)[0]
    value = body.get(head)
    quoted = f"Value '{value}'" if isinstance(value, str) else "Value"
    text = (
        f"{len(found)} validation error{'s' if len(found) > 1 else ''} detected: {quoted} at "
        f"'{head[:1].lower()}{head[1:]}' failed to satisfy constraint: {constraint}"
    )
    fields = [{"Name": p, "Message": c} for _, p, c in found]
    return v2_error("ValidationException", text, 400, Reason=reason, Fields=fields)


def _social_input_error(body: dict[str, Any]) -> Reply | None:
    """The ValidationException SendWhatsAppMessage answers for an input its model refuses."""
    found = model_violations("SendWhatsAppMessage", body, _SOCIAL_MODEL)
    if not found:
        return None
    _, path, constraint = found[0]
    text = (
        f"1 validation error detected: Value at '{path}' failed to satisfy constraint: {constraint}"
    )
    return social_error("ValidationException", text, 400)


class LoopbackSmsApi:
    """Threaded HTTP/1.1 (keep-alive) server on 127.0.0.1 and a free port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, record: bool = True):
        self.requests: list[Captured] = []
        self.rules: dict[str, RuleValue] = {}
        self.record = record
        self.accepted: list[Captured] = []  # recorded like `requests`: only when `record`
        self.accepted_count = 0  # always counted
        self._queue: deque[Reply] = deque()
        self._limit: PartsPerSecond | None = None
        self.opt_out_lists: dict[str, set[str]] = {}  # list name -> opted-out numbers
        self._op_queues: dict[str, deque[Reply]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), _make_handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def start(self) -> LoopbackSmsApi:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackSmsApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def enqueue(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def set_mps(self, mps: float | None) -> None:
        """Enforce `mps` parts per second per origination identity (None: no limit)."""
        with self._lock:
            self._limit = PartsPerSecond(mps) if mps else None

    def add_opt_out_list(self, name: str) -> None:
        with self._lock:
            self.opt_out_lists.setdefault(name, set())

    def enqueue_op(self, operation: str, *replies: Reply) -> None:
        """Scripted answers for PutOptedOutNumber / DeleteOptedOutNumber, one per call."""
        with self._lock:
            self._op_queues.setdefault(operation, deque()).extend(replies)

    def opt_out_calls(self, operation: str | None = None) -> list[Captured]:
        with self._lock:
            return [
                r
                for r in self.requests
                if r.api == "v2-opt-out" and operation in (None, r.operation)
            ]

    def _opt_out_reply(self, operation: str, captured: Captured) -> Reply:
        """The answer of an opt-out list operation, applied to the fake's lists."""
        with self._lock:
            if self.record:
                self.requests.append(captured)
            queued = self._op_queues.get(operation)
            if queued:
                return queued.popleft()
            name = str(captured.body.get("OptOutListName") or "")
            number = str(captured.body.get("OptedOutNumber") or "")
            numbers = self.opt_out_lists.get(name)
            if numbers is None:
                return v2_error(
                    "ResourceNotFoundException", f"Opt-out list {name} not found", 404,
                    ResourceType="opt-out-list", ResourceId=name,
                )  # fmt: skip
            if operation == "DeleteOptedOutNumber" and number not in numbers:
                return v2_error(
                    "ResourceNotFoundException", "Opted-out number not found", 404,
                    ResourceType="opted-out-number", ResourceId=number,
                )  # fmt: skip
            if operation == "PutOptedOutNumber":
                numbers.add(number)
            else:
                numbers.discard(number)
        answer = {
            "OptOutListArn": f"arn:aws:sms-voice:us-east-1:123456789012:opt-out-list/{name}",
            "OptOutListName": name,
            "OptedOutNumber": number,
            "OptedOutTimestamp": time.time(),
            "EndUserOptedOut": False,
        }
        return Reply(200, answer)

    def _opted_out(self, number: str | None) -> bool:
        return any(number in numbers for numbers in self.opt_out_lists.values())

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self.opt_out_lists.clear()
            self._op_queues.clear()
            self.requests.clear()
            self.rules.clear()
            self._limit = None
            self.accepted.clear()
            self.accepted_count = 0

    def sends(self, api: str | None = None, operation: str | None = None) -> list[Captured]:
        """Recorded requests, of one API ("v2", "v1", ...) and one operation if given."""
        with self._lock:
            return [
                r
                for r in self.requests
                if api in (None, r.api) and operation in (None, r.operation)
            ]

    def _next_reply(self, captured: Captured) -> Reply:
        with self._lock:
            if self.record:
                self.requests.append(captured)
            if captured.api == "v2" and captured.operation in MODEL_CHECKED:
                refused = _input_error(captured.operation, captured.body)
                if refused is not None:
                    return refused
            if captured.api == "social":
                refused = _social_input_error(captured.body)
                if refused is not None:
                    return refused
                number = str(captured.body.get("originationPhoneNumberId"))
                if self._limit is not None and not self._limit.admit(number, 1):
                    return social_error("ThrottledRequestException", "Rate exceeded", 429)
            if self._limit is not None and captured.api == "v2":
                body = captured.body
                parts = 1  # an MMS or a voice message is one part
                if captured.operation == "SendTextMessage":
                    parts = count_segments(str(body.get("MessageBody") or ""))[0]
                identity = str(body.get("OriginationIdentity") or "default")
                if not self._limit.admit(identity, parts):
                    return throttling()
            if captured.api == "v2" and self._opted_out(captured.destination):
                return v2_error(
                    "ConflictException", "The destination phone number is opted out", 400,
                    Reason="DESTINATION_PHONE_NUMBER_OPTED_OUT", ResourceType="opt-out-list",
                    ResourceId=next(
                        n for n, nums in self.opt_out_lists.items() if captured.destination in nums
                    ),
                )  # fmt: skip
            if self._queue:
                return self._queue.popleft()
            rule = self.rules.get(captured.destination or "")
        if rule is None:
            return {"v1": v1_result, "social": social_ok}.get(captured.api, v2_ok)()
        return rule(captured) if callable(rule) else rule

    def _note_accepted(self, captured: Captured, reply: Reply) -> None:
        """Count the SMS if this reply means the service took it (a dry run sends nothing)."""
        if not _accepts(captured, reply):
            return
        with self._lock:
            self.accepted_count += 1
            if self.record:
                self.accepted.append(captured)


def _accepts(captured: Captured, reply: Reply) -> bool:
    if captured.body.get("DryRun") or reply.status != 200:
        return False
    if reply.kind in ACCEPT_THEN_FAIL:
        return True
    if reply.kind == "v1-result":
        return (reply.body or {}).get("DeliveryStatus") == "SUCCESSFUL"
    # v2 / social / hang: a 200 is an accepted message (even one whose answer omits its ID).
    return reply.kind in ("v2", "social", "hang")


def _fail_after_accept(handler: BaseHTTPRequestHandler, reply: Reply, json_10: bool) -> None:
    """Lose the answer to a request the fake has taken, the way real connections do."""
    handler.close_connection = True
    conn = handler.connection
    if reply.kind == "reset":
        # SO_LINGER 0: close() sends RST instead of FIN. The read buffer (rfile) holds a
        # reference to the socket: release it so close() really closes.
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.rfile.close()
        conn.close()
        return
    if reply.kind == "half":
        data = json.dumps(reply.body).encode()
        head = (
            "HTTP/1.1 200 OK\r\n"
            f"Content-Type: {V2_CONTENT_TYPE if json_10 else 'application/json'}\r\n"
            f"Content-Length: {len(data)}\r\n"
            f"x-amzn-RequestId: {uuid.uuid4()}\r\n\r\n"
        )
        handler.wfile.write(head.encode() + data[: len(data) // 2])
    conn.shutdown(socket.SHUT_RDWR)


def _make_handler(api: LoopbackSmsApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like AWS endpoints
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {}
            target = self.headers.get("X-Amz-Target", "")
            if self.path.startswith("/v1/apps/") and self.path.endswith("/messages"):
                kind = "v1"
            elif self.path == SOCIAL_SEND_PATH:
                kind = "social"
            elif target.startswith(V2_PREFIX) and target.removeprefix(V2_PREFIX) in SEND_OPERATIONS:
                kind = "v2"
            elif target.removeprefix(V2_PREFIX) in OPT_OUT_OPERATIONS:
                kind = "v2-opt-out"
            else:
                kind = "unknown"
            captured = Captured(
                kind, self.path, dict(self.headers.items()), body, at=time.monotonic()
            )
            if kind == "unknown":
                self._send(400, {"__type": "UnknownOperationException"}, {})
                return
            if kind == "v2-opt-out":
                reply = api._opt_out_reply(captured.operation, captured)
                captured.status = reply.status
                self._send(reply.status, reply.body, reply.headers)
                return
            reply = api._next_reply(captured)
            api._note_accepted(captured, reply)
            if reply.kind in ACCEPT_THEN_FAIL:
                _fail_after_accept(self, reply, json_10=kind == "v2")
                return
            if reply.kind == "close":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            captured.status = reply.status
            if reply.delay:
                time.sleep(reply.delay)
            payload = reply.body
            if reply.kind == "v1-result":
                address = captured.destination or ""
                app_id = self.path.split("/")[3]
                payload = {
                    "ApplicationId": app_id,
                    "RequestId": str(uuid.uuid4()),
                    "Result": {address: reply.body},
                }
            self._send(reply.status, payload, reply.headers, json_10=kind == "v2")

        def _send(
            self, status: int, payload: Any, headers: dict[str, str], json_10: bool = True
        ) -> None:
            data = json.dumps(payload).encode()
            lines = [
                f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}",
                f"Content-Type: {V2_CONTENT_TYPE if json_10 else 'application/json'}",
                f"Content-Length: {len(data)}",
                f"x-amzn-RequestId: {uuid.uuid4()}",
                *(f"{k}: {v}" for k, v in headers.items()),
            ]
            # One write for head and body: no Nagle/delayed-ACK stall between them.
            self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode() + data)

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mps", type=float, default=None, help="parts/s per identity")
    args = parser.parse_args()
    server = LoopbackSmsApi(port=args.port, record=False).start()
    server.set_mps(args.mps)
    print(f"PORT {server.port}", flush=True)
    sys.stdin.read()  # serve until the parent closes our stdin
    server.stop()


if __name__ == "__main__":
    main()
