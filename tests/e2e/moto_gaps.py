"""What moto does not round-trip, each with a probe that shows it.

After an apply to moto, a second plan may only show these attributes, which
AWS returns and moto drops. Each probe makes the same call the provider
makes and returns True while moto still drops the value; when a moto
upgrade fixes one, its probe test fails and the gap must come off the list
(and out of the README's testing section).
"""

from __future__ import annotations

import io
import json
import zipfile

from harness.request_path import aws

AUTHORIZER_URI = (
    "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
    "arn:aws:lambda:us-east-1:123456789012:function:probe/invocations"
)


def authorizer_drops_validation_expression(url: str) -> bool:
    gateway = aws("apigateway", url)
    api = gateway.create_rest_api(name="probe")["id"]
    created = gateway.create_authorizer(
        restApiId=api, name="probe", type="TOKEN", authorizerUri=AUTHORIZER_URI,
        identitySource="method.request.header.x-api-key", identityValidationExpression="^.+$",
    )  # fmt: skip
    read = gateway.get_authorizer(restApiId=api, authorizerId=created["id"])
    return "identityValidationExpression" not in read


def lambda_drops_logging_config(url: str) -> bool:
    role = aws("iam", url).create_role(RoleName="probe", AssumeRolePolicyDocument="{}")["Role"]
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
    client = aws("lambda", url)
    client.create_function(
        FunctionName="probe", Runtime="python3.13", Role=role["Arn"], Handler="handler.handler",
        Code={"ZipFile": package.getvalue()},
        LoggingConfig={"LogFormat": "JSON", "LogGroup": "/aws/lambda/probe"},
    )  # fmt: skip
    return "LoggingConfig" not in client.get_function_configuration(FunctionName="probe")


def s3_drops_tags_given_on_create(url: str) -> bool:
    client = aws("s3", url)
    client.create_bucket(
        Bucket="probe-tags", CreateBucketConfiguration={"Tags": [{"Key": "k", "Value": "v"}]}
    )
    try:
        return client.get_bucket_tagging(Bucket="probe-tags")["TagSet"] == []
    except client.exceptions.ClientError as error:
        return error.response["Error"]["Code"] == "NoSuchTagSet"


def sqs_send_counts_a_receive_under_a_mapping(url: str) -> bool:
    """moto invokes a mapped function on SendMessage; without Docker the invoke fails
    and the message is put back, one receive counted."""
    role = aws("iam", url).create_role(RoleName="probe-esm", AssumeRolePolicyDocument="{}")
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return {}\n")
    aws("lambda", url).create_function(
        FunctionName="probe-esm", Runtime="python3.13", Role=role["Role"]["Arn"],
        Handler="handler.handler", Code={"ZipFile": package.getvalue()},
    )  # fmt: skip
    sqs = aws("sqs", url)
    queue = sqs.create_queue(QueueName="probe-esm")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]
    aws("lambda", url).create_event_source_mapping(
        EventSourceArn=arn["QueueArn"], FunctionName="probe-esm", BatchSize=10
    )
    sqs.send_message(QueueUrl=queue, MessageBody="probe")
    (message,) = sqs.receive_message(QueueUrl=queue, AttributeNames=["All"])["Messages"]
    return message["Attributes"]["ApproximateReceiveCount"] == "2"


def sqs_drops_redrive_allow_policy(url: str) -> bool:
    """Why modules/delivery sets no redrive-allow policy on its DLQ (modules/delivery/queues.tf)."""
    sqs = aws("sqs", url)
    queue = sqs.create_queue(QueueName="probe-dlq")["QueueUrl"]
    policy = '{"redrivePermission":"denyAll"}'
    sqs.set_queue_attributes(QueueUrl=queue, Attributes={"RedriveAllowPolicy": policy})
    return (
        "RedriveAllowPolicy"
        not in sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    )


def sqs_reserialises_redrive_policy(url: str) -> bool:
    """moto answers RedrivePolicy re-serialised (spaces after separators), not as set."""
    sqs = aws("sqs", url)
    dlq = sqs.create_queue(QueueName="probe-redrive-dlq")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]
    target = {"deadLetterTargetArn": arn["QueueArn"], "maxReceiveCount": 10}
    policy = json.dumps(target, separators=(",", ":"))  # as the provider sends it
    queue = sqs.create_queue(QueueName="probe-redrive", Attributes={"RedrivePolicy": policy})
    read = sqs.get_queue_attributes(QueueUrl=queue["QueueUrl"], AttributeNames=["RedrivePolicy"])
    return read["Attributes"]["RedrivePolicy"] != policy


# (resource type, attribute the second plan changes) -> probe
KNOWN_GAPS = {
    ("aws_api_gateway_authorizer", "identity_validation_expression"): (
        authorizer_drops_validation_expression
    ),
    ("aws_lambda_function", "logging_config"): lambda_drops_logging_config,
    ("aws_s3_bucket", "tags"): s3_drops_tags_given_on_create,
    ("aws_s3_bucket", "tags_all"): s3_drops_tags_given_on_create,
    ("aws_sqs_queue", "redrive_policy"): sqs_reserialises_redrive_policy,
}


def changed_attributes(plan: dict) -> tuple[set[tuple[str, str]], list[str]]:
    """(type, attribute) pairs updated in place, and addresses otherwise changed."""
    updates, other = set(), []
    for change in plan.get("resource_changes", []):
        actions = change["change"]["actions"]
        if actions in (["no-op"], ["read"]):
            continue
        if actions != ["update"]:
            other.append(f"{change['address']} {actions}")
            continue
        before, after = change["change"]["before"] or {}, change["change"]["after"] or {}
        for key in set(before) | set(after):
            if before.get(key) != after.get(key):
                updates.add((change["type"], key))
    return updates, other
