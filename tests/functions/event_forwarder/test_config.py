"""The environment contract with modules/event_export."""

from __future__ import annotations

import pytest
from event_forwarder import app, config
from harness.forwarder_testkit import MALFORMED_NOTIFICATIONS

BASE = {
    "AEP_INLET_URL": "https://dcs.adobedc.net/collection/batch/abc",
    "AEP_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:aep-AbCdEf",
    "AEP_IMS_ORG_ID": "ORG@AdobeOrg",
    "AEP_DATASET_ID": "0123456789abcdef01234567",
    "AEP_SCHEMA_ID": "https://ns.adobe.com/acme/schemas/1",
}


def test_defaults():
    cfg = config.load(BASE)
    assert (cfg.aep.sandbox_name, cfg.batch_max_events, cfg.max_attempts) == ("prod", 100, 5)
    assert cfg.aep.template == config.DEFAULT_XDM_TEMPLATE
    assert cfg.state_prefixes == (
        "aep-forwarder/checkpoints/",
        "aep-forwarder/rejected/",
        "aep-forwarder/unknown/",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"AEP_INLET_URL": ""}, "AEP_INLET_URL is required"),
        ({"AEP_INLET_URL": "http://dcs.adobedc.net/x"}, "https://"),
        # Events leave only for Adobe's inlet host, unless another is named.
        ({"AEP_INLET_URL": "https://collector.example.com/x"}, "must end with .adobedc.net"),
        ({"AEP_INLET_URL": "https://dcs.adobedc.net.example.com/x"}, "must end with .adobedc.net"),
        ({"AEP_INLET_URL": "https://dcs.adobedc.net@example.com/x"}, "must end with .adobedc.net"),
        ({"AEP_INLET_URL": "https://adobedc.net/x"}, "must end with .adobedc.net"),
        ({"AEP_INLET_URL": "http://127.0.0.1:8080/x"}, "must end with .adobedc.net"),
        (
            {"AEP_INLET_URL": "https://a.example.com/x", "AEP_INLET_ALLOWED_HOST": "b.example.com"},
            "AEP_INLET_ALLOWED_HOST",
        ),
        (
            {
                "AEP_INLET_URL": "http://proxy.example.com/x",
                "AEP_INLET_ALLOWED_HOST": "proxy.example.com",
            },
            "https://",
        ),
        ({"XDM_TEMPLATE": "{nope"}, "XDM_TEMPLATE is not JSON"),
        ({"XDM_TEMPLATE": "[1]"}, "JSON object"),
        ({"BATCH_MAX_EVENTS": "0"}, "BATCH_MAX_EVENTS must be between 1 and 500"),
        ({"MAX_ATTEMPTS": "many"}, "MAX_ATTEMPTS must be an integer"),
        ({"AEP_SCHEMA_ID": " "}, "AEP_SCHEMA_ID is required"),
    ],
)
def test_bad_environment_is_named(change, message):
    with pytest.raises(config.ConfigError, match=message):
        config.load({**BASE, **change})


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://dcs.adobedc.net/collection/batch/abc", ""),
        ("https://dcs-va6.adobedc.net/collection/batch/abc", ""),
        ("https://aep-proxy.acme.internal/collection/batch/abc", "AEP-Proxy.acme.internal"),
        ("https://aep-proxy.acme.internal:8443/collection/batch/abc", "aep-proxy.acme.internal"),
    ],
)
def test_adobe_inlet_hosts_and_the_named_override_are_accepted(url, allowed):
    cfg = config.load({**BASE, "AEP_INLET_URL": url, "AEP_INLET_ALLOWED_HOST": allowed})
    assert cfg.aep.inlet_url == url


