"""End to end: apply the module to moto, re-plan, read back, exercise, destroy.

demo/ is the module with End User Messaging SMS in existing-resource mode
(moto has no pinpoint-sms-voice-v2); everything else is created for real on
moto, read back with boto3 and exercised from the deployed zips. Gaps are
listed in the README's testing section.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from harness.api_gateway import as_list
from harness.fake_webhook import FakeWebhook
from harness.iac import REPO, Deployment
from harness.invoke_zip import invoke
from harness.loopback_sms import LoopbackSmsApi
from harness.moto_server import FAKE_CREDENTIALS, moto_server
from harness.request_path import RequestPath, aws, deployed_function, drain_mapped_queues

from .moto_gaps import (
    KNOWN_GAPS,
    changed_attributes,
    sqs_drops_redrive_allow_policy,
    sqs_send_counts_a_receive_under_a_mapping,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
CONTRACT_SEND_VARIABLES = {
    "CONFIGURATION_SET_NAME", "DEFAULT_ORIGINATION_IDENTITY", "DEFAULT_COUNTRY",
    "DEFAULT_MESSAGE_TYPE", "IDEMPOTENCY_TABLE", "SMS_API", "PINPOINT_APPLICATION_ID",
    "UNKNOWN_OUTCOME",
    "DEFAULT_DELIVERY", "QUEUE_URL_TRANSACTIONAL", "QUEUE_URL_PROMOTIONAL", "DELIVERY_TABLE",
    "VALIDITY_SECONDS", "METRICS_NAMESPACE", "CHANNELS", "MEDIA_BUCKET", "DEFAULT_VOICE_ID",
    "WHATSAPP_PHONE_NUMBER_IDS", "WHATSAPP_META_API_VERSION", "WHATSAPP_MPS",
}  # fmt: skip
DISPATCH_VARIABLES = {
    "SMS_API", "CONFIGURATION_SET_NAME", "DELIVERY_TABLE", "MPS", "PROMOTIONAL_RESERVE",
    "MAX_ATTEMPTS", "QUEUE_URL_TRANSACTIONAL", "QUEUE_URL_PROMOTIONAL", "DLQ_URL",
    "EVENTS_STREAM_NAME", "UNKNOWN_OUTCOME", "DEFAULT_ORIGINATION_IDENTITY", "METRICS_NAMESPACE",
    "CHANNELS", "MEDIA_BUCKET", "DEFAULT_VOICE_ID",
    "WHATSAPP_PHONE_NUMBER_IDS", "WHATSAPP_META_API_VERSION", "WHATSAPP_MPS",
}  # fmt: skip


@pytest.fixture(scope="module")
def deployed():
    with moto_server() as url, LoopbackSmsApi() as sms:
        deployment = Deployment(REPO / "demo", url)
        try:
            deployment.init()
            deployment.apply()
            yield deployment, deployment.outputs()["module"], url, sms
        finally:
            deployment.destroy()
            leftovers = deployment.state_addresses()
            deployment.cleanup()
            assert leftovers == []
            # moto servers in one process share their backends: look at ours only.
            names = [
                *(f["FunctionName"] for f in aws("lambda", url).list_functions()["Functions"]),
                *(a["name"] for a in aws("apigateway", url).get_rest_apis()["items"]),
                *aws("dynamodb", url).list_tables()["TableNames"],
                *aws("firehose", url).list_delivery_streams()["DeliveryStreamNames"],
                *(b["Name"] for b in aws("s3", url).list_buckets()["Buckets"]),
                *(r["RoleName"] for r in aws("iam", url).list_roles()["Roles"]),
                *(q.rsplit("/", 1)[-1] for q in aws("sqs", url).list_queues().get("QueueUrls", [])),
                *(t["TopicArn"].split(":")[-1] for t in aws("sns", url).list_topics()["Topics"]),
            ]
            mappings = aws("lambda", url).list_event_source_mappings()["EventSourceMappings"]
            assert [m for m in mappings if ":function:ajo-sms-demo" in m["FunctionArn"]] == []
            assert [n for n in names if n.startswith("ajo-sms-demo")] == []


def role_of(url: str, function_name: str) -> str:
    """The name of a deployed function's role."""
    config = aws("lambda", url).get_function_configuration(FunctionName=function_name)
    return config["Role"].rsplit("/", 1)[-1]


