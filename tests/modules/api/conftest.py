"""Helpers for plans of modules/api."""

from __future__ import annotations

import zipfile

import pytest


@pytest.fixture(scope="session")
def api_function_zip(tmp_path_factory) -> str:
    """A tiny deployment package for the wired fixture's two functions."""
    path = tmp_path_factory.mktemp("api-package") / "handler.zip"
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("handler.py", date_time=(1980, 1, 1, 0, 0, 0))
        archive.writestr(info, "def handler(event, context):\n    return event\n")
    return str(path)
