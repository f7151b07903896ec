"""A loopback stand-in for an AJO SMS webhook (Inbound or Feedback): HTTPS in
production, JSON POSTs to the URL AJO generated, an optional secret header.

It keeps every body it took, so tests can count sent, received, duplicated and
lost messages. Behaviour is scripted with `plan`, consumed one step per request:
  an int           answer that status without taking the body (429/503 carry
                   Retry-After);
  "slow"           take it, answer 200 after `slow_seconds` (inside the client's
                   timeout);
  one of LOST_ANSWERS
                   take it, then lose the answer: "drop" closes the connection
                   (FIN), "reset" resets it (RST), "timeout" answers after the
                   client gave up (`hang_seconds`), "500" answers 500 after
                   taking it (a webhook that failed after storing);
  a callable       (body) -> a step or None (answer normally).
With `secret` set, a request without `header: secret` is answered 401, untaken.
A refused connection is a closed port: `closed_port_url()`.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = "/webhooks/sms/0f1e2d3c"  # AJO generates the URL; any path works
LOST_ANSWERS = ("drop", "reset", "timeout", "500")


class FakeWebhook:
    def __init__(self, secret: str | None = None, header: str = "x-ajo-webhook-secret"):
        self.lock = threading.Lock()
        self.plan: list = []
        self.secret = secret
        self.header = header.lower()
        self.slow_seconds = 0.3
        self.hang_seconds = 1.5  # longer than the tests' HTTP timeout
        self.requests: list[dict] = []  # {"headers": ..., "body": ...} per POST
        self.received: list[dict] = []  # bodies taken, once per time taken
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> FakeWebhook:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeWebhook:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{PATH}"

    def received_values(self, field: str) -> list:
        """`field` of every body taken, in arrival order (duplicates kept)."""
        with self.lock:
            return [body.get(field) for body in self.received]

    def _answer(self, headers: dict[str, str], raw: bytes) -> tuple[int, str | None]:
        try:
            body = json.loads(raw)
        except ValueError:
            return 400, None
        with self.lock:
            self.requests.append({"headers": headers, "body": body})
            if self.secret is not None and headers.get(self.header) != self.secret:
                return 401, None
            step = self.plan.pop(0) if self.plan else None
            if callable(step):
                step = step(body)
            if isinstance(step, int):
                return step, None
            self.received.append(body)
        return 200, step

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, fault = fake._answer(headers, self.rfile.read(length))
                if fault == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if fault == "reset":
                    linger = struct.pack("ii", 1, 0)  # close() sends RST, not FIN
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                    self.rfile.close()
                    self.connection.close()
                    self.close_connection = True
                    return
                if fault == "timeout":
                    time.sleep(fake.hang_seconds)
                elif fault == "slow":
                    time.sleep(fake.slow_seconds)
                elif fault == "500":
                    status = 500
                data = json.dumps({"status": status}).encode()
                with contextlib.suppress(OSError):  # "timeout": the client is gone
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    if status in (429, 503):
                        self.send_header("Retry-After", "0")
                    self.end_headers()
                    self.wfile.write(data)

        return Handler


def closed_port_url() -> str:
    """A loopback URL nothing listens on: the connection is refused, nothing sent."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{PATH}"
