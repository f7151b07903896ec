"""A tiny deployment package for plans of modules/event_export with AEP forwarding."""

from __future__ import annotations

import base64
import hashlib
import zipfile

import pytest


@pytest.fixture(scope="session")
def forwarder_zip(tmp_path_factory):
    """(path, base64 SHA-256): the module hashes the zip itself when no hash is given."""
    path = tmp_path_factory.mktemp("forwarder-package") / "event_forwarder.zip"
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("handler.py", date_time=(1980, 1, 1, 0, 0, 0))
        archive.writestr(info, "def handler(event, context):\n    return {}\n")
    digest = base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()
    return str(path), digest
