"""The harness's moto answers CloudWatch in rpc-v2-cbor as AWS does (harness/moto_cbor.py).

The client here is botocore's own rpc-v2-cbor client, made by giving botocore the
CloudWatch model with CBOR as its only protocol: the bytes on the wire are the ones the
aws provider sends and expects.
"""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import botocore.session
import pytest
from botocore.exceptions import ClientError
from harness.moto_cbor import CborShim
from harness.moto_server import FAKE_CREDENTIALS, moto_server
from harness.request_path import aws

VERSION = "2010-08-01"


@pytest.fixture(scope="module")
def cloudwatch(tmp_path_factory):
    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    model = loader.load_service_model("cloudwatch", "service-2", VERSION)
    model["metadata"].update(protocol="smithy-rpc-v2-cbor", protocols=["smithy-rpc-v2-cbor"])
    folder = tmp_path_factory.mktemp("models") / "cloudwatch" / VERSION
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(model))
    rules = Path(botocore.__file__).parent / "data" / "cloudwatch" / VERSION
    shutil.copy(rules / "endpoint-rule-set-1.json.gz", folder)
    loader.search_paths.insert(0, str(folder.parents[1]))
    sent: list[dict] = []
    with moto_server() as url:
        client = session.create_client(
            "cloudwatch",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
        client.meta.events.register("before-send", lambda request, **_: sent.append(request))
        client.sent = sent
        yield client


def test_the_client_speaks_cbor(cloudwatch):
    cloudwatch.list_dashboards()
    request = cloudwatch.sent[-1]
    assert request.url.endswith("/service/GraniteServiceVersion20100801/operation/ListDashboards")
    assert request.headers["smithy-protocol"] == b"rpc-v2-cbor"


def test_an_alarm_round_trips_with_its_timestamps(cloudwatch):
    before = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=5)
    cloudwatch.put_metric_alarm(
        AlarmName="api-5xx", Namespace="AWS/ApiGateway", MetricName="5XXError",
        Dimensions=[{"Name": "ApiName", "Value": "ajo-sms"}], Statistic="Average",
        Period=60, EvaluationPeriods=5, Threshold=0.05, ComparisonOperator="GreaterThanThreshold",
        AlarmActions=["arn:aws:sns:us-east-1:123456789012:alarms"], TreatMissingData="notBreaching",
    )  # fmt: skip
    answer = cloudwatch.describe_alarms(AlarmNames=["api-5xx"])
    assert answer["ResponseMetadata"]["HTTPHeaders"]["smithy-protocol"] == "rpc-v2-cbor"
    assert answer["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "application/cbor"
    (alarm,) = answer["MetricAlarms"]
    assert (alarm["Threshold"], alarm["EvaluationPeriods"], alarm["TreatMissingData"]) == (
        0.05,
        5,
        "notBreaching",
    )
    assert alarm["Dimensions"] == [{"Name": "ApiName", "Value": "ajo-sms"}]
    assert alarm["AlarmConfigurationUpdatedTimestamp"] > before  # a CBOR tag-1 time


def test_a_dashboard_round_trips(cloudwatch):
    body = json.dumps({"widgets": [{"type": "text", "properties": {"markdown": "x"}}]})
    cloudwatch.put_dashboard(DashboardName="ops", DashboardBody=body)
    assert json.loads(cloudwatch.get_dashboard(DashboardName="ops")["DashboardBody"]) == json.loads(
        body
    )
    cloudwatch.delete_dashboards(DashboardNames=["ops"])


def test_an_error_keeps_its_code_and_status(cloudwatch):
    with pytest.raises(ClientError) as raised:
        cloudwatch.get_dashboard(DashboardName="missing")
    error = raised.value.response
    assert error["Error"]["Code"] == "ResourceNotFound"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error["ResponseMetadata"]["HTTPHeaders"]["smithy-protocol"] == "rpc-v2-cbor"


def test_other_protocols_pass_through(cloudwatch):
    cloudwatch.put_dashboard(DashboardName="plain", DashboardBody='{"widgets": []}')
    stock = aws("cloudwatch", cloudwatch.meta.endpoint_url)  # AWS JSON 1.0, untouched
    answer = stock.list_dashboards()
    assert "smithy-protocol" not in answer["ResponseMetadata"]["HTTPHeaders"]
    assert "plain" in [entry["DashboardName"] for entry in answer["DashboardEntries"]]


def test_moto_itself_still_needs_the_shim():
    """If this fails, moto answers rpc-v2-cbor itself: drop harness/moto_cbor.py."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.test import Client

    headers = {
        "smithy-protocol": "rpc-v2-cbor",
        "Content-Type": "application/cbor",
        "Accept": "application/cbor",
        "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20261202/us-east-1/monitoring/"
        "aws4_request, SignedHeaders=host, Signature=0",
    }
    path = "/service/GraniteServiceVersion20100801/operation/ListDashboards"
    plain = Client(DomainDispatcherApplication(create_backend_app))
    assert "smithy-protocol" not in plain.post(path, data=b"\xa0", headers=headers).headers
    shimmed = Client(CborShim(DomainDispatcherApplication(create_backend_app)))
    answer = shimmed.post(path, data=b"\xa0", headers=headers)  # b"\xa0": an empty CBOR map
    assert answer.status_code == 200 and answer.headers["smithy-protocol"] == "rpc-v2-cbor"