def inline_statements(url: str, role: str) -> list[dict]:
    """Every statement of the role's inline policies."""
    iam = aws("iam", url)
    return [
        statement
        for name in iam.list_role_policies(RoleName=role)["PolicyNames"]
        for statement in iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"][
            "Statement"
        ]
    ]


def test_second_plan_changes_nothing_but_moto_gaps(deployed):
    deployment, *_ = deployed
    updates, other = changed_attributes(deployment.plan_json())
    assert other == [], "a second plan must not create, replace or destroy anything"
    assert updates <= set(KNOWN_GAPS), f"perpetual diff: {sorted(updates - set(KNOWN_GAPS))}"


def test_moto_still_invokes_mapped_functions_on_send():
    """If this fails, moto no longer receives a message on SendMessage to a queue with an
    event source mapping (its Docker-less invoke fails and puts the message back, one
    receive counted): drop the README's note on ApproximateReceiveCount."""
    with moto_server() as url:
        assert sqs_send_counts_a_receive_under_a_mapping(url)


def test_moto_still_drops_the_redrive_allow_policy():
    """If this fails, moto keeps RedriveAllowPolicy now: modules/delivery can give its DLQ
    one naming the two queues (and the README's gap row goes)."""
    with moto_server() as url:
        assert sqs_drops_redrive_allow_policy(url)


@pytest.mark.parametrize("gap", sorted(KNOWN_GAPS), ids="/".join)
def test_known_moto_gap_still_exists(gap):
    """If this fails, moto round-trips the attribute now: drop it from KNOWN_GAPS."""
    with moto_server() as url:
        assert KNOWN_GAPS[gap](url)


def test_authorizer_guards_post_with_the_header(deployed):
    _, outputs, url, _ = deployed
    gateway = aws("apigateway", url)
    api_id = outputs["api_rest_api_id"]
    (authorizer,) = gateway.get_authorizers(restApiId=api_id)["items"]
    assert authorizer["type"] == "TOKEN"
    assert authorizer["identitySource"] == f"method.request.header.{outputs['auth_header_name']}"
    resources = gateway.get_resources(restApiId=api_id)["items"]
    (sms,) = [r for r in resources if r.get("pathPart") == "sms"]
    method = gateway.get_method(restApiId=api_id, resourceId=sms["id"], httpMethod="POST")
    assert method["authorizationType"] == "CUSTOM"
    assert method["authorizerId"] == authorizer["id"]
    integration = method["methodIntegration"]
    assert integration["type"] == "AWS_PROXY"
    send = aws("lambda", url).get_function_configuration(FunctionName=outputs["send_function_name"])
    assert send["FunctionArn"] in integration["uri"]


def test_functions_environment_matches_the_contract(deployed):
    _, outputs, url, _ = deployed
    lam = aws("lambda", url)
    send = lam.get_function_configuration(FunctionName=outputs["send_function_name"])
    env = send["Environment"]["Variables"]
    assert set(env) <= CONTRACT_SEND_VARIABLES
    assert env["SMS_API"] == "v2"
    assert env["CONFIGURATION_SET_NAME"] == "ajo-sms-demo"
    assert env["IDEMPOTENCY_TABLE"] == outputs["idempotency_table_name"]
    assert env["DEFAULT_ORIGINATION_IDENTITY"].startswith("arn:aws:sms-voice:")
    authorizer = lam.get_function_configuration(FunctionName=outputs["authorizer_function_name"])
    assert (
        authorizer["Environment"]["Variables"]["API_KEY_SECRET_ARN"]
        == outputs["api_key_secret_arn"]
    )
    for function in (send, authorizer):
        role = aws("iam", url).get_role(RoleName=function["Role"].rsplit("/", 1)[-1])["Role"]
        principals = [s["Principal"] for s in role["AssumeRolePolicyDocument"]["Statement"]]
        assert principals == [{"Service": "lambda.amazonaws.com"}]


