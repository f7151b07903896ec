"""Upgrade: a deployment of an earlier commit plans here with nothing replaced.

demo/ as it was at BASELINE (before modules/topic, modules/queue and the one
Firehose resource) is applied to moto; this checkout's demo/ then plans against
that state. The moved blocks must carry every resource over: nothing is
destroyed or replaced, and the only resources created are the ones the change
adds. In-place updates are allowed (statement IDs, and what moto does not
round-trip: moto_gaps.py).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest
from harness.iac import REPO, Deployment
from harness.moto_server import moto_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

BASELINE = "3718bcf2e2133649af020db3b9608abc666259c3"
M = "module.ajo_sms"
# What the change adds: a KMS alias for each topic key that had none.
ADDED = {
    f"{M}.module.two_way[0].module.topic.aws_kms_alias.this[0]",
    f"{M}.module.whatsapp_events[0].aws_kms_alias.this[0]",
}
# Addresses the moved blocks must carry over (one of each kind of move).
MOVED = {
    f"{M}.module.two_way[0].module.topic.aws_sns_topic.this": (
        f"{M}.module.two_way[0].aws_sns_topic.this"
    ),
    f"{M}.module.whatsapp_events[0].aws_kms_key.this[0]": f"{M}.aws_kms_key.whatsapp_events[0]",
    f'{M}.module.delivery[0].module.queues.aws_sqs_queue.this["transactional"]': (
        f'{M}.module.delivery[0].aws_sqs_queue.this["transactional"]'
    ),
    f'{M}.module.two_way[0].module.queue.aws_lambda_event_source_mapping.this["inbound"]': (
        f"{M}.module.two_way[0].aws_lambda_event_source_mapping.this"
    ),
    f'{M}.module.event_export[0].aws_kinesis_firehose_delivery_stream.this["whatsapp"]': (
        f"{M}.module.event_export[0].aws_kinesis_firehose_delivery_stream.whatsapp[0]"
    ),
}


@pytest.fixture(scope="module")
def baseline_tree():
    """The repository at BASELINE, its dist/ zips included."""
    found = subprocess.run(
        ["git", "-C", str(REPO), "cat-file", "-e", f"{BASELINE}^{{commit}}"], capture_output=True
    )
    assert found.returncode == 0, f"{BASELINE} is not in this clone (a shallow clone?)"
    tree = Path(tempfile.mkdtemp(prefix="ajo-sms-baseline-"))
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", BASELINE], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
    yield tree
    shutil.rmtree(tree, ignore_errors=True)


def test_an_upgrade_from_the_baseline_replaces_nothing(baseline_tree):
    # No destroy: the moto server, and all it holds, ends with the test.
    with moto_server() as url:
        before = Deployment(baseline_tree / "demo", url)
        after = Deployment(REPO / "demo", url)
        try:
            before.init()
            before.apply()
            after.init()
            shutil.copy(before.dir / "terraform.tfstate", after.dir / "terraform.tfstate")
            plan = after.plan_json()
        finally:
            before.cleanup()
            after.cleanup()
    changes = {c["address"]: c for c in plan["resource_changes"]}
    replaced = {a for a, c in changes.items() if "delete" in c["change"]["actions"]}
    created = {a for a, c in changes.items() if c["change"]["actions"] == ["create"]}
    assert replaced == set()
    assert created == ADDED
    for address, previous in MOVED.items():
        assert changes[address].get("previous_address") == previous, address
