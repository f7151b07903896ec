"""Plan tests of modules/operations: every alarm's metric, namespace,
dimensions (the fixture's resources), threshold and actions (tftest.yaml:
default, all_off, custom_topic, topic_key, athena),
the rate alarms' metric math, the topic's and key's policies, the dashboard's
widgets, the Athena reports and the input validations."""

from __future__ import annotations

import json
from pathlib import Path

import hcl2
import pytest
from harness.api_gateway import as_list
from harness.terraform import flat, statements

ROOT = "tests/modules/operations/fixture"
HERE = Path(__file__).parent
ACCOUNT = "123456789012"
TOPIC = f"arn:aws:sns:eu-west-1:{ACCOUNT}:ajo-sms-test-alarms"
ALARMS_ARN = f"arn:aws:cloudwatch:eu-west-1:{ACCOUNT}:alarm:ajo-sms-test-*"
KEY = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/0b7a1e3c-1111-2222-3333-444455556666"
M = "module.operations"
AL = f"{M}.aws_cloudwatch_metric_alarm"
API = {"ApiName": "ajo-sms-test", "Stage": "v1"}
ALARM_SETTINGS = [
    "api_5xx_rate", "api_latency_p99", "api_4xx_rate", "function_errors", "function_throttles",
    "function_concurrency", "dead_letter_queue", "queue_age", "queued_expired",
    "firehose_delivery", "firehose_freshness", "sms_spend", "sms_delivery_failure_rate",
]  # fmt: skip

pytestmark = pytest.mark.slow


def queries(alarm: dict) -> dict[str, dict]:
    return {q["id"]: q for q in alarm["metric_query"]}


@pytest.fixture(scope="module")
def default_plan(plan_case):
    return plan_case(HERE, "default")  # tftest.yaml checks it against default.yaml


def test_default_matches_its_inventory(default_plan):
    assert len(default_plan.outputs["alarm_names"]) == 20


@pytest.mark.parametrize(
    ("key", "metric"), [("5xx", "5XXError"), ("4xx", "4XXError")]
)  # fmt: skip
def test_api_rates_divide_errors_by_requests_of_the_stage(default_plan, key, metric):
    by_id = queries(default_plan.values[f'{AL}.api_rate["{key}"]'])
    assert set(by_id) == {"rate", "errors", "requests"}
    assert by_id["rate"]["expression"] == "IF(requests > 0, 100 * errors / requests, 0)"
    assert by_id["rate"]["return_data"] is True
    for query_id, name in [("errors", metric), ("requests", "Count")]:
        (stat,) = by_id[query_id]["metric"]
        assert stat["namespace"] == "AWS/ApiGateway"
        assert stat["metric_name"] == name
        assert stat["dimensions"] == API
        assert (stat["stat"], stat["period"]) == ("Sum", 300)
        assert not by_id[query_id]["return_data"]


def test_delivery_failure_rate_uses_end_user_messaging_parts(default_plan):
    alarm = default_plan.values[f"{AL}.sms_delivery_failure_rate[0]"]
    by_id = queries(alarm)
    assert by_id["failure_rate"]["expression"] == "IF(sent > 0, 100 * (sent - delivered) / sent, 0)"
    parts = [
        ("sent", "NumberOfTextMessagePartsSent"),
        ("delivered", "NumberOfTextMessagePartsDelivered"),
    ]
    for query_id, name in parts:
        (stat,) = by_id[query_id]["metric"]
        assert (stat["namespace"], stat["metric_name"]) == ("AWS/SMSVoice", name)
        assert not stat.get("dimensions")  # account-wide: the documented "None" dimension
        assert (stat["stat"], stat["period"]) == ("Sum", 3600)


def test_every_alarm_notifies_the_topic_on_alarm_and_recovery(default_plan):
    alarms = {a: v for a, v in default_plan.values.items() if a.startswith(AL)}
    assert len(alarms) == 20
    for address, alarm in alarms.items():
        assert alarm["alarm_actions"] == [TOPIC], address
        assert alarm["ok_actions"] == [TOPIC], address
        assert alarm["alarm_name"].startswith("ajo-sms-test-"), address
        assert "README: alarms" in alarm["alarm_description"], address