def test_events_reach_an_encrypted_private_bucket(deployed):
    _, outputs, url, _ = deployed
    stream = aws("firehose", url).describe_delivery_stream(
        DeliveryStreamName=outputs["events_firehose_stream_arn"].rsplit("/", 1)[-1]
    )["DeliveryStreamDescription"]
    (destination,) = stream["Destinations"]
    s3 = destination["ExtendedS3DestinationDescription"]
    bucket = outputs["events_bucket_name"]
    assert s3["BucketARN"] == f"arn:aws:s3:::{bucket}"
    assert s3["CompressionFormat"] == "GZIP"
    assert s3["Prefix"].startswith("events/")
    assert s3["ErrorOutputPrefix"]
    client = aws("s3", url)
    rules = client.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
    assert rules["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    block = client.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values())


def test_ajo_request_goes_through_once(deployed):
    _, outputs, url, sms = deployed
    path = RequestPath(outputs, url, sms.url)
    request = {
        "destinationNumber": "(415) 555-0100",
        "message": "Your code is 123456",
        "idempotencyKey": "e2e-1",
        "context": {"journeyId": "j-1"},
        "delivery": "direct",  # the demo's default is queued
    }
    first = path.call(request)
    again = path.call(request)

    assert first["statusCode"] == 200, first
    body = json.loads(first["body"])
    assert body["status"] == "SENT" and body["destinationNumber"] == "+14155550100"
    assert json.loads(again["body"])["idempotentReplay"] is True
    (call,) = [c for c in sms.sends() if c.body.get("Context") == {"journeyId": "j-1"}]
    assert call.body["ConfigurationSetName"] == "ajo-sms-demo"
    assert "+14155550100" not in first["logs"]  # logs mask numbers
    assert path.api_key not in first["logs"] + again["logs"]


def test_wrong_key_is_refused(deployed):
    _, outputs, url, sms = deployed
    path = RequestPath(outputs, url, sms.url)
    before = len(sms.sends())
    body = {"destinationNumber": "+14155550100", "message": "x", "delivery": "direct"}
    response = path.call(body, token="nope")
    assert response["statusCode"] == 401
    assert len(sms.sends()) == before


def test_api_key_is_in_secrets_manager_but_not_in_state(deployed):
    deployment, outputs, url, _ = deployed
    key = aws("secretsmanager", url).get_secret_value(SecretId=outputs["api_key_secret_arn"])[
        "SecretString"
    ]
    assert len(key) == 48 and key.isalnum()
    assert key not in deployment.run("state", "pull").stdout


def test_send_role_is_scoped_to_exact_arns(deployed):
    _, outputs, url, _ = deployed
    role = role_of(url, outputs["send_function_name"])
    statements = inline_statements(url, role)
    actions = {a for s in statements for a in as_list(s["Action"])}
    resources = {r for s in statements for r in as_list(s["Resource"])}
    assert "sms-voice:SendTextMessage" in actions
    assert "*" not in resources and not any(a.endswith(":*") for a in actions)
    assert any(r.endswith(":configuration-set/ajo-sms-demo") for r in resources)
    assert aws("iam", url).list_attached_role_policies(RoleName=role)["AttachedPolicies"] == []


def test_delivery_queues_are_encrypted_tls_only_with_redrive(deployed):
    _, outputs, url, _ = deployed
    sqs = aws("sqs", url)
    dlq_arn = outputs["delivery_dead_letter_queue_arn"]
    for queue_url in (
        outputs["delivery_transactional_queue_url"],
        outputs["delivery_promotional_queue_url"],
        outputs["delivery_dead_letter_queue_url"],
    ):
        attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])[
            "Attributes"
        ]
        assert attributes["SqsManagedSseEnabled"] == "true"
        (deny,) = json.loads(attributes["Policy"])["Statement"]
        assert deny["Effect"] == "Deny"
        assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        if queue_url != outputs["delivery_dead_letter_queue_url"]:
            redrive = json.loads(attributes["RedrivePolicy"])
            assert redrive == {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 10}
            assert attributes["VisibilityTimeout"] == "360"  # 6 x the dispatcher's 60 s