def test_misconfigured_function_returns_every_message(capsys):
    forward = app.build({**BASE, "AEP_INLET_URL": ""})
    result = forward({"Records": [{"messageId": "a"}, {"messageId": "b"}]}, None)
    assert result == {"batchItemFailures": [{"itemIdentifier": "a"}, {"itemIdentifier": "b"}]}
    assert "AEP_INLET_URL is required" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("body", "objects"),
    [
        ('{"Service":"Amazon S3","Event":"s3:TestEvent"}', []),
        (
            '{"Records":[{"eventName":"ObjectCreated:CompleteMultipartUpload",'
            '"s3":{"bucket":{"name":"b"},"object":{"key":"events/a+b%3D.gz"}}},'
            '{"eventName":"ObjectRemoved:Delete","s3":{"bucket":{"name":"b"},"object":{"key":"x"}}}]}',
            [("b", "events/a b=.gz")],
        ),
    ],
)
def test_s3_notification_bodies(body, objects):
    assert app.s3_objects(body) == objects


NOT_NOTIFICATIONS = {
    "not-json": "not json",
    "array": "[1]",
    "records-number": '{"Records": 3}',
    "no-s3": '{"Records":[{"eventName":"ObjectCreated:Put"}]}',
    **MALFORMED_NOTIFICATIONS,
}


@pytest.mark.parametrize("body", NOT_NOTIFICATIONS.values(), ids=NOT_NOTIFICATIONS.keys())
def test_bodies_that_are_not_notifications_are_errors(body):
    with pytest.raises(app.NotANotification):
        app.s3_objects(body)


FEEDBACK = {"AJO_FEEDBACK_WEBHOOK_URL": "https://ajo.example.com/webhooks/sms/f1"}


def test_feedback_alone_is_a_target_with_its_own_prefixes():
    cfg = config.load(FEEDBACK)
    assert cfg.aep is None
    assert (cfg.feedback.header, cfg.feedback.client_reference_key) == (
        "x-ajo-webhook-secret",
        "clientReference",
    )
    assert cfg.feedback.secret_arn is None
    assert cfg.state_prefixes == (
        "ajo-feedback/checkpoints/",
        "ajo-feedback/rejected/",
        "ajo-feedback/unknown/",
    )


def test_both_targets_keep_apart_state():
    cfg = config.load({**BASE, **FEEDBACK, "CHECKPOINT_PREFIX": "aep/cp/"})
    assert cfg.aep.prefixes.checkpoint == "aep/cp/"
    assert cfg.feedback.prefixes.checkpoint == "ajo-feedback/checkpoints/"
    assert len(set(cfg.state_prefixes)) == 6


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "no target: set AEP_INLET_URL"),
        ({"AEP_SANDBOX_NAME": "dev", "LOG_LEVEL": "DEBUG"}, "no target"),
        ({"AEP_SECRET_ARN": BASE["AEP_SECRET_ARN"]}, "AEP_INLET_URL is required when"),
        ({"AJO_FEEDBACK_WEBHOOK_URL": "http://ajo.example.com/x"}, "must be an https:// URL"),
        (
            {"AJO_FEEDBACK_WEBHOOK_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:1:secret:s"},
            "AJO_FEEDBACK_WEBHOOK_URL is required when",
        ),
        ({**FEEDBACK, "AJO_FEEDBACK_WEBHOOK_SECRET_ARN": "my-secret"}, "must be an ARN"),
        ({**FEEDBACK, "AJO_FEEDBACK_WEBHOOK_HEADER": "x bad: header"}, "HTTP header name"),
    ],
)
def test_bad_target_configuration_is_named(environ, message):
    with pytest.raises(config.ConfigError, match=message):
        config.load(environ)


def test_feedback_to_loopback_may_be_plain_http():
    url = "http://127.0.0.1:8080/webhooks/sms/f1"
    assert config.load({"AJO_FEEDBACK_WEBHOOK_URL": url}).feedback.webhook_url == url


def test_no_target_returns_every_message(capsys):
    forward = app.build({"EVENTS_PREFIX": "events/"})
    result = forward({"Records": [{"messageId": "a"}]}, None)
    assert result == {"batchItemFailures": [{"itemIdentifier": "a"}]}
    assert "no target" in capsys.readouterr().out
