"""The Lambda functions' source trees, imported in-process as Lambda imports a zip.

Lambda puts the zip's root on the import path; `function_dir(name)` does the same for
functions/<name>/ and functions/runtime/, so its package (ajo_sms_send, ajo_authorizer,
event_forwarder) and ajo_runtime import as they do in the zip. This is the one place that
puts a function on sys.path.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from harness import REPO

FUNCTIONS = REPO / "functions"


RUNTIME = FUNCTIONS / "runtime"  # ajo_runtime, which build_zip.py copies into every zip


def function_dir(name: str) -> Path:
    """functions/<name>/, made the import root of its package, beside the shared
    runtime (idempotent)."""
    path = FUNCTIONS / name
    for root in (RUNTIME, path):
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))
    return path


def load_entry(name: str, entry: str, module_name: str) -> ModuleType:
    """Execute functions/<name>/<entry>.py as a new module `module_name`: a cold start.

    Module-level code reads the environment as it is now; a unique `module_name` per
    load lets several configurations of one function live in one process."""
    spec = importlib.util.spec_from_file_location(module_name, function_dir(name) / f"{entry}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