def test_dispatcher_is_mapped_to_both_queues(deployed):
    _, outputs, url, _ = deployed
    lam = aws("lambda", url)
    name = outputs["delivery_dispatch_function_name"]
    config = lam.get_function_configuration(FunctionName=name)
    assert config["Handler"] == "dispatcher.handler"
    send = lam.get_function_configuration(FunctionName=outputs["send_function_name"])
    assert config["CodeSha256"] == send["CodeSha256"]  # one zip, two entry points
    assert set(config["Environment"]["Variables"]) == DISPATCH_VARIABLES
    # By ARN: AWS takes a name or an ARN here, moto matches the ARN only.
    mappings = lam.list_event_source_mappings(FunctionName=config["FunctionArn"])
    mappings = mappings["EventSourceMappings"]
    sources = sorted(m["EventSourceArn"].rsplit(":", 1)[-1] for m in mappings)
    assert sources == ["ajo-sms-demo-sms-promotional", "ajo-sms-demo-sms-transactional"]
    for mapping in mappings:
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert mapping["ScalingConfig"] == {"MaximumConcurrency": 2}
        assert mapping["BatchSize"] == 10


def test_queued_request_is_accepted_then_dispatched_once(deployed):
    """accept -> queue -> dispatcher (deployed zip, deployed env) -> SMS API, exactly once."""
    _, outputs, url, sms = deployed
    path = RequestPath(outputs, url, sms.url)
    request = {
        "destinationNumber": "(415) 555-0123",
        "message": "Your order has shipped",
        "idempotencyKey": "e2e-queued-1",
        "context": {"journeyId": "j-queued"},
    }
    accepted = path.call(request)
    assert accepted["statusCode"] == 202, accepted
    body = json.loads(accepted["body"])
    assert body["status"] == "QUEUED" and body["destinationNumber"] == "+14155550123"
    tracking_id = body["trackingId"]
    assert not [c for c in sms.sends() if c.body.get("Context", {}).get("journeyId") == "j-queued"]

    assert path.dispatch() == 1
    (call,) = [c for c in sms.sends() if c.body.get("Context", {}).get("journeyId") == "j-queued"]
    assert call.body["DestinationPhoneNumber"] == "+14155550123"
    assert call.body["ConfigurationSetName"] == "ajo-sms-demo"
    assert tracking_id in call.body["Context"].values()  # carrier events join on it
    assert "+14155550123" not in path.dispatch_logs  # masked
    assert "Your order has shipped" not in path.dispatch_logs

    record = aws("dynamodb", url).get_item(
        TableName=outputs["delivery_table_name"], Key={"id": {"S": f"track#{tracking_id}"}}
    )["Item"]
    assert record["status"] == {"S": "SENT"}

    # AJO's retry: the same trackingId, now with the messageId; nothing sent again.
    replay = json.loads(path.call(request)["body"])
    assert replay["trackingId"] == tracking_id and replay["idempotentReplay"] is True
    assert replay["messageId"] == record["messageId"]["S"]
    assert path.dispatch() == 0
    calls = [c for c in sms.sends() if c.body.get("Context", {}).get("journeyId") == "j-queued"]
    assert len(calls) == 1


