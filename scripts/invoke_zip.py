"""Run a Lambda handler from its deployment zip, the way Lambda would.

The zip is unpacked to a temp dir that becomes the import root, the
environment is the function's deployed configuration (plus endpoint
overrides for local stand-ins), and each call is one fresh interpreter: a
cold start with exactly that environment and nothing from this repository.

  python scripts/invoke_zip.py ZIP HANDLER < event.json   (env from the caller)

`invoke(zip, event, env)` does the same from Python and returns
{"result": ...} or {"error": "<exception message>"}.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path


def invoke(zip_path: Path, event: dict, env: dict[str, str], handler: str = "handler.handler"):
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    child_env.pop("PYTHONPATH", None)
    child_env.update(env)
    done = subprocess.run(
        [sys.executable, __file__, str(zip_path), handler],
        input=json.dumps(event),
        capture_output=True,
        text=True,
        env=child_env,
        timeout=60,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"invocation failed ({done.returncode}): {done.stderr[-2000:]}")
    *log_lines, last = done.stdout.strip().splitlines()
    outcome = json.loads(last)
    outcome["logs"] = "\n".join(log_lines) + done.stderr
    return outcome


def _run_in_this_process(zip_path: str, handler: str) -> None:
    event = json.load(sys.stdin)
    with tempfile.TemporaryDirectory() as root:
        zipfile.ZipFile(zip_path).extractall(root)
        sys.path.insert(0, root)
        module_name, function_name = handler.rsplit(".", 1)
        function = getattr(importlib.import_module(module_name), function_name)
        # Lambda prints logs to stderr/CloudWatch; keep stdout for the result.
        stdout, sys.stdout = sys.stdout, sys.stderr
        try:
            outcome = {"result": function(event, None)}
        except Exception as error:  # an authorizer's "Unauthorized" is an exception
            outcome = {"error": str(error)}
        finally:
            sys.stdout = stdout
    print(json.dumps(outcome))


if __name__ == "__main__":
    _run_in_this_process(Path(sys.argv[1]).as_posix(), sys.argv[2])
