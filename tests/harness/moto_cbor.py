"""moto answering the Smithy RPC v2 CBOR protocol, which it does not speak.

The aws provider (Go SDK v2) calls CloudWatch in rpc-v2-cbor: `POST
/service/GraniteServiceVersion20100801/operation/PutMetricAlarm`, a CBOR body, and a
`smithy-protocol: rpc-v2-cbor` header it requires on the answer. moto serves the same
operations in AWS JSON 1.0. `CborShim` sits in front of moto's WSGI app and converts each
such call both ways with botocore's own serializers and parsers, driven by the service
model, so timestamps (CBOR tag 1), blobs and errors (`__type`, `message`) are encoded as
AWS encodes them. Every other request reaches moto untouched.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable

import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape, ShapeResolver
from botocore.parsers import JSONParser, RpcV2CBORParser
from botocore.serialize import JSONSerializer, RpcV2CBORSerializer

PATH = re.compile(r"/service/([^/]+)/operation/([^/]+)")
SERVICES = ("cloudwatch",)  # the provider's rpc-v2-cbor services this project deploys

# What an rpc-v2-cbor error body holds (the Smithy spec): the code and a message.
ERROR_SHAPE = ShapeResolver(
    {
        "Error": {
            "type": "structure",
            "members": {"__type": {"shape": "String"}, "message": {"shape": "String"}},
        },
        "String": {"type": "string"},
    }
).get_shape_by_name("Error")

StartResponse = Callable[..., object]


class CborShim:
    """WSGI middleware: rpc-v2-cbor in and out, AWS JSON 1.0 to and from `app`."""

    def __init__(self, app: Callable, services: Iterable[str] = SERVICES) -> None:
        session = botocore.session.get_session()
        models: list[ServiceModel] = [session.get_service_model(name) for name in services]
        self._services = {model.metadata["targetPrefix"]: model for model in models}
        self._app = app

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        match = PATH.fullmatch(environ.get("PATH_INFO", ""))
        service = self._services.get(match[1]) if match else None
        if service is None or environ.get("HTTP_SMITHY_PROTOCOL") != "rpc-v2-cbor":
            return self._app(environ, start_response)
        operation = service.operation_model(match[2])
        length = int(environ.get("CONTENT_LENGTH") or 0)
        self._to_json(environ, operation, environ["wsgi.input"].read(length))

        answer: dict = {}

        def keep(status: str, headers: list, exc_info=None) -> Callable[[bytes], None]:
            answer.update(status=status, headers=headers)
            return lambda data: None  # moto returns its body; it never writes through this

        body = b"".join(self._app(environ, keep))
        code = int(answer["status"].split()[0])
        body = to_cbor(operation, code, body)
        headers = [
            (name, value)
            for name, value in answer["headers"]
            if name.lower() not in ("content-type", "content-length")
        ]
        headers += [
            ("smithy-protocol", "rpc-v2-cbor"),
            ("Content-Type", "application/cbor"),
            ("Content-Length", str(len(body))),
        ]
        start_response(answer["status"], headers)
        return [body]

    @staticmethod
    def _to_json(environ: dict, operation: OperationModel, cbor: bytes) -> None:
        """Rewrite the request in `environ` as the same call in AWS JSON 1.0."""
        params = {}
        if cbor and operation.input_shape is not None:
            params = parse(RpcV2CBORParser(), cbor, operation.input_shape)
        request = JSONSerializer().serialize_to_request(params, operation)
        body = request["body"] or b"{}"
        environ.pop("HTTP_SMITHY_PROTOCOL")
        environ.update(
            PATH_INFO="/",
            CONTENT_TYPE=request["headers"]["Content-Type"],
            CONTENT_LENGTH=str(len(body)),
            HTTP_X_AMZ_TARGET=request["headers"]["X-Amz-Target"],
        )
        environ["wsgi.input"] = io.BytesIO(body)


def parse(parser, body: bytes, shape: Shape) -> dict:
    parsed = parser.parse({"body": body, "headers": {}, "status_code": 200}, shape)
    parsed.pop("ResponseMetadata", None)
    return parsed


def to_cbor(operation: OperationModel, status: int, body: bytes) -> bytes:
    """moto's JSON 1.0 answer (or error) in rpc-v2-cbor."""
    encoder = RpcV2CBORSerializer()
    if status >= 300:
        error = json.loads(body or b"{}")
        fields = {
            "__type": error.get("__type"),
            "message": error.get("message", error.get("Message")),
        }
        return encoder._serialize_body_params(fields, ERROR_SHAPE)
    if operation.output_shape is None:
        return b""
    return encoder._serialize_body_params(
        parse(JSONParser(), body, operation.output_shape), operation.output_shape
    )