def test_mms_and_voice_go_through_the_same_endpoint(deployed):
    """demo/ turns both channels on: an MMS naming an image in the deployed media bucket,
    sent direct, and a voice message, queued and dispatched, each once through its own
    operation, with the deployed roles allowed to make exactly those calls."""
    _, outputs, url, sms = deployed
    path = RequestPath(outputs, url, sms.url)
    bucket = outputs["media_bucket"]["name"]
    # The bucket is TLS-only: moto enforces its policy on this plain-HTTP upload. (The
    # SMS API stand-in does not fetch media; End User Messaging would, over TLS.)
    with pytest.raises(ClientError) as refused:
        aws("s3", url).put_object(Bucket=bucket, Key="offers/fall.jpg", Body=b"jpeg")
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    media = f"s3://{bucket}/offers/fall.jpg"
    mms = {
        "channel": "MMS", "destinationNumber": "+14155550124", "message": "Your offer inside",
        "mediaUrls": [media], "idempotencyKey": "e2e-mms-1", "delivery": "direct",
    }  # fmt: skip
    first, again = path.call(mms), path.call(mms)
    assert first["statusCode"] == 200, first
    body = json.loads(first["body"])
    assert (body["status"], body["channel"]) == ("SENT", "MMS")
    assert json.loads(again["body"])["idempotentReplay"] is True
    (call,) = [
        c for c in sms.sends("v2", operation="SendMediaMessage") if c.destination == "+14155550124"
    ]
    assert call.body["MediaUrls"] == [media]
    assert call.body["ConfigurationSetName"] == "ajo-sms-demo"
    assert "+14155550124" not in first["logs"] and "Your offer inside" not in first["logs"]

    voice = {
        "channel": "VOICE", "destinationNumber": "+14155550125", "message": "Your code is 1 2 3",
        "voiceId": "joanna", "idempotencyKey": "e2e-voice-1",
    }  # fmt: skip
    accepted = path.call(voice)
    assert accepted["statusCode"] == 202, accepted
    assert path.dispatch() == 1
    (call,) = [
        c for c in sms.sends("v2", operation="SendVoiceMessage") if c.destination == "+14155550125"
    ]
    assert call.body["VoiceId"] == "JOANNA" and call.body["MessageBody"] == "Your code is 1 2 3"
    assert "Your code is 1 2 3" not in path.dispatch_logs
    assert path.dispatch() == 0

    for name in (outputs["send_function_name"], outputs["delivery_dispatch_function_name"]):
        statements = inline_statements(url, role_of(url, name))
        actions = {a for s in statements for a in as_list(s["Action"])}
        assert {
            "sms-voice:SendMediaMessage",
            "sms-voice:SendVoiceMessage",
            "s3:GetObject",
        } <= actions
        (read,) = [s for s in statements if "s3:GetObject" in as_list(s["Action"])]
        assert as_list(read["Resource"]) == [f"{outputs['media_bucket']['arn']}/*"]


def test_whatsapp_goes_through_the_same_endpoint_and_its_events_reach_the_export(deployed):
    """demo/ turns WhatsApp on: a template sent direct and a text queued, each once through
    SendWhatsAppMessage from the deployment's number, by roles that may send from exactly
    it; the events topic End User Messaging Social publishes to is encrypted with its own
    key and subscribed, raw, to the export's WhatsApp stream."""
    _, outputs, url, sms = deployed
    path = RequestPath(outputs, url, sms.url)
    number_id = "phone-number-id-0123456789abcdef0123456789abcdef"
    template = {
        "channel": "WHATSAPP", "destinationNumber": "+14155550126",
        "templateName": "order_update", "templateLanguage": "en_US",
        "templateParameters": ["A-1042"], "idempotencyKey": "e2e-wa-1", "delivery": "direct",
    }  # fmt: skip
    first, again = path.call(template), path.call(template)
    assert first["statusCode"] == 200, first
    assert json.loads(first["body"])["channel"] == "WHATSAPP"
    assert json.loads(again["body"])["idempotentReplay"] is True
    (call,) = [c for c in sms.sends("social") if c.destination == "+14155550126"]
    assert call.body["originationPhoneNumberId"] == number_id
    assert call.whatsapp["template"]["name"] == "order_update"
    assert "+14155550126" not in first["logs"] and "A-1042" not in first["logs"]

    text = {"channel": "whatsapp", "destinationNumber": "+14155550127", "message": "Table ready"}
    assert path.call(text)["statusCode"] == 202
    assert path.dispatch() == 1
    (call,) = [c for c in sms.sends("social") if c.destination == "+14155550127"]
    assert call.whatsapp["text"]["body"] == "Table ready"
    assert "Table ready" not in path.dispatch_logs

    region, account = "us-east-1", "123456789012"
    number_arn = f"arn:aws:social-messaging:{region}:{account}:phone-number-id/{number_id[16:]}"
    for name in (outputs["send_function_name"], outputs["delivery_dispatch_function_name"]):
        statements = inline_statements(url, role_of(url, name))
        (send,) = [
            s for s in statements if "social-messaging:SendWhatsAppMessage" in as_list(s["Action"])
        ]
        assert as_list(send["Action"]) == ["social-messaging:SendWhatsAppMessage"]
        assert as_list(send["Resource"]) == [number_arn]

    topic = outputs["whatsapp_event_topic_arn"]
    sns = aws("sns", url)
    attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    key = aws("kms", url).describe_key(KeyId=attributes["KmsMasterKeyId"])["KeyMetadata"]
    assert key["KeyState"] == "Enabled"
    (publish,) = json.loads(attributes["Policy"])["Statement"]
    assert publish["Principal"] == {"Service": "social-messaging.amazonaws.com"}
    (subscription,) = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert subscription["Protocol"] == "firehose"
    stream = aws("firehose", url).describe_delivery_stream(
        DeliveryStreamName=subscription["Endpoint"].rsplit("/", 1)[-1]
    )["DeliveryStreamDescription"]
    (destination,) = stream["Destinations"]
    assert destination["ExtendedS3DestinationDescription"]["Prefix"].startswith("whatsapp-events/")
    subscribed = sns.get_subscription_attributes(SubscriptionArn=subscription["SubscriptionArn"])
    assert subscribed["Attributes"]["RawMessageDelivery"] == "true"


def test_dispatch_role_is_scoped_to_exact_arns(deployed):
    _, outputs, url, _ = deployed
    role = role_of(url, outputs["delivery_dispatch_function_name"])
    statements = {s["Sid"]: s for s in inline_statements(url, role)}
    assert as_list(statements["DeadLetter"]["Resource"]) == [
        outputs["delivery_dead_letter_queue_arn"]
    ]
    assert as_list(statements["PutOutcomes"]["Resource"]) == [outputs["events_firehose_stream_arn"]]
    queues = sorted(as_list(statements["ConsumeAndRequeue"]["Resource"]))
    assert [q.rsplit(":", 1)[-1] for q in queues] == [
        "ajo-sms-demo-sms-promotional", "ajo-sms-demo-sms-transactional",
    ]  # fmt: skip
    resources = {r for s in statements.values() for r in as_list(s["Resource"])}
    assert "*" not in resources


def test_inbound_stop_reaches_ajo_once_and_opts_the_number_out(deployed):
    """An inbound STOP published to the deployed topic (moto fans it out to the inbound
    queue) -> the deployed sms_inbound zip with its deployed environment, the SMS API and
    AJO's webhook pointed at loopback stand-ins -> the webhook gets it once, the number
    is on the opt-out list (self-managed), and a later send to it answers 409."""
    _, outputs, url, sms = deployed
    two_way = outputs["two_way"]
    package = REPO / "dist" / "sms_inbound.zip"
    env = {
        **deployed_function(two_way["function_name"], url, package),
        **FAKE_CREDENTIALS,
        "AWS_ENDPOINT_URL_DYNAMODB": url,
        "AWS_ENDPOINT_URL_FIREHOSE": url,
        "AWS_ENDPOINT_URL_SECRETS_MANAGER": url,
        "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2": sms.url,
    }
    assert env["SELF_MANAGED_OPT_OUTS"] == "true"
    sms.add_opt_out_list(env["OPT_OUT_LIST_NAME"])
    sender, inbound_id = "+14155550177", "e2e-inbound-stop-1"
    message = json.dumps({
        "originationNumber": sender, "destinationNumber": "+18885550100",
        "messageKeyword": "STOP", "messageBody": "Stop.", "inboundMessageId": inbound_id,
        "previousPublishedMessageId": "e2e-outbound-1",
    })  # fmt: skip
    topic = aws("sns", url)
    logs = []

    def run(event, _context):
        outcome = invoke(package, event, env)
        logs.append(outcome["logs"])
        if "error" in outcome:
            raise RuntimeError(f"sms_inbound raised: {outcome['error']}\n{outcome['logs']}")
        return outcome["result"]

    with FakeWebhook() as webhook:
        env["AJO_INBOUND_WEBHOOK_URL"] = webhook.url  # AJO's generated URL, here loopback
        # SNS delivers at least once: the same message twice, one after the other
        # (two copies at once rely on DynamoDB's atomic conditional writes, which
        # moto's are not under concurrency).
        for _ in range(2):
            topic.publish(TopicArn=two_way["topic_arn"], Message=message)
            assert drain_mapped_queues(url, two_way["function_name"], run) == 1
        assert webhook.received_values("RequestID") == [inbound_id]
        (body,) = webhook.received
    assert body["InboundMessage"] == "Stop." and body["ProfileNumber"] == sender
    assert body["KeywordCategory"] == "OPT_OUT"
    assert sender in sms.opt_out_lists[env["OPT_OUT_LIST_NAME"]]
    (reply,) = [c for c in sms.sends("v2") if c.destination == sender and "MessageBody" in c.body]
    assert reply.body["MessageBody"] == env["OPT_OUT_REPLY"]
    assert sender not in "".join(logs) and "Stop." not in "".join(logs)

    answer = RequestPath(outputs, url, sms.url).call(
        {"destinationNumber": sender, "message": "Your order shipped", "delivery": "direct"}
    )
    assert answer["statusCode"] == 409, answer
    assert json.loads(answer["body"])["error"]["code"] == "DESTINATION_OPTED_OUT"


def test_alarms_and_dashboard_watch_the_deployed_resources(deployed):
    """operations is on by default: every alarm reads back from CloudWatch (through
    harness/moto_cbor.py, as the provider speaks rpc-v2-cbor) with its actions on the
    module's encrypted topic, and names a resource this deployment has."""
    _, outputs, url, _ = deployed
    cloudwatch = aws("cloudwatch", url)
    names = outputs["operations_alarm_names"]
    alarms = {
        a["AlarmName"]: a
        for a in cloudwatch.describe_alarms(AlarmNames=names, MaxRecords=100)["MetricAlarms"]
    }
    assert sorted(alarms) == sorted(names) and len(names) >= 10
    topic = outputs["operations_alarm_topic_arn"]
    for alarm in alarms.values():
        assert alarm["AlarmActions"] == [topic] and alarm["OKActions"] == [topic]
    functions = {
        outputs["send_function_name"], outputs["authorizer_function_name"],
        outputs["delivery_dispatch_function_name"], outputs["two_way"]["function_name"],
    }  # fmt: skip
    watched = {
        d["Value"]
        for a in alarms.values()
        for d in a.get("Dimensions", [])
        if d["Name"] == "FunctionName" and a.get("Namespace") == "AWS/Lambda"
    }
    assert watched == functions
    queues = {
        d["Value"]
        for a in alarms.values()
        for d in a.get("Dimensions", [])
        if d["Name"] == "QueueName"
    }
    dlq = outputs["delivery_dead_letter_queue_url"].rsplit("/", 1)[-1]
    inbound_dlq = outputs["two_way"]["dead_letter_queue_url"].rsplit("/", 1)[-1]
    assert {dlq, inbound_dlq} <= queues
    attributes = aws("sns", url).get_topic_attributes(TopicArn=topic)["Attributes"]
    assert attributes["KmsMasterKeyId"].startswith("arn:aws:kms:")
    policy = json.loads(attributes["Policy"])
    principals = [
        s["Principal"] for s in policy["Statement"] if s["Sid"] == "CloudWatchAlarmsPublish"
    ]
    assert principals == [{"Service": "cloudwatch.amazonaws.com"}]
    dashboard = cloudwatch.get_dashboard(DashboardName=outputs["operations_dashboard_name"])
    widgets = json.loads(dashboard["DashboardBody"])["widgets"]
    assert len(widgets) >= 6
    assert outputs["send_function_name"] in dashboard["DashboardBody"]
