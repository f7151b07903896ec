"""Push AJO-shaped requests through a deployed module, function by function.

API Gateway on moto cannot invoke Lambda (that needs Docker), so the path is
walked the way API Gateway walks it: the TOKEN authorizer runs from its
deployed zip with its deployed environment, its policy is checked against
the method ARN, then the send function runs from its zip with a REST proxy
event. Queued requests go on the same way Lambda's SQS event source mappings
take them: the deployed mappings' queues, batch size and maximum concurrency
drive the dispatcher from the same zip (harness/sqs_event_source.py). Lambda
configuration, the API key and the API's shape are all read back from the
local AWS endpoint, not from this repository.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid

import boto3
from harness import REPO
from harness.api_gateway import policy_allows, proxy_event, token_event
from harness.invoke_zip import invoke
from harness.moto_server import FAKE_CREDENTIALS
from harness.sqs_event_source import EventSource


def aws(service: str, endpoint_url: str):
    return boto3.client(
        service,
        endpoint_url=endpoint_url,
        region_name=FAKE_CREDENTIALS["AWS_REGION"],
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def deployed_function(name: str, endpoint_url: str, package) -> dict[str, str]:
    """The function's environment as deployed, after checking its code is `package`."""
    config = aws("lambda", endpoint_url).get_function_configuration(FunctionName=name)
    digest = base64.b64encode(hashlib.sha256(package.read_bytes()).digest()).decode()
    if config["CodeSha256"] != digest:
        raise AssertionError(f"{name} runs code other than {package}")
    return config.get("Environment", {}).get("Variables", {})


def method_arn(outputs: dict, endpoint_url: str) -> str:
    api_id = outputs["api_rest_api_id"]
    stage = outputs["api_stage_name"]
    path = outputs["api_endpoint_url"].rstrip("/").rsplit("/", 1)[-1]
    return f"arn:aws:execute-api:us-east-1:123456789012:{api_id}/{stage}/POST/{path}"


class RequestPath:
    """The deployed authorizer and send function, runnable one request at a time."""

    def __init__(self, outputs: dict, endpoint_url: str, sms_url: str):
        self.outputs = outputs
        self.arn = method_arn(outputs, endpoint_url)
        self.header = outputs["auth_header_name"]
        self.authorizer_zip = REPO / "dist" / "authorizer.zip"
        self.send_zip = REPO / "dist" / "sms_send.zip"
        local = dict(FAKE_CREDENTIALS)
        authorizer_name = outputs["authorizer_function_name"]
        self.authorizer_env = {
            **deployed_function(authorizer_name, endpoint_url, self.authorizer_zip),
            **local,
            "AWS_ENDPOINT_URL_SECRETS_MANAGER": endpoint_url,
        }
        self.send_env = {
            **deployed_function(outputs["send_function_name"], endpoint_url, self.send_zip),
            **local,
            "AWS_ENDPOINT_URL_DYNAMODB": endpoint_url,
            "AWS_ENDPOINT_URL_SQS": endpoint_url,
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms_url,
            "AWS_ENDPOINT_URL_PINPOINT": sms_url,
            "AWS_ENDPOINT_URL_SOCIALMESSAGING": sms_url,
        }
        self.endpoint_url = endpoint_url
        self.dispatch_name = outputs.get("delivery_dispatch_function_name")
        if self.dispatch_name:  # queued delivery deployed
            self.dispatch_env = {
                **deployed_function(self.dispatch_name, endpoint_url, self.send_zip),
                **self.send_env,
                "AWS_ENDPOINT_URL_FIREHOSE": endpoint_url,
            }
        self.api_key = aws("secretsmanager", endpoint_url).get_secret_value(
            SecretId=outputs["api_key_secret_arn"]
        )["SecretString"]

    def authorize(self, token: str | None) -> dict:
        return invoke(self.authorizer_zip, token_event(token or "", self.arn), self.authorizer_env)

    def call(self, body: dict, token: str | None = None) -> dict:
        """One AJO call, answered as API Gateway answers for the authorizer's outcome
        (modules/api/responses.tf): "Unauthorized" -> 401, any other failure -> 503 RETRY
        (AUTHORIZER_FAILURE), a policy that does not allow -> 403; else the send's answer."""
        token = self.api_key if token is None else token
        auth = self.authorize(token)
        if auth.get("error") == "Unauthorized":
            return {"statusCode": 401, "body": json.dumps({"message": "Unauthorized"})}
        if "error" in auth:
            error = {"code": "UPSTREAM_UNAVAILABLE", "message": "The API key could not be checked"}
            return {"statusCode": 503, "body": json.dumps({"status": "RETRY", "error": error})}
        if not policy_allows(auth["result"], self.arn):
            return {"statusCode": 403, "body": json.dumps({"message": "Forbidden"})}
        api_id, stage = self.arn.split(":")[5].split("/")[:2]
        request_id = str(uuid.uuid4())
        event = proxy_event(
            body, headers={self.header: token}, apiId=api_id, stage=stage, requestId=request_id
        )
        outcome = invoke(self.send_zip, event, self.send_env)
        if "error" in outcome:
            raise RuntimeError(f"send function raised: {outcome['error']}\n{outcome['logs']}")
        return {**outcome["result"], "logs": outcome["logs"]}

    def dispatch(self) -> int:
        """Drain every queue of the dispatcher's event source mappings once; returns
        the records received. Raises if an invocation of the dispatcher raised."""
        return drain_mapped_queues(self.endpoint_url, self.dispatch_name, self._run_dispatcher)

    def _run_dispatcher(self, event: dict, _context) -> dict:
        outcome = invoke(self.send_zip, event, self.dispatch_env, handler="dispatcher.handler")
        self.dispatch_logs = outcome["logs"]
        if "error" in outcome:
            raise RuntimeError(f"dispatcher raised: {outcome['error']}\n{outcome['logs']}")
        return outcome["result"]


def drain_mapped_queues(endpoint_url: str, function_name: str, run) -> int:
    """Play the function's enabled SQS event source mappings until their queues are
    empty, invoking `run(event, context)` as Lambda would (batch size, maximum
    concurrency, timeout from the deployed configuration); returns the records
    received. Raises if an invocation raised."""
    lam, sqs = aws("lambda", endpoint_url), aws("sqs", endpoint_url)
    config = lam.get_function_configuration(FunctionName=function_name)
    # By ARN: AWS takes a name or an ARN here, moto matches the ARN only.
    mappings = lam.list_event_source_mappings(FunctionName=config["FunctionArn"])
    received = 0
    for mapping in mappings["EventSourceMappings"]:
        if mapping["State"] != "Enabled":
            continue
        queue = sqs.get_queue_url(QueueName=mapping["EventSourceArn"].rsplit(":", 1)[-1])
        source = EventSource(
            sqs,
            queue["QueueUrl"],
            run,
            batch_size=mapping["BatchSize"],
            maximum_concurrency=(mapping.get("ScalingConfig") or {}).get("MaximumConcurrency", 2),
            function_timeout=config["Timeout"],
            wait_seconds=0,
        )
        while count := source.poll_once():
            received += count
        if source.errors:
            raise RuntimeError(f"{function_name} raised on {mapping['EventSourceArn']}")
    return received