def test_topic_is_encrypted_with_a_key_cloudwatch_may_use(default_plan):
    key_policy = statements(
        default_plan.values[f"{M}.module.topic[0].aws_kms_key.this[0]"]["policy"]
    )
    publish = key_policy["CloudWatchAlarmsPublish"]
    assert publish["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert sorted(as_list(publish["Action"])) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert publish["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT}
    assert publish["Condition"]["ArnLike"] == {"aws:SourceArn": ALARMS_ARN}
    admin = key_policy["AccountAdministers"]
    assert admin["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}

    topic_policy = statements(
        default_plan.values[f"{M}.module.topic[0].aws_sns_topic_policy.this"]["policy"]
    )
    publish = topic_policy["CloudWatchAlarmsPublish"]
    assert publish["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert as_list(publish["Action"]) == ["sns:Publish"]
    assert publish["Resource"] == TOPIC
    assert publish["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT}
    assert publish["Condition"]["ArnLike"] == {"aws:SourceArn": ALARMS_ARN}
    assert topic_policy["AccountManages"]["Condition"]["StringEquals"] == {
        "AWS:SourceOwner": ACCOUNT
    }


def widget(body: dict, title_start: str) -> dict:
    (found,) = [w for w in body["widgets"] if w["properties"]["title"].startswith(title_start)]
    return found["properties"]


def test_dashboard_draws_ajo_limits_mps_codes_and_every_alarm(default_plan):
    body = json.loads(
        default_plan.values[f"{M}.aws_cloudwatch_dashboard.this[0]"]["dashboard_body"]
    )
    rps = widget(body, "Requests per second")
    assert [a["value"] for a in rps["annotations"]["horizontal"]] == [200, 5000]
    assert rps["metrics"][1][:6] == ["AWS/ApiGateway", "Count", *sum(API.items(), ())]
    latency = widget(body, "Latency")
    assert [a["value"] for a in latency["annotations"]["horizontal"]] == [600, 750]
    throughput = widget(body, "Throughput")
    assert throughput["annotations"]["horizontal"] == [{"label": "delivery.mps", "value": 3}]
    assert ["AjoSms", "Segments", "FunctionName", "ajo-sms-test-sms-dispatch"] in [
        m[:4] for m in throughput["metrics"]
    ]
    codes = {
        m[0]["label"]: m[0]["expression"]
        for m in widget(body, "Outcomes by code")["metrics"]
        if isinstance(m[0], dict)
    }
    assert codes["send:"] == (
        'SEARCH(\'{AjoSms,FunctionName,Code} MetricName="Requests" '
        "FunctionName=\"ajo-sms-test-sms-send\"', 'Sum', 300)"
    )
    assert 'FunctionName="ajo-sms-test-sms-dispatch"' in codes["dispatch:"]
    assert 'MetricName="Expired"' in codes["dispatch:"]
    depth = {m[3] for m in widget(body, "Queue depth")["metrics"]}
    assert depth == {
        "ajo-sms-test-sms-transactional", "ajo-sms-test-sms-promotional",
        "ajo-sms-test-sms-dlq", "ajo-sms-test-aep-forwarder-dlq",
    }  # fmt: skip
    (alarms,) = [w for w in body["widgets"] if w["type"] == "alarm"]
    arn = f"arn:aws:cloudwatch:eu-west-1:{ACCOUNT}:alarm:"
    expected = [arn + name for name in default_plan.outputs["alarm_names"]]
    assert sorted(alarms["properties"]["alarms"]) == expected


def test_all_off_case_turns_every_alarm_off():
    assert sorted(hcl2.load((HERE / "all_off.tfvars").open())["alarms"]) == sorted(ALARM_SETTINGS)


@pytest.mark.parametrize("setting", ALARM_SETTINGS)
def test_each_alarm_turns_off_alone(plan_summary, default_plan, setting):
    alarms = {setting: {"enabled": False}}
    if setting == "sms_spend":
        alarms = {"sms_spend": {"enabled": False, "monthly_limit_usd": 100}}
    summary = plan_summary(ROOT, alarms=alarms)
    gone = set(default_plan.outputs["alarm_names"]) - set(summary.outputs["alarm_names"])
    expected = {
        "api_5xx_rate": 1, "api_latency_p99": 1, "api_4xx_rate": 1, "function_errors": 4,
        "function_throttles": 4, "function_concurrency": 1, "dead_letter_queue": 2, "queue_age": 2,
        "queued_expired": 1, "firehose_delivery": 1, "firehose_freshness": 1, "sms_spend": 0,
        "sms_delivery_failure_rate": 1,
    }[setting]  # fmt: skip
    assert len(gone) == expected
    assert set(summary.outputs["alarm_names"]) <= set(default_plan.outputs["alarm_names"])


def test_custom_topic_spend_limit_and_thresholds(plan_case):
    summary = plan_case(HERE, "custom_topic")  # and custom_topic.yaml
    assert not summary.values[f"{AL}.sms_spend[0]"].get("dimensions")


def test_no_topic_means_alarms_without_actions(plan_summary):
    summary = plan_summary(ROOT, alarms={"create_topic": False})
    assert summary.outputs["topic_arn"] is None
    assert "aws_sns_topic" not in summary.counts
    alarm = summary.values[f"{AL}.api_latency_p99[0]"]
    assert not alarm.get("alarm_actions") and not alarm.get("ok_actions")


def test_athena_reports(plan_case):
    summary = plan_case(HERE, "athena")  # and athena.yaml
    query = {k.split('"')[1]: v["query"] for k, v in summary.values.items() if "named_query" in k}
    for text in query.values():
        assert 'FROM "ajo_sms_test"."sms_events"' in text
        assert "WHERE year = ? AND month = ? AND eventtype <> 'TEXT_INBOUND'" in text
    assert "context['journeyId']" in query["delivery-by-journey"]
    assert "GROUP BY journey_id\n" in query["delivery-by-journey"]
    assert "GROUP BY journey_id, outcome, description" in query["failures-by-journey"]
    assert "arbitrary(isocountrycode)" in query["delivery-by-country"]
    assert "GROUP BY country" in query["delivery-by-country"]
    assert "max(totalmessageprice)" in query["cost-per-day"]
    assert "max(totalcarrierfee)" in query["cost-per-day"]
    assert "date(from_unixtime(requested / 1000)) AS day" in query["cost-per-day"]
    assert set(summary.outputs["named_query_ids"]) == set(query)


def test_only_deployed_functions_are_watched(plan_summary):
    summary = plan_summary(ROOT, functions={"send": {"name": "ajo-sms-test-sms-send"}})
    names = summary.outputs["alarm_names"]
    assert "ajo-sms-test-send-errors" in names
    assert not [n for n in names if "authorizer" in n or "dispatch" in n or "concurrency" in n]
    assert "ajo-sms-test-queued-expired" not in names  # only the dispatcher records expiries


STANDARD_TOPIC = "alarms.topic_arn must be a standard SNS topic ARN"
PERIODS = "evaluation_periods must be a whole number 1-100 and its period"


@pytest.mark.parametrize(
    ("alarms", "message"),
    [
        ({"topic_arn": f"arn:aws:sns:eu-west-1:{ACCOUNT}:alarms.fifo"}, STANDARD_TOPIC),
        ({"topic_arn": "alarms"}, STANDARD_TOPIC),
        ({"kms_key_arn": "alias/aws/sns"}, "alarms.kms_key_arn must be a customer managed"),
        ({"api_5xx_rate": {"threshold": 0}}, "Percentage thresholds"),
        ({"queue_age": {"threshold": 101}}, "Percentage thresholds"),
        ({"function_errors": {"threshold": -1}}, "Count thresholds"),
        ({"dead_letter_queue": {"threshold": 0.5}}, "Count thresholds"),
        ({"api_latency_p99": {"threshold": 30000}}, "api_latency_p99.threshold must be 50-29000"),
        ({"firehose_delivery": {"threshold": 1.5}}, "firehose_delivery.threshold is a success"),
        ({"firehose_freshness": {"threshold": 30}}, "firehose_freshness.threshold must be null"),
        ({"sms_spend": {"monthly_limit_usd": 0}}, "sms_spend.monthly_limit_usd must be null"),
        ({"queue_age": {"period": 45}}, PERIODS),
        ({"api_latency_p99": {"evaluation_periods": 0}}, PERIODS),
        ({"sms_delivery_failure_rate": {"evaluation_periods": 25}}, "at most one day"),
    ],
)
def test_bad_alarm_settings_fail_at_plan_time(planned_root, alarms, message):
    assert message in flat(planned_root(ROOT).plan_error(alarms=alarms))


def test_metrics_namespace_cannot_be_an_aws_one(planned_root):
    error = planned_root(ROOT).plan_error(metrics_namespace="AWS/Lambda")
    assert 'must not start with "AWS/"' in flat(error)
