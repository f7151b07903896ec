"""The Lambda functions' source trees, imported in-process as Lambda imports a zip.

Lambda puts the zip's root on the import path; `function_dir(name)` does the same for
functions/<name>/, so its package (ajo_sms_send, ajo_authorizer, aep_forwarder) imports
as it does in the zip. This is the one place that puts a function on sys.path.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from harness import REPO

FUNCTIONS = REPO / "functions"


def function_dir(name: str) -> Path:
    """functions/<name>/, made the import root of its package (idempotent)."""
    path = FUNCTIONS / name
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
    return path


def load_entry(name: str, entry: str, module_name: str) -> ModuleType:
    """Execute functions/<name>/<entry>.py as a new module `module_name`: a cold start.

    Module-level code reads the environment as it is now; a unique `module_name` per
    load lets several configurations of one function live in one process."""
    spec = importlib.util.spec_from_file_location(module_name, function_dir(name) / f"{entry}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
