"""A loopback stand-in for Adobe: IMS's token endpoint and AEP's streaming
batch inlet, speaking their HTTP/JSON shapes. It keeps every message it
accepted, so tests can check that no event is lost and none is duplicated.

Behaviour is scripted:
  plan            list consumed one per batch request: an int status (answered
                  without accepting anything; 429 carries Retry-After), the
                  string "revoke" (all tokens revoked, then 401), one of
                  LOST_ANSWERS (the messages are stored, then the answer is
                  lost), or a callable (messages) -> int | None (None: answer
                  normally);
  message_status  callable(index_in_request, message) -> None (accept) or an
                  HTTP status for that one message (a 207 per-message failure);
  reject_tokens   answer 401 to every token (credentials revoked at Adobe).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import struct
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLIENT_ID = "test-client-id"
CLIENT_SECRET = "test-client-secret"
INLET_PATH = "/collection/batch/test-connection"
TOKEN_PATH = "/ims/token/v3"
# Faults after AEP stored the request's messages: the answer never arrives
# whole. "drop": the connection closes with no answer (FIN); "reset": it is
# reset (RST); "half": the status line and half the body, then closed;
# "timeout": the answer comes after the client gave up; "500": stored, then a
# 500; "207-missing": a 207 whose `responses` lacks the last entry.
LOST_ANSWERS = ("drop", "reset", "half", "timeout", "500", "207-missing")


class FakeAep:
    def __init__(self):
        self.lock = threading.Lock()
        self.plan: list = []
        self.message_status = None
        self.reject_tokens = False
        self.retry_after = "1"
        self.error_title = None  # the title of scripted error answers
        self.hang_seconds = 1.5  # "timeout": longer than the tests' HTTP timeout
        self.valid_tokens: set[str] = set()
        self.token_requests: list[dict] = []
        self.batch_requests: list[dict] = []  # {"headers": ..., "messages": [...]}
        self.accepted: list[dict] = []  # what AEP stored, once per time it stored it
        self._numbers = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle ------------------------------------------------------------

    def start(self) -> FakeAep:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def inlet_url(self) -> str:
        return self.base_url + INLET_PATH

    @property
    def token_url(self) -> str:
        return self.base_url + TOKEN_PATH

    # -- what the tests read ----------------------------------------------------

    def accepted_ids(self) -> list[str]:
        with self.lock:
            return [m["body"]["xdmEntity"]["_id"] for m in self.accepted]

    def posted_message_ids(self) -> list[list[str]]:
        """Per batch request: the XDM _id of every message it carried."""
        with self.lock:
            return [
                [m["body"]["xdmEntity"]["_id"] for m in r["messages"]] for r in self.batch_requests
            ]

    # -- protocol ---------------------------------------------------------------

    def _token(self, form: dict[str, str]) -> tuple[int, dict, dict]:
        with self.lock:
            self.token_requests.append(form)
            if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
                return 400, {"error": "invalid_client"}, {}
            token = f"token-{next(self._numbers)}"
            self.valid_tokens.add(token)
        return 200, {"access_token": token, "token_type": "bearer", "expires_in": 86399}, {}

    def _batch(self, headers: dict[str, str], payload: dict) -> tuple[int, dict, dict, str | None]:
        messages = payload.get("messages", [])
        with self.lock:
            self.batch_requests.append({"headers": headers, "messages": messages})
            token = headers.get("authorization", "").removeprefix("Bearer ")
            step = self.plan.pop(0) if self.plan else None
            if step == "revoke":
                self.valid_tokens.clear()
                step = None
            if self.reject_tokens or token not in self.valid_tokens:
                return 401, {"title": "Unauthorized"}, {}, None
            if callable(step):
                step = step(messages)
            if isinstance(step, int):
                extra = {"Retry-After": self.retry_after} if step == 429 else {}
                return step, {"title": self.error_title or f"scripted {step}"}, extra, None
            if step in LOST_ANSWERS:
                self.accepted.extend(messages)
                responses = [{"xactionId": f"x-{n}"} for n in range(len(messages))]
                if step == "500":
                    return 500, {"title": "Internal Server Error"}, {}, None
                if step == "207-missing":
                    return 207, {"responses": responses[:-1]}, {}, None
                return 200, {"responses": responses}, {}, step
            responses, failed = [], False
            for position, message in enumerate(messages):
                status = self.message_status(position, message) if self.message_status else None
                if status is None:
                    self.accepted.append(message)
                    responses.append({"xactionId": f"x-{len(self.accepted)}"})
                else:
                    failed = True
                    responses.append({"status": status, "message": f"scripted {status}"})
        body = {"inletId": "test-connection", "batchId": "b", "responses": responses}
        return (207 if failed else 200), body, {}, None

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                fault = None
                if self.path == TOKEN_PATH:
                    form = dict(urllib.parse.parse_qsl(raw.decode()))
                    status, body, extra = fake._token(form)
                elif self.path == INLET_PATH:
                    try:
                        payload = json.loads(raw)
                    except ValueError:
                        status, body, extra = 400, {"title": "Invalid JSON"}, {}
                    else:
                        status, body, extra, fault = fake._batch(headers, payload)
                else:
                    status, body, extra = 404, {"title": "Not Found"}, {}
                data = json.dumps(body).encode()
                if fault == "drop":
                    self.close_connection = True
                    return
                if fault == "reset":
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
                    self.connection.close()  # linger 0: close sends RST, not FIN
                    self.close_connection = True
                    return
                if fault == "timeout":
                    time.sleep(fake.hang_seconds)
                if fault == "half":
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data[: len(data) // 2])
                    self.close_connection = True
                    return
                with contextlib.suppress(OSError):  # "timeout": the client is gone
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in extra.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)

        return Handler
