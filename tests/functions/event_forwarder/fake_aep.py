"""A loopback stand-in for Adobe: IMS's token endpoint and AEP's streaming
batch inlet, speaking their HTTP/JSON shapes. It keeps every message it
accepted, so tests can check that no event is lost and none is duplicated.

Behaviour is scripted:
  plan            list consumed one per batch request: an int status (answered
                  without accepting anything; 429 carries Retry-After), the
                  string "revoke" (all tokens revoked, then 401), or a callable
                  (messages) -> int | None (None: answer normally);
  message_status  callable(index_in_request, message) -> None (accept) or an
                  HTTP status for that one message (a 207 per-message failure);
  reject_tokens   answer 401 to every token (credentials revoked at Adobe).
"""

from __future__ import annotations

import itertools
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLIENT_ID = "test-client-id"
CLIENT_SECRET = "test-client-secret"
INLET_PATH = "/collection/batch/test-connection"
TOKEN_PATH = "/ims/token/v3"


class FakeAep:
    def __init__(self):
        self.lock = threading.Lock()
        self.plan: list = []
        self.message_status = None
        self.reject_tokens = False
        self.retry_after = "1"
        self.valid_tokens: set[str] = set()
        self.token_requests: list[dict] = []
        self.batch_requests: list[dict] = []  # {"headers": ..., "messages": [...]}
        self.accepted: list[dict] = []
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

    def _batch(self, headers: dict[str, str], payload: dict) -> tuple[int, dict, dict]:
        messages = payload.get("messages", [])
        with self.lock:
            self.batch_requests.append({"headers": headers, "messages": messages})
            token = headers.get("authorization", "").removeprefix("Bearer ")
            step = self.plan.pop(0) if self.plan else None
            if step == "revoke":
                self.valid_tokens.clear()
                step = None
            if self.reject_tokens or token not in self.valid_tokens:
                return 401, {"title": "Unauthorized"}, {}
            if callable(step):
                step = step(messages)
            if isinstance(step, int):
                extra = {"Retry-After": self.retry_after} if step == 429 else {}
                return step, {"title": f"scripted {step}"}, extra
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
        return (207 if failed else 200), body, {}

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                if self.path == TOKEN_PATH:
                    form = dict(urllib.parse.parse_qsl(raw.decode()))
                    status, body, extra = fake._token(form)
                elif self.path == INLET_PATH:
                    try:
                        payload = json.loads(raw)
                    except ValueError:
                        status, body, extra = 400, {"title": "Invalid JSON"}, {}
                    else:
                        status, body, extra = fake._batch(headers, payload)
                else:
                    status, body, extra = 404, {"title": "Not Found"}, {}
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler
