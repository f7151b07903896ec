"""Plan tests of modules/two_way: the topic only End User Messaging may publish
to (for this account's numbers), the queue only that topic may deliver to, the
envelope-preserving subscription, the partial-batch event source mapping, the
inbound function's environment (the contract's names) and its role's exact
ARNs (tftest.yaml: default, full), and the input validations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness.api_gateway import as_list
from harness.terraform import flat, statements

ROOT = "tests/modules/two_way/fixture"
HERE = Path(__file__).parent
ACCOUNT = "123456789012"
REGION = "eu-west-1"
SMS = f"arn:aws:sms-voice:{REGION}:{ACCOUNT}"
TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT}:ajo-sms-test-sms-inbound"
QUEUE = f"arn:aws:sqs:{REGION}:{ACCOUNT}:ajo-sms-test-sms-inbound"
DLQ = f"{QUEUE}-dlq"
TABLE = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/ajo-sms-test-inbound"
STREAM = f"arn:aws:firehose:{REGION}:{ACCOUNT}:deliverystream/ajo-sms-test-sms-events"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0b7a1e3c-1111-2222-3333-444455556666"
SECRET_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/9c9c9c9c-1111-2222-3333-444455556666"
SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:ajo-webhook-AbCdEf"
IDENTITIES = [
    f"{SMS}:phone-number/phone-0123456789abcdef0123456789abcdef",
    f"{SMS}:configuration-set/ajo-sms-test",
]
M = "module.two_way"
FUNCTION = f"{M}.module.inbound_function.aws_lambda_function.this"
ROLE_POLICY = f"{M}.module.inbound_function.aws_iam_role_policy.this"

# Every variable of the inbound function's contract (BRIEF, functions/sms_inbound).
ALWAYS = {
    "INBOUND_TABLE", "SELF_MANAGED_OPT_OUTS", "OPT_OUT_KEYWORDS", "OPT_IN_KEYWORDS",
    "HELP_KEYWORDS", "CUSTOM_KEYWORDS", "OPT_OUT_REPLY", "OPT_IN_REPLY", "HELP_REPLY",
    "MAX_ATTEMPTS", "HTTP_TIMEOUT_SECONDS", "LOG_LEVEL", "OPT_OUT_LIST_NAME",
    "CONFIGURATION_SET_NAME",
}  # fmt: skip
OPTIONAL = {
    "AJO_INBOUND_WEBHOOK_URL", "AJO_INBOUND_WEBHOOK_SECRET_ARN", "AJO_INBOUND_WEBHOOK_HEADER",
    "EVENTS_STREAM_NAME",
}  # fmt: skip

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def default_plan(plan_case):
    return plan_case(HERE, "default")  # tftest.yaml checks it against default.yaml


@pytest.fixture(scope="module")
def full_plan(plan_case):
    return plan_case(HERE, "full")  # every option (full.tfvars), against full.yaml


def test_only_end_user_messaging_may_publish_for_this_accounts_numbers(default_plan):
    policy = statements(
        default_plan.values[f"{M}.module.topic.aws_sns_topic_policy.this"]["policy"]
    )
    assert set(policy) == {"SmsVoicePublishInbound"}
    publish = policy["SmsVoicePublishInbound"]
    assert publish["Effect"] == "Allow"
    assert publish["Principal"] == {"Service": "sms-voice.amazonaws.com"}
    assert publish["Action"] == "sns:Publish"
    assert publish["Resource"] == TOPIC
    assert publish["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT}
    assert sorted(as_list(publish["Condition"]["ArnLike"]["aws:SourceArn"])) == [
        f"{SMS}:phone-number/*",
        f"{SMS}:pool/*",
    ]


def test_only_the_topic_may_deliver_to_the_queue_and_only_over_tls(default_plan):
    queue = statements(
        default_plan.values[f'{M}.module.queue.aws_sqs_queue_policy.this["inbound"]']["policy"]
    )
    deliver = queue["TopicDelivers"]
    assert deliver["Principal"] == {"Service": "sns.amazonaws.com"}
    assert deliver["Action"] == "sqs:SendMessage"
    assert deliver["Resource"] == QUEUE
    assert deliver["Condition"] == {"ArnEquals": {"aws:SourceArn": TOPIC}}
    for address, arn in [('this["inbound"]', QUEUE), ("dlq", DLQ)]:
        policy = statements(
            default_plan.values[f"{M}.module.queue.aws_sqs_queue_policy.{address}"]["policy"]
        )
        deny = policy["DenyInsecureTransport"]
        assert deny["Effect"] == "Deny" and deny["Action"] == "sqs:*" and deny["Resource"] == arn
        assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    dlq = statements(default_plan.values[f"{M}.module.queue.aws_sqs_queue_policy.dlq"]["policy"])
    assert set(dlq) == {"DenyInsecureTransport"}  # nothing delivers to the DLQ but SQS


def test_default_environment_has_exactly_the_contract_keys(default_plan):
    env = default_plan.values[FUNCTION]["environment"][0]["variables"]
    assert set(env) == ALWAYS
    assert json.loads(env["OPT_OUT_KEYWORDS"])[0] == "STOP"


def test_full_environment_adds_the_webhook_and_the_stream(full_plan):
    env = full_plan.values[FUNCTION]["environment"][0]["variables"]
    assert set(env) == ALWAYS | OPTIONAL


def test_default_role_consumes_the_queue_and_keeps_progress_only(default_plan):
    by_sid = statements(default_plan.values[ROLE_POLICY]["policy"])
    assert set(by_sid) == {"WriteOwnLogs", "ConsumeQueue", "InboundRecords"}
    assert as_list(by_sid["ConsumeQueue"]["Resource"]) == [QUEUE]
    assert sorted(as_list(by_sid["ConsumeQueue"]["Action"])) == [
        "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
    ]  # fmt: skip
    assert as_list(by_sid["InboundRecords"]["Resource"]) == [TABLE]
    assert sorted(as_list(by_sid["InboundRecords"]["Action"])) == [
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
    ]  # fmt: skip


def test_full_role_is_scoped_to_exact_arns(full_plan):
    by_sid = statements(full_plan.values[ROLE_POLICY]["policy"])
    assert set(by_sid) == {
        "WriteOwnLogs", "DecryptEnvironment", "ConsumeQueue", "InboundRecords",
        "ManageOptOuts", "SendTextMessage", "ReadWebhookSecret", "WebhookSecretKey",
        "PutInboundEvents", "QueueAndTableKey",
    }  # fmt: skip
    opt_outs = by_sid["ManageOptOuts"]
    assert as_list(opt_outs["Resource"]) == [f"{SMS}:opt-out-list/ajo-sms-test"]
    assert sorted(as_list(opt_outs["Action"])) == [
        "sms-voice:DeleteOptedOutNumber", "sms-voice:PutOptedOutNumber",
    ]  # fmt: skip
    send = by_sid["SendTextMessage"]
    assert as_list(send["Action"]) == ["sms-voice:SendTextMessage"]
    assert sorted(as_list(send["Resource"])) == sorted(IDENTITIES)
    assert as_list(by_sid["ReadWebhookSecret"]["Resource"]) == [SECRET]
    assert as_list(by_sid["ReadWebhookSecret"]["Action"]) == ["secretsmanager:GetSecretValue"]
    secret_key = by_sid["WebhookSecretKey"]
    assert as_list(secret_key["Resource"]) == [SECRET_KEY]
    assert secret_key["Condition"] == {
        "StringEquals": {"kms:ViaService": f"secretsmanager.{REGION}.amazonaws.com"}
    }
    assert as_list(by_sid["PutInboundEvents"]["Resource"]) == [STREAM]
    assert as_list(by_sid["PutInboundEvents"]["Action"]) == ["firehose:PutRecord"]
    key = by_sid["QueueAndTableKey"]
    assert as_list(key["Resource"]) == [KEY]
    assert sorted(key["Condition"]["StringEquals"]["kms:ViaService"]) == [
        f"dynamodb.{REGION}.amazonaws.com",
        f"sqs.{REGION}.amazonaws.com",
    ]
    every = [r for s in by_sid.values() for r in as_list(s["Resource"])]
    assert not any(r == "*" or (r.endswith(":*") and "log-group" not in r) for r in every)


def test_the_function_runs_the_inbound_zip(default_plan):
    function = default_plan.values[FUNCTION]
    assert function["filename"].endswith("dist/sms_inbound.zip")
    assert function["architectures"] == ["arm64"]


WEBHOOK = "https://ajo.example.adobe.io/sms/inbound"
KEYWORD_SHAPE = "keywords must be 1-30 characters without spaces, not ending in . ! ? , ; or :"

# case -> (inputs, the validation message the plan must fail with)
INVALID = {
    "keyword-with-space": (
        {"keywords": {"custom": ["YES PLEASE"]}},
        f"{KEYWORD_SHAPE} (trailing punctuation is removed before matching, so such a keyword "
        'never matches): "YES PLEASE"',
    ),
    "keyword-too-long": ({"keywords": {"custom": ["Y" * 31]}}, KEYWORD_SHAPE),
    "keyword-trailing-punctuation": ({"keywords": {"custom": ["OK!"]}}, 'matches): "OK!"'),
    "keyword-empty": ({"keywords": {"custom": [""]}}, KEYWORD_SHAPE),
    "keyword-in-two-categories": (
        {"keywords": {"custom": ["stop"]}},
        "keywords must be unique across opt_out, opt_in, help and custom (case-insensitive)",
    ),
    "self-managed-without-opt-out-keywords": (
        {"keywords": {"opt_out": []}, "self_managed_opt_outs": "true"},
        "keywords.opt_out must not be empty with self-managed opt-outs",
    ),
    "reply-too-long": (
        {"replies": {"help": "x" * 1601}},
        "replies must be at most 1600 characters each",
    ),
    "webhook-http": (
        {"ajo_inbound_webhook": {"url": "http://ajo.example.com/in"}},
        "ajo_inbound_webhook.url must be an https:// URL",
    ),
    "webhook-secret-not-an-arn": (
        {"ajo_inbound_webhook": {"url": WEBHOOK, "secret_arn": "ajo-webhook"}},
        "ajo_inbound_webhook.secret_arn must be a Secrets Manager secret ARN",
    ),
    "webhook-secret-key-alias": (
        {"ajo_inbound_webhook": {"url": WEBHOOK, "secret_kms_key_arn": "alias/x"}},
        "ajo_inbound_webhook.secret_kms_key_arn must be a KMS key ARN",
    ),
    "webhook-header-with-space": (
        {"ajo_inbound_webhook": {"url": WEBHOOK, "header_name": "x secret"}},
        "ajo_inbound_webhook.header_name must be an HTTP header token",
    ),
    "self-managed-without-list": (
        {"opt_out_list_name": "", "self_managed_opt_outs": "true"},
        "opt_out_list_name is required when self_managed_opt_outs is true",
    ),
    "timeout-too-short": (
        {"function": {"timeout": 5}},
        "function.timeout must be a whole number of seconds, 10-900",
    ),
    "timeout-below-webhook-attempts": (
        {"function": {"timeout": 15}},
        "function.timeout must exceed function.max_attempts x function.http_timeout_seconds",
    ),
    "no-attempts": ({"function": {"max_attempts": 0}}, "function.max_attempts must be a whole"),
    "http-timeout-too-long": (
        {"function": {"http_timeout_seconds": 31, "timeout": 120}},
        "function.http_timeout_seconds must be 1-30 seconds",
    ),
    "no-concurrency": (
        {"function": {"reserved_concurrency": 0}},
        "function.reserved_concurrency must be null (unreserved) or a whole number >= 1",
    ),
    "log-level": ({"function": {"log_level": "TRACE"}}, "function.log_level must be DEBUG"),
    "max-receive-count": (
        {"queue": {"max_receive_count": 0}},
        "queue.max_receive_count must be a whole number, 1-1000",
    ),
    "batch-size": ({"queue": {"batch_size": 11}}, "queue.batch_size must be a whole number, 1-10"),
    "maximum-concurrency": (
        {"queue": {"maximum_concurrency": 1}},
        "queue.maximum_concurrency must be a whole number, 2-1000",
    ),
    "kms-alias": ({"kms_key_arn": "alias/aws/sns"}, "kms_key_arn must be a KMS key ARN"),
}


@pytest.mark.parametrize(("inputs", "message"), INVALID.values(), ids=INVALID.keys())
def test_bad_inputs_fail_at_plan_time(planned_root, inputs, message):
    assert message in flat(planned_root(ROOT).plan_error(**inputs))
