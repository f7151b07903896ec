"""Fixtures for the authorizer's unit tests: moto stands in for Secrets Manager
(in-process, speaking the real wire protocol through botocore)."""

from __future__ import annotations

import itertools
import json

import boto3
import pytest
from harness.functions import function_dir, load_entry
from harness.moto_server import fake_aws
from moto import mock_aws

from .authorizer_testkit import KEY_1, REGION

function_dir("authorizer")  # the tests import ajo_authorizer as the zip has it

_handler_names = itertools.count()


@pytest.fixture
def aws_env(monkeypatch):
    for name, value in fake_aws(REGION).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", raising=False)


@pytest.fixture
def secrets(aws_env):
    with mock_aws():
        yield boto3.client("secretsmanager", region_name=REGION)


@pytest.fixture
def secret_arn(secrets):
    return secrets.create_secret(Name="ajo-sms/api-key", SecretString=KEY_1)["ARN"]


@pytest.fixture
def load_handler(monkeypatch):
    """Import handler.py as Lambda would at cold start, under a unique name."""

    def load(environ: dict[str, str]):
        for name in (
            "API_KEY_SECRET_ARN",
            "API_KEY_CACHE_TTL_SECONDS",
            "API_KEY_ACCEPT_PREVIOUS",
            "LOG_LEVEL",
        ):
            monkeypatch.delenv(name, raising=False)
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return load_entry("authorizer", "handler", f"ajo_authorizer_handler_{next(_handler_names)}")

    return load


@pytest.fixture
def log_lines(capsys):
    """The JSON log lines written so far (every line must parse)."""

    def read() -> list[dict]:
        out = capsys.readouterr().out
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    return read
